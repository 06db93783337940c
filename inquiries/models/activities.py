"""What a group or a site did: activities, who attended, the researchers' roles and the files."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.buckets import bucket_index
from car_programme.constraints import check, ends_after_starts, unique
from car_programme.dates import (
    DATE_UNKNOWN,
    DatePrecision,
    format_partial_date,
)
from car_programme.files import attachment_upload_to
from car_programme.indexes import NullsLastIndex
from car_programme.revisions import LinkedHistory
from inquiries import enums
from inquiries.models.groups import Cycle, InquiryGroup
from inquiries.models.people import Person

NEWEST_FIRST = F("date").desc(nulls_last=True)


class Activity(models.Model):
    """Anything that happened: a meeting, a study visit, or a tally of backstage contacts.

    A tally ("703 incoming emails") holds its published total in ``count`` over the period from
    ``date`` to ``end_date``; every other figure about activities is derived from the rows. A
    source may give no date (``date`` is empty: figures by date say how many they could not
    place) or list meetings without saying how many (``count_unknown``: a figure counting
    meetings then says the count is unknown rather than counting the row as one).
    """

    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="activities"
    )
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    group = models.ForeignKey(
        InquiryGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(max_length=20, choices=enums.ActivityKind.choices)
    title = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True, help_text="Empty where the source gives none.")
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="For tallies: how many contacts this row stands for."
    )
    count_unknown = models.BooleanField(
        default=False, help_text="The source lists these without saying how many."
    )
    direction = models.CharField(max_length=8, choices=enums.ContactDirection.choices, blank=True)
    phase = models.CharField(max_length=8, choices=enums.Phase.choices, blank=True)
    attendees = models.ManyToManyField(
        Person, through="Attendance", blank=True, related_name="activities"
    )
    attendance_total = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Only where the source gives a total without names.",
    )
    notes = models.TextField("reflective notes", blank=True, help_text="Markdown.")
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="activities")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_recorded",
    )

    history = LinkedHistory(m2m_fields=["themes"])

    class Meta:
        ordering = [NEWEST_FIRST, "pk"]
        verbose_name_plural = "activities"
        constraints = [
            ends_after_starts(
                "activity_ends_after_start",
                "date",
                "end_date",
                message="The end date cannot be before the date of the activity.",
            ),
            check(
                "activity_count_positive",
                Q(count__isnull=True) | Q(count__gte=1),
                message="The number of contacts must be at least 1.",
            ),
            check(
                "activity_unknown_count_empty",
                Q(count_unknown=False) | Q(count__isnull=True),
                message="A count cannot be given when the count is unknown.",
            ),
            check(
                "activity_duration_positive",
                Q(duration_minutes__isnull=True) | Q(duration_minutes__gte=1),
                message="The duration must be at least 1 minute.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "date"], name="activity_programme_date_idx"),
            models.Index(fields=["programme", "kind", "date"], name="activity_kind_date_idx"),
            models.Index(fields=["group", "date"], name="activity_group_date_idx"),
            models.Index(fields=["site", "kind", "date"], name="activity_site_kind_date_idx"),
            # The lists' order (NEWEST_FIRST, then newest row): a page of the activity list is
            # read from here instead of sorting every activity the reader may see.
            NullsLastIndex(NEWEST_FIRST, F("id").desc(), name="activity_newest_first_idx"),
            # The activities of one bucket of the tallies (reports.tallies).
            bucket_index("activity_programme_bucket_idx"),
        ]

    def __str__(self):
        label = self.title or self.get_kind_display()
        return f"{label} ({format_partial_date(self.date, self.date_precision) or DATE_UNKNOWN})"

    def get_absolute_url(self):
        return reverse("inquiries:activity_detail", args=[self.pk])


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "person"]
        constraints = [
            unique(
                "attendance_unique",
                ["activity", "person"],
                message="This person is already recorded as attending.",
            ),
        ]
        indexes = [models.Index(fields=["person", "activity"], name="attendance_person_idx")]

    def __str__(self):
        return f"{self.person} at {self.activity}"


class ActivityResearcherRole(models.Model):
    """A researcher role exercised in an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="researcher_roles"
    )
    role = models.CharField(max_length=24, choices=enums.ResearcherRole.choices)

    class Meta:
        ordering = ["activity", "role"]
        constraints = [
            unique(
                "activity_role_unique",
                ["activity", "role"],
                message="This researcher role is already recorded for this activity.",
            ),
        ]
        indexes = [models.Index(fields=["role"], name="activity_role_idx")]

    def __str__(self):
        return self.get_role_display()


class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "uploaded_at"]

    def __str__(self):
        return self.original_name


class CoAttendance(models.Model):
    """Two organisations whose people both attended an activity, kept from its attendance by
    ``inquiries.rollups`` so that the co-attendance network counts these rows rather than
    pairing every attendance row of the programme. A row pairing an organisation with itself
    says it attended (the network's node); otherwise ``organisation`` is the smaller id."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "sites.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey("sites.Organisation", on_delete=models.CASCADE, related_name="+")
    # Where the activity was when its rows were written: the totals to refresh once it moves.
    placed_programme = models.BigIntegerField()
    placed_site = models.BigIntegerField(null=True)
    placed_group = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "other"],
                name="co_attendance_unique",
                violation_error_message="This pair of organisations is counted once an activity.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["placed_programme", "placed_site", "placed_group"],
                name="co_attendance_placed_idx",
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} and {self.other_id} at {self.activity_id}"


class CoAttendanceTotal(models.Model):
    """The :class:`CoAttendance` rows of the activities of one programme, site and group (as
    an activity has them, either may be empty) summed over every date: what a network of no
    date range reads, a row per pair that met there rather than per activity."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, related_name="+"
    )
    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, null=True, related_name="+")
    organisation = models.ForeignKey(
        "sites.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey("sites.Organisation", on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField()  # activities both attended (one: the organisation)

    def __str__(self):
        return f"{self.organisation_id} and {self.other_id}: {self.weight}"


class PlacedMonth(models.Model):
    """A row of a rollup of the activities of one programme, site and group (as an activity has
    them, either may be empty) in one month (``inquiries.rollups``)."""

    programme = models.ForeignKey("sites.Programme", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "sites.CaseSite", on_delete=models.CASCADE, null=True, related_name="+"
    )
    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField(null=True)  # its first day; empty for activities of no known date

    class Meta:
        abstract = True


class ActivityMonth(PlacedMonth):
    """The activities of a place and month, of one kind and, for single group meetings with an
    attendance figure, one head count: what the activity figures sum, a row per month where a
    group met rather than per activity and attendance row."""

    kind = models.CharField(max_length=20, choices=enums.ActivityKind.choices)
    # Attendees by name, else the recorded total, of a single group meeting; empty for every
    # other row (a tally row, a row of an unknown number of meetings, a meeting of no figure).
    head_count = models.PositiveIntegerField(null=True)
    rows = models.PositiveIntegerField()
    weight = models.PositiveIntegerField()  # the rows' counted weight (a tally's count)
    uncounted = models.PositiveIntegerField()  # rows of an unknown number
    timed = models.PositiveIntegerField()  # rows of a known number with a recorded duration
    minutes = models.PositiveIntegerField()  # their durations
    named = models.PositiveIntegerField()  # attendees by name, where they are the head count
    counted = models.PositiveIntegerField()  # recorded totals, where they are the head count

    class Meta:
        indexes = [
            models.Index(fields=["programme", "site", "group", "month"], name="activity_month_idx")
        ]

    def __str__(self):
        return f"{self.kind} in {self.month}: {self.rows}"


class ResearcherRoleMonth(PlacedMonth):
    """The activities of a place and month in which a researcher role was exercised: what the
    researcher roles figure sums, a row per month and role rather than per activity."""

    role = models.CharField(max_length=24, choices=enums.ResearcherRole.choices)
    activities = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["programme", "site", "group", "month"], name="researcher_role_month_idx"
            )
        ]

    def __str__(self):
        return f"{self.role} in {self.month}: {self.activities}"
