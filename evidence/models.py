from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from car_programme.buckets import bucket_index
from car_programme.constraints import check, unique
from car_programme.dates import DatePrecision
from car_programme.files import evidence_upload_to, output_upload_to
from car_programme.revisions import LinkedHistory
from evidence import enums


class EvidenceItem(models.Model):
    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="evidence_items"
    )
    sites = models.ManyToManyField("sites.CaseSite", blank=True, related_name="evidence_items")
    group = models.ForeignKey(
        "inquiries.InquiryGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_items",
    )
    activity = models.ForeignKey(
        "inquiries.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_items",
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=enums.EvidenceKind.choices)
    order = models.CharField(max_length=6, choices=enums.EvidenceOrder.choices)
    authorship = models.CharField(max_length=14, choices=enums.Authorship.choices)
    use = models.CharField(max_length=12, choices=enums.EvidenceUse.choices, blank=True)
    # A programme's published list of its data sources (a working paper's table of them) names
    # some of its evidence items, in its own order.
    data_source_row = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Its row in the programme's published list of data sources; empty when the "
        "list does not name it.",
    )
    source = models.CharField(max_length=300, blank=True)
    collected_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    url = models.URLField(max_length=500, blank=True)
    sensitivity = models.CharField(
        max_length=10, choices=enums.Sensitivity.choices, default=enums.Sensitivity.INTERNAL
    )
    consent_basis = models.CharField(max_length=300, blank=True)
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="evidence_items")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = LinkedHistory(m2m_fields=["sites", "themes"])

    class Meta:
        ordering = ["programme", "title"]
        verbose_name = "evidence item"
        constraints = [
            unique(
                "evidence_title_unique",
                ["programme", "title"],
                message="The programme already has an evidence item with this title.",
            ),
            unique(
                "evidence_data_source_row_unique",
                ["programme", "data_source_row"],
                condition=Q(data_source_row__isnull=False),
                message="The programme already has an evidence item in this row of its data "
                "sources.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "order", "authorship"], name="evidence_table_a_idx"),
            models.Index(fields=["programme", "kind"], name="evidence_kind_idx"),
            models.Index(fields=["group", "collected_on"], name="evidence_group_date_idx"),
            # The items of one bucket of the tallies (reports.tallies).
            bucket_index("evidence_programme_bucket_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evidence:evidence_detail", args=[self.pk])


class Output(models.Model):
    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="outputs"
    )
    groups = models.ManyToManyField("inquiries.InquiryGroup", blank=True, related_name="outputs")
    sites = models.ManyToManyField("sites.CaseSite", blank=True, related_name="outputs")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=enums.OutputKind.choices)
    form = models.CharField(
        max_length=8, choices=enums.OutputForm.choices, default=enums.OutputForm.FORMAL
    )
    status = models.CharField(
        max_length=12,
        choices=enums.OutputStatus.choices,
        default=enums.OutputStatus.DRAFT,
        blank=True,
        help_text="Empty when unknown.",
    )
    drafted_on = models.DateField(null=True, blank=True)
    consultation_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    authors = models.ManyToManyField("inquiries.Person", blank=True, related_name="outputs")
    author_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="outputs"
    )
    audience = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=output_upload_to, blank=True)
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="outputs")

    history = LinkedHistory(m2m_fields=["groups", "sites", "authors", "author_users", "themes"])

    class Meta:
        ordering = ["programme", "title"]
        constraints = [
            unique(
                "output_title_unique",
                ["programme", "title"],
                message="The programme already has an output with this title.",
            ),
            # Only a published output has a publication date.
            check(
                "output_published_on_only_when_published",
                Q(published_on__isnull=True) | Q(status=enums.OutputStatus.PUBLISHED),
                message="Only a published output has a publication date: clear the date or set the "
                "status to published.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "kind", "form", "status"], name="output_kind_idx"),
            models.Index(fields=["programme", "published_on"], name="output_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evidence:output_detail", args=[self.pk])

    def get_status_display(self) -> str:
        return enums.output_status_label(self.status)


class Change(models.Model):
    """What changed because of the work, with what supports the claim."""

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="changes"
    )
    group = models.ForeignKey(
        "inquiries.InquiryGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    sites = models.ManyToManyField("sites.CaseSite", blank=True, related_name="changes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    type = models.CharField(max_length=20, choices=enums.ChangeType.choices)
    level = models.CharField(max_length=14, choices=enums.ChangeLevel.choices)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="changes")
    outputs = models.ManyToManyField(Output, blank=True, related_name="changes")
    # Influence followed over time: a change can build on earlier ones.
    earlier_changes = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="later_changes"
    )
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="changes")

    history = LinkedHistory(
        m2m_fields=["sites", "evidence", "outputs", "earlier_changes", "themes"]
    )

    class Meta:
        ordering = ["programme", "date", "title"]
        constraints = [
            unique(
                "change_title_unique",
                ["programme", "title"],
                message="The programme already has a change with this title.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "type", "level"], name="change_type_level_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evidence:change_detail", args=[self.pk])
