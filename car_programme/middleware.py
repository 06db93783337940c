import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest

SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session a fixed time after sign-in (``SESSION_MAXIMUM_AGE``), however active.

    The idle limit is the session's own expiry (``SESSION_COOKIE_AGE``, renewed on every request);
    this adds the absolute one. ``django.contrib.auth.login`` replaces ``request.user``, which is
    how a sign-in (here or in the admin) is recognised and its time stored in the session. A
    session past the limit is signed out before the view runs, so the view sees an anonymous user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            maximum_age = settings.SESSION_MAXIMUM_AGE.total_seconds()
            if signed_in_at is not None and time.time() - signed_in_at > maximum_age:
                logout(request)
                messages.info(request, "Your session has ended. Please sign in again.")
        user_before_view = request.user

        response = self.get_response(request)

        if request.user.is_authenticated and (
            request.user is not user_before_view or SIGNED_IN_AT not in request.session
        ):
            request.session[SIGNED_IN_AT] = time.time()
        return response


class NullCharacterMiddleware:
    """Refuses (400) a request whose path or query string holds a NUL character.

    No URL of the product needs one and no text column can store one (PostgreSQL refuses it),
    so a token, a search or a filter read straight from the URL would otherwise reach the
    database and answer 500. Form fields refuse a NUL themselves, with a message next to the
    field (Django's ``ProhibitNullCharactersValidator``), so the body is left to them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path_info, *(v for key, vs in request.GET.lists() for v in (key, *vs))]
        if any("\x00" in value for value in values):
            raise BadRequest("The address holds a character that is not allowed (NUL).")
        return self.get_response(request)
