from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # drf-spectacular finds its extensions (the token's security scheme) by import.
        from api import schema  # noqa: F401
