"""Inquiry groups of a synthetic site: status history, questions, cycles and memberships."""

import datetime as dt
from collections import defaultdict

from inquiries.enums import Approach, GroupKind, GroupStatus
from inquiries.models import Cycle, GroupStatusChange, InquiryGroup, ResearchQuestion
from programme_data.synthetic import proportions
from programme_data.synthetic.base import PERIOD_END, PERIOD_START, SiteBuild, day_between, pick
from programme_data.synthetic.sites import TOPICS
from sites.enums import ProjectOutcome

ENDED_STATUSES = {GroupStatus.CONCLUDED, GroupStatus.DISCONTINUED}


class Groups(SiteBuild):
    def _groups(self) -> list[InquiryGroup]:
        rng, groups = self.rng, []
        for number in range(rng.randint(*proportions.GROUPS_PER_SITE)):
            topic = rng.choice(TOPICS)
            kind = pick(rng, proportions.GROUP_KINDS)
            status = pick(rng, proportions.FINAL_STATUSES)
            start = day_between(rng, PERIOD_START, dt.date(2016, 9, 30))
            end = None
            if status in ENDED_STATUSES:
                end = min(start + dt.timedelta(days=rng.randint(180, 720)), PERIOD_END)
            groups.append(
                InquiryGroup(
                    programme=self.programme,
                    name=f"{topic} {GroupKind(kind).label.lower()} {number + 1}, {self.site.name}",
                    short_name=f"{topic.split()[0]} {number + 1}",
                    kind=kind,
                    topic=topic,
                    status=status,
                    start_date=start,
                    end_date=end,
                    lead=rng.choice(self.people),
                    approach=rng.choice(Approach.values),
                )
            )
        groups = self.writer.create(InquiryGroup, groups)
        # A spin-off grows out of an earlier group of the same site.
        spin_offs = [group for group in groups[1:] if rng.random() < 0.08]
        for group in spin_offs:
            group.parent = rng.choice(groups[: groups.index(group)])
        InquiryGroup.objects.bulk_update(spin_offs, ["parent"])
        self.writer.link(InquiryGroup.sites, [(group.pk, self.site.pk) for group in groups])
        self.writer.link(InquiryGroup.themes, self._theme_pairs(groups, most=3))
        taken = [p for p in self.projects if p.outcome == ProjectOutcome.TAKEN_FORWARD]
        self.writer.link(
            InquiryGroup.proposed_projects,
            [(rng.choice(groups).pk, project.pk) for project in taken],
        )
        self._status_history(groups)
        self._questions(groups)
        self._cycles(groups)
        return groups

    def _status_history(self, groups) -> None:
        rng, changes = self.rng, []
        for group in groups:
            last = group.end_date or PERIOD_END
            path = [GroupStatus.SCOPING, GroupStatus.FORMING, GroupStatus.ACTIVE]
            if group.status != GroupStatus.ACTIVE:
                path.append(group.status)
            days = sorted(day_between(rng, group.start_date, last) for _ in path[1:])
            for status, day in zip(path, [group.start_date, *days], strict=True):
                changes.append(GroupStatusChange(group=group, status=status, changed_on=day))
        self.writer.create(GroupStatusChange, changes)

    def _questions(self, groups) -> None:
        rng, questions = self.rng, []
        for group in groups:
            adopted = group.start_date
            for number in range(rng.randint(1, 2)):
                questions.append(
                    ResearchQuestion(
                        group=group,
                        text=f"How can {group.topic.lower()} work be improved? ({number + 1})",
                        adopted_on=adopted,
                    )
                )
            if len(questions) > 1 and questions[-2].group is group:
                replaced = day_between(rng, adopted, group.end_date or PERIOD_END)
                questions[-2].replaced_on = replaced
                questions[-1].adopted_on = replaced
        self.writer.create(ResearchQuestion, questions)

    def _cycles(self, groups) -> None:
        cycles = []
        for group in groups:
            if group.kind != GroupKind.CAR_INQUIRY:
                continue
            last = group.end_date or PERIOD_END
            bounds = [
                group.start_date,
                *sorted(day_between(self.rng, group.start_date, last) for _ in range(2)),
                last,
            ]
            cycles += [
                Cycle(
                    group=group,
                    number=n + 1,
                    title=f"Cycle {n + 1}",
                    start_date=bounds[n],
                    end_date=bounds[n + 1],
                )
                for n in range(3)
            ]
        cycles = self.writer.create(Cycle, cycles)
        self.cycles = defaultdict(list)
        for cycle in cycles:
            self.cycles[cycle.group_id].append(cycle)
