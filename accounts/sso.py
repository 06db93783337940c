"""Single sign-on through OpenID Connect (Microsoft Entra ID, Google Workspace), with
mozilla-django-oidc. Off unless ``SSO_DISCOVERY_URL`` is set.

The provider's endpoints and keys come from its discovery document, fetched when first needed
and cached, so nothing but the discovery URL, the client id and secret is configured, and a
provider that is down never stops the password sign-in. Only an existing, active user whose
address the provider says it has verified is signed in: accounts come by invitation, and the
one account single sign-on makes is that of someone accepting their invitation with it.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.selectors import invitation_by_token, invitation_refusal
from accounts.services import invitation_accept_as_new_user

logger = logging.getLogger(__name__)

# The token of the invitation whose link this browser followed to accept it by single sign-on.
INVITATION_SESSION_KEY = "sso_invitation"

DISCOVERY_CACHE_SECONDS = 3600
WELL_KNOWN = "/.well-known/openid-configuration"
# mozilla-django-oidc's settings that the discovery document answers.
FROM_DISCOVERY = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
UNREACHABLE = (
    "The single sign-on service cannot be reached just now. Try again in a few minutes, or sign "
    "in with your password."
)
NOT_SIGNED_IN = (
    "Single sign-on did not sign you in: there is no active account here with the address your "
    "organisation gave, or it has not verified that address. Ask your programme staff for an "
    "invitation, or sign in with your password."
)


def sso_enabled() -> bool:
    return bool(settings.SSO_DISCOVERY_URL)


def discovery_url() -> str:
    url = settings.SSO_DISCOVERY_URL.rstrip("/")
    return url if url.endswith(WELL_KNOWN) else url + WELL_KNOWN


def provider_configuration() -> dict:
    """The provider's discovery document, cached for an hour (keys rotate, endpoints rarely)."""
    url = discovery_url()
    key = f"sso:discovery:{url}"
    document = cache.get(key)
    if document is None:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def sso_setting(attr: str, *default):
    """mozilla-django-oidc's settings, with the provider's endpoints read from discovery."""
    if attr in FROM_DISCOVERY:
        return provider_configuration()[FROM_DISCOVERY[attr]]
    return import_from_settings(attr, *default)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Signs in the one active user whose verified email the provider's ID token names."""

    get_settings = staticmethod(sso_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, passwords included: the endpoints are
        # looked up only when this backend is used (the properties below).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    # The library's attribute names, read from discovery when first used.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return sso_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return sso_setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return sso_setting("OIDC_OP_JWKS_ENDPOINT")

    def authenticate(self, request, **kwargs):
        # Only the callback passes a nonce; a password sign-in must never reach the provider.
        if not sso_enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, which are signed, over what the userinfo endpoint adds (Entra
        ID says whether it verified the address only in the ID token)."""
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        """Refuses an ID token issued by another provider or for another client."""
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != provider_configuration()["issuer"]:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims):
        verified = claims.get(settings.SSO_EMAIL_VERIFIED_CLAIM)
        return bool(claims.get("email")) and verified in (True, "true", "True", 1)

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True)

    def create_user(self, claims):
        """The account of someone accepting an invitation by single sign-on: only for the
        invitation whose link this browser followed (``INVITATION_SESSION_KEY``), still usable,
        and for the address the provider verified. Anyone else gets no account."""
        token = self.request.session.get(INVITATION_SESSION_KEY, "")
        invitation = invitation_by_token(token) if token else None
        if invitation_refusal(invitation) or invitation.email.lower() != claims["email"].lower():
            return None
        del self.request.session[INVITATION_SESSION_KEY]
        return invitation_accept_as_new_user(
            invitation=invitation, full_name=claims.get("name") or claims["email"], password=None
        )


class SingleSignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (404 while single sign-on is off)."""

    get_settings = staticmethod(sso_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not switched on.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException:
            logger.exception("The single sign-on discovery document could not be read.")
            messages.error(request, UNREACHABLE)
            return redirect(settings.LOGIN_URL)
        return super().get(request)


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal is said on the sign-in page."""

    get_settings = staticmethod(sso_setting)

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not switched on.")
        try:
            return super().get(request)
        except requests.RequestException:
            logger.exception("The single sign-on provider refused or did not answer.")
            return self.login_failure(UNREACHABLE)

    def login_failure(self, message: str = NOT_SIGNED_IN):
        messages.error(self.request, message)
        return redirect(settings.LOGIN_URL)
