"""The user's own API tokens, on the sign-in security page: making one (its secret shown once,
in the answer to the post that made it) and revoking one."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from accounts import services
from accounts.forms import ApiTokenForm
from accounts.selectors import api_token_get_for_user
from car_programme.exceptions import DomainError


def _tokens_section() -> str:
    return reverse("accounts:second_factor") + "#api-tokens"


class ApiTokenCreateView(LoginRequiredMixin, FormView):
    """The form is on the sign-in security page; this page shows it again when it has errors."""

    template_name = "accounts/api_token_form.html"
    form_class = ApiTokenForm

    def form_valid(self, form):
        try:
            token, secret = services.api_token_create(
                user=self.request.user,
                name=form.cleaned_data["name"],
                lifetime=timedelta(days=form.cleaned_data["lifetime"]),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        # The one time the secret is shown: it is kept nowhere it could be shown again.
        context = {"token": token, "secret": secret, "next": _tokens_section()}
        return render(self.request, "accounts/api_token_created.html", context)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revokes one of the user's own tokens (POST); anyone else's answers 404."""

    http_method_names = ["post"]

    def post(self, request, pk):
        token = api_token_get_for_user(user=request.user, pk=pk)
        try:
            services.api_token_revoke(token=token, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The token “{token.name}” was revoked: it no longer works.")
        return redirect(_tokens_section())
