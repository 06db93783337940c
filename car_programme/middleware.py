import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import render

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
