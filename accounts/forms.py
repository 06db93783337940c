"""Forms of the users pages, of accepting an invitation and of making an API token; they
validate and hand ``cleaned_data`` to ``accounts.services``, never saving."""

from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.urls import reverse

from accounts.enums import RoleKind
from accounts.models import Invitation, User
from accounts.services import API_TOKEN_DEFAULT_LIFETIME, API_TOKEN_LIFETIMES
from car_programme.forms import submit_helper

MANAGER_WITHOUT_SITES = (
    "A programme manager's role covers the whole programme: leave the sites unticked."
)


def _no_sites():
    # The programme's sites are set per form; the model is reached through the invitation's
    # relation, since accounts sits below the app that defines sites.
    return Invitation._meta.get_field("sites").related_model.objects.none()


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=RoleKind.choices,
        widget=forms.RadioSelect,
        help_text="A programme manager runs the whole programme; a researcher edits the records "
        "of their sites and reads the rest; a strategy lead reads their sites' dashboards.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = _role_field()
    sites = forms.ModelMultipleChoiceField(
        label="Sites",
        queryset=_no_sites(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a researcher or a strategy lead: the sites they work in.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = programme.sites.order_by("name")
        self.fields["sites"].label_from_instance = lambda site: site.name
        self.helper = submit_helper("Send invitation")

    def clean(self):
        cleaned = super().clean()
        role, sites = cleaned.get("role"), cleaned.get("sites")
        if role == RoleKind.PROGRAMME_MANAGER and sites:
            self.add_error("sites", MANAGER_WITHOUT_SITES)
        elif role and role != RoleKind.PROGRAMME_MANAGER and not sites:
            self.add_error("sites", "Tick the site or sites this role is for.")
        return cleaned


class RoleForm(forms.Form):
    """One role of a user in a programme: its kind and, but for a manager, its site."""

    role = _role_field()
    site = forms.ModelChoiceField(
        label="Site",
        queryset=_no_sites(),
        required=False,
        empty_label="No site (programme manager)",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = programme.sites.order_by("name")
        self.fields["site"].label_from_instance = lambda site: site.name
        self.helper = submit_helper("Save role")

    def clean(self):
        cleaned = super().clean()
        role, site = cleaned.get("role"), cleaned.get("site")
        if role == RoleKind.PROGRAMME_MANAGER and site is not None:
            self.add_error(
                "site", "A programme manager's role covers the whole programme: choose no site."
            )
        elif role and role != RoleKind.PROGRAMME_MANAGER and site is None:
            self.add_error("site", "Choose the site this role is for.")
        return cleaned


class InvitationSignUpForm(SetPasswordMixin, forms.Form):
    """The name and password of someone invited who has no account yet.

    ``user`` is the account about to be made (unsaved), so the password validators can compare
    the password with its address. Single sign-on, once added, sits beside this form.
    """

    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        help_text="As colleagues will see it, for example “Dr Hayley Bennett”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1="Choose a password", label2="The same password again"
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = submit_helper("Create my account")

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()


class InvitationAcceptForm(forms.Form):
    """Nothing to type: a signed-in user confirms taking the roles offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Accept the invitation")


class ApiTokenForm(forms.Form):
    """The name and lifetime of a new API token (the sign-in security page draws the form)."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, for example “Council performance board”.",
    )
    lifetime = forms.TypedChoiceField(
        label="Expires after",
        choices=[(days, f"{days} days") for days in API_TOKEN_LIFETIMES],
        coerce=int,
        initial=API_TOKEN_DEFAULT_LIFETIME,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Make a token")
        self.helper.form_action = reverse("accounts:api_token_create")
