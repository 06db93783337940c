"""The whole programme's counts read from the tallies that the writes keep (``reports.tallies``)
agree with the same counts taken from every record, on random synthetic programmes after
random writes through the services; a rebuild gives the rows the writes kept, and a
programme's writes leave another programme's tallies as they were."""

import contextlib
import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db.models import Count
from zeal import zeal_ignore

from car_programme.exceptions import DomainError
from evidence.enums import EvidenceKind, EvidenceUse
from evidence.models import EvidenceItem
from evidence.services import evidence_delete, evidence_update
from inquiries.enums import ActivityKind
from inquiries.models import Activity, InquiryGroup, Person
from inquiries.services import activity_delete, activity_log, activity_update, person_delete
from programme_data.synthetic import generate_programme
from reports.metrics import MetricScope, evidence_by_use, evidence_table_a, headline
from reports.models import RecordTally
from sites.models import CaseSite

pytestmark = pytest.mark.django_db


def breakdown_labels(choices, counts: dict) -> dict:
    """{label: count} of a breakdown over ``choices``, "Not recorded" for blanks if any."""
    labels = {str(label): counts.get(value, 0) for value, label in choices.choices}
    if counts.get(""):
        labels["Not recorded"] = counts[""]
    return labels


def check_agreement(programme) -> None:
    scope = MetricScope(programme=programme)
    figures = headline(scope=scope)
    assert figures.activities == scope.activities().count() > 0
    assert figures.evidence_items == scope.evidence().count() > 0
    assert figures.people == scope.people().count() > 0
    by_use = {c.label: c.value for c in evidence_by_use(scope=scope).categories}
    counted = dict(scope.evidence().order_by().values_list("use").annotate(n=Count("pk")))
    assert by_use == breakdown_labels(EvidenceUse, counted)
    by_kind = evidence_table_a(scope=scope).by_kind
    cells = {
        (kind, column): n
        for kind, row in zip(by_kind.row_keys, by_kind.cells, strict=True)
        for column, n in zip(by_kind.column_keys, row, strict=True)
        if n
    }
    counted = (
        scope.evidence()
        .order_by()
        .values_list("kind", "order", "authorship")
        .annotate(n=Count("pk"))
    )
    assert cells == {(kind, f"{order}/{authorship}"): n for kind, order, authorship, n in counted}


def _evidence_write(rng, programme):
    item = rng.choice(list(EvidenceItem.objects.filter(programme=programme)))
    evidence_update(
        item=item,
        sites=list(item.sites.all()),
        group=item.group,
        activity=None,
        themes=list(item.themes.all()),
        by=None,
        kind=rng.choice(EvidenceKind.values),
        use=rng.choice(["", *EvidenceUse.values]),
    )


def _activity_log(rng, programme):
    group = rng.choice(list(InquiryGroup.objects.filter(programme=programme)))
    activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=dt.date(2016, 5, 4))


def _activity_kind(rng, programme):
    activity = rng.choice(list(Activity.objects.filter(programme=programme)))
    activity_update(activity=activity, kind=rng.choice([ActivityKind.WORKSHOP, ActivityKind.EMAIL]))


WRITES = {
    "evidence": _evidence_write,
    "evidence delete": lambda rng, programme: evidence_delete(
        item=rng.choice(list(EvidenceItem.objects.filter(programme=programme))), by=None
    ),
    "log": _activity_log,
    "kind": _activity_kind,
    "activity delete": lambda rng, programme: activity_delete(
        activity=rng.choice(list(Activity.objects.filter(programme=programme)))
    ),
    "person delete": lambda rng, programme: person_delete(
        person=rng.choice(list(Person.objects.filter(programme=programme)))
    ),
}


def random_write(rng: random.Random, programme) -> None:
    write = rng.choice(list(WRITES))
    # A loop of writes reads each write's records anew: not an N+1 of a page.
    with zeal_ignore(), contextlib.suppress(DomainError):
        WRITES[write](rng, programme)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_counts_are_the_records_after_random_writes(seed):
    programme = generate_programme(sites=2, seed=seed)
    rng = random.Random(seed)
    check_agreement(programme)
    for _ in range(30):
        random_write(rng, programme)
        check_agreement(programme)


def _rows(programme) -> list:
    return sorted(
        RecordTally.objects.filter(programme=programme).values_list(
            "record", "bucket", "value_1", "value_2", "value_3", "value_4", "records"
        )
    )


def test_rebuild_rollups_gives_the_tallies_the_writes_kept():
    programme = generate_programme(sites=1, seed=3)
    rng = random.Random(3)
    for _ in range(10):
        random_write(rng, programme)
    kept = _rows(programme)
    assert kept
    RecordTally.objects.update(records=99)
    call_command("rebuild_rollups", "--programme", programme.slug, verbosity=0)
    assert _rows(programme) == kept


def test_writes_in_one_programme_leave_another_programme_s_tallies_as_they_were():
    programme = generate_programme(sites=1, seed=5)
    neighbour = generate_programme(sites=1, seed=6)
    before = _rows(neighbour)
    assert before
    rng = random.Random(5)
    for _ in range(20):
        random_write(rng, programme)
    assert _rows(neighbour) == before


def test_a_site_s_counts_are_read_from_its_records():
    """A site's figures count its records (the tallies hold the whole programme's alone)."""
    programme = generate_programme(sites=2, seed=7)
    site = CaseSite.objects.filter(programme=programme).order_by("pk").first()
    scope = MetricScope(programme, site=site)
    figures = headline(scope=scope)
    assert figures.evidence_items == scope.evidence().count()
    assert figures.evidence_items < MetricScope(programme=programme).evidence().count()
