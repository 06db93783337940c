from django.apps import AppConfig


class ProgrammeDataConfig(AppConfig):
    """Whole programmes written at once: the demo loaded from YAML, the synthetic generator and
    the demo logins. It writes across every app, so it sits above them all and none imports it."""

    name = "programme_data"
    verbose_name = "Programme data"
