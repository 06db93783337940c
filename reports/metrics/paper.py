"""The working paper's own tables: the groups' appendix, Table B (proposed against delivered
projects), the timeline of joint activities and the researchers' engagement figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Q
from django.db.models.functions import Coalesce

from car_programme.dates import format_partial_period
from events.enums import EventKind
from inquiries.enums import ActivityKind, GroupFigureKind, GroupKind
from inquiries.models import GROUP_FIGURE_FIELDS, GroupFigure, InquiryGroup
from inquiries.selectors import group_list_with_counts
from reports.metrics.activity import SiteTallies, backstage_tallies
from reports.metrics.portability import JoinedText, ListAgg, count_of
from reports.metrics.scope import MetricScope
from sites.enums import ProjectOutcome, qualified
from sites.models import CaseSite, EngagementFigure, ProgrammeFigure, ProposedProject


@dataclass(frozen=True)
class GroupPublishedFigure:
    """A total the source gives about a group (``GroupFigure``), never added to derived ones."""

    kind: str  # GroupFigureKind value
    shown: str  # with its qualifier: "12", "about 25", "25+"
    label: str  # as published, or the kind's label
    period: str
    source: str

    @property
    def text(self) -> str:
        return f"{self.shown} {self.label}"


_SEPARATOR = "\x1f"


def _figures_as_text(prefix: str) -> JoinedText:
    """Each figure's fields as one text, so that a group's figures come in the query that
    reads the group."""
    return JoinedText(*(f"{prefix}{name}" for name in GROUP_FIGURE_FIELDS), separator=_SEPARATOR)


def _published_figure(text: str) -> GroupPublishedFigure:
    kind, value, qualifier, label, start, end, precision, source = text.split(_SEPARATOR)
    period = format_partial_period(
        dt.date.fromisoformat(start) if start else None,
        dt.date.fromisoformat(end) if end else None,
        precision,
    )
    kind_label = str(GroupFigureKind(kind).label).lower()
    return GroupPublishedFigure(
        kind, qualified(int(value), qualifier), label or kind_label, period, source
    )


def _published_figures(texts) -> tuple[GroupPublishedFigure, ...]:
    order = list(GroupFigureKind.values)
    figures = [_published_figure(text) for text in texts]
    return tuple(sorted(figures, key=lambda figure: (order.index(figure.kind), figure.label)))


def group_published_figures(*, scope: MetricScope) -> list[tuple[str, GroupPublishedFigure]]:
    """The published totals of the groups in scope, as (group name, figure), by group name then
    kind then label: what a dashboard lists beside the figures it derives from rows."""
    rows = (
        GroupFigure.objects.filter(group__in=scope.groups())
        .annotate(text=_figures_as_text(""))
        .order_by("group__name", "group", "kind", "label")
        .values_list("group__name", "text")
    )
    return [(name, _published_figure(text)) for name, text in rows]


@dataclass(frozen=True)
class AppendixRow:
    group_id: int
    name: str
    short_name: str
    kind: str  # label
    sites: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    date_precision: str
    period: str  # as the group page shows it, as format_partial_period writes it
    core: int  # on the scope's day (MetricScope.on)
    periphery: int
    meetings: int  # every recorded group meeting, a tally row counting as its count
    meetings_uncounted: int  # rows of meetings of no known number, not in ``meetings``
    activities: int  # every activity row of the group in scope
    outputs: int
    # The source's own totals where the record has no rows to derive them from, printed beside
    # the derived columns and never added to them.
    published: tuple[GroupPublishedFigure, ...] = ()


def group_appendix(*, scope: MetricScope, on: dt.date | None = None) -> list[AppendixRow]:
    """The working paper's appendix table: per group in scope, by first site then start date
    then name, its timings, members core and periphery on ``on``, meetings, activities and
    outputs."""
    day = scope.on(on)
    activities = scope.activities().filter(group=OuterRef("pk"))
    outputs = scope.outputs().filter(groups=OuterRef("pk"))
    rows = (
        group_list_with_counts(queryset=scope.groups(), on=day)
        .annotate(
            activity_count=Coalesce(count_of(activities), 0),
            output_count=Coalesce(count_of(outputs), 0),
            site_names=ListAgg("sites__name", filter=Q(sites__isnull=False)),
            first_site=Min("sites__name"),
            published_texts=ListAgg(
                _figures_as_text("published_figures__"),
                filter=Q(published_figures__isnull=False),
            ),
        )
        .order_by(
            F("first_site").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "name", "pk"
        )
        .values_list(
            "pk",
            "name",
            "short_name",
            "kind",
            "site_names",
            "start_date",
            "end_date",
            "date_precision",
            "core_count",
            "periphery_count",
            "meeting_count",
            "meetings_uncounted",
            "activity_count",
            "output_count",
            "published_texts",
        )
    )
    return [
        AppendixRow(
            group_id=pk,
            name=name,
            short_name=short_name,
            kind=str(GroupKind(kind).label),
            sites=tuple(sorted(sites)),
            start_date=start,
            end_date=end,
            date_precision=precision,
            period=format_partial_period(start, end, precision),
            core=core,
            periphery=periphery,
            meetings=meetings,
            meetings_uncounted=uncounted,
            activities=activity_count,
            outputs=output_count,
            published=_published_figures(published),
        )
        for (
            pk,
            name,
            short_name,
            kind,
            sites,
            start,
            end,
            precision,
            core,
            periphery,
            meetings,
            uncounted,
            activity_count,
            output_count,
            published,
        ) in rows
    ]


@dataclass(frozen=True)
class ProposedRow:
    title: str
    outcome: str  # label, or ""
    reason: str
    delivered_by: tuple[str, ...]  # names of the groups that delivered it


@dataclass(frozen=True)
class TableBSite:
    site_id: int
    site_name: str
    researchers: tuple[str, ...]  # the researchers leading the site's CAR work
    director: str  # the director linked to the site, or empty
    proposed: tuple[ProposedRow, ...]  # in the site's order
    delivered_focus: tuple[str, ...]  # what was delivered, as the partnership put it
    delivered_groups: tuple[str, ...]  # the site's groups that delivered a proposed project


def table_b(*, scope: MetricScope) -> list[TableBSite]:
    """The working paper's Table B: per site in scope, proposed projects against delivery."""
    sites = list(
        scope.sites()
        .annotate(
            researchers=ListAgg(
                "lead_researchers__full_name", filter=Q(lead_researchers__isnull=False)
            )
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "delivered_focus", "researchers", "director__full_name")
    )
    projects = (
        ProposedProject.objects.filter(site__in=[pk for pk, *_ in sites])
        .annotate(groups=ListAgg("delivered_by__name", filter=Q(delivered_by__isnull=False)))
        .order_by("site", "position", "title", "pk")
        .values_list("site", "title", "outcome", "reason", "groups")
    )
    proposed: dict[int, list[ProposedRow]] = {}
    for site, title, outcome, reason, groups in projects:
        label = str(ProjectOutcome(outcome).label) if outcome else ""
        proposed.setdefault(site, []).append(
            ProposedRow(title, label, reason, tuple(sorted(groups)))
        )
    return [
        TableBSite(
            site_id=pk,
            site_name=name,
            researchers=tuple(sorted(researchers)),
            director=director or "",
            proposed=tuple(proposed.get(pk, [])),
            delivered_focus=tuple(focus or ()),
            delivered_groups=tuple(
                sorted({group for row in proposed.get(pk, []) for group in row.delivered_by})
            ),
        )
        for pk, name, focus, researchers, director in sites
    ]


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    end_date: dt.date | None
    date_precision: str
    source: str  # "event" or "activity"
    record_id: int
    title: str
    kind: str  # label
    sites: tuple[str, ...]  # empty for a programme-wide event
    place: str = ""  # an event's location; activities hold none
    # An event's summary line: the first paragraph of its purpose. An activity's notes are
    # reflective and shown only to some readers, so the timeline prints none.
    description: str = ""


@dataclass(frozen=True)
class Timeline:
    entries: tuple[TimelineEntry, ...]  # in date order (then title)
    unplaced: int  # joint activities with no known date, which the timeline leaves out


# An event's row on the timeline: its fields in the order the entry takes them.
_TIMELINE_EVENT_FIELDS = (
    "pk title kind start_date end_date date_precision site_names location purpose"
)


def joint_activities_timeline(*, scope: MetricScope) -> Timeline:
    """Programme-wide events, events of several sites and activities of groups spanning
    several sites, in date order (then title); the activities with no known date are only
    counted."""
    site_count = Count("sites", distinct=True)
    events = (
        scope.events()
        .annotate(
            site_count=site_count,
            site_names=ListAgg("sites__name", filter=Q(sites__isnull=False)),
        )
        .filter(Q(site_count=0) | Q(site_count__gte=2))
        .values_list(*_TIMELINE_EVENT_FIELDS.split())
    )
    shared_groups = (
        InquiryGroup.objects.filter(programme=scope.programme)
        .annotate(site_count=site_count)
        .filter(site_count__gte=2)
    )
    activities = (
        scope.activities()
        .filter(group__in=shared_groups.values("pk"))
        .annotate(site_names=ListAgg("group__sites__name"))
        .values_list("pk", "title", "kind", "date", "end_date", "date_precision", "site_names")
    )
    entries = [
        TimelineEntry(
            date,
            end,
            precision,
            "event",
            pk,
            title,
            str(EventKind(kind).label),
            tuple(sorted(sites)),
            place,
            purpose.split("\n", 1)[0].strip(),
        )
        for pk, title, kind, date, end, precision, sites, place, purpose in events
    ] + [
        TimelineEntry(
            date,
            end,
            precision,
            "activity",
            pk,
            title or str(ActivityKind(kind).label),
            str(ActivityKind(kind).label),
            tuple(sorted(sites)),
        )
        for pk, title, kind, date, end, precision, sites in activities
    ]
    placed = [entry for entry in entries if entry.date is not None]
    return Timeline(
        entries=tuple(
            sorted(
                placed,
                key=lambda entry: (entry.date, entry.title, entry.source, entry.record_id),
            )
        ),
        unplaced=len(entries) - len(placed),
    )


@dataclass(frozen=True)
class PublishedFigure:
    label: str
    value: int
    qualifier: str
    period_start: dt.date | None
    period_end: dt.date | None
    source: str = ""

    @property
    def shown(self) -> str:
        return qualified(self.value, self.qualifier)


@dataclass(frozen=True)
class SiteEngagement:
    site_id: int
    site_name: str
    figures: tuple[PublishedFigure, ...]  # published totals (EngagementFigure), in the site's order
    tallies: SiteTallies  # computed from the activity rows
    notes: str = ""  # what else the engagement comprised, as published


def engagement_figures(*, scope: MetricScope) -> list[SiteEngagement]:
    """Per site in scope (by name): researcher engagement figures, published and computed."""
    tallies = backstage_tallies(scope=scope)
    sites = [tally.site_id for tally in tallies]
    figures: dict[int, list[PublishedFigure]] = {}
    for site, *figure in (
        EngagementFigure.objects.filter(site__in=sites)
        .order_by("site", "position", "label")
        .values_list("site", "label", "value", "qualifier", "period_start", "period_end", "source")
    ):
        figures.setdefault(site, []).append(PublishedFigure(*figure))
    notes = dict(
        CaseSite.objects.filter(pk__in=sites)
        .exclude(engagement_notes="")
        .values_list("pk", "engagement_notes")
    )
    return [
        SiteEngagement(
            tally.site_id,
            tally.site_name,
            tuple(figures.get(tally.site_id, [])),
            tally,
            notes.get(tally.site_id, ""),
        )
        for tally in tallies
    ]


def programme_figures(*, scope: MetricScope) -> list[PublishedFigure]:
    """The figures published of the programme as a whole, in the programme's order."""
    return [
        PublishedFigure(label, value, qualifier, None, None, source)
        for label, value, qualifier, source in ProgrammeFigure.objects.filter(
            programme=scope.programme
        )
        .order_by("position", "label")
        .values_list("label", "value", "qualifier", "source")
    ]
