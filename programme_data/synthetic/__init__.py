"""Deterministic synthetic CAR programmes, for benchmarks and load tests.

``generate_programme(sites=N, seed=S)`` builds a programme whose proportions follow the demo
programme: about 12 groups a site, 20 members a group (core and periphery, with leavers and role
changes), 50 activities a group with attendance and backstage tallies, 100 evidence items a
group, outputs, changes, events with head counts and feedback. Every value comes from
``random.Random`` seeded from ``seed`` (and the site's position), and every date lies within a
fixed programme period, so the same arguments always give the same records. Names are built
from syllables: nobody real is named.

Rows are written with ``bulk_create``, which skips django-simple-history: synthetic data needs no
change history, and writing one history row per record would multiply the time by two.
"""

import datetime as dt
import hashlib
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Cast

from car_programme.records_version import records_write
from events.enums import EventKind, QuestionKind
from events.models import (
    AttendanceCount,
    Event,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackQuestion,
    FeedbackResponse,
)
from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    EvidenceUse,
    OutputForm,
    OutputKind,
    OutputStatus,
    Sensitivity,
)
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import (
    ActivityKind,
    Approach,
    ConsentMethod,
    ConsentUse,
    ContactDirection,
    GroupKind,
    GroupStatus,
    LeaveReason,
    Level,
    MembershipRole,
    OccupationCategory,
    Phase,
    ResearcherRole,
    ResearchExperience,
)
from inquiries.models import (
    Activity,
    ActivityResearcherRole,
    Attachment,
    Attendance,
    Consent,
    Cycle,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from sites.enums import Geography, ProjectOutcome, Sector
from sites.models import CaseSite, Organisation, Programme, ProposedProject, Theme

PERIOD_START = dt.date(2015, 1, 1)
PERIOD_END = dt.date(2017, 12, 31)
BATCH_SIZE = 2000

GROUPS_PER_SITE = (10, 14)
MEMBERS_PER_GROUP = (17, 23)
ACTIVITIES_PER_GROUP = (44, 56)
EVIDENCE_PER_GROUP = (90, 110)
OUTPUTS_PER_GROUP = (2, 6)
CHANGES_PER_GROUP = (1, 4)
EVENTS_PER_SITE = (4, 7)

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

SYLLABLES = ["ar", "bel", "cor", "dan", "el", "fin", "gar", "hal", "is", "jor", "kel", "lor"]
SYLLABLES += ["mar", "nev", "or", "pel", "quin", "ros", "sal", "tam", "ul", "ven", "wen", "yar"]
PLACE_START = ["Dun", "Kil", "Inver", "Glen", "Strath", "Ard", "Bal", "Auch", "Kirk", "Loch"]
PLACE_MIDDLE = ["a", "en", "or", "i", "ar", "el", "u", "ol"]
PLACE_END = ["more", "ross", "fern", "brae", "wick", "haven", "ton", "lea", "mond", "garry"]

# Weights follow the demo programme's proportions.
GROUP_KINDS = {
    GroupKind.CAR_INQUIRY: 9,
    GroupKind.CAR_RELATED: 5,
    GroupKind.OPPORTUNISTIC: 4,
    GroupKind.SCOPING: 4,
    GroupKind.STRATEGY: 2,
    GroupKind.COMPLEMENTARY_STUDY: 2,
}
FINAL_STATUSES = {
    GroupStatus.CONCLUDED: 14,
    GroupStatus.ACTIVE: 4,
    GroupStatus.DISCONTINUED: 2,
    GroupStatus.DORMANT: 1,
    GroupStatus.RE_FORMING: 1,
}
ENDED_STATUSES = {GroupStatus.CONCLUDED, GroupStatus.DISCONTINUED}
LEAVE_REASONS = {
    LeaveReason.LEFT_ORGANISATION: 4,
    LeaveReason.CAPACITY: 4,
    LeaveReason.RESTRUCTURE: 2,
    LeaveReason.OTHER: 1,
}
MEETING_KINDS = {
    ActivityKind.GROUP_MEETING: 60,
    ActivityKind.WORKSHOP: 6,
    ActivityKind.DATA_ANALYSIS: 5,
    ActivityKind.INTERVIEW: 5,
    ActivityKind.FOCUS_GROUP: 3,
    ActivityKind.TRAINING: 3,
    ActivityKind.STUDY_VISIT: 2,
    ActivityKind.DEVELOPMENT_DAY: 1,
    ActivityKind.LEARNING_DAY: 1,
    ActivityKind.JOB_SHADOWING: 1,
    ActivityKind.PLC_SESSION: 1,
    ActivityKind.OTHER: 5,
}
TALLY_KINDS = {ActivityKind.EMAIL: 5, ActivityKind.PHONE_CALL: 3, ActivityKind.ONE_TO_ONE: 2}
TALLY_SHARE = 0.15
EVIDENCE_KINDS = {kind: 1 for kind in EvidenceKind} | {
    EvidenceKind.OTHER: 4,
    EvidenceKind.INTERVIEW: 3,
    EvidenceKind.EVIDENCE_REVIEW: 3,
    EvidenceKind.DESK_RESEARCH: 3,
    EvidenceKind.FIELDNOTES: 3,
    EvidenceKind.MINUTES: 3,
}
# Table A of the demo: (order, authorship) shares.
EVIDENCE_ORIGINS = {
    (EvidenceOrder.FIRST, Authorship.COLLABORATION): 18,
    (EvidenceOrder.FIRST, Authorship.PRACTITIONER): 2,
    (EvidenceOrder.FIRST, Authorship.RESEARCHER): 4,
    (EvidenceOrder.SECOND, Authorship.RESEARCHER): 10,
}
EVIDENCE_USES = {
    "": 4,
    EvidenceUse.INSTRUMENTAL: 3,
    EvidenceUse.CONCEPTUAL: 2,
    EvidenceUse.BOTH: 1,
}
SENSITIVITIES = {
    Sensitivity.PUBLIC: 2,
    Sensitivity.INTERNAL: 6,
    Sensitivity.RESTRICTED: 1,
    Sensitivity.PERSONAL: 1,
}
OUTPUT_KINDS = {
    OutputKind.RESEARCH_REPORT: 14,
    OutputKind.BLOG_POST: 10,
    OutputKind.ACADEMIC_PAPER: 4,
    OutputKind.CASE_STUDY: 4,
    OutputKind.OTHER: 4,
    OutputKind.BRIEFING: 2,
    OutputKind.EVENT_REPORT: 2,
    OutputKind.FILM: 2,
    OutputKind.HOW_TO_GUIDE: 2,
    OutputKind.PRESENTATION: 2,
    OutputKind.INFOGRAPHIC: 1,
    OutputKind.THEORY_OF_CHANGE: 1,
    OutputKind.TOOLKIT: 1,
    OutputKind.EVALUATION_FRAMEWORK: 1,
}
CREATIVE_KINDS = {OutputKind.BLOG_POST, OutputKind.FILM, OutputKind.INFOGRAPHIC}
OUTPUT_STATUSES = {
    OutputStatus.PUBLISHED: 9,
    OutputStatus.DRAFT: 1,
    OutputStatus.CONSULTATION: 1,
}
CHANGE_TYPES = {
    ChangeType.SYSTEMS: 5,
    ChangeType.CHRISTIE_LEARNING: 4,
    ChangeType.PRACTICE: 4,
    ChangeType.RESEARCH_SKILLS: 4,
    ChangeType.RELATIONSHIPS: 3,
    ChangeType.POLICY: 1,
}
CHANGE_LEVELS = {
    ChangeLevel.PARTNERSHIP: 6,
    ChangeLevel.TEAM: 6,
    ChangeLevel.ORGANISATION: 3,
    ChangeLevel.NATIONAL: 3,
    ChangeLevel.INDIVIDUAL: 2,
    ChangeLevel.INTERNATIONAL: 1,
}
SITE_EVENT_KINDS = {
    EventKind.SEMINAR: 6,
    EventKind.WORKSHOP: 2,
    EventKind.HOME_RETREAT: 2,
    EventKind.TRAINING: 2,
    EventKind.OTHER: 3,
    EventKind.LEARNING_DAY: 1,
    EventKind.DEVELOPMENT_DAY: 1,
    EventKind.STUDY_VISIT: 1,
    EventKind.BOARD_PRESENTATION: 1,
}
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
LEVELS = {Level.STRATEGIC: 1, Level.MANAGEMENT: 3, Level.OPERATIONAL: 4, Level.FRONTLINE: 3}
OCCUPATIONS = {1: 3, 2: 6, 3: 5, 4: 2, 5: 1, 6: 3, 7: 1, 8: 1, 9: 1}
EXPERIENCE = {
    ResearchExperience.NONE: 4,
    ResearchExperience.SOME: 4,
    ResearchExperience.DEGREE: 2,
    ResearchExperience.RESEARCH_DEGREE: 1,
}
CONSENT_SHARES = {
    ConsentUse.FIRST_ORDER: 0.95,
    ConsentUse.SECOND_ORDER: 0.85,
    ConsentUse.MEDIA: 0.4,
    ConsentUse.NAMED: 0.35,
}
LIKERT_STATEMENTS = [
    "I learnt a lot",
    "I feel better prepared to undertake an inquiry",
    "I enjoyed the process",
]
LIKERT_WEIGHTS = [1, 2, 7, 25, 20]
FREE_TEXT_QUESTION = "What would you change next time?"
FREE_TEXT_ANSWERS = [
    "More time for discussion in small groups.",
    "Shorter presentations.",
    "Invite more frontline staff.",
    "Share the materials beforehand.",
]


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def invented_word(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def invented_name(rng: random.Random) -> str:
    return f"{invented_word(rng, rng.randint(2, 3))} {invented_word(rng, rng.randint(2, 3))}"


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


def programme_slug(*, sites: int, seed: int) -> str:
    return f"synthetic-{sites}-{seed}"


@dataclass
class Summary:
    """How many rows of each model a generation wrote."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, model: type[models.Model], number: int) -> None:
        self.counts[model._meta.label] += number


class _Writer:
    """Bulk-creates rows in batches and counts them."""

    def __init__(self):
        self.summary = Summary()

    def create(self, model: type[models.Model], rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.summary.add(model, len(created))
        return created

    def link(self, relation, pairs) -> None:
        """Rows of an m2m table from ``(source_id, target_id)`` pairs, each pair once."""
        through = relation.through
        source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
        rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)]
        self.create(through, rows)


def programme_delete(*, slug: str) -> None:
    """Delete a synthetic programme and everything in it, fast.

    The row-by-row cascade of ``Model.delete()`` would load every row and write a history row
    for each (simple-history listens to deletes); the bulk rows are removed table by table
    instead, children first; the cascade then handles what is left (roles, report requests).
    """
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        return
    in_programme = [
        FeedbackAnswer.objects.filter(response__form__event__programme=programme),
        FeedbackResponse.objects.filter(form__event__programme=programme),
        FeedbackQuestion.objects.filter(form__event__programme=programme),
        FeedbackForm.objects.filter(event__programme=programme),
        AttendanceCount.objects.filter(event__programme=programme),
        *_m2m_rows(Event, programme),
        Event.objects.filter(programme=programme),
        *_m2m_rows(Change, programme),
        Change.objects.filter(programme=programme),
        *_m2m_rows(Output, programme),
        Output.objects.filter(programme=programme),
        *_m2m_rows(EvidenceItem, programme),
        EvidenceItem.objects.filter(programme=programme),
        Attendance.objects.filter(activity__programme=programme),
        Attachment.objects.filter(activity__programme=programme),
        ActivityResearcherRole.objects.filter(activity__programme=programme),
        *_m2m_rows(Activity, programme),
        Activity.objects.filter(programme=programme),
        Cycle.objects.filter(group__programme=programme),
        Membership.objects.filter(group__programme=programme),
        ResearchQuestion.objects.filter(group__programme=programme),
        GroupStatusChange.objects.filter(group__programme=programme),
        *_m2m_rows(InquiryGroup, programme),
        InquiryGroup.objects.filter(programme=programme),
        Consent.objects.filter(person__programme=programme),
        Person.objects.filter(programme=programme),
        *_m2m_rows(Organisation, programme),
        Organisation.objects.filter(programme=programme),
        ProposedProject.objects.filter(site__programme=programme),
        Theme.objects.filter(programme=programme),
    ]
    for queryset in in_programme:
        queryset._raw_delete(queryset.db)
    programme.delete()


def _m2m_rows(model: type[models.Model], programme: Programme) -> list[models.QuerySet]:
    return [
        relation.remote_field.through.objects.filter(
            **{f"{relation.m2m_field_name()}__programme": programme}
        )
        for relation in model._meta.many_to_many
    ]


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
    writer = _Writer()
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
    national = _national_organisations(rng, writer, programme, case_sites)
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
    _programme_events(rng, writer, programme, case_sites, themes, national)
    _date_feedback_responses(programme)
    programme.summary = writer.summary
    return programme


def _national_organisations(rng, writer, programme, case_sites) -> list[Organisation]:
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


def _programme_events(rng, writer, programme, case_sites, themes, national) -> None:
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
    _feedback(rng, writer, events)


def _feedback(rng, writer, events) -> None:
    """A closed feedback form with Likert and free-text answers for each of ``events``.

    Tokens are derived from the event, not drawn at random, so that generation stays
    deterministic; the forms are closed, so a guessed link accepts nothing.
    """
    forms = writer.create(
        FeedbackForm,
        [
            FeedbackForm(
                event=event,
                title=f"Feedback on {event.title}",
                token=hashlib.sha256(
                    f"{event.programme.slug}:{event.title}:{event.start_date}".encode()
                ).hexdigest(),
                is_open=False,
            )
            for event in events
        ],
    )
    questions = writer.create(
        FeedbackQuestion,
        [
            FeedbackQuestion(form=form, position=position, kind=kind, text=text)
            for form in forms
            for position, (kind, text) in enumerate(
                [(QuestionKind.LIKERT, text) for text in LIKERT_STATEMENTS]
                + [(QuestionKind.FREE_TEXT, FREE_TEXT_QUESTION)]
            )
        ],
    )
    by_form = defaultdict(list)
    for question in questions:
        by_form[question.form_id].append(question)
    responses = writer.create(
        FeedbackResponse,
        [FeedbackResponse(form=form) for form in forms for _ in range(rng.randint(8, 30))],
    )
    answers = []
    for response in responses:
        for question in by_form[response.form_id]:
            if question.kind == QuestionKind.LIKERT:
                score = rng.choices(range(1, 6), weights=LIKERT_WEIGHTS)[0]
                answers.append(FeedbackAnswer(response=response, question=question, score=score))
            elif rng.random() < 0.3:
                text = rng.choice(FREE_TEXT_ANSWERS)
                answers.append(FeedbackAnswer(response=response, question=question, text=text))
    writer.create(FeedbackAnswer, answers)


def _date_feedback_responses(programme: Programme) -> None:
    # ``submitted_at`` is stamped with the current time on insert; the event's day keeps the
    # data deterministic and within the programme period.
    event_start = FeedbackForm.objects.filter(pk=OuterRef("form_id")).values("event__start_date")
    FeedbackResponse.objects.filter(form__event__programme=programme).update(
        submitted_at=Cast(Subquery(event_start[:1]), DateTimeField())
    )


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


@dataclass
class _SiteBuilder:
    rng: random.Random
    writer: _Writer
    programme: Programme
    site: CaseSite
    themes: list[Theme]
    national: list[Organisation]

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

    def _theme_pairs(self, records, most: int = 2) -> list[tuple[int, int]]:
        return [
            (record.pk, theme.pk)
            for record in records
            for theme in self.rng.sample(self.themes, self.rng.randint(0, most))
        ]

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

    def _people(self) -> list[Person]:
        rng = self.rng
        count = rng.randint(150, 190)
        partners = self.organisations + rng.sample(self.national, min(3, len(self.national)))
        people = []
        for number in range(count):
            name = invented_name(rng)
            people.append(
                Person(
                    programme=self.programme,
                    site=self.site,
                    name=name,
                    pseudonym=f"{self.site.slug.upper()}-P{number + 1:03d}",
                    email=f"{name.lower().replace(' ', '.')}@example.org",
                    organisation=rng.choice(partners) if rng.random() < 0.9 else None,
                    job_title=rng.choice(JOB_TITLES),
                    level=pick(rng, LEVELS),
                    occupation_category=OccupationCategory(pick(rng, OCCUPATIONS)),
                    research_experience=pick(rng, EXPERIENCE),
                )
            )
        return self.writer.create(Person, people)

    def _consents(self) -> None:
        rng, consents = self.rng, []
        for person in self.people:
            given = day_between(rng, PERIOD_START, dt.date(2016, 6, 30))
            method = rng.choice(ConsentMethod.values)
            for use, share in CONSENT_SHARES.items():
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

    def _groups(self) -> list[InquiryGroup]:
        rng, groups = self.rng, []
        for number in range(rng.randint(*GROUPS_PER_SITE)):
            topic = rng.choice(TOPICS)
            kind = pick(rng, GROUP_KINDS)
            status = pick(rng, FINAL_STATUSES)
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

    def _memberships(self) -> dict[int, list[_Span]]:
        """About 20 members a group, core and periphery, some joining late, some leaving."""
        rng, spans, rows = self.rng, {}, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            members = rng.sample(self.people, rng.randint(*MEMBERS_PER_GROUP))
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
                    span.reason = pick(rng, LEAVE_REASONS)
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

    def _activities(self) -> dict[int, list[Activity]]:
        """About 50 activities a group: meetings with attendance, and weekly backstage tallies."""
        rng, activities = self.rng, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            cycles = self.cycles.get(group.pk, [])
            for number in range(rng.randint(*ACTIVITIES_PER_GROUP)):
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
                if rng.random() < TALLY_SHARE:
                    activity.kind = pick(rng, TALLY_KINDS)
                    activity.count = rng.randint(2, 40)
                    activity.end_date = min(day + dt.timedelta(days=6), PERIOD_END)
                    if activity.kind != ActivityKind.ONE_TO_ONE:
                        activity.direction = rng.choice(ContactDirection.values)
                else:
                    activity.kind = pick(rng, MEETING_KINDS)
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

    def _evidence(self) -> list[EvidenceItem]:
        rng, items = self.rng, []
        for group in self.groups:
            last = group.end_date or PERIOD_END
            activities = self.activities[group.pk]
            for number in range(rng.randint(*EVIDENCE_PER_GROUP)):
                kind = pick(rng, EVIDENCE_KINDS)
                order, authorship = pick(rng, EVIDENCE_ORIGINS)
                items.append(
                    EvidenceItem(
                        programme=self.programme,
                        group=group,
                        activity=rng.choice(activities) if rng.random() < 0.3 else None,
                        title=f"{EvidenceKind(kind).label} {number + 1}: {group.name}",
                        kind=kind,
                        order=order,
                        authorship=authorship,
                        use=pick(rng, EVIDENCE_USES),
                        collected_on=day_between(rng, group.start_date, last),
                        sensitivity=pick(rng, SENSITIVITIES),
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
            for number in range(rng.randint(*OUTPUTS_PER_GROUP)):
                kind = pick(rng, OUTPUT_KINDS)
                status = pick(rng, OUTPUT_STATUSES)
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
            for number in range(rng.randint(*CHANGES_PER_GROUP)):
                changes.append(
                    Change(
                        programme=self.programme,
                        group=group,
                        title=f"Change {number + 1}: {group.name}",
                        date=day_between(rng, group.start_date, group.end_date or PERIOD_END),
                        type=pick(rng, CHANGE_TYPES),
                        level=pick(rng, CHANGE_LEVELS),
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
                for number in range(rng.randint(*EVENTS_PER_SITE))
                for kind in [pick(rng, SITE_EVENT_KINDS)]
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
        _feedback(rng, self.writer, [event for event in events if rng.random() < 0.5])
