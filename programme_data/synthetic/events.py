"""Events of a synthetic programme, with head counts; half of them with feedback."""

import datetime as dt

from events.enums import EventKind
from events.models import AttendanceCount, Event
from programme_data.synthetic import proportions
from programme_data.synthetic.base import (
    PERIOD_END,
    PERIOD_START,
    SiteBuild,
    day_between,
    invented_word,
    pick,
)
from programme_data.synthetic.feedback import feedback_forms


def programme_events(rng, writer, programme, case_sites, themes, national) -> None:
    """Programme-wide national events (retreats), about one for every four sites."""
    events = writer.create(
        Event,
        [
            Event(
                programme=programme,
                title=f"National retreat {index + 1}",
                kind=EventKind.NATIONAL_RETREAT,
                start_date=(start := day_between(rng, PERIOD_START, PERIOD_END)),
                end_date=start + dt.timedelta(days=1),
                location=f"{invented_word(rng)} House",
                organiser="Programme team",
                purpose="Bring the inquiry groups of every site together.",
            )
            for index in range(max(2, len(case_sites) // 4))
        ],
    )
    writer.link(Event.themes, [(event.pk, rng.choice(themes).pk) for event in events])
    writer.link(
        Event.organisations,
        [(event.pk, org.pk) for event in events for org in rng.sample(national, 2)],
    )
    writer.create(
        AttendanceCount,
        [
            AttendanceCount(event=event, site=site, count=rng.randint(3, 15))
            for event in events
            for site in rng.sample(case_sites, min(len(case_sites), 6))
        ],
    )
    feedback_forms(rng, writer, events)


class Events(SiteBuild):
    def _events(self) -> None:
        rng = self.rng
        events = self.writer.create(
            Event,
            [
                Event(
                    programme=self.programme,
                    title=f"{EventKind(kind).label} {number + 1}, {self.site.name}",
                    kind=kind,
                    start_date=day_between(rng, PERIOD_START, PERIOD_END),
                    location=f"{self.site.name} {rng.choice(['Hall', 'Centre', 'Library'])}",
                    organiser=f"{self.site.name} researchers",
                )
                for number in range(rng.randint(*proportions.EVENTS_PER_SITE))
                for kind in [pick(rng, proportions.SITE_EVENT_KINDS)]
            ],
        )
        self.writer.link(Event.sites, [(event.pk, self.site.pk) for event in events])
        self.writer.link(
            Event.groups,
            [(event.pk, group.pk) for event in events for group in rng.sample(self.groups, 2)],
        )
        self.writer.link(Event.themes, self._theme_pairs(events))
        named = [event for event in events if rng.random() < 0.4]
        self.writer.link(
            Event.attendees,
            [
                (event.pk, person.pk)
                for event in named
                for person in rng.sample(self.people, rng.randint(5, 25))
            ],
        )
        counts = []
        for event in events:
            if event in named:
                continue
            if rng.random() < 0.3:
                counts += [
                    AttendanceCount(event=event, organisation=org, count=rng.randint(1, 12))
                    for org in rng.sample(self.organisations, min(3, len(self.organisations)))
                ]
            else:
                counts.append(
                    AttendanceCount(
                        event=event, count=rng.randint(8, 75), approximate=rng.random() < 0.2
                    )
                )
        self.writer.create(AttendanceCount, counts)
        feedback_forms(rng, self.writer, [event for event in events if rng.random() < 0.5])
