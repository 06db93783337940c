"""Themes, sites, organisations and proposed projects of a synthetic programme."""

import random

from programme_data.synthetic.base import SiteBuild, invented_word, pick
from sites.enums import ProjectOutcome, Sector
from sites.models import Organisation, ProposedProject

FRAMEWORKS = {
    "Christie pillars": ["Partnership", "Participation", "Performance", "Prevention"],
    "Key messages": [
        "Participation",
        "Partnership",
        "Governance",
        "Workforce",
        "Leadership",
        "Prevention",
        "Place",
        "Evidence",
    ],
}

TOPICS = [
    "Welfare reform",
    "Early years",
    "Community safety",
    "Family support",
    "School attainment",
    "Employability",
    "Health inequalities",
    "Participatory budgeting",
    "Housing",
    "Older people",
    "Youth work",
    "Community links",
    "Food poverty",
    "Place-based working",
    "Locality planning",
    "Community learning",
]

PLACE_START = ["Dun", "Kil", "Inver", "Glen", "Strath", "Ard", "Bal", "Auch", "Kirk", "Loch"]
PLACE_MIDDLE = ["a", "en", "or", "i", "ar", "el", "u", "ol"]
PLACE_END = ["more", "ross", "fern", "brae", "wick", "haven", "ton", "lea", "mond", "garry"]

SITE_SECTORS = [
    (Sector.LOCAL_AUTHORITY, 1.0, "{site} Council"),
    (Sector.NHS, 1.0, "NHS {site}"),
    (Sector.POLICE, 0.6, "{site} Police Division"),
    (Sector.FIRE_RESCUE, 0.3, "{site} Fire and Rescue"),
    (Sector.THIRD_SECTOR, 1.0, "{site} {word} Trust"),
    (Sector.THIRD_SECTOR, 1.0, "{site} {word} Network"),
    (Sector.THIRD_SECTOR, 0.5, "{word} Voluntary Action {site}"),
    (Sector.COMMUNITY, 0.8, "{word} Community Council, {site}"),
    (Sector.PRIVATE, 0.3, "{word} Consulting, {site}"),
    (Sector.OTHER, 0.6, "{site} {word} Partnership Forum"),
]
NATIONAL_SECTORS = [
    (Sector.NATIONAL_AGENCY, "{word} Agency"),
    (Sector.UNIVERSITY, "University of {word}"),
    (Sector.NATIONAL_AGENCY, "{word} Improvement Service"),
    (Sector.OTHER, "{word} Institute"),
]


def site_names(rng: random.Random, count: int) -> list[str]:
    combinations = [
        f"{start}{middle}{end}"
        for start in PLACE_START
        for middle in PLACE_MIDDLE
        for end in PLACE_END
    ]
    names = rng.sample(combinations, min(count, len(combinations)))
    # Beyond the syllable combinations, numbered districts keep names unique.
    names += [f"{combinations[i % len(combinations)]} {i}" for i in range(len(names), count)]
    return names


def national_organisations(rng, writer, programme, case_sites) -> list[Organisation]:
    count = 3 + len(case_sites) // 2
    organisations = writer.create(
        Organisation,
        [
            Organisation(
                programme=programme,
                name=f"{template.format(word=invented_word(rng, 3))} {index + 1}",
                sector=sector,
            )
            for index in range(count)
            for sector, template in [NATIONAL_SECTORS[index % len(NATIONAL_SECTORS)]]
        ],
    )
    writer.link(
        Organisation.sites,
        [
            (organisation.pk, site.pk)
            for organisation in organisations
            for site in rng.sample(case_sites, min(len(case_sites), rng.randint(1, 3)))
        ],
    )
    return organisations


class SiteRecords(SiteBuild):
    def _organisations(self) -> list[Organisation]:
        rng, name = self.rng, self.site.name
        organisations = self.writer.create(
            Organisation,
            [
                Organisation(
                    programme=self.programme,
                    name=template.format(site=name, word=invented_word(rng)),
                    sector=sector,
                )
                for sector, share, template in SITE_SECTORS
                if rng.random() < share
            ],
        )
        self.writer.link(Organisation.sites, [(org.pk, self.site.pk) for org in organisations])
        return organisations

    def _proposed_projects(self) -> list[ProposedProject]:
        rng = self.rng
        return self.writer.create(
            ProposedProject,
            [
                ProposedProject(
                    site=self.site,
                    position=position,
                    title=f"{topic} project",
                    outcome=pick(
                        rng,
                        {
                            ProjectOutcome.TAKEN_FORWARD: 5,
                            ProjectOutcome.MERGED: 1,
                            ProjectOutcome.DROPPED: 2,
                            ProjectOutcome.COMPLEMENTARY_STUDY: 1,
                        },
                    ),
                )
                for position, topic in enumerate(rng.sample(TOPICS, rng.randint(2, 4)))
            ],
        )
