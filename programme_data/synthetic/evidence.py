"""Evidence, outputs and changes of a synthetic site's groups."""

import itertools
from collections import defaultdict

from evidence.enums import EvidenceKind, OutputForm, OutputKind, OutputStatus
from evidence.models import Change, EvidenceItem, Output
from programme_data.synthetic import proportions
from programme_data.synthetic.base import PERIOD_END, SiteBuild, day_between, pick

CREATIVE_KINDS = {OutputKind.BLOG_POST, OutputKind.FILM, OutputKind.INFOGRAPHIC}


class Evidence(SiteBuild):
    def _evidence(self) -> list[EvidenceItem]:
        rng, items = self.rng, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            activities = self.activities[group.pk]
            for number in range(rng.randint(*proportions.EVIDENCE_PER_GROUP)):
                kind = pick(rng, proportions.EVIDENCE_KINDS)
                order, authorship = pick(rng, proportions.EVIDENCE_ORIGINS)
                items.append(
                    EvidenceItem(
                        programme=self.programme,
                        group=group,
                        activity=rng.choice(activities) if rng.random() < 0.3 else None,
                        title=f"{EvidenceKind(kind).label} {number + 1}: {group.name}",
                        kind=kind,
                        order=order,
                        authorship=authorship,
                        use=pick(rng, proportions.EVIDENCE_USES),
                        collected_on=day_between(rng, group.start_date, last),
                        sensitivity=pick(rng, proportions.SENSITIVITIES),
                    )
                )
        items = self.writer.create(EvidenceItem, items)
        self.writer.link(EvidenceItem.sites, [(item.pk, self.site.pk) for item in items])
        self.writer.link(EvidenceItem.themes, self._theme_pairs(items, 1))
        return items

    def _outputs(self) -> list[Output]:
        rng, outputs, authors = self.rng, [], []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            for number in range(rng.randint(*proportions.OUTPUTS_PER_GROUP)):
                kind = pick(rng, proportions.OUTPUT_KINDS)
                status = pick(rng, proportions.OUTPUT_STATUSES)
                drafted = day_between(rng, group.start_date, last)
                outputs.append(
                    Output(
                        programme=self.programme,
                        title=f"{OutputKind(kind).label} {number + 1}: {group.name}",
                        kind=kind,
                        form=OutputForm.CREATIVE if kind in CREATIVE_KINDS else OutputForm.FORMAL,
                        status=status,
                        drafted_on=drafted,
                        published_on=(
                            day_between(rng, drafted, PERIOD_END)
                            if status == OutputStatus.PUBLISHED
                            else None
                        ),
                    )
                )
                members = [span.person for span in self.spans[group.pk]]
                authors.append((group, rng.sample(members, min(len(members), rng.randint(1, 3)))))
        outputs = self.writer.create(Output, outputs)
        self.writer.link(
            Output.groups,
            [(output.pk, group.pk) for output, (group, _) in zip(outputs, authors, strict=True)],
        )
        self.writer.link(Output.sites, [(output.pk, self.site.pk) for output in outputs])
        self.writer.link(
            Output.authors,
            [
                (o.pk, person.pk)
                for o, (_, people) in zip(outputs, authors, strict=True)
                for person in people
            ],
        )
        self.writer.link(Output.themes, self._theme_pairs(outputs))
        self.output_groups = {
            output.pk: group for output, (group, _) in zip(outputs, authors, strict=True)
        }
        return outputs

    def _changes(self) -> None:
        rng, changes = self.rng, []
        evidence_by_group = defaultdict(list)
        for item in self.evidence:
            evidence_by_group[item.group_id].append(item)
        outputs_by_group = defaultdict(list)
        for output in self.outputs:
            outputs_by_group[self.output_groups[output.pk].pk].append(output)
        for group in self.groups:
            for number in range(rng.randint(*proportions.CHANGES_PER_GROUP)):
                changes.append(
                    Change(
                        programme=self.programme,
                        group=group,
                        title=f"Change {number + 1}: {group.name}",
                        date=day_between(rng, group.start_date, group.end_date or PERIOD_END),
                        type=pick(rng, proportions.CHANGE_TYPES),
                        level=pick(rng, proportions.CHANGE_LEVELS),
                    )
                )
        changes = self.writer.create(Change, changes)
        self.writer.link(Change.sites, [(change.pk, self.site.pk) for change in changes])
        self.writer.link(
            Change.evidence,
            [
                (change.pk, item.pk)
                for change in changes
                for item in rng.sample(evidence_by_group[change.group_id], rng.randint(1, 3))
            ],
        )
        self.writer.link(
            Change.outputs,
            [
                (change.pk, rng.choice(outputs_by_group[change.group_id]).pk)
                for change in changes
                if rng.random() < 0.5
            ],
        )
        self.writer.link(
            Change.earlier_changes,
            [
                (later.pk, earlier.pk)
                for earlier, later in itertools.pairwise(changes)
                if earlier.date < later.date and rng.random() < 0.2
            ],
        )
        self.writer.link(Change.themes, self._theme_pairs(changes))
