"""The handover pack: what a newcomer to a group needs, as the group stands today."""

from django.db.models import Q

from car_programme.words import undated
from evidence.enums import TITLED_SENSITIVITIES
from inquiries.models import Person
from reports import metrics
from reports.documents import Document, OnStep, Options, common
from reports.documents.common import Gathering

# What a handover pack shows of a group's record: enough to start from, not an archive.
HANDOVER_EVIDENCE = 10
HANDOVER_ACTIVITIES = 5


def _questions(gathering: Gathering) -> dict:
    questions = gathering.report_request.group.research_questions.filter(
        Q(replaced_on__isnull=True) | Q(replaced_on__gt=gathering.today)
    )
    return {"open_questions": list(questions.order_by("adopted_on", "pk"))}


def _evidence(gathering: Gathering) -> dict:
    scope = gathering.scope
    key_evidence = (
        scope.evidence()
        .filter(sensitivity__in=TITLED_SENSITIVITIES)
        .order_by("-collected_on", "title")[:HANDOVER_EVIDENCE]
    )
    return {"key_evidence": list(key_evidence), "outputs": metrics.outputs_list(scope=scope)}


def _activities(gathering: Gathering) -> dict:
    """The last and the next activities, and those of unknown date, which are neither: listed
    apart rather than left out, the most recently recorded first."""
    activities, today = gathering.report_request.group.activities.all(), gathering.today
    undated_rows = activities.filter(date__isnull=True)
    shown, unplaced = list(undated_rows.order_by("-pk")[:HANDOVER_ACTIVITIES]), undated_rows.count()
    listed = f": the {len(shown)} last recorded are listed" if unplaced > len(shown) else ""
    return {
        "last_activities": list(
            activities.filter(date__lte=today).order_by("-date", "-pk")[:HANDOVER_ACTIVITIES]
        ),
        "upcoming_activities": list(
            activities.filter(date__gt=today).order_by("date", "pk")[:HANDOVER_ACTIVITIES]
        ),
        "undated_activities": shown,
        "undated_note": f"{undated(unplaced, 'activity', 'activities')}{listed}.",
    }


def _contacts(gathering: Gathering) -> dict:
    group = gathering.report_request.group
    lead = (
        Person.objects.filter(pk=group.lead_id)
        .annotate(name_shown=common.name_shown(gathering, "pk"))
        .first()
    )
    if lead is not None and lead.name_shown:
        gathering.named.add(lead.pk)
    facilitations = group.facilitations.select_related("researcher").order_by("role", "pk")
    return {"facilitations": list(facilitations), "lead": lead}


PARTS: dict[str, common.Part] = {
    "members": lambda gathering: common.memberships(gathering, open_on=gathering.today),
    "questions": _questions,
    "evidence": _evidence,
    "activities": _activities,
    "contacts": _contacts,
}


def build(report_request, options: Options, on_step: OnStep) -> Document:
    gathering = common.start(report_request, options, on_step, group=report_request.group)
    # A newcomer needs the group as it stands today, whatever range the request names.
    scope = gathering.scope
    group = common.group_with_counts(
        report_request,
        metrics.MetricScope(programme=scope.programme, group=scope.group, end=gathering.today),
    )
    title = f"{group.name}: handover pack"
    context = {
        **common.cover(gathering, title=title, first=("story", "The group so far")),
        "group": group,
        "today": gathering.today,
        "status_changes": list(group.status_changes.order_by("changed_on", "pk")),
        "phases": common.phases(scope),
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context)
