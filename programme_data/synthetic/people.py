"""People of a synthetic site, and their consents."""

import datetime as dt

from car_programme.words import natural_key
from inquiries.enums import ConsentMethod, OccupationCategory
from inquiries.models import Consent, Person
from programme_data.synthetic import proportions
from programme_data.synthetic.base import (
    PERIOD_END,
    PERIOD_START,
    SiteBuild,
    day_between,
    invented_name,
    pick,
)

JOB_TITLES = [
    "Team leader",
    "Service manager",
    "Community worker",
    "Development officer",
    "Health visitor",
    "Social worker",
    "Head teacher",
    "Project coordinator",
    "Analyst",
    "Police sergeant",
    "Policy officer",
    "Volunteer coordinator",
    "Housing officer",
    "Welfare rights adviser",
]


class People(SiteBuild):
    def _people(self) -> list[Person]:
        rng = self.rng
        count = rng.randint(150, 190)
        partners = self.organisations + rng.sample(self.national, min(3, len(self.national)))
        people = []
        for number in range(count):
            name = invented_name(rng)
            pseudonym = f"{self.site.slug.upper()}-P{number + 1:03d}"
            people.append(
                Person(
                    programme=self.programme,
                    site=self.site,
                    name=name,
                    pseudonym=pseudonym,
                    # Written in bulk, past Person.save, which keeps the sort keys.
                    name_sort=natural_key(name),
                    pseudonym_sort=natural_key(pseudonym),
                    email=f"{name.lower().replace(' ', '.')}@example.org",
                    organisation=rng.choice(partners) if rng.random() < 0.9 else None,
                    job_title=rng.choice(JOB_TITLES),
                    level=pick(rng, proportions.LEVELS),
                    occupation_category=OccupationCategory(pick(rng, proportions.OCCUPATIONS)),
                    research_experience=pick(rng, proportions.EXPERIENCE),
                )
            )
        return self.writer.create(Person, people)

    def _consents(self) -> None:
        rng, consents = self.rng, []
        for person in self.people:
            given = day_between(rng, PERIOD_START, dt.date(2016, 6, 30))
            method = rng.choice(ConsentMethod.values)
            for use, share in proportions.CONSENT_SHARES.items():
                if rng.random() >= share:
                    continue
                withdrawn = None
                if rng.random() < 0.03:
                    withdrawn = day_between(rng, given + dt.timedelta(days=30), PERIOD_END)
                consents.append(
                    Consent(
                        person=person,
                        use=use,
                        given_on=given,
                        method=method,
                        withdrawn_on=withdrawn,
                    )
                )
        self.writer.create(Consent, consents)
