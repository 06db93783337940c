"""Every figure that a dashboard or a report shows, computed by the database.

Plain functions, no HTTP: each takes querysets or ids, runs a constant number of queries
whatever the data size, and returns plain data for a page, a chart or a PDF to lay out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from events.enums import QuestionKind
from events.models import FeedbackForm, FeedbackQuestion

# "Agree" and "strongly agree" on the 1-5 scale: the share the working paper reports.
AGREEING_SCORE = 4


@dataclass(frozen=True)
class StatementShare:
    """How one Likert statement was scored: the share of responses scoring 4 or 5.

    ``share`` is a percentage, or None where the statement has no scored response; a source
    that published only a range keeps it in ``published_min``/``published_max``.
    """

    question_id: int
    form_id: int
    text: str
    responses: int
    agreeing: int
    published_min: int | None
    published_max: int | None

    @property
    def share(self) -> float | None:
        return 100 * self.agreeing / self.responses if self.responses else None

    @property
    def has_published_range(self) -> bool:
        return self.published_min is not None and self.published_max is not None


def feedback_statement_shares(
    *, forms: QuerySet[FeedbackForm] | list[FeedbackForm]
) -> list[StatementShare]:
    """The share scoring 4 or 5 of each Likert statement of ``forms``, in one query.

    Statements come in their forms' order, then by position.
    """
    rows = (
        FeedbackQuestion.objects.filter(form__in=forms, kind=QuestionKind.LIKERT)
        .annotate(
            responses=Count("answers", filter=Q(answers__score__isnull=False)),
            agreeing=Count("answers", filter=Q(answers__score__gte=AGREEING_SCORE)),
        )
        .order_by("form__event__start_date", "form__title", "position", "pk")
        .values_list(
            "pk",
            "form_id",
            "text",
            "responses",
            "agreeing",
            "published_share_min",
            "published_share_max",
        )
    )
    return [StatementShare(*row) for row in rows]
