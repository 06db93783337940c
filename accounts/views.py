"""Sign-in, sign-out, password change and reset (Django's auth views), and sign-in throttling."""

from datetime import timedelta

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

# Reset emails asked for one address, and reset requests from one client, per hour: enough for
# someone who mistyped or lost an email, too few to flood a mailbox or probe many addresses.
RESET_RATE_PER_ADDRESS = "3/h"
RESET_RATE_PER_CLIENT = "10/h"


class SignInView(auth_views.LoginView):
    """Django's sign-in, with the single sign-on button when it is switched on. The second
    factor, where one is set up, is asked for next (accounts.middleware)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_label"] = settings.SSO_BUTTON_LABEL if settings.SSO_DISCOVERY_URL else None
        return context


class SignOutView(auth_views.LogoutView):
    """Signs out (POST only, as Django requires) and says so on the sign-in page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response


def _reset_address(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, throttled per address and per client before any email is sent.

    Every request counts against both limits (even one refused by the other), and the answer is
    the same whether or not the address has an account, so the limit reveals nothing.
    """

    def post(self, request, *args, **kwargs):
        limits = [
            ("accounts.password_reset.address", _reset_address, RESET_RATE_PER_ADDRESS),
            ("accounts.password_reset.client", "ip", RESET_RATE_PER_CLIENT),
        ]
        limited = [
            is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
            for group, key, rate in limits
        ]
        if any(limited):
            reason = (
                "Several password reset links have just been asked for, for this address or "
                "from your network."
            )
            return render(request, "429.html", {"reason": reason, "wait": "an hour"}, status=429)
        return super().post(request, *args, **kwargs)


def sign_in_cool_off(request: HttpRequest | None) -> timedelta:
    """How far back django-axes counts failed sign-ins (its ``AXES_COOLOFF_TIME``).

    Axes keeps one record per user name and address, with the failure count and the time of the
    latest failure, and counts the records whose latest failure is younger than this answer. Five
    minutes while the pair is below the limit makes a failure stop counting when five minutes pass
    without another; fifteen once the pair has reached the limit keeps it locked out for 15
    minutes after its last counted failure.
    """
    lockout = settings.SIGN_IN_LOCKOUT_DURATION
    if request is None:
        return lockout
    recent = AccessAttempt.objects.filter(
        username=get_client_username(request),
        ip_address=getattr(request, "axes_ip_address", None),
        attempt_time__gte=timezone.now() - lockout,
    )
    failures = recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
    return lockout if failures >= settings.AXES_FAILURE_LIMIT else settings.SIGN_IN_FAILURE_WINDOW


def sign_in_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page django-axes answers with once a user name and address are locked out."""
    minutes = int(settings.SIGN_IN_LOCKOUT_DURATION.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
