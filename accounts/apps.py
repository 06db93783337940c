from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        from accounts.second_factor import connect_signals
        from accounts.signals import note_last_login

        # Django saves the whole user on sign-in, which would add a history row per sign-in.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(note_last_login, dispatch_uid="update_last_login")
        connect_signals()
