from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.files import logo_upload_to, report_upload_to
from reports.enums import ProgressStep, ReportKind, ReportStatus
from reports.kinds import KINDS, subject_matches_kind


class ReportSubject(models.Model):
    """What a report is about: its kind and, unless it is a programme's, the group, site or
    event its kind names (the others empty)."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "inquiries.InquiryGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def target(self):
        """The group, site, event or programme the report is about."""
        return KINDS[self.kind].target.of(self)


class ReportRequest(ReportSubject):
    """One version of a report: once ready, its file and checksum never change."""

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="report_requests"
    )
    options = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_requests",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress_step = models.CharField(max_length=10, choices=ProgressStep.choices, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)
    # The editable Word copy, converted from the HTML the PDF is laid out from
    # (reports.word) and stored with it: the same content, for a team to finish in Word.
    docx_file = models.FileField("Word copy", upload_to=report_upload_to, blank=True)
    docx_size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    docx_checksum = models.CharField("SHA-256 of the Word copy", max_length=64, blank=True)
    error = models.TextField(blank=True)
    # What the file prints that not every reader of the request may see, recorded when it is
    # stored: who may download the version follows from it (reports.download_reportrequest).
    named_people = models.ManyToManyField(
        "inquiries.Person",
        blank=True,
        related_name="named_in_reports",
        help_text="The people the file names rather than shows by pseudonym.",
    )
    holds_comments = models.BooleanField(
        default=False, help_text="Whether the file prints an event's free-text answers."
    )
    # When the render task was last handed to the broker; empty while the broker was unreachable,
    # which the page reports and the sweeper repairs.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # A render claims the request until lease_expires_at; only the holder of lease_token may
    # finish it, so two deliveries of one request never both write a file.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The edition this version renders, and the text it printed (cover and chapters as they
    # stood when it was requested), so that its file never depends on later edits and the next
    # version can show what changed.
    edition = models.ForeignKey(
        "Edition", on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    text = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # The target fits the kind: a group report names a group and nothing else, etc.
            models.CheckConstraint(
                name="report_target_matches_kind",
                violation_error_message=(
                    "The report's subject does not fit its kind: a group report needs a group, a "
                    "site report a site, an event report an event, and the end-of-programme report"
                    " none of these."
                ),
                condition=subject_matches_kind(),
            ),
            models.CheckConstraint(
                name="report_ready_has_file",
                violation_error_message="A ready report needs its file.",
                condition=~Q(status=ReportStatus.READY) | (~Q(file="") & ~Q(checksum="")),
            ),
            models.CheckConstraint(
                name="report_finished_after_started",
                violation_error_message="A report cannot finish before it started.",
                condition=Q(finished_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
            ),
            # Each request of a kind and target is a new version; targets not used by the kind
            # are null, which count as equal here.
            models.UniqueConstraint(
                "programme",
                "kind",
                Coalesce("site", Value(0)),
                Coalesce("group", Value(0)),
                Coalesce("event", Value(0)),
                "version",
                name="report_version_unique",
                violation_error_message=(
                    "This version of the report already exists: request a new one."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="report_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} ({self.get_status_display()})"


class Edition(ReportSubject):
    """A report its authors write: a cover and chapters of their own text, placed among the
    kind's data chapters. Each render of it is a version (a ``ReportRequest``) that keeps the
    text it printed, so a later version can show what changed."""

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="editions"
    )
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)
    authors = models.TextField(blank=True, help_text="One author or organisation per line.")
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("date of publication", null=True, blank=True)
    # Checked to be a real raster image when uploaded (car_programme.validators.checked_logo);
    # without one, the cover prints the programme's.
    logo = models.ImageField(upload_to=logo_upload_to, blank=True)
    licence = models.CharField(
        max_length=200, blank=True, help_text="For example: Creative Commons Attribution 4.0."
    )
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    doi = models.CharField("DOI", max_length=100, blank=True)
    citation = models.TextField(
        "suggested citation", blank=True, help_text="How readers should cite the report."
    )
    # What every version prints: the figures' date range, and pseudonyms for everyone who has
    # not consented to be named.
    anonymise = models.BooleanField(default=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="edition_target_matches_kind",
                violation_error_message=(
                    "The edition's subject does not fit its kind: a group report needs a group, "
                    "a site report a site, an event report an event, and the end-of-programme "
                    "report none of these."
                ),
                condition=subject_matches_kind(),
            ),
            models.CheckConstraint(
                name="edition_period_in_order",
                violation_error_message="The end of the date range comes before its start.",
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:edition_detail", args=[self.pk])


class Chapter(models.Model):
    """One chapter of an edition, in its place: the authors' Markdown, or one of the kind's data
    chapters (``section``) printed from the records."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    # A section slug of the edition's kind (reports/kinds.py); empty for an authored chapter.
    section = models.CharField(max_length=30, blank=True)
    body = models.TextField(
        blank=True,
        help_text=(
            "Markdown. Cite a record with [[output:42]] (also evidence, change, event, group); "
            "place a figure on a line of its own with [[figure:table-b]]."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Every saved draft, for the chapter's history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "edition",
                "section",
                condition=~Q(section=""),
                name="chapter_section_once",
                violation_error_message="This data chapter is in the edition already.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def authored(self) -> bool:
        return not self.section


class ThemeLink(models.Model):
    """A record touching a theme, once in total (no site) and once per site it counts for (its
    own sites, else its group's or groups' sites, once per group): what the theme coverage grid
    counts, rows per record, theme and site rather than the joins through sites and groups
    behind them. Kept by ``reports.rollups`` from every write of a record that the records
    version notes."""

    class Kind(models.TextChoices):
        GROUPS = "groups", "Inquiry group"
        EVIDENCE = "evidence", "Evidence item"
        OUTPUTS = "outputs", "Output"
        CHANGES = "changes", "Change"
        EVENTS = "events", "Event"

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The record, in the field of its kind: its rows go with it (each indexed over the rows
    # of its kind alone, in Meta).
    group = models.ForeignKey(
        "inquiries.InquiryGroup",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    evidence = models.ForeignKey(
        "evidence.EvidenceItem",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    output = models.ForeignKey(
        "evidence.Output", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    change = models.ForeignKey(
        "evidence.Change", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    theme = models.ForeignKey("sites.Theme", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The group whose sites give ``site`` (the record naming none of its own), a row per group
    # that gives it: the rows a group gave go with it.
    via_group = models.ForeignKey(
        "inquiries.InquiryGroup", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["programme", "kind", "theme", "site"], name="theme_link_idx"),
            # A site's grid joins its records' links of each kind: an index of one kind's
            # links alone keeps the database from walking past every other kind's.
            *(
                models.Index(
                    fields=[record],
                    condition=Q(**{f"{record}__isnull": False}),
                    name=f"theme_link_{record}_idx",
                )
                for record in ("group", "evidence", "output", "change", "event")
            ),
        ]

    def __str__(self):
        return f"{self.kind}: theme {self.theme_id}, site {self.site_id}"


class ThemeCount(models.Model):
    """The records of one kind touching a theme, in total (no site) and per site they count
    for: the theme links counted, what the whole programme's coverage grid reads, a row per
    theme and site rather than per record. Kept by ``reports.rollups`` with the links."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ThemeLink.Kind.choices)
    theme = models.ForeignKey("sites.Theme", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, related_name="+"
    )
    records = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["programme", "kind", "theme", "site"], name="theme_count_idx"),
        ]

    def __str__(self):
        return f"{self.kind}: theme {self.theme_id}, site {self.site_id}: {self.records}"


class RecordTally(models.Model):
    """The records of one model in a programme with the same values of the fields tallied for
    it (``reports.tallies.TALLIED``), in one bucket of them (``car_programme.buckets``): what
    the whole programme's counts of them read, a row per bucket and set of values rather than
    per record. Kept by ``reports.tallies``."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    record = models.CharField(max_length=40)  # the model's label
    bucket = models.PositiveSmallIntegerField()
    # The tallied fields' values, in their order, as text ("" beyond the fields tallied).
    value_1 = models.CharField(max_length=24, blank=True, db_default="")
    value_2 = models.CharField(max_length=24, blank=True, db_default="")
    value_3 = models.CharField(max_length=24, blank=True, db_default="")
    value_4 = models.CharField(max_length=24, blank=True, db_default="")
    records = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["programme", "record", "bucket"], name="record_tally_idx"),
        ]

    def __str__(self):
        return f"{self.record} in bucket {self.bucket}: {self.records}"
