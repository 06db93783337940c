"""Which records a scope covers: a programme, optionally a site or a group, and dates.

A dashboard figure counts the records of a scope, and a list that the figure links to filters
through the same scope, so both hold the same records. The scope's people, groups and
activities are read here; the apps above add their own records of a scope as functions of it
(``evidence/scope.py``, ``events/scope.py``), and ``reports.metrics.MetricScope`` gathers them
for the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from inquiries.models import Activity, InquiryGroup, Membership, Person
from sites.models import CaseSite, Organisation, Programme


def within(scope: RecordScope, field: str) -> Q:
    """Records whose ``field`` falls in the scope's range (no condition without a range)."""
    condition = Q()
    if scope.start is not None:
        condition &= Q(**{f"{field}__gte": scope.start})
    if scope.end is not None:
        condition &= Q(**{f"{field}__lte": scope.end})
    return condition


def span_overlaps(scope: RecordScope, start: str, end: str) -> Q:
    """Records whose span (an unknown end is open) overlaps the scope's range."""
    condition = Q()
    if scope.end is not None:
        condition &= Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": scope.end})
    if scope.start is not None:
        condition &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": scope.start})
    return condition


def unknown_within_group(field: str, group_field: str, lookup: str, day: dt.date) -> Q:
    """Memberships whose ``field`` is unknown, taken as their group's ``group_field``: that
    date passes ``lookup`` against ``day``, or is unknown too. A member whose joining or
    leaving the source does not date is a member for the group's period, not beyond it."""
    return Q(**{f"{field}__isnull": True}) & (
        Q(**{f"group__{group_field}__isnull": True}) | Q(**{f"group__{group_field}__{lookup}": day})
    )


def of_groups(model, **groups) -> Q:
    """``model``'s records linked to the groups that ``groups`` looks up in its many-to-many."""
    through = model.groups.through.objects.filter(**groups)
    return Q(pk__in=through.values(f"{model._meta.model_name}_id"))


def any_of(*ids: QuerySet) -> Q:
    """Records whose id one of ``ids`` (queries of one id column each) gives.

    The union of the ids, where an "or" of the conditions behind them would have the database
    read every record of the programme to test each against both."""
    first, *others = (query.order_by() for query in ids)
    return Q(pk__in=first.union(*others) if others else first)


def _group_sites(*, groups) -> QuerySet:
    return InquiryGroup.sites.through.objects.filter(inquirygroup__in=groups)


@dataclass(frozen=True)
class RecordScope:
    """Which records a scope covers: a programme, optionally one site or one group, and dates.

    A site scope means the records of that site: groups through their sites, activities
    through their site or their group's sites, evidence, outputs, changes and events through
    their sites (events also through their groups; a programme-wide event, with no site,
    concerns every site). A group scope means the group's own records. ``start``/``end``
    (inclusive, either may be open) keep the records dated within the range by their own date
    field; a record without a date is left out once a range is given. Groups and memberships
    are kept when their span overlaps the range (a membership's unknown dates are its group's).
    """

    programme: Programme
    site: CaseSite | None = None
    group: InquiryGroup | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def has_range(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def is_whole_programme(self) -> bool:
        """Whether every record of the programme is in scope (no site, group or date range):
        the scope whose counts the writes keep as rollups."""
        return self.site is None and self.group is None and not self.has_range

    def on(self, on: dt.date | None = None) -> dt.date:
        """The day a "members on a date" figure is taken: ``on``, else the scope's end, else
        the programme's end when it is past, else today."""
        if on is not None:
            return on
        if self.end is not None:
            return self.end
        today = timezone.localdate()
        end = self.programme.end_date
        return end if end is not None and end < today else today

    def all_groups(self) -> QuerySet[InquiryGroup]:
        """The groups of the scope whatever their dates: whose records a site scope takes in."""
        groups = InquiryGroup.objects.filter(programme=self.programme)
        if self.group is not None:
            return groups.filter(pk=self.group.pk)
        if self.site is not None:
            # A site's groups are of its programme: a filter on the programme too would have
            # the database read all the programme's groups.
            through = InquiryGroup.sites.through.objects.filter(casesite=self.site)
            return InquiryGroup.objects.filter(pk__in=through.values("inquirygroup_id"))
        return groups

    def groups(self) -> QuerySet[InquiryGroup]:
        """The groups in scope whose span overlaps the date range."""
        return self.all_groups().filter(span_overlaps(self, "start_date", "end_date"))

    def sites(self) -> QuerySet[CaseSite]:
        """The sites the scope covers: its site, the group's sites, or all the programme's."""
        sites = CaseSite.objects.filter(programme=self.programme)
        if self.site is not None:
            return sites.filter(pk=self.site.pk)
        if self.group is not None:
            return sites.filter(pk__in=_group_sites(groups=[self.group.pk]).values("casesite_id"))
        return sites

    def memberships(self) -> QuerySet[Membership]:
        """Memberships of the groups in scope whose span overlaps the date range."""
        memberships = Membership.objects.filter(self.membership_overlaps())
        if self.group is not None:
            return memberships.filter(group=self.group)
        if self.site is not None:
            return memberships.filter(group__in=self.all_groups())
        return memberships.filter(group__programme=self.programme)

    def membership_overlaps(self) -> Q:
        """Memberships whose span, an unknown date taken as the group's, overlaps the range
        (the condition alone, for memberships cut to a place by other means: the exports)."""
        condition = Q()
        if self.end is not None:
            condition &= Q(joined_on__lte=self.end) | unknown_within_group(
                "joined_on", "start_date", "lte", self.end
            )
        if self.start is not None:
            condition &= Q(left_on__gte=self.start) | unknown_within_group(
                "left_on", "end_date", "gte", self.start
            )
        return condition

    def people(self) -> QuerySet[Person]:
        """The distinct people holding a membership in scope (see :meth:`memberships`)."""
        # Every member is a person of the group's programme: saying so lets the database read
        # the programme's people alone rather than every programme's.
        return Person.objects.filter(
            programme=self.programme, pk__in=self.memberships().values("person_id")
        )

    def organisations(self) -> QuerySet[Organisation]:
        """The organisations of the people in scope (see :meth:`people`)."""
        return Organisation.objects.filter(pk__in=self.people().values("organisation_id"))

    def activities(self) -> QuerySet[Activity]:
        """Activities in scope dated within the range (by ``date``)."""
        return Activity.objects.filter(self.placed()).filter(within(self, "date"))

    def placed(self) -> Q:
        """Rows placed as the activities in scope are, whatever their date: by the
        ``programme``, ``site`` and ``group`` fields of an activity or of a rollup of some."""
        condition = Q(programme=self.programme)
        if self.group is not None:
            return condition & Q(group=self.group)
        if self.site is not None:
            return condition & (Q(site=self.site) | Q(group__in=self.all_groups()))
        return condition
