"""Memberships of a synthetic site's groups: core and periphery, leavers and role changes."""

import datetime as dt
from dataclasses import dataclass

from inquiries.enums import LeaveReason, MembershipRole
from inquiries.models import Membership, Person
from programme_data.synthetic import proportions
from programme_data.synthetic.base import PERIOD_END, SiteBuild, day_between, pick


@dataclass
class _Span:
    """One membership being built: who, which role, from when to when."""

    person: Person
    role: str
    joined: dt.date
    left: dt.date | None = None
    reason: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.joined <= day and (self.left is None or day <= self.left)


class Memberships(SiteBuild):
    def _memberships(self) -> dict[int, list[_Span]]:
        """About 20 members a group, core and periphery, some joining late, some leaving."""
        rng, spans, rows = self.rng, {}, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            members = rng.sample(self.people, rng.randint(*proportions.MEMBERS_PER_GROUP))
            group_spans = []
            for index, person in enumerate(members):
                if person.pk == group.lead_id or index == 0:
                    role = MembershipRole.CORE
                else:
                    role = pick(
                        rng,
                        {
                            MembershipRole.CORE: 9,
                            MembershipRole.PERIPHERY: 8,
                            MembershipRole.CONSULTEE: 2,
                            MembershipRole.EXPERT: 0.3,
                        },
                    )
                joined = group.start_date
                if rng.random() < 0.25:
                    joined = day_between(rng, group.start_date, last)
                span = _Span(person=person, role=role, joined=joined)
                group_spans.append(span)
                chance = rng.random()
                if chance < 0.15 and joined < last:
                    span.left = day_between(rng, joined + dt.timedelta(days=1), last)
                    span.reason = pick(rng, proportions.LEAVE_REASONS)
                elif (
                    chance < 0.22
                    and joined < last
                    and role in (MembershipRole.CORE, MembershipRole.PERIPHERY)
                ):
                    span.left = day_between(rng, joined + dt.timedelta(days=1), last)
                    span.reason = LeaveReason.ROLE_CHANGE
                    other = (
                        MembershipRole.PERIPHERY
                        if role == MembershipRole.CORE
                        else MembershipRole.CORE
                    )
                    group_spans.append(_Span(person=person, role=other, joined=span.left))
            spans[group.pk] = group_spans
            rows += [
                Membership(
                    group=group,
                    person=span.person,
                    role=span.role,
                    joined_on=span.joined,
                    left_on=span.left,
                    leave_reason=span.reason,
                )
                for span in group_spans
            ]
        self.writer.create(Membership, rows)
        return spans
