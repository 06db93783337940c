"""Pages of the second factor: the code after the password, and the account's own set-up."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import user_login_failed
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from accounts import second_factor
from accounts.forms import ApiTokenForm
from accounts.second_factor_forms import ConfirmIdentityForm, EnrolmentForm, SignInCodeForm
from accounts.selectors import api_tokens_of
from accounts.views import sign_in_locked_out
from car_programme.exceptions import DomainError

# The secret of an app being set up waits in the session until a code shows it works, so an
# enrolment left half-way writes nothing.
NEW_KEY_SESSION_KEY = "second_factor_new_key"
OVERVIEW = reverse_lazy("accounts:second_factor")


def _next_url(request) -> str:
    """The page to go on to: ``next`` when it is on this site, else the usual landing page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _show_recovery_codes(request, codes: list[str], *, heading: str):
    """The one time recovery codes are shown: in the answer to the post that made them, never
    kept anywhere they could be shown again."""
    context = {"codes": codes, "heading": heading, "next": _next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)


class CountedAsSignInMixin(LoginRequiredMixin):
    """A form that checks a secret of the signed-in user (a code, the password again): each
    refusal counts in django-axes with the failed sign-ins of the same user name and address,
    so ten of any of them lock the pair out, here as on the sign-in page."""

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and request.method == "POST"
            and not AxesProxyHandler.is_allowed(request, self._credentials())
        ):
            return sign_in_locked_out(request)
        return super().dispatch(request, *args, **kwargs)

    def _credentials(self) -> dict:
        return {settings.AXES_USERNAME_FORM_FIELD: self.request.user.get_username()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_invalid(self, form):
        # django-axes records the failure; at the limit it marks the request, and its
        # middleware answers with the locked-out page instead of this one.
        user_login_failed.send(
            sender=type(self), credentials=self._credentials(), request=self.request
        )
        return super().form_invalid(form)


class SecondFactorVerifyView(CountedAsSignInMixin, FormView):
    """Asks for the code after the password."""

    form_class = SignInCodeForm
    template_name = "registration/second_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        state = request.session.get(second_factor.STATE_SESSION_KEY)
        if request.user.is_authenticated and state != second_factor.CODE_NEEDED:
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next_url(self.request)}

    def form_valid(self, form):
        second_factor.session_passed(self.request)
        return redirect(_next_url(self.request))


class SecondFactorView(LoginRequiredMixin, TemplateView):
    """The account's sign-in security: whether an app is set up, and what can be done; and the
    API tokens with which the user's programs sign in (``accounts/api_token_views.py``)."""

    template_name = "accounts/second_factor_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "device": second_factor.totp_device_for(user),
            "codes_left": second_factor.recovery_codes_left(user),
            "required": second_factor.managers_must_enrol(user),
            "api_tokens": api_tokens_of(user=user),
            "api_token_form": ApiTokenForm(),
            "now": timezone.now(),
        }


class SecondFactorEnrolView(LoginRequiredMixin, FormView):
    """Sets up an authenticator app: its secret and QR code, then a code to confirm it."""

    form_class = EnrolmentForm
    template_name = "accounts/second_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and second_factor.totp_device_for(request.user):
            messages.info(request, "An authenticator app is already set up for your account.")
            return redirect(OVERVIEW)
        return super().dispatch(request, *args, **kwargs)

    def _key(self) -> str:
        session = self.request.session
        if NEW_KEY_SESSION_KEY not in session:
            session[NEW_KEY_SESSION_KEY] = second_factor.new_secret()
        return session[NEW_KEY_SESSION_KEY]

    def get_context_data(self, **kwargs):
        key = self._key()
        state = self.request.session.get(second_factor.STATE_SESSION_KEY)
        return {
            **super().get_context_data(**kwargs),
            "qr_code": second_factor.qr_code_svg(user=self.request.user, key=key),
            "secret": second_factor.secret_for_display(key),
            "required": state == second_factor.ENROLMENT_NEEDED,
            "next": _next_url(self.request),
        }

    def form_valid(self, form):
        try:
            codes = second_factor.second_factor_enrol(
                user=self.request.user, key=self._key(), code=form.cleaned_data["code"]
            )
        except DomainError as refused:
            form.add_error("code", str(refused))
            return self.form_invalid(form)
        second_factor.session_passed(self.request)
        del self.request.session[NEW_KEY_SESSION_KEY]
        return _show_recovery_codes(self.request, codes, heading="Your authenticator app is set up")


class ConfirmIdentityMixin(CountedAsSignInMixin):
    form_class = ConfirmIdentityForm


class RecoveryCodesRegenerateView(ConfirmIdentityMixin, FormView):
    template_name = "accounts/recovery_codes_regenerate.html"

    def form_valid(self, form):
        try:
            codes = second_factor.recovery_codes_regenerate(user=self.request.user)
        except DomainError as refused:
            messages.error(self.request, str(refused))
            return redirect(OVERVIEW)
        return _show_recovery_codes(self.request, codes, heading="Your new recovery codes")


class SecondFactorRemoveView(ConfirmIdentityMixin, FormView):
    template_name = "accounts/second_factor_remove.html"

    def get_context_data(self, **kwargs):
        required = second_factor.managers_must_enrol(self.request.user)
        return {**super().get_context_data(**kwargs), "required": required}

    def form_valid(self, form):
        second_factor.second_factor_remove(user=self.request.user)
        second_factor.session_state_refresh(self.request)
        messages.success(self.request, "Your authenticator app and recovery codes are removed.")
        return redirect(OVERVIEW)
