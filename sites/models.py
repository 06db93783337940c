from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.constraints import ends_after_starts, unique
from car_programme.dates import DatePrecision
from car_programme.files import logo_upload_to
from car_programme.revisions import LinkedHistory
from sites.enums import Geography, ProjectOutcome, Qualifier, Sector, qualified


class Programme(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    funders = models.CharField(max_length=300, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Checked to be a real raster image when uploaded (car_programme.validators.checked_logo).
    logo = models.ImageField(upload_to=logo_upload_to, blank=True)
    # An archived programme is read-only (the rule set allows no write in it) and leaves the
    # lists of programmes to work in; its records and reports stay readable.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The programme's own community of researchers, where it has one (a professional learning
    # community that co-ordinates the inquiries).
    learning_community_name = models.CharField(max_length=200, blank=True)
    learning_community_description = models.TextField(blank=True)
    learning_community_start = models.DateField(null=True, blank=True)
    learning_community_start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # Councils and health boards often require it of whoever manages people's records: a manager
    # without an authenticator app is sent to set one up at sign-in (accounts/second_factor.py).
    managers_need_second_factor = models.BooleanField(
        "Managers must use a second factor",
        default=False,
        help_text="Programme managers must sign in with a code from an authenticator app.",
    )
    # Moved on by every write to the programme's records that no narrower version covers
    # (car_programme.records_version): part of the key of every figure cached of it.
    records_version = models.PositiveBigIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["records_version"])

    class Meta:
        ordering = ["name"]
        constraints = [
            ends_after_starts(
                "programme_ends_after_start",
                "start_date",
                "end_date",
                message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:programme_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ScopeVersion(models.Model):
    """How often the records of one site or one group of a programme have changed.

    Moved on by the writes that concern only some sites and groups (car_programme.records_version),
    so that a site's cached figures stay warm while another site writes. One row per site or
    group, created by its first such write; rows only ever count up, which lets a figure about
    several of them be keyed by their sum.
    """

    class Kind(models.TextChoices):
        SITE = "site"
        GROUP = "group"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    # A site's or a group's id: no foreign key, as groups live in an app above this one.
    scope_id = models.PositiveBigIntegerField()
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "scope_id"],
                name="scope_version_unique",
                violation_error_message="This site or group already has its version counter.",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.scope_id}: {self.version}"


class CaseSite(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    partnership_name = models.CharField(max_length=200, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_qualifier = models.CharField(
        max_length=40, blank=True, help_text='As published, e.g. "approx." or "more than".'
    )
    geography = models.CharField(max_length=10, choices=Geography.choices, blank=True)
    inequality_notes = models.TextField(blank=True)
    lead_researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sites_led"
    )
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sites_directed",
    )
    selection_need = models.TextField("selection: need", blank=True)
    selection_capacity = models.TextField("selection: capacity", blank=True)
    selection_sustainability = models.TextField("selection: sustainability", blank=True)
    # Table B's third column: what was delivered, in the partnership's own words and order.
    delivered_focus = models.JSONField(default=list, blank=True)
    # What the researcher's engagement comprised beyond its figures, as published.
    engagement_notes = models.TextField(blank=True)

    history = LinkedHistory(m2m_fields=["lead_researchers"])

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            unique(
                "site_slug_unique",
                ["programme", "slug"],
                message="The programme already has a site with this short name for its web address "
                "(slug).",
            ),
            unique(
                "site_name_unique",
                ["programme", "name"],
                message="The programme already has a site with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:site_detail", args=[self.pk])


class ProposedProject(models.Model):
    site = models.ForeignKey(CaseSite, on_delete=models.CASCADE, related_name="proposed_projects")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=ProjectOutcome.choices, blank=True)
    reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "position", "title"]
        constraints = [
            unique(
                "proposed_project_unique",
                ["site", "title"],
                message="This site already has a proposed project with this title.",
            ),
        ]

    def __str__(self):
        return self.title


class Organisation(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)
    sites = models.ManyToManyField(CaseSite, blank=True, related_name="organisations")

    history = LinkedHistory(m2m_fields=["sites"])

    class Meta:
        ordering = ["name"]
        constraints = [
            unique(
                "organisation_unique",
                ["programme", "name"],
                message="The programme already has an organisation with this name.",
            ),
        ]
        indexes = [models.Index(fields=["programme", "sector"], name="organisation_sector_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:organisation_detail", args=[self.pk])


class Theme(models.Model):
    """A term of a programme-defined framework (e.g. one of the Christie pillars)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    framework = models.CharField(max_length=120)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "framework", "position", "name"]
        constraints = [
            unique(
                "theme_unique",
                ["programme", "framework", "name"],
                message="This framework already has a theme with this name.",
            ),
        ]

    def __str__(self):
        return f"{self.framework}: {self.name}"

    def get_absolute_url(self):
        return reverse("sites:theme_list", args=[self.programme_id])


class PublishedTotal(models.Model):
    """A figure that the source gives only as a total, as it qualifies it, with its source."""

    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    value = models.PositiveIntegerField()
    qualifier = models.CharField(
        max_length=40, blank=True, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where it is published.")

    class Meta:
        abstract = True

    @property
    def shown(self) -> str:
        return qualified(self.value, self.qualifier)

    def figure(self) -> str:
        return f"{self.shown} {self.label}"


class EngagementFigure(PublishedTotal):
    """A researcher engagement figure that the source gives only as a total.

    "87 practitioners" or "12 occupational groups" cannot be derived from rows when the source
    names nobody, so the published total is held as an explicit count, with its period.
    """

    site = models.ForeignKey(CaseSite, on_delete=models.CASCADE, related_name="engagement_figures")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "position", "label"]
        constraints = [
            unique(
                "engagement_figure_unique",
                ["site", "label"],
                message="This site already has a figure with this label.",
            ),
            ends_after_starts(
                "engagement_figure_period_ordered",
                "period_start",
                "period_end",
                message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.site}: {self.value} {self.label}"


class ProgrammeFigure(PublishedTotal):
    """A figure the source publishes of the programme as a whole ("more than 60 PLC sessions")."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="published_figures"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            unique(
                "programme_figure_unique",
                ["programme", "label"],
                message="This programme already has a figure with this label.",
            ),
        ]
        ordering = ["programme", "position", "label"]

    def __str__(self):
        return f"{self.programme}: {self.figure()}"
