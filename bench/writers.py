"""Benchmark: writes per second by researchers writing in parallel to one programme.

Every write moves on the versions its figures are cached under (``car_programme/records_version``)
in its own transaction. When every writer of a programme moved one row of the programme, the
writers queued on that row's lock until each other's commit; now a writer moves the rows of its
own site and group. This starts ``--writers`` processes, each writing into a group of its own
site of one programme for ``--seconds``, and prints the writes per second for 1 writer and for
all of them, and the same for all of them writing to one group (who queue on its rows either
way); for each kind of write a researcher makes through the day: logging a group meeting (with
one attendee, ``activity_log``), recording an evidence item of the site and group
(``evidence_create``), and adding a member to the group and ending the membership
(``membership_add`` and ``membership_end``, each a write).

Run it from the project root on PostgreSQL (the database must be migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/car_bench \\
        .venv/bin/python bench/writers.py [--writers 8] [--seconds 5] [--kinds activities ...]

It uses only services that predate the narrower versions, so the same file run from an older
checkout (``cd <checkout> && python <this file>``) measures the one row it replaced.
"""

import argparse
import datetime as dt
import itertools
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import django

sys.path.insert(0, os.getcwd())
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "car_programme.settings")
django.setup()

from django.db import connection, connections  # noqa: E402

from evidence.enums import Authorship, EvidenceKind, EvidenceOrder  # noqa: E402
from evidence.services import evidence_create  # noqa: E402
from inquiries.enums import ActivityKind, LeaveReason, MembershipRole  # noqa: E402
from inquiries.models import InquiryGroup, Person  # noqa: E402
from inquiries.services import (  # noqa: E402
    activity_log,
    group_create,
    membership_add,
    membership_end,
    person_create,
)
from programme_data.synthetic import programme_delete  # noqa: E402
from sites.services import programme_create, site_create  # noqa: E402

SLUG = "bench-writers"
DAY = dt.date(2016, 5, 1)


def programme_with_sites(n: int):
    """A programme of ``n`` sites, each with one group and one person."""
    programme = programme_create(by=None, name=SLUG)
    groups = []
    for number in range(n):
        site = site_create(programme=programme, by=None, name=f"Site {number}")
        group = group_create(sites=[site], name=f"Inquiry {number}")
        person_create(programme=programme, name=f"Person {number}", site=site)
        groups.append(group.pk)
    return programme, groups


def activities(group: InquiryGroup, person: Person) -> Iterator[None]:
    while True:
        activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=DAY, attendees=[person])
        yield


def evidence(group: InquiryGroup, person: Person) -> Iterator[None]:
    site = group.sites.get()
    for number in itertools.count():
        evidence_create(
            programme=group.programme,
            sites=[site],
            group=group,
            by=None,
            title=f"Notes {os.getpid()}-{number}",
            kind=EvidenceKind.EXPERIENTIAL,
            order=EvidenceOrder.FIRST,
            authorship=Authorship.COLLABORATION,
        )
        yield


def memberships(group: InquiryGroup, person: Person) -> Iterator[None]:
    # Each writer adds a person of its own: writers in one group would otherwise add the same.
    person = person_create(programme=group.programme, name=f"Member {os.getpid()}")
    while True:
        membership = membership_add(
            group=group, person=person, role=MembershipRole.CORE, joined_on=DAY
        )
        yield
        membership_end(membership=membership, left_on=DAY, reason=LeaveReason.CAPACITY)
        yield


KINDS = {"activities": activities, "evidence": evidence, "memberships": memberships}


def write_for(kind: str, group_id: int, seconds: float, start_at: float, results) -> None:
    group = InquiryGroup.objects.select_related("programme").get(pk=group_id)
    person = Person.objects.filter(programme=group.programme).first()
    writes = KINDS[kind](group, person)
    # A first write before the clock starts, which also creates what the writer needs.
    next(writes)
    count = 0
    while time.time() < start_at:
        time.sleep(0.001)
    stop = start_at + seconds
    while time.time() < stop:
        next(writes)
        count += 1
    results.put(count)
    connection.close()


def run(kind: str, group_ids: list[int], seconds: float) -> tuple[float, float]:
    """Writes of ``kind`` per second of one process per group id, all writing at once, and the
    writers waiting on a lock."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0
    workers = [
        context.Process(target=write_for, args=(kind, group_id, seconds, start_at, results))
        for group_id in group_ids
    ]
    for worker in workers:
        worker.start()
    waiting = lock_waits(start_at, seconds)
    total = sum(results.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds, waiting


def lock_waits(start_at: float, seconds: float) -> float:
    """How many writers wait on a lock, on average over the run (sampled every 10 ms): the
    queue itself, which the writes per second hide when the machine's cores are the limit."""
    samples = []
    while time.time() < start_at:
        time.sleep(0.001)
    with connection.cursor() as cursor:
        while time.time() < start_at + seconds:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            samples.append(cursor.fetchone()[0])
            time.sleep(0.01)
    connection.close()
    return sum(samples) / len(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS), default=list(KINDS))
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: set DATABASE_URL.")
    programme_delete(slug=SLUG)
    programme, groups = programme_with_sites(options.writers)
    try:
        n = options.writers
        print(
            f"writes       writers  where              writes/s  waiting on a lock"
            f"  (each {options.seconds:g} s)"
        )
        for kind in options.kinds:
            for writers, where in (
                (groups[:1], "one site"),
                (groups, "a site each"),
                (groups[:1] * n, "all in one group"),
            ):
                rate, waiting = run(kind, writers, options.seconds)
                print(f"{kind:<12} {len(writers):>7}  {where:<17} {rate:>9.1f}  {waiting:>17.2f}")
    finally:
        programme_delete(slug=programme.slug)


if __name__ == "__main__":
    main()
