"""How many requests the API answers, per token and per address (``settings.REST_FRAMEWORK``'s
``DEFAULT_THROTTLE_RATES``, which the environment may override).

A program using a token is counted by the token, so two programs of one user do not share
their allowance; the browser, by its user; anyone else, by address. The counts live in the
default cache. The rates are read when a request is counted, not when this module is
imported, so that a change of settings applies at once.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from accounts.models import ApiToken


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class UserRateThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    scope = "anonymous"
