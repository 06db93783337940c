"""Receivers of Django's auth signals."""

from django.utils import timezone


def note_last_login(sender, user, **kwargs):
    """Record the time of a sign-in with one UPDATE, outside the account's history."""
    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
