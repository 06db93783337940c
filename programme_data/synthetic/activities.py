"""Activities of a synthetic site's groups, with attendance and backstage tallies."""

import datetime as dt
from collections import defaultdict

from inquiries.enums import ActivityKind, ContactDirection, MembershipRole, Phase, ResearcherRole
from inquiries.models import Activity, ActivityResearcherRole, Attendance
from programme_data.synthetic import proportions
from programme_data.synthetic.base import PERIOD_END, PERIOD_START, SiteBuild, day_between, pick


class Activities(SiteBuild):
    def _activities(self) -> dict[int, list[Activity]]:
        """About 50 activities a group: meetings with attendance, and weekly backstage tallies."""
        rng, activities = self.rng, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            cycles = self.cycles.get(group.pk, [])
            for number in range(rng.randint(*proportions.ACTIVITIES_PER_GROUP)):
                day = day_between(rng, group.start_date, last)
                cycle = next((c for c in cycles if c.start_date <= day <= c.end_date), None)
                activity = Activity(
                    programme=self.programme,
                    site=self.site,
                    group=group,
                    cycle=cycle,
                    date=day,
                    phase=rng.choice(Phase.values) if cycle else "",
                    notes=f"Notes of session {number + 1}." if rng.random() < 0.3 else "",
                )
                if rng.random() < proportions.TALLY_SHARE:
                    activity.kind = pick(rng, proportions.TALLY_KINDS)
                    activity.count = rng.randint(2, 40)
                    activity.end_date = min(day + dt.timedelta(days=6), PERIOD_END)
                    if activity.kind != ActivityKind.ONE_TO_ONE:
                        activity.direction = rng.choice(ContactDirection.values)
                else:
                    activity.kind = pick(rng, proportions.MEETING_KINDS)
                    activity.title = f"{ActivityKind(activity.kind).label} {number + 1}"
                    activity.duration_minutes = rng.choice([60, 90, 120, 180])
                activities.append(activity)
        # Site-level backstage contacts belong to no group.
        for _ in range(rng.randint(4, 8)):
            day = day_between(rng, PERIOD_START, PERIOD_END)
            activities.append(
                Activity(
                    programme=self.programme,
                    site=self.site,
                    kind=ActivityKind.DRIVE_AROUND if rng.random() < 0.3 else ActivityKind.EMAIL,
                    date=day,
                    count=rng.randint(5, 60),
                    end_date=min(day + dt.timedelta(days=6), PERIOD_END),
                )
            )
        activities = self.writer.create(Activity, activities)
        attendance, roles, by_group = [], [], defaultdict(list)
        shares = {MembershipRole.CORE: 0.75, MembershipRole.PERIPHERY: 0.35}
        for activity in activities:
            if activity.group_id is None:
                continue
            by_group[activity.group_id].append(activity)
            if activity.count is not None:
                continue
            present = {
                span.person.pk
                for span in self.spans[activity.group_id]
                if span.covers(activity.date) and rng.random() < shares.get(span.role, 0.1)
            }
            attendance += [Attendance(activity=activity, person_id=pk) for pk in sorted(present)]
            roles += [
                ActivityResearcherRole(activity=activity, role=role)
                for role in rng.sample(ResearcherRole.values, rng.randint(1, 2))
            ]
        self.writer.create(Attendance, attendance)
        self.writer.create(ActivityResearcherRole, roles)
        self.writer.link(
            Activity.themes, self._theme_pairs([a for a in activities if rng.random() < 0.3], 1)
        )
        return by_group
