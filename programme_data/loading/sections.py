"""The schema of a programme description: one declaration per section, the keys it may hold.

To accept a new key, declare it in its section below (``required(...)`` if the loader cannot
do without it, ``choice(Enum)`` if it takes a vocabulary) and load it where its section is
loaded; a key that is not declared stops the load.
"""

from events.enums import EventKind
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
)
from inquiries.enums import (
    ActivityKind,
    Approach,
    ContactDirection,
    FacilitationRole,
    GroupKind,
    GroupStatus,
    MembershipRole,
)
from programme_data.loading.schema import Keyed, Value, choice, items, record, required
from sites.enums import Geography, ProjectOutcome, Qualifier, Sector

TEXT = Value()
NUMBER = Value(number=True)
FLAG = Value(flag=True)
DATE = Value(date=True)
KEYS = items(TEXT)  # keys of other records of the description (sites, groups, themes...)

# A total the source publishes without rows to derive it from, with its source note.
FIGURE = record(
    label=required(TEXT),
    value=required(NUMBER),
    qualifier=choice(Qualifier),
    source=required(TEXT, missing="a published figure needs its source note"),
)

PROGRAMME = record(
    name=required(TEXT),
    slug=required(TEXT),
    description=TEXT,
    funders=TEXT,
    start=DATE,
    end=DATE,
    figures=items(FIGURE),
    # The programme's own learning community of researchers (the PLC).
    plc=record(name=required(TEXT), start=DATE, description=TEXT),
)

FRAMEWORK = record(
    name=required(TEXT),
    description=TEXT,
    themes=required(items(record(name=required(TEXT), description=TEXT))),
)

# Named people: researchers, directors and authors (users without a login).
PERSON = record(key=required(TEXT), name=required(TEXT), role=TEXT, organisation=TEXT)

ORGANISATION = record(
    key=required(TEXT), name=required(TEXT), sector=required(choice(Sector)), sites=KEYS
)

ACTIVITY = record(
    kind=required(choice(ActivityKind)),
    title=required(TEXT),
    date=DATE,
    count=NUMBER,
    attendance=NUMBER,
    approximate=FLAG,
    note=TEXT,
)

GROUP = record(
    key=required(TEXT),
    name=required(TEXT),
    short_name=TEXT,
    kind=required(choice(GroupKind)),
    topic=TEXT,
    description=TEXT,
    status_history=items(record(status=required(choice(GroupStatus)), on=required(DATE))),
    start=DATE,
    end=DATE,
    parent=TEXT,
    sites=KEYS,
    approach=choice(Approach),
    lead=TEXT,
    researchers=KEYS,
    researcher_roles=items(choice(FacilitationRole)),
    research_questions=items(
        record(text=required(TEXT), adopted_on=DATE, replaced_on=DATE),
    ),
    members=Keyed(vocabulary=MembershipRole, value=NUMBER),
    members_include_researchers=FLAG,
    members_by_site=Keyed(value=NUMBER),
    member_organisations=KEYS,
    named_members=items(record(person=required(TEXT), role=required(choice(MembershipRole)))),
    participants=record(count=required(NUMBER), label=required(TEXT), approximate=FLAG),
    meetings=record(count=NUMBER, start=DATE, end=DATE, approximate=FLAG, label=TEXT),
    activities=items(ACTIVITY),
    themes=KEYS,
)

ENGAGEMENT = record(
    period=record(start=DATE, end=DATE, weeks=NUMBER, source=TEXT),
    tallies=items(
        record(
            kind=required(choice(ActivityKind)),
            count=required(NUMBER),
            direction=choice(ContactDirection),
            label=required(TEXT),
            response_rate=NUMBER,
        )
    ),
    figures=items(FIGURE),
    notes=items(TEXT),
)

SITE = record(
    key=required(TEXT),
    name=required(TEXT),
    partnership=TEXT,
    population=NUMBER,
    population_qualifier=TEXT,
    geography=choice(Geography),
    inequality_notes=TEXT,
    selection=record(need=TEXT, capacity=TEXT, sustainability=TEXT),
    delivered_summary=items(TEXT),
    director=TEXT,
    researcher=TEXT,
    proposed_projects=items(
        record(
            title=required(TEXT),
            description=TEXT,
            outcome=choice(ProjectOutcome),
            reason=TEXT,
            delivered_as=KEYS,
        )
    ),
    engagement=ENGAGEMENT,
    activities=items(ACTIVITY),
    groups=items(GROUP),
)

OUTPUT = record(
    key=required(TEXT),
    title=required(TEXT),
    kind=required(choice(OutputKind)),
    form=choice(OutputForm),
    status=choice(OutputStatus),
    published_on=DATE,
    url=TEXT,
    description=TEXT,
    groups=KEYS,
    sites=KEYS,
    authors=KEYS,
    themes=KEYS,
)

EVIDENCE = record(
    key=required(TEXT),
    title=required(TEXT),
    kind=required(choice(EvidenceKind)),
    order=required(choice(EvidenceOrder)),
    authorship=required(choice(Authorship)),
    use=choice(EvidenceUse),
    source=TEXT,
    group=TEXT,
    collected_on=DATE,
    description=TEXT,
    sites=KEYS,
    themes=KEYS,
)

SHARE = NUMBER  # a share of responses, 0 to 1
FEEDBACK = record(
    responses=NUMBER,
    share_4_or_5_range=record(min=SHARE, max=SHARE),
    statements=items(
        record(
            text=required(TEXT),
            share_4_or_5=SHARE,
            share_4_or_5_min=SHARE,
            share_4_or_5_max=SHARE,
        )
    ),
    free_text=items(TEXT),
    comment_summaries=Keyed(value=items(TEXT)),
)

EVENT = record(
    key=TEXT,
    title=required(TEXT),
    kind=required(choice(EventKind)),
    start=required(DATE),
    end=DATE,
    date_note=TEXT,
    location=TEXT,
    organiser=TEXT,
    purpose=TEXT,
    summary=items(TEXT),
    report_output=TEXT,
    sites=KEYS,
    organisations=KEYS,
    groups=KEYS,
    themes=KEYS,
    attendance_total=NUMBER,
    attendance_approximate=FLAG,
    attendance_by_organisation=items(
        record(organisation=required(TEXT), count=required(NUMBER)),
    ),
    attendance_by_site=items(record(site=required(TEXT), count=required(NUMBER))),
    feedback=FEEDBACK,
)

CHANGE = record(
    key=TEXT,
    title=TEXT,
    description=required(TEXT),
    type=required(choice(ChangeType)),
    level=required(choice(ChangeLevel)),
    date=DATE,
    group=TEXT,
    sites=KEYS,
    evidence=KEYS,
    outputs=KEYS,
    themes=KEYS,
)

DESCRIPTION = record(
    programme=required(PROGRAMME),
    frameworks=items(FRAMEWORK),
    people=items(PERSON),
    organisations=items(ORGANISATION),
    sites=items(SITE),
    outputs=items(OUTPUT),
    evidence=items(EVIDENCE),
    events=items(EVENT),
    changes=items(CHANGE),
)
