from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.enums import RoleKind
from car_programme.constraints import check, unique


class User(AbstractUser):
    # One field for the name as the person writes it ("Dr Hayley Bennett"): first/last splits
    # fail for many names.
    full_name = models.CharField(max_length=200, blank=True)

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
