"""The entry point: a whole synthetic programme, site by site."""

import random

from django.db import transaction

from car_programme.records_version import records_write
from programme_data.synthetic.activities import Activities
from programme_data.synthetic.base import PERIOD_END, PERIOD_START, Writer
from programme_data.synthetic.deletion import programme_delete
from programme_data.synthetic.events import Events, programme_events
from programme_data.synthetic.evidence import Evidence
from programme_data.synthetic.feedback import date_feedback_responses
from programme_data.synthetic.groups import Groups
from programme_data.synthetic.memberships import Memberships
from programme_data.synthetic.people import People
from programme_data.synthetic.sites import (
    FRAMEWORKS,
    TOPICS,
    SiteRecords,
    national_organisations,
    site_names,
)
from reports.rollups import rollups_rebuild
from sites.enums import Geography
from sites.models import CaseSite, Programme, Theme


def programme_slug(*, sites: int, seed: int) -> str:
    return f"synthetic-{sites}-{seed}"


@records_write
@transaction.atomic
def generate_programme(*, sites: int, seed: int) -> Programme:
    """Create the synthetic programme ``synthetic-<sites>-<seed>``, replacing an earlier one.

    Side effects: deletes the programme of that slug and all its records, then writes the new
    ones in one transaction. The counts written are on ``programme.summary``.
    """
    slug = programme_slug(sites=sites, seed=seed)
    programme_delete(slug=slug)
    rng = random.Random(f"{seed}:programme")
    writer = Writer()
    programme = Programme.objects.create(
        name=f"Synthetic CAR programme ({sites} sites, seed {seed})",
        slug=slug,
        description="Invented data for benchmarks: no real person or place.",
        funders="Synthetic Research Council",
        start_date=PERIOD_START,
        end_date=PERIOD_END,
    )
    writer.summary.add(Programme, 1)
    themes = writer.create(
        Theme,
        [
            Theme(programme=programme, framework=framework, name=name, position=position)
            for framework, names in FRAMEWORKS.items()
            for position, name in enumerate(names)
        ],
    )
    names = site_names(rng, sites)
    case_sites = writer.create(
        CaseSite,
        [
            CaseSite(
                programme=programme,
                name=name,
                slug=f"site-{index + 1}",
                partnership_name=f"{name} Community Planning Partnership",
                population=rng.randrange(20_000, 600_000, 1000),
                geography=rng.choice(Geography.values),
                delivered_focus=[rng.choice(TOPICS) for _ in range(2)],
            )
            for index, name in enumerate(names)
        ],
    )
    national = national_organisations(rng, writer, programme, case_sites)
    builders = [
        _SiteBuilder(
            rng=random.Random(f"{seed}:site:{index}"),
            writer=writer,
            programme=programme,
            site=site,
            themes=themes,
            national=national,
        )
        for index, site in enumerate(case_sites)
    ]
    for builder in builders:
        builder.build()
    programme_events(rng, writer, programme, case_sites, themes, national)
    date_feedback_responses(programme)
    rollups_rebuild(programme)  # the attendance went in in bulk
    programme.summary = writer.summary
    return programme


class _SiteBuilder(SiteRecords, People, Groups, Memberships, Activities, Evidence, Events):
    """Writes one site's records, kind by kind, in the order their draws were designed in."""

    def build(self) -> None:
        self.organisations = self._organisations()
        self.people = self._people()
        self._consents()
        self.projects = self._proposed_projects()
        self.groups = self._groups()
        self.spans = self._memberships()
        self.activities = self._activities()
        self.evidence = self._evidence()
        self.outputs = self._outputs()
        self._changes()
        self._events()
