"""Search across a programme's records, limited to what the user may see.

PostgreSQL ranks matches with its full-text search (English stemming, so "sanctioned" finds
"sanctions"); SQLite, the embedded default, falls back to matching every word of the query.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from accounts.rules import permitted

PER_SECTION = 10


@dataclass(frozen=True)
class Searchable:
    label: str
    perm: str
    fields: tuple[str, ...]
    # The attribute shown as the result's title; None shows the record's str().
    title: str | None = None


SEARCHABLE = [
    Searchable(
        "Inquiry groups",
        "inquiries.view_inquirygroup",
        ("name", "short_name", "topic", "description"),
    ),
    Searchable("Activities", "inquiries.view_activity", ("title",)),
    Searchable("Reflective notes", "inquiries.view_activity_notes", ("notes",)),
    Searchable("Evidence", "evidence.view_evidenceitem", ("title", "description", "source")),
    Searchable("Outputs", "evidence.view_output", ("title", "description", "audience")),
    Searchable("Changes", "evidence.view_change", ("title", "description")),
    Searchable("Events", "events.view_event", ("title", "purpose", "summary", "location")),
    Searchable("Organisations", "sites.view_organisation", ("name",)),
    # People are found by name only where the rules show their name, by pseudonym otherwise.
    Searchable("People", "inquiries.view_person_name", ("name", "pseudonym", "job_title"), "name"),
    Searchable("People", "inquiries.view_person", ("pseudonym",), "pseudonym"),
]


@dataclass(frozen=True)
class SearchResult:
    pk: int
    title: str
    url: str


@dataclass
class SearchSection:
    label: str
    results: list[SearchResult]


def search(*, user, text: str) -> list[SearchSection]:
    """The best matches for ``text`` in each kind of record, one query per kind."""
    text = " ".join(text.split())[:200]
    if not text:
        return []
    sections: dict[str, list[SearchResult]] = {}
    for searchable in SEARCHABLE:
        found = _matches(permitted(user, searchable.perm), searchable.fields, text)
        section = sections.setdefault(searchable.label, [])
        seen = {result.pk for result in section}
        section.extend(
            _result(record, searchable) for record in found[:PER_SECTION] if record.pk not in seen
        )
    return [SearchSection(label, results) for label, results in sections.items() if results]


def _result(record, searchable: Searchable) -> SearchResult:
    title = getattr(record, searchable.title) if searchable.title else str(record)
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return SearchResult(pk=record.pk, title=title, url=url)


def _matches(queryset: QuerySet, fields: tuple[str, ...], text: str) -> QuerySet:
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        # "plain": every word must match; websearch would read "F-017" as "F but not 017".
        query = SearchQuery(text, config="english", search_type="plain")
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .order_by("-rank", "pk")
        )
    words = [
        reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields))
        for word in text.split()
    ]
    return queryset.filter(reduce(operator.and_, words)).order_by("pk")
