import secrets

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from car_programme.constraints import check, unique
from car_programme.dates import DatePrecision
from car_programme.revisions import LinkedHistory
from events.enums import EventKind, QuestionKind

LIKERT_MIN, LIKERT_MAX = 1, 5


def new_feedback_token() -> str:
    return secrets.token_urlsafe(24)


class Event(models.Model):
    programme = models.ForeignKey(
        "sites.Programme", on_delete=models.CASCADE, related_name="events"
    )
    sites = models.ManyToManyField(
        "sites.CaseSite",
        blank=True,
        related_name="events",
        help_text="None means a programme-wide event.",
    )
    groups = models.ManyToManyField("inquiries.InquiryGroup", blank=True, related_name="events")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    start_date = models.DateField(
        null=True, blank=True, help_text="Empty where the source gives none."
    )
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    location = models.CharField(max_length=200, blank=True)
    organiser = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True)
    attendees = models.ManyToManyField("inquiries.Person", blank=True, related_name="events")
    organisations = models.ManyToManyField(
        "sites.Organisation",
        blank=True,
        related_name="events",
        help_text="Organisations taking part, where the source names them without head counts.",
    )
    summary = models.TextField(blank=True, help_text="Key themes or outcomes, as published.")
    date_note = models.TextField(
        blank=True, help_text="What the source says about the dates, where it is not plain."
    )
    report = models.ForeignKey(
        "evidence.Output",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_events",
    )
    themes = models.ManyToManyField("sites.Theme", blank=True, related_name="events")

    history = LinkedHistory(m2m_fields=["sites", "groups", "attendees", "organisations", "themes"])

    class Meta:
        ordering = ["programme", models.F("start_date").asc(nulls_last=True), "title"]
        constraints = [
            unique(
                "event_unique",
                ["programme", "title", "start_date"],
                message="The programme already has an event with this title starting on this date.",
            ),
            check(
                "event_ends_after_start",
                Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                message="The end date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "start_date"], name="event_programme_date_idx"),
            models.Index(fields=["programme", "kind"], name="event_programme_kind_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])


class AttendanceCount(models.Model):
    """A published head count: per organisation, per site, or in total when neither is given."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance_counts")
    organisation = models.ForeignKey(
        "sites.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_counts",
    )
    site = models.ForeignKey(
        "sites.CaseSite",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_counts",
    )
    count = models.PositiveIntegerField()
    approximate = models.BooleanField(default=False, help_text='Published as "about" a number.')

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "organisation", "site"]
        constraints = [
            unique(
                "attendance_count_one_per_organisation",
                ["event", "organisation"],
                condition=Q(organisation__isnull=False),
                message="This event already has a head count for this organisation.",
            ),
            unique(
                "attendance_count_one_per_site",
                ["event", "site"],
                condition=Q(site__isnull=False),
                message="This event already has a head count for this site.",
            ),
            unique(
                "attendance_count_one_total",
                ["event"],
                condition=Q(organisation__isnull=True, site__isnull=True),
                message="This event already has a total head count.",
            ),
            check(
                "attendance_count_organisation_or_site",
                Q(organisation__isnull=True) | Q(site__isnull=True),
                message="A head count is for an organisation or for a site, not both.",
            ),
            check(
                "attendance_count_positive",
                Q(count__gte=1),
                message="A head count must be at least 1.",
            ),
        ]

    def __str__(self):
        return f"{self.count} at {self.event}"


class FeedbackForm(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback_forms")
    title = models.CharField(max_length=200)
    token = models.CharField(max_length=64, unique=True, default=new_feedback_token, editable=False)
    is_open = models.BooleanField(default=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    published_summary = models.TextField(
        blank=True, help_text="A published summary of the comments, where responses are not held."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "title"]
        constraints = [
            unique(
                "feedback_form_unique",
                ["event", "title"],
                message="This event already has a feedback form with this title.",
            ),
        ]

    def __str__(self):
        return self.title


class FeedbackQuestion(models.Model):
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    # Some sources publish only an aggregate ("75% to 85% scored 4 or 5") and no responses;
    # the published range is kept as such and never turned into made-up responses.
    published_share_min = models.PositiveSmallIntegerField(
        "published share scoring 4 or 5, from (%)", null=True, blank=True
    )
    published_share_max = models.PositiveSmallIntegerField(
        "published share scoring 4 or 5, to (%)", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "position", "pk"]
        constraints = [
            unique(
                "feedback_question_unique",
                ["form", "text"],
                message="This feedback form already asks this question.",
            ),
            check(
                "feedback_published_share_range",
                Q(published_share_min__isnull=True, published_share_max__isnull=True)
                | Q(
                    published_share_min__gte=0,
                    published_share_max__lte=100,
                    published_share_min__lte=F("published_share_max"),
                ),
                message="Give both published shares or neither: percentages from 0 to 100, the "
                "lower one first.",
            ),
        ]

    def __str__(self):
        return self.text


class FeedbackResponse(models.Model):
    """One anonymous submission of a form: no user, no address, only the answers."""

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "submitted_at", "pk"]

    def __str__(self):
        return f"Response {self.pk} to {self.form}"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question"]
        constraints = [
            unique(
                "feedback_answer_unique",
                ["response", "question"],
                message="This response already answers this question.",
            ),
            check(
                "feedback_score_likert_range",
                Q(score__isnull=True) | Q(score__gte=LIKERT_MIN, score__lte=LIKERT_MAX),
                message=f"A score runs from {LIKERT_MIN} to {LIKERT_MAX}.",
            ),
            check(
                "feedback_answer_not_empty",
                Q(score__isnull=False) | ~Q(text=""),
                message="An answer needs a score or some text.",
            ),
        ]
        indexes = [models.Index(fields=["question", "score"], name="feedback_answer_score_idx")]

    def __str__(self):
        return f"{self.question}: {self.score or self.text[:40]}"
