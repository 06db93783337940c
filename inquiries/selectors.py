import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncQuarter
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.rules import permitted
from car_programme.selectors import subquery_count
from inquiries.enums import ActivityKind, LeaveReason, MembershipRole, Phase
from inquiries.models import (
    NEWEST_FIRST,
    Activity,
    Attachment,
    Attendance,
    Cycle,
    GroupFigure,
    InquiryGroup,
    Membership,
    Person,
)
from inquiries.scope import unknown_within_group


def counted_weight() -> Case:
    """What an activity row counts for: its tally count, or one; nothing where the source
    gives no number (those rows are counted apart, as "uncounted")."""
    return Case(
        When(count_unknown=True, then=0),
        default=Coalesce("count", 1),
        output_field=IntegerField(),
    )


def meeting_figures() -> dict[str, Aggregate]:
    """The aggregates of group meeting rows: ``meetings`` (a tally row counting as its count),
    ``uncounted`` (rows of meetings of no known number), ``meetings_with_duration`` and
    ``minutes`` over them. A row of an unknown number of meetings has no duration one can
    count: its duration is of no meeting one can name."""
    timed = Q(duration_minutes__isnull=False, count_unknown=False)
    return {
        "meetings": Coalesce(Sum(counted_weight()), 0),
        "uncounted": Count("pk", filter=Q(count_unknown=True)),
        "meetings_with_duration": Count("pk", filter=timed),
        "minutes": Coalesce(Sum("duration_minutes", filter=timed), 0),
    }


def meetings_with_head_count(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The group meetings among ``activities`` with an attendance figure, annotated with
    ``named`` (attendees recorded by name), ``head_count`` (those, or ``attendance_total``
    where no name is recorded) and ``counted`` (the ``attendance_total`` taken so). A tally
    row and a row of an unknown number of meetings are left out: neither is one meeting."""
    named = subquery_count(Attendance.objects.all(), "activity")
    return (
        activities.filter(kind=ActivityKind.GROUP_MEETING, count__isnull=True, count_unknown=False)
        .order_by()
        .annotate(named=named)
        .annotate(
            head_count=Case(
                When(named__gt=0, then=F("named")),
                default=F("attendance_total"),
                output_field=IntegerField(),
            ),
            counted=Case(
                When(named=0, then=F("attendance_total")), default=0, output_field=IntegerField()
            ),
        )
        .filter(head_count__isnull=False)
    )


def _meetings_per_group() -> Coalesce:
    """Meetings of the outer group: one per row, or the row's count where it is a tally;
    rows of an unknown count are left to ``meetings_uncounted``."""
    counted = (
        Activity.objects.filter(group=OuterRef("pk"), kind=ActivityKind.GROUP_MEETING)
        .order_by()
        .values("group")
        .annotate(n=Sum(counted_weight()))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def last_activity_date() -> Subquery:
    """The date of the outer group's latest dated activity (None when it has none).

    A correlated subquery, not ``Max("activities__date")``: that aggregate joins every activity
    to its group and groups the list by all its columns, so each of the list's other subqueries
    ran once per activity row, for every group, before the page was cut (18,824 runs for the 25
    groups of a page at 32 sites, 0.6 s), and its count computed them all again.
    """
    latest = (
        Activity.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    return Subquery(latest, output_field=DateField())


def joinings(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Of ``memberships``, those that are a joining, with the ``quarter`` they were opened in
    (none for an unknown day): one that a role change opened is no joining."""
    # The membership that a role change closed where this one opens: an earlier one, never
    # this one itself (a member added and moved to another role on one day still joined).
    role_change_before = Membership.objects.filter(
        Q(joined_on__isnull=True)
        | Q(joined_on__lt=OuterRef("joined_on"))
        | Q(joined_on=OuterRef("joined_on"), pk__lt=OuterRef("pk")),
        group=OuterRef("group"),
        person=OuterRef("person"),
        left_on=OuterRef("joined_on"),
        leave_reason=LeaveReason.ROLE_CHANGE,
    )
    return (
        memberships.exclude(Exists(role_change_before))
        .annotate(quarter=TruncQuarter("joined_on"))
        .order_by()
    )


def leavings(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Of ``memberships``, those closed other than by a role change, with the ``quarter`` they
    were closed in."""
    return (
        memberships.filter(left_on__isnull=False)
        .exclude(leave_reason=LeaveReason.ROLE_CHANGE)
        .annotate(quarter=TruncQuarter("left_on"))
        .order_by()
    )


def memberships_open_on(*, on: dt.date) -> Q:
    """Memberships that hold on ``on``: joined by then and not yet left, an unknown joining
    or leaving date being the group's start or end (and open when that is unknown too).

    A membership ends the day it is left, so a role change closing one membership and opening
    the next on the same day counts the person once, in the new role.
    """
    return (Q(joined_on__lte=on) | unknown_within_group("joined_on", "start_date", "lte", on)) & (
        Q(left_on__gt=on) | unknown_within_group("left_on", "end_date", "gte", on)
    )


def group_list_with_counts(
    *, queryset: QuerySet[InquiryGroup] | None = None, on: dt.date | None = None
) -> QuerySet[InquiryGroup]:
    """Groups annotated with ``core_count``, ``periphery_count``, ``meeting_count`` and
    ``meetings_uncounted``.

    ``core_count`` and ``periphery_count`` count the distinct people whose membership in that
    role is open on ``on`` (default: today). ``meeting_count`` counts every recorded group
    meeting of the group, whatever its date: one per row, or a tally row's count ("two
    pre-meetings in 2014"); ``meetings_uncounted`` counts the rows of meetings the source
    lists without a number, which make the count "at least" (or unknown).
    """
    if queryset is None:
        queryset = InquiryGroup.objects.all()
    if on is None:
        on = timezone.localdate()
    open_memberships = Membership.objects.filter(memberships_open_on(on=on))
    return queryset.annotate(
        core_count=subquery_count(
            open_memberships.filter(role=MembershipRole.CORE),
            "group",
            field="person",
            distinct=True,
        ),
        periphery_count=subquery_count(
            open_memberships.filter(role=MembershipRole.PERIPHERY),
            "group",
            field="person",
            distinct=True,
        ),
        meeting_count=_meetings_per_group(),
        meetings_uncounted=subquery_count(
            Activity.objects.filter(kind=ActivityKind.GROUP_MEETING, count_unknown=True), "group"
        ),
    )


def group_list_for_user(*, user, programme=None) -> QuerySet[InquiryGroup]:
    """The groups ``user`` may see, with their figures today, ready for a list page."""
    groups = permitted(user, "inquiries.view_inquirygroup")
    if programme is not None:
        groups = groups.filter(programme=programme)
    return (
        group_list_with_counts(queryset=groups)
        .select_related("programme", "parent")
        .prefetch_related("sites")
        .annotate(last_activity=last_activity_date())
        .order_by("name")
    )


def group_get_for_user(*, user, pk: int) -> InquiryGroup:
    """One group, or 404 whether it is missing or forbidden (so ids reveal nothing)."""
    return get_object_or_404(
        group_list_for_user(user=user).select_related("lead", "programme"), pk=pk
    )


def cycle_get_for_user(*, user, pk: int) -> Cycle:
    """One cycle with its group, or 404 whether it is missing or forbidden."""
    return get_object_or_404(
        permitted(user, "inquiries.view_cycle").select_related("group__programme"), pk=pk
    )


def group_figure_get_for_user(*, user, pk: int) -> GroupFigure:
    """One published figure with its group, or 404 whether it is missing or forbidden."""
    return get_object_or_404(
        permitted(user, "inquiries.view_groupfigure").select_related("group__programme"), pk=pk
    )


def membership_get_for_user(*, user, pk: int) -> Membership:
    """One membership with its group and person, or 404 whether it is missing or forbidden."""
    return get_object_or_404(
        permitted(user, "inquiries.view_membership").select_related("group", "person"), pk=pk
    )


def attachment_get_for_user(*, user, pk: int) -> Attachment:
    """One attachment of an activity, or 404 whether it is missing or forbidden."""
    return get_object_or_404(permitted(user, "inquiries.view_attachment"), pk=pk)


def _choice_rank(field: str, choices) -> Case:
    """The position of ``field``'s value in ``choices``, to order rows as the choices are."""
    return Case(
        *(When(**{field: value}, then=rank) for rank, value in enumerate(choices.values)),
        output_field=IntegerField(),
    )


def people_named_for(*, user) -> QuerySet[Person]:
    """The people whose names ``user`` may see; everyone else appears under their pseudonym."""
    return permitted(user, "inquiries.view_person_name")


def label_order(person: str = "", *, shown: str = "name_visible") -> Case:
    """What a list of people sorts by: what its reader sees of each, the name where the
    ``shown`` annotation allows it and the pseudonym otherwise, in natural order; never a
    hidden name. ``person`` is the path to the person ("" for a Person row)."""
    prefix = f"{person}__" if person else ""
    return Case(
        When(**{shown: True}, then=F(f"{prefix}name_sort")),
        default=F(f"{prefix}pseudonym_sort"),
    )


def name_visible(*, user, person: str = "pk") -> Exists:
    """Whether ``user`` may see the name of the outer row's person (``person`` names the field
    that holds it), for the ``name_visible`` annotation that forms and templates read."""
    return Exists(people_named_for(user=user).filter(pk=OuterRef(person)))


@dataclass
class GroupStory:
    """Everything the group page shows, each part one query whatever the group's size."""

    memberships: QuerySet[Membership]
    status_changes: QuerySet
    research_questions: QuerySet
    cycles: QuerySet
    activities: QuerySet[Activity]
    current_phase: str
    evidence: QuerySet
    outputs: QuerySet
    changes: QuerySet
    spin_offs: QuerySet[InquiryGroup]
    themes: QuerySet
    # The source's own totals, shown beside the counts derived from rows, never added to them.
    published_figures: QuerySet

    # The page lists today's members under their role, as the "members now" figures count
    # them, and every other membership (left, an earlier role, or starting later) apart.
    @property
    def members_now(self) -> list[Membership]:
        return [membership for membership in self.memberships if membership.current]

    @property
    def members_not_now(self) -> list[Membership]:
        return [membership for membership in self.memberships if not membership.current]


def group_story(*, group: InquiryGroup, user) -> GroupStory:
    activities = (
        permitted(user, "inquiries.view_activity", group.activities.all())
        .select_related("cycle")
        .annotate(
            attendee_count=Count("attendance", distinct=True),
            notes_visible=Exists(
                permitted(user, "inquiries.view_activity_notes").filter(pk=OuterRef("pk"))
            ),
        )
        .order_by(NEWEST_FIRST, "-pk")
    )
    latest_phase = activities.exclude(phase="").values_list("phase", flat=True).first()
    return GroupStory(
        memberships=group.memberships.select_related("person__organisation")
        .annotate(
            name_visible=name_visible(user=user, person="person_id"),
            current=ExpressionWrapper(
                memberships_open_on(on=timezone.localdate()), output_field=BooleanField()
            ),
            role_rank=_choice_rank("role", MembershipRole),
        )
        .order_by("role_rank", "-left_on", label_order("person"), "pk"),
        status_changes=group.status_changes.order_by("changed_on", "pk"),
        research_questions=group.research_questions.order_by("adopted_on", "pk"),
        cycles=group.cycles.order_by("number"),
        activities=activities,
        current_phase=Phase(latest_phase).label if latest_phase else "",
        evidence=permitted(user, "evidence.view_evidenceitem", group.evidence_items.all()).order_by(
            "-collected_on", "title"
        ),
        outputs=permitted(user, "evidence.view_output", group.outputs.all()).order_by(
            "-published_on", "title"
        ),
        changes=permitted(user, "evidence.view_change", group.changes.all()).order_by(
            "-date", "title"
        ),
        spin_offs=permitted(user, "inquiries.view_inquirygroup", group.spin_offs.all()).order_by(
            "name"
        ),
        themes=group.themes.order_by("framework", "position"),
        published_figures=group.published_figures.order_by("kind", "label"),
    )


# --- Activities and people --------------------------------------------------------------------


def activity_list_for_user(*, user) -> QuerySet[Activity]:
    """The activities ``user`` may see, newest first, with their group, site and head count."""
    return (
        permitted(user, "inquiries.view_activity")
        .select_related("group", "site", "cycle")
        .annotate(attendee_count=subquery_count(Attendance.objects.all(), "activity"))
        .order_by(NEWEST_FIRST, "-pk")
    )


def activity_contact_count(*, activities: QuerySet[Activity]) -> tuple[int, int]:
    """The contacts ``activities`` stand for: a tally counts its ``count``, any other activity
    one (as the dashboards count backstage contacts); and the rows of no known number, which
    make it "at least"."""
    figures = activities.aggregate(
        n=Coalesce(Sum(counted_weight()), 0), uncounted=Count("pk", filter=Q(count_unknown=True))
    )
    return figures["n"], figures["uncounted"]


def activity_get_for_user(*, user, pk: int) -> Activity:
    """One activity with its roles and files, or 404 whether it is missing or forbidden."""
    return get_object_or_404(
        activity_list_for_user(user=user)
        .select_related("programme", "recorded_by")
        .prefetch_related("researcher_roles", "attachments")
        .annotate(
            notes_visible=Exists(
                permitted(user, "inquiries.view_activity_notes").filter(pk=OuterRef("pk"))
            ),
            attachments_visible=Exists(
                permitted(user, "inquiries.view_attachment").filter(activity=OuterRef("pk"))
            ),
        ),
        pk=pk,
    )


def activity_attendance(*, activity: Activity, user) -> QuerySet[Attendance]:
    """Who attended, each with ``name_visible`` as the rules decide for ``user``."""
    return (
        activity.attendance.select_related("person__organisation")
        .annotate(name_visible=name_visible(user=user, person="person_id"))
        .order_by(label_order("person"), "pk")
    )


def group_attendee_choices(
    *, group: InquiryGroup, user, on: dt.date, include: Iterable[int] = ()
) -> QuerySet[Person]:
    """The group's members on ``on`` (the activity's date), core first then periphery then
    other roles, plus ``include``.

    A meeting is attended by whoever was a member that day, so an old meeting still offers
    the members who have left since; ``include`` keeps people already ticked (its attendees,
    or someone picked from the rest of the programme) in the list. Each person carries
    ``member_role`` (their role on ``on``, or None) and ``name_visible``.
    """
    members = group.memberships.filter(memberships_open_on(on=on))
    role = members.filter(person=OuterRef("pk")).order_by("-joined_on").values("role")[:1]
    rank = Case(
        When(member_role=MembershipRole.CORE, then=0),
        When(member_role=MembershipRole.PERIPHERY, then=1),
        When(member_role__isnull=True, then=3),
        default=2,
    )
    return (
        Person.objects.filter(
            Q(pk__in=members.values("person"))
            | Q(pk__in=[int(pk) for pk in include], programme=group.programme_id)
        )
        .annotate(member_role=Subquery(role), name_visible=name_visible(user=user))
        .annotate(role_rank=rank)
        .order_by("role_rank", label_order(), "pk")
    )


def people_of_group_sites(*, group: InquiryGroup, user) -> QuerySet[Person]:
    """The people ``user`` may see who work in one of the group's sites, or in none: whom a
    picker of the group offers (a member to add, anyone else at a meeting)."""
    return permitted(user, "inquiries.view_person").filter(
        Q(site__in=group.sites.all()) | Q(site__isnull=True), programme=group.programme_id
    )


def attendee_others_for_user(
    *, group: InquiryGroup, user, listed: QuerySet[Person]
) -> QuerySet[Person]:
    """The people of the group's sites ``user`` may see, other than those ``listed``: the
    picker for anyone else who took part in an activity."""
    return (
        people_of_group_sites(group=group, user=user)
        .exclude(pk__in=listed.values("pk"))
        .annotate(name_visible=name_visible(user=user))
        .order_by(label_order(), "pk")
    )


def person_list_for_user(*, user) -> QuerySet[Person]:
    """The people ``user`` may see, with ``name_visible`` and their organisation and site."""
    return (
        permitted(user, "inquiries.view_person")
        .select_related("organisation", "site")
        .annotate(name_visible=name_visible(user=user))
        .order_by(label_order(), "pk")
    )


def person_get_for_user(*, user, pk: int) -> Person:
    """One person, or 404 whether they are missing or forbidden."""
    return get_object_or_404(person_list_for_user(user=user).select_related("programme"), pk=pk)


@dataclass
class PersonStory:
    memberships: QuerySet[Membership]
    activities: QuerySet[Activity]


def person_story(*, person: Person, user) -> PersonStory:
    """A person's memberships (all of them, left ones too) and the activities they attended."""
    return PersonStory(
        memberships=permitted(user, "inquiries.view_membership", person.memberships.all())
        .select_related("group")
        .order_by("group__name", "joined_on", "pk"),
        activities=permitted(
            user, "inquiries.view_activity", Activity.objects.filter(attendance__person=person)
        )
        .select_related("group", "site")
        .order_by(NEWEST_FIRST, "-pk"),
    )
