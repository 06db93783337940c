"""What every part of the loader shares: the upsert, the dates of the source, and the
records loaded so far, by their keys in the description."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models

from accounts.models import User
from car_programme.dates import DatePrecision, parse_partial_date
from car_programme.revisions import save_with_links
from events.models import Event
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import InquiryGroup
from programme_data.loading.members import MemberPlan
from sites.models import CaseSite, Organisation, Programme, Theme


def upsert(
    model: type[models.Model],
    *,
    lookup: dict,
    values: dict | None = None,
    links: dict | None = None,
):
    """Get or create a row by ``lookup``; save only the fields whose values differ, and set only
    the many-to-many ``links`` (name -> records) that differ, in one history row with its links.

    A link set one by one would write a history row, with every link of the record, on each
    signal: most of a load's time, for rows that say nothing the one row does not.
    """
    values = values or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance, changed = model(**lookup, **values), []
    else:
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
    if links is not None:
        save_with_links(instance, by=None, update_fields=changed, links=links)
    elif instance.pk is None:
        instance.save()
    elif changed:
        instance.save(update_fields=changed)
    return instance


def _differs(instance: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):
        return getattr(instance, f"{name}_id") != value.pk
    return getattr(instance, name) != value


def source_date(value, *, end: bool = False) -> tuple[dt.date | None, str]:
    if value in (None, ""):
        return None, DatePrecision.DAY
    return parse_partial_date(value, end=end)


def published_values(figure: dict) -> dict:
    """A published figure's value, as the source qualifies it, and where it is published."""
    return {
        "value": figure["value"],
        "qualifier": figure.get("qualifier") or "",
        "source": figure.get("source") or "",
    }


def coarsest(*precisions: str) -> str:
    order = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    return max(precisions, key=order.index)


def home_site_key(sites: dict[str, CaseSite], site: CaseSite) -> str:
    return next(key for key, value in sites.items() if value.pk == site.pk)


@dataclass
class ProgrammeLoad:
    """The description being loaded and the records written from it, by key; each part of the
    loader adds the methods that load one kind of record."""

    data: dict
    programme: Programme | None = None
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sites: dict[str, CaseSite] = field(default_factory=dict)
    themes: dict[str, list[Theme]] = field(default_factory=dict)
    groups: dict[str, InquiryGroup] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    evidence: dict[str, EvidenceItem] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)
    member_plan: MemberPlan = field(default_factory=MemberPlan)

    def _theme_list(self, names) -> list[Theme]:
        """Themes by name; a name shared by two frameworks ("Partnership") tags both."""
        found = []
        for name in names or []:
            matches = self.themes.get(str(name).casefold())
            if not matches:
                raise ValueError(f"Unknown theme {name!r}")
            found.extend(matches)
        return found
