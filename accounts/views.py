"""Sign-in, sign-out, password change and reset (Django's auth views), sign-in throttling,
and the people of a programme: its users page, roles and invitations, and accepting one."""

from datetime import timedelta

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from accounts import services
from accounts.enums import RoleKind
from accounts.forms import InvitationAcceptForm, InvitationForm, InvitationSignUpForm, RoleForm
from accounts.models import User
from accounts.rules import permitted
from accounts.selectors import (
    account_for_address,
    invitation_by_token,
    invitation_get_for_user,
    invitation_refusal,
    pending_invitations,
    programme_get_for_user,
    programme_user_changes,
    programme_user_get,
    programme_users,
    role_get_for_user,
    roles_offered,
)
from accounts.sso import INVITATION_SESSION_KEY, sso_enabled
from car_programme.exceptions import DomainError
from car_programme.mixins import RecordDeleteView, RecordMixin, ServiceFormMixin

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
        context["sso_label"] = settings.SSO_BUTTON_LABEL if sso_enabled() else None
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


# --- The people of a programme ----------------------------------------------------------------

# Opening or posting an invitation link, per client: far more than one person accepting needs,
# far too few to try links at random (which their 256 random bits defeat anyway).
ACCEPT_RATE = "30/h"


def _users_page(programme) -> str:
    return reverse("accounts:user_list", args=[programme.pk])


def _accept_link(request):
    """Builds an invitation's link from the request, so it names the host the manager used."""
    return lambda token: request.build_absolute_uri(
        reverse("accounts:invitation_accept", args=[token])
    )


class UserIndexView(LoginRequiredMixin, View):
    """The navigation's "Users": the users page of the one programme the user manages, or the
    choice of them."""

    def get(self, request, *args, **kwargs):
        programmes = permitted(request.user, "accounts.manage_users").order_by("name")
        choices = list(programmes[:2])
        if not choices:
            raise Http404("You manage no programme.")
        if len(choices) == 1:
            return redirect(_users_page(choices[0]))
        return render(request, "accounts/user_index.html", {"programmes": programmes})


class UserListView(RecordMixin, TemplateView):
    """A programme's users with their roles and last sign-in, and the invitations waiting."""

    template_name = "accounts/user_list.html"
    fetch = staticmethod(programme_get_for_user)
    permission = "accounts.manage_users"

    def get_context_data(self, **kwargs):
        programme = self.object
        return super().get_context_data(
            programme=programme,
            users=programme_users(programme=programme),
            invitations=pending_invitations(programme=programme),
            changes=programme_user_changes(programme=programme),
            now=timezone.now(),
            **kwargs,
        )


class InvitationCreateView(RecordMixin, ServiceFormMixin, FormView):
    template_name = "accounts/invitation_form.html"
    form_class = InvitationForm
    fetch = staticmethod(programme_get_for_user)
    permission = "accounts.invite_user"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.object, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.invitation_create(
            programme=self.object,
            email=data["email"],
            role=data["role"],
            sites=data["sites"],
            by=self.request.user,
            link=_accept_link(self.request),
        )

    def get_success_message(self):
        return f"An invitation was sent to {self.saved.email}. Its link works for 7 days."

    def get_success_url(self):
        return _users_page(self.object)


class _InvitationActionView(RecordMixin, View):
    """A button of the users page that acts on one invitation (POST), then goes back there."""

    fetch = staticmethod(invitation_get_for_user)
    http_method_names = ["post"]

    def act(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            messages.success(request, self.act())
        except DomainError as error:
            messages.error(request, str(error))
        return redirect(_users_page(self.object.programme))


class InvitationResendView(_InvitationActionView):
    permission = "accounts.resend_invitation"

    def act(self):
        services.invitation_resend(
            invitation=self.object, by=self.request.user, link=_accept_link(self.request)
        )
        return (
            f"The invitation to {self.object.email} was sent again, with a new link that works "
            "for 7 days; the earlier link no longer works."
        )


class InvitationWithdrawView(_InvitationActionView):
    permission = "accounts.withdraw_invitation"

    def act(self):
        services.invitation_withdraw(invitation=self.object, by=self.request.user)
        return f"The invitation to {self.object.email} was withdrawn: its link no longer works."


class _ProgrammeUserMixin(RecordMixin):
    """A page about one user of the programme ``pk``: ``self.member``, 404 for anyone else."""

    fetch = staticmethod(programme_get_for_user)
    member = None

    def get_member(self) -> User:
        if self.member is None:
            self.member = programme_user_get(programme=self.object, pk=self.kwargs["user_pk"])
        return self.member

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.object, member=self.get_member(), **kwargs)


class RoleCreateView(_ProgrammeUserMixin, ServiceFormMixin, FormView):
    """Another role for a user who already holds one in the programme."""

    template_name = "accounts/role_form.html"
    form_class = RoleForm
    permission = "accounts.add_role"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object}

    def save(self, form):
        return services.role_add(
            user=self.get_member(),
            programme=self.object,
            role=form.cleaned_data["role"],
            site=form.cleaned_data["site"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"{self.member} is now also {_described(self.saved)}."

    def get_success_url(self):
        return _users_page(self.object)


def _described(role) -> str:
    """ "researcher of Fife", "programme manager"."""
    where = f" of {role.site}" if role.site else ""
    return f"{role.get_role_display().lower()}{where}"


class RoleUpdateView(RecordMixin, ServiceFormMixin, FormView):
    template_name = "accounts/role_form.html"
    form_class = RoleForm
    fetch = staticmethod(role_get_for_user)
    permission = "accounts.change_role"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object.programme}

    def get_initial(self):
        return {"role": self.object.role, "site": self.object.site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=self.object.programme, member=self.object.user, role=self.object, **kwargs
        )

    def save(self, form):
        return services.role_change(
            role=self.object,
            kind=form.cleaned_data["role"],
            site=form.cleaned_data["site"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"{self.saved.user}'s role is now {_described(self.saved)}."

    def get_success_url(self):
        return _users_page(self.object.programme)


class RoleDeleteView(RecordDeleteView):
    template_name = "accounts/role_confirm_delete.html"
    context_object_name = "role"
    fetch = staticmethod(role_get_for_user)
    permission = "accounts.delete_role"
    success_message = "The role “%(title)s” was revoked."

    def delete_record(self):
        services.role_revoke(role=self.object, by=self.request.user)

    def get_success_url(self):
        return _users_page(self.object.programme)


class UserDeactivateView(_ProgrammeUserMixin, TemplateView):
    """Asks, then removes a user from the programme (``services.user_deactivate`` says when
    their account is closed too)."""

    template_name = "accounts/user_confirm_deactivate.html"
    permission = "accounts.deactivate_user"

    def post(self, request, *args, **kwargs):
        member = self.get_member()
        try:
            closed = services.user_deactivate(user=member, programme=self.object, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        outcome = " Their account is closed: they can no longer sign in." if closed else ""
        messages.success(request, f"{member} no longer has any role in {self.object}.{outcome}")
        return redirect(_users_page(self.object))


class InvitationAcceptView(View):
    """The link of an invitation, for whoever holds it.

    Someone signed in with the invited address accepts with one button; someone without an
    account chooses a name and a password (the one form where single sign-on would join in);
    someone whose address has an account signs in first. Every request counts against a limit
    per client, refused ones too.
    """

    def dispatch(self, request, *args, **kwargs):
        if is_ratelimited(
            request,
            group="accounts.invitation_accept",
            key="ip",
            rate=ACCEPT_RATE,
            method=ALL,
            increment=True,
        ):
            reason = "Several invitation links have just been opened from your network."
            return render(request, "429.html", {"reason": reason, "wait": "an hour"}, status=429)
        self.invitation = invitation_by_token(kwargs["token"])
        refusal = invitation_refusal(self.invitation, request.user)
        if refusal:
            return self.refused(refusal)
        return super().dispatch(request, *args, **kwargs)

    def refused(self, reason: str) -> HttpResponse:
        if self.invitation is None:
            status = 404
        elif not invitation_refusal(self.invitation):
            # The link is good, but not for the account signed in.
            status = 403
        else:
            status = 410
        return render(
            self.request, "accounts/invitation_refused.html", {"reason": reason}, status=status
        )

    def _form(self):
        data = self.request.POST if self.request.method == "POST" else None
        if self.request.user.is_authenticated:
            return InvitationAcceptForm(data)
        account = account_for_address(self.invitation.email)
        if account is not None and account.is_active:
            return None
        user = User(username=self.invitation.email, email=self.invitation.email)
        return InvitationSignUpForm(data, user=user)

    def _page(self, form) -> HttpResponse:
        context = {
            "invitation": self.invitation,
            "roles": roles_offered(self.invitation),
            "form": form,
            "sign_in": f"{reverse('accounts:login')}?{urlencode({'next': self.request.path})}",
            "is_manager": self.invitation.role == RoleKind.PROGRAMME_MANAGER,
            "sso_label": settings.SSO_BUTTON_LABEL if sso_enabled() else None,
        }
        return render(self.request, "accounts/invitation_accept.html", context)

    def get(self, request, *args, **kwargs):
        return self._page(self._form())

    def _by_single_sign_on(self, token: str) -> HttpResponse:
        """To the organisation's sign-in, which makes the account of this invitation's address
        on the way back (``SingleSignOnBackend.create_user``); signed in, the page accepts."""
        if self.request.user.is_authenticated:
            return self._page(self._form())
        self.request.session[INVITATION_SESSION_KEY] = token
        query = urlencode({"next": reverse("home")})
        return redirect(f"{reverse('accounts:sso_start')}?{query}")

    def post(self, request, *args, **kwargs):
        if "single_sign_on" in request.POST and sso_enabled():
            return self._by_single_sign_on(kwargs["token"])
        form = self._form()
        if form is None or not form.is_valid():
            return self._page(form)
        try:
            if request.user.is_authenticated:
                user = services.invitation_accept(invitation=self.invitation, user=request.user)
            else:
                user = services.invitation_accept_as_new_user(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.info(request, f"You sign in with your user name, {user.username}.")
        except DomainError as error:
            return self.refused(str(error))
        messages.success(request, f"Welcome to {self.invitation.programme}.")
        return redirect("home")
