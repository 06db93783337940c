import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.cache import patch_cache_control

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


class SessionLifetimeMiddleware:
    """Ends a session after ``SESSION_COOKIE_AGE`` idle and ``SESSION_MAXIMUM_AGE`` after sign-in.

    The idle limit is the session's own expiry. Saving the session on every request would move
    it on, but every page, favicon and autocomplete request would then write, and on SQLite they
    queue for its one writer: the expiry is renewed only once ``SESSION_RENEW_AFTER`` has passed
    since the last renewal, so a session ends between that and the full age after its last
    request. ``django.contrib.auth.login`` replaces ``request.user``, which is how a sign-in (here
    or in the admin) is recognised and its time stored. A session past the absolute limit is
    signed out before the view runs, so the view sees an anonymous user.
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

        # A request that the API authenticated by a personal token (api.authentication) sets
        # request.user too: it is no sign-in, and leaves the session as it was (or none at all).
        if request.user.is_authenticated and getattr(request, "api_token", None) is None:
            now = time.time()
            if request.user is not user_before_view or SIGNED_IN_AT not in request.session:
                request.session[SIGNED_IN_AT] = now
            renew_after = settings.SESSION_RENEW_AFTER.total_seconds()
            if now - request.session.get(RENEWED_AT, 0) >= renew_after:
                # Setting a key marks the session modified: SessionMiddleware saves it with a
                # new expiry and sends the cookie again.
                request.session[RENEWED_AT] = now
        return response


class SecurityHeadersMiddleware:
    """Headers every response carries: the Content-Security-Policy and Permissions-Policy of
    ``settings``, and, for a signed-in user, ``Cache-Control: private, no-cache``.

    A response that set its own policy keeps it (downloads send a sandboxing one). Pages of a
    signed-in user hold personal data: no shared cache may keep them, and the browser asks
    again before showing a stored copy (after signing out, the back button shows nothing).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in self.headers.items():
            response.headers.setdefault(header, value)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        return response


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose body is declared larger than ``REQUEST_BODY_MAX_BYTES``.

    Django refuses form fields beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE``, but streams files of any
    size to disk before a form can check them against ``UPLOAD_MAX_BYTES``. This looks only at
    the ``Content-Length`` header, so nothing of such a body is read under WSGI (gunicorn); a
    body without a declared length is read as empty by Django anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it
        if length > settings.REQUEST_BODY_MAX_BYTES:
            context = {
                "limit": settings.REQUEST_BODY_MAX_BYTES,
                "file_limit": settings.UPLOAD_MAX_BYTES,
            }
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


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
