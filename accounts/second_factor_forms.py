"""Forms of the second factor: a code at sign-in, the first code of a new app, and the check
of who is there before the app or the recovery codes are changed."""

from crispy_forms.helper import FormHelper
from django import forms

from accounts.second_factor import CodeRefused, second_factor_verify


def _helper() -> FormHelper:
    # The page's own <form> (includes/_form.html) draws the tag and the button.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _code_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class _UsersCodeMixin:
    """A ``code`` field checked against ``self.user``'s app and recovery codes."""

    def clean_code(self):
        code = self.cleaned_data["code"]
        try:
            second_factor_verify(user=self.user, code=code)
        except CodeRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return code


class SignInCodeForm(_UsersCodeMixin, forms.Form):
    """The code that completes a sign-in."""

    code = _code_field(
        "Code",
        "The 6 digits your authenticator app shows now, or one of your recovery codes.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper()


class EnrolmentForm(forms.Form):
    code = _code_field("Code from the app", "The 6 digits the app shows for this account.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ConfirmIdentityForm(_UsersCodeMixin, forms.Form):
    """Asks again who is there: the password, or for an account without one (signed in by
    single sign-on only) a code from the app."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper()
        if not user.has_usable_password():
            del self.fields["password"]
            self.fields["code"] = _code_field(
                "Code from your authenticator app", "The 6 digits the app shows now."
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
