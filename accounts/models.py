from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.enums import RoleKind
from accounts.tokens import PREFIX_LENGTH
from car_programme.constraints import check, unique
from car_programme.revisions import LinkedHistory


class User(AbstractUser):
    # One field for the name as the person writes it ("Dr Hayley Bennett"): first/last splits
    # fail for many names.
    full_name = models.CharField(max_length=200, blank=True)

    # Who deactivated or renamed an account, and when; a sign-in is no change of the account
    # (accounts.apps replaces Django's last_login save by an UPDATE that leaves no row).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()


class Role(models.Model):
    """What a user may do in a programme, and in which site; the rule set reads only this."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="roles")
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=RoleKind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "role", "user"]
        constraints = [
            # A programme manager's role covers the whole programme; the others need a site.
            check(
                "role_site_matches_kind",
                (Q(role=RoleKind.PROGRAMME_MANAGER) & Q(site__isnull=True))
                | (~Q(role=RoleKind.PROGRAMME_MANAGER) & Q(site__isnull=False)),
                message="A programme manager's role covers the whole programme, with no site; a "
                "researcher's or a strategy lead's role needs a site.",
            ),
            unique(
                "role_unique_programme_wide",
                ["user", "programme", "role"],
                condition=Q(site__isnull=True),
                message="This user already has this role in this programme.",
            ),
            unique(
                "role_unique_per_site",
                ["user", "programme", "site", "role"],
                condition=Q(site__isnull=False),
                message="This user already has this role in this site.",
            ),
        ]
        indexes = [models.Index(fields=["user", "programme"], name="role_user_programme_idx")]

    def __str__(self):
        where = self.site or self.programme
        return f"{self.user}: {self.get_role_display()} ({where})"


class Invitation(models.Model):
    """An email address asked to take a role in a programme (in ``sites``, for a researcher or a
    strategy lead), by a link that works once, until ``expires_at``.

    Only a hash of the link's token is kept: the link itself is in the email alone. Resending
    replaces the hash, so an earlier link stops working.
    """

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    sites = models.ManyToManyField("sites.CaseSite", blank=True, related_name="invitations")
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    # The token's hash stays out of the history: a row there must not open anything.
    history = LinkedHistory(m2m_fields=["sites"], excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-sent_at", "email"]
        constraints = [
            check(
                "invitation_expires_after_sent",
                Q(expires_at__gt=models.F("sent_at")),
                message="An invitation must expire after it is sent.",
            ),
            check(
                "invitation_accepted_or_withdrawn",
                Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                message="An invitation cannot be both accepted and withdrawn.",
            ),
        ]
        indexes = [models.Index(fields=["programme", "email"], name="invitation_programme_idx")]

    def __str__(self):
        return f"{self.email}: {self.get_role_display()} ({self.programme})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ApiToken(models.Model):
    """A personal token with which a program uses the API (``/api/v1/``) as its user, until
    ``expires_at`` or until revoked.

    The secret is shown once, when the token is made; the database keeps its SHA-256 only
    (``accounts/tokens.py``) and its first characters (``prefix``), by which the account page
    lists it. The token acts with its user's roles as they are at each request, so removing a
    role or closing the account takes effect at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, as its user says.")
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Written at most once a minute (``accounts.services.api_token_used``), by an UPDATE that
    # leaves no history row, so that a busy program does not write on every request.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Who made and revoked a token, and when; never its hash, nor each use.
    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [
            check(
                "api_token_expires_after_created",
                Q(expires_at__gt=models.F("created_at")),
                message="A token must expire after it is made.",
            ),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user_idx")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
