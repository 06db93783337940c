"""Who a request of the API comes from: a personal API token, or the browser's session.

A token is sent as ``Authorization: Bearer <token>`` (or ``Token <token>``). One that matches
nothing, was revoked, has expired or belongs to a closed account answers 401 with its reason in
plain words; the token's use is noted at most once a minute (``accounts.services``). The
session (DRF's ``SessionAuthentication``, after this class in the settings) serves the browser
and checks the CSRF token on writes.
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.selectors import api_token_by_secret, api_token_refusal
from accounts.services import api_token_used

KEYWORDS = {b"bearer", b"token"}


class ApiTokenAuthentication(BaseAuthentication):
    """``request.user`` is the token's user, ``request.auth`` the ``ApiToken``."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”, with no space in the token."
            )
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = api_token_by_secret(secret) if secret else None
        refusal = api_token_refusal(token)
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        api_token_used(token=token)
        # Marks the request for the session middleware: a token is no sign-in.
        request._request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
