"""Inquiry groups: their published figures, status, facilitators, questions, members and cycles."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.constraints import check, ends_after_starts, unique
from car_programme.dates import (
    DatePrecision,
    format_partial_date,
    format_partial_period,
)
from car_programme.revisions import LinkedHistory
from inquiries import enums
from inquiries.models.people import Person
from sites.enums import Qualifier, qualified


class InquiryGroup(models.Model):
    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="groups"
    )
    sites = models.ManyToManyField("sites.CaseSite", related_name="groups")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=enums.GroupKind.choices)
    topic = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12,
        choices=enums.GroupStatus.choices,
        default=enums.GroupStatus.FORMING,
        blank=True,
        help_text="The latest entry of the status history; empty when no source records it.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spin_offs",
        help_text="The group this one grew out of.",
    )
    lead = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups_led"
    )
    lead_description = models.CharField(
        max_length=300, blank=True, help_text="The lead practitioner's role, as published."
    )
    approach = models.CharField(max_length=16, choices=enums.Approach.choices, blank=True)
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="groups")
    proposed_projects = models.ManyToManyField(
        "sites.ProposedProject",
        blank=True,
        related_name="delivered_by",
        help_text="The proposed projects (Table B) that this group delivered.",
    )

    history = LinkedHistory(m2m_fields=["sites", "themes", "proposed_projects"])

    class Meta:
        ordering = ["programme", "start_date", "name"]
        constraints = [
            unique(
                "group_name_unique",
                ["programme", "name"],
                message="The programme already has a group with this name.",
            ),
            ends_after_starts(
                "group_ends_after_start",
                "start_date",
                "end_date",
                message="The end date cannot be before the start date.",
            ),
            check(
                "group_not_own_parent",
                ~Q(parent=F("pk")),
                message="A group cannot be a spin-off of itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "kind"], name="group_programme_kind_idx"),
            models.Index(fields=["programme", "status"], name="group_programme_status_idx"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("inquiries:group_detail", args=[self.pk])

    @property
    def period(self) -> str:
        return format_partial_period(self.start_date, self.end_date, self.date_precision)


# What a published figure records besides its group: what services, forms and reports read.
GROUP_FIGURE_FIELDS = (
    "kind",
    "value",
    "qualifier",
    "label",
    "period_start",
    "period_end",
    "date_precision",
    "source",
)


class GroupFigure(models.Model):
    """A figure about a group that the source gives only as a total ("approx. 25 officers",
    "met 22 times"), where the record has no member or meeting rows to derive it from.

    Shown with its qualifier beside the figures derived from rows, never added to them.
    """

    group = models.ForeignKey(
        InquiryGroup, on_delete=models.CASCADE, related_name="published_figures"
    )
    kind = models.CharField("counts", max_length=12, choices=enums.GroupFigureKind.choices)
    value = models.PositiveIntegerField()
    qualifier = models.CharField(
        max_length=40, blank=True, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    label = models.CharField(
        max_length=200, blank=True, help_text='As published, e.g. "officers (cross-service)".'
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.CharField(
        max_length=300, help_text="Where the figure is published, e.g. a document and line."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "kind", "label"]
        constraints = [
            check(
                "group_figure_value_positive",
                Q(value__gte=1),
                message="A published figure is at least 1.",
            ),
            check(
                "group_figure_has_source",
                ~Q(source=""),
                message="Say where the figure is published.",
            ),
            unique(
                "group_figure_unique",
                ["group", "kind", "label"],
                message="This group already has a published figure of this kind and label.",
            ),
            ends_after_starts(
                "group_figure_period_ordered",
                "period_start",
                "period_end",
                message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self):
        what = self.label or self.get_kind_display().lower()
        return f"{self.group}: {self.shown} {what}"

    @property
    def shown(self) -> str:
        return qualified(self.value, self.qualifier)

    @property
    def period(self) -> str:
        return format_partial_period(self.period_start, self.period_end, self.date_precision)


class GroupStatusChange(models.Model):
    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=enums.GroupStatus.choices)
    changed_on = models.DateField()
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "changed_on", "pk"]
        constraints = [
            unique(
                "group_status_change_unique",
                ["group", "status", "changed_on"],
                message="This group already has this status on this date.",
            ),
        ]
        indexes = [models.Index(fields=["status", "changed_on"], name="group_status_date_idx")]

    def __str__(self):
        on = format_partial_date(self.changed_on, self.date_precision)
        return f"{self.group}: {self.get_status_display()} on {on}"


class Facilitation(models.Model):
    """A researcher's role towards a group (facilitator, broker, ...)."""

    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, related_name="facilitations")
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitations"
    )
    role = models.CharField(max_length=16, choices=enums.FacilitationRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "researcher", "role"]
        constraints = [
            unique(
                "facilitation_unique",
                ["group", "researcher", "role"],
                message="This researcher already has this role in this group.",
            ),
        ]

    def __str__(self):
        return f"{self.researcher}: {self.get_role_display()} of {self.group}"


class ResearchQuestion(models.Model):
    group = models.ForeignKey(
        InquiryGroup, on_delete=models.CASCADE, related_name="research_questions"
    )
    text = models.TextField()
    adopted_on = models.DateField(null=True, blank=True)
    replaced_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "adopted_on", "pk"]
        constraints = [
            ends_after_starts(
                "question_replaced_after_adopted",
                "adopted_on",
                "replaced_on",
                message="A question cannot be replaced before the date it was adopted.",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Membership(models.Model):
    """A person's part in a group for a span of time.

    A change of role closes the membership (reason: role change) and opens another, so the
    history of who was core when is kept rather than overwritten.
    """

    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=24, choices=enums.MembershipRole.choices)
    joined_on = models.DateField(
        null=True, blank=True, help_text="Empty when unknown: counted from the group's start."
    )
    left_on = models.DateField(null=True, blank=True)
    leave_reason = models.CharField(max_length=20, choices=enums.LeaveReason.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "role", "joined_on", "pk"]
        constraints = [
            unique(
                "membership_one_open_per_person",
                ["group", "person"],
                condition=Q(left_on__isnull=True),
                message="This person is already a current member of this group.",
            ),
            ends_after_starts(
                "membership_left_after_joined",
                "joined_on",
                "left_on",
                message="The leaving date cannot be before the joining date.",
            ),
            check(
                "membership_reason_only_when_left",
                Q(left_on__isnull=False) | Q(leave_reason=""),
                message="A reason for leaving needs a leaving date.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "role", "joined_on", "left_on"], name="membership_span_idx"
            ),
            # A joiner is no joiner where a role change closed the person's membership of the
            # group that day: the few role changes are looked up here, not among every member.
            models.Index(
                fields=["group", "person", "left_on"],
                name="membership_role_change_idx",
                condition=Q(leave_reason=enums.LeaveReason.ROLE_CHANGE),
            ),
        ]

    def __str__(self):
        return f"{self.person} in {self.group} ({self.get_role_display()})"


class Cycle(models.Model):
    group = models.ForeignKey(InquiryGroup, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "number"]
        constraints = [
            unique(
                "cycle_number_unique",
                ["group", "number"],
                message="This group already has a cycle with this number.",
            ),
            ends_after_starts(
                "cycle_ends_after_start",
                "start_date",
                "end_date",
                message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.group} cycle {self.number}"


# Activities newest first, those the source gives no date for last.
