"""The schema of a programme description: one declaration per section, the keys it may hold.

To accept a new key, declare it in its section below (``required(...)`` if the loader cannot
do without it, ``choice(Enum)`` if it takes a vocabulary, ``_key_of("sites")`` if it names
another record by its key; ``_keys(spec, "a b")`` declares several keys alike) and load it
where its section is loaded; a key that is not declared stops the load.
"""

from events import enums as events
from evidence import enums as evidence
from inquiries import enums as inquiries
from programme_data.loading.schema import Citing, Keyed, Value, choice, items, record, required
from sites import enums as sites

TEXT = Value()
NUMBER = Value(number=True)
FLAG = Value(flag=True)
DATE = Value(date=True)
NAMED = required(TEXT)  # what names a record: its key, name or title
THEMES = items(TEXT)  # theme names, or "<framework>: <theme>"


def _keys(spec: Value, names: str) -> dict[str, Value]:
    """The keys ``names`` (separated by spaces), each declared as ``spec``."""
    return dict.fromkeys(names.split(), spec)


def _key_of(collection: str) -> Value:
    """The key of a record of ``collection`` (a record that ``defines`` it)."""
    return Value(refers=collection)


def _keys_of(collection: str) -> Value:
    return items(_key_of(collection))


SOURCE = required(TEXT, missing="a published figure needs its source note")

# A total the source publishes without rows to derive it from, with its source note.
FIGURE = record(
    label=NAMED,
    value=required(NUMBER),
    qualifier=choice(sites.Qualifier),
    source=SOURCE,
)

# A total the source gives about a group (members, consultees, meetings) with no rows to count.
GROUP_FIGURE = record(
    counts=required(choice(inquiries.GroupFigureKind)),
    qualifier=choice(sites.Qualifier),
    value=required(NUMBER),
    **_keys(DATE, "start end"),
    label=TEXT,
    source=SOURCE,
)

PROGRAMME = record(
    **_keys(NAMED, "name slug"),
    **_keys(TEXT, "description funders"),
    **_keys(DATE, "start end"),
    figures=items(FIGURE),
    # The programme's own learning community of researchers (the PLC).
    plc=record(name=NAMED, start=DATE, description=TEXT),
)

FRAMEWORK = record(
    name=NAMED,
    description=TEXT,
    themes=required(items(record(name=NAMED, description=TEXT))),
)

# Named people: researchers, directors and authors (users without a login). What they are is
# said where they are named (a site's researcher and director, an activity's roles, an output's
# authors); a user holds no organisation, so an affiliation has no place to be loaded into.
PERSON = record(defines="people", **_keys(NAMED, "key name"))

ORGANISATION = record(
    defines="organisations",
    **_keys(NAMED, "key name"),
    sector=required(choice(sites.Sector)),
    sites=_keys_of("sites"),
)

ACTIVITY = record(
    kind=required(choice(inquiries.ActivityKind)),
    title=NAMED,
    date=DATE,
    **_keys(NUMBER, "count attendance"),
    approximate=FLAG,
    note=TEXT,
)

GROUP = record(
    defines="groups",
    **_keys(NAMED, "key name"),
    kind=required(choice(inquiries.GroupKind)),
    **_keys(TEXT, "short_name topic description lead"),
    parent=_key_of("groups"),
    status_history=items(record(status=required(choice(inquiries.GroupStatus)), on=required(DATE))),
    **_keys(DATE, "start end"),
    approach=choice(inquiries.Approach),
    sites=_keys_of("sites"),
    researchers=_keys_of("people"),
    # How many of the members are from each organisation, where the source says so.
    member_organisations=Keyed(refers="organisations", value=NUMBER),
    # How many of the members, in which role, are members of an earlier group.
    shared_with=Keyed(
        refers="groups", value=Keyed(vocabulary=inquiries.MembershipRole, value=NUMBER)
    ),
    themes=THEMES,
    researcher_roles=items(choice(inquiries.FacilitationRole)),
    research_questions=items(record(text=NAMED, **_keys(DATE, "adopted_on replaced_on"))),
    members=Keyed(vocabulary=inquiries.MembershipRole, value=NUMBER),
    members_include_researchers=FLAG,
    named_members=items(
        record(
            person=required(_key_of("people")),
            role=required(choice(inquiries.MembershipRole)),
        ),
    ),
    published=items(GROUP_FIGURE),
    activities=items(ACTIVITY),
)

TALLY = record(
    kind=required(choice(inquiries.ActivityKind)),
    count=required(NUMBER),
    direction=choice(inquiries.ContactDirection),
    label=NAMED,
    response_rate=NUMBER,
)

ENGAGEMENT = record(
    period=record(**_keys(DATE, "start end"), weeks=NUMBER, source=TEXT),
    tallies=items(TALLY),
    figures=items(FIGURE),
    notes=items(TEXT),
)

PROPOSED_PROJECT = record(
    title=NAMED,
    **_keys(TEXT, "description reason"),
    outcome=choice(sites.ProjectOutcome),
    delivered_as=_keys_of("groups"),
)

SITE = record(
    defines="sites",
    **_keys(NAMED, "key name"),
    **_keys(TEXT, "partnership population_qualifier inequality_notes"),
    **_keys(_key_of("people"), "director researcher"),
    population=NUMBER,
    geography=choice(sites.Geography),
    selection=record(**_keys(TEXT, "need capacity sustainability")),
    delivered_summary=items(TEXT),
    proposed_projects=items(PROPOSED_PROJECT),
    engagement=ENGAGEMENT,
    activities=items(ACTIVITY),
    groups=items(GROUP),
)

OUTPUT = record(
    defines="outputs",
    **_keys(NAMED, "key title"),
    kind=required(choice(evidence.OutputKind)),
    form=choice(evidence.OutputForm),
    status=choice(evidence.OutputStatus),
    published_on=DATE,
    **_keys(TEXT, "url description"),
    groups=_keys_of("groups"),
    sites=_keys_of("sites"),
    authors=_keys_of("people"),
    themes=THEMES,
)

EVIDENCE = record(
    defines="evidence",
    **_keys(NAMED, "key title"),
    kind=required(choice(evidence.EvidenceKind)),
    order=required(choice(evidence.EvidenceOrder)),
    authorship=required(choice(evidence.Authorship)),
    use=choice(evidence.EvidenceUse),
    data_source_row=NUMBER,
    **_keys(TEXT, "source description"),
    group=_key_of("groups"),
    collected_on=DATE,
    sites=_keys_of("sites"),
    themes=THEMES,
)

# Shares of responses, from 0 to 1, each held by the statement it was published for.
FEEDBACK = record(
    statements=items(
        record(text=NAMED, **_keys(NUMBER, "share_4_or_5 share_4_or_5_min share_4_or_5_max"))
    ),
    free_text=items(TEXT),
    comment_summaries=Keyed(value=items(TEXT)),
)

EVENT = record(
    defines="events",
    title=NAMED,
    kind=required(choice(events.EventKind)),
    start=DATE,  # none where the source gives no date (date_note says what it does give)
    end=DATE,
    **_keys(TEXT, "key date_note location organiser purpose"),
    report_output=_key_of("outputs"),
    summary=items(TEXT),
    sites=_keys_of("sites"),
    organisations=_keys_of("organisations"),
    groups=_keys_of("groups"),
    themes=THEMES,
    attendance_total=NUMBER,
    attendance_approximate=FLAG,
    attendance_by_organisation=items(
        record(organisation=required(_key_of("organisations")), count=required(NUMBER))
    ),
    attendance_by_site=items(record(site=required(_key_of("sites")), count=required(NUMBER))),
    feedback=FEEDBACK,
)

CHANGE = record(
    defines="changes",
    description=required(TEXT),
    type=required(choice(evidence.ChangeType)),
    level=required(choice(evidence.ChangeLevel)),
    date=DATE,
    **_keys(TEXT, "key title"),
    group=_key_of("groups"),
    sites=_keys_of("sites"),
    evidence=_keys_of("evidence"),
    outputs=_keys_of("outputs"),
    themes=THEMES,
)

# A chapter's Markdown cites records by their keys in the file; the loader writes their
# primary keys, the form the edition's text takes (reports.documents.authored).
CITATIONS = (
    ("output", "outputs"),
    ("evidence", "evidence"),
    ("change", "changes"),
    ("event", "events"),
    ("group", "groups"),
)

CHAPTER = record(
    title=TEXT,
    section=TEXT,
    body=Citing(cites=CITATIONS),
)

# The programme's end-of-programme report as its authors wrote it: the cover and the
# chapters in order, authored ones with a body and the report's data chapters by section.
EDITION = record(
    title=NAMED,
    **_keys(TEXT, "subtitle publisher licence isbn doi citation"),
    authors=items(TEXT),
    published_on=DATE,
    anonymise=FLAG,
    chapters=required(items(CHAPTER)),
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
    editions=items(EDITION),
)
