"""What every part of the generator shares: the programme period, random draws, invented
words, the bulk writer, and the site being built."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from sites.models import CaseSite, Organisation, Programme, Theme

PERIOD_START = dt.date(2015, 1, 1)
PERIOD_END = dt.date(2017, 12, 31)
BATCH_SIZE = 2000

SYLLABLES = ["ar", "bel", "cor", "dan", "el", "fin", "gar", "hal", "is", "jor", "kel", "lor"]
SYLLABLES += ["mar", "nev", "or", "pel", "quin", "ros", "sal", "tam", "ul", "ven", "wen", "yar"]


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def invented_word(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def invented_name(rng: random.Random) -> str:
    return f"{invented_word(rng, rng.randint(2, 3))} {invented_word(rng, rng.randint(2, 3))}"


@dataclass
class Summary:
    """How many rows of each model a generation wrote."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, model: type[models.Model], number: int) -> None:
        self.counts[model._meta.label] += number


class Writer:
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


@dataclass
class SiteBuild:
    """The site being built and what its records are drawn from; each part of the generator
    adds the methods that write one kind of record (``generate._SiteBuilder`` runs them)."""

    rng: random.Random
    writer: Writer
    programme: Programme
    site: CaseSite
    themes: list[Theme]
    national: list[Organisation]

    def _theme_pairs(self, records, most: int = 2) -> list[tuple[int, int]]:
        return [
            (record.pk, theme.pk)
            for record in records
            for theme in self.rng.sample(self.themes, self.rng.randint(0, most))
        ]
