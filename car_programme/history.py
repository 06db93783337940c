"""A record's django-simple-history, newest first, for those who may change the record.

History shows earlier values a reader may not see (a person's name, reflective notes), so the
record is fetched through its ``*_get_for_user`` selector (404 when out of sight) and the page
asks the record's change permission (403 otherwise). One view serves every record, configured
in the URLconf: ``RecordHistoryView.as_view(fetch=group_get_for_user,
permission="inquiries.change_inquirygroup")``.
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from car_programme.mixins import RecordMixin

PAGE_SIZE = 50


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    record: Any
    changes: list[FieldChange]


def _field_changes(new, old, excluded: set) -> list[tuple[str, Any, Any]]:
    """``(field name, old, new)`` between two history records; against nothing, what was set."""
    if old is not None:
        delta = new.diff_against(old, excluded_fields=excluded)
        return [(change.field, change.old, change.new) for change in delta.changes]
    fields = [f for f in new.tracked_fields if f.editable and f.name not in excluded]
    values = [(f.name, getattr(new, f.attname)) for f in fields]
    return [(name, None, value) for name, value in values if value not in (None, "")]


def _link_sets(records: list) -> dict[str, dict[int, frozenset]]:
    """``{link name: {history id: linked pks}}`` for the records' many-to-many links (those the
    model's history keeps, ``car_programme.revisions``): one query per link."""
    if not records:
        return {}
    history_ids = [record.history_id for record in records]
    sets = {}
    for field in getattr(type(records[0]), "_history_m2m_fields", ()):
        rows = getattr(type(records[0]), field.name).model.objects.filter(
            history_id__in=history_ids
        )
        target = f"{field.m2m_reverse_field_name()}_id"
        linked: dict[int, set] = {history_id: set() for history_id in history_ids}
        for history_id, pk in rows.values_list("history_id", target):
            linked[history_id].add(pk)
        sets[field.name] = {key: frozenset(pks) for key, pks in linked.items()}
    return sets


def _link_changes(new, old, sets: dict) -> list[tuple[str, Any, Any]]:
    """``(link name, old pks, new pks)`` for the links that differ between two history records."""
    changes = []
    for name, linked in sets.items():
        before = linked[old.history_id] if old is not None else frozenset()
        after = linked[new.history_id]
        if before != after:
            changes.append((name, before or None, after or None))
    return changes


def _label(obj) -> str:
    # History pages name people as the rest of the product does by default: by pseudonym.
    return getattr(obj, "pseudonym", None) or str(obj)


def _related_labels(model, changes) -> dict:
    """``{field name: {pk: label}}`` for the foreign keys and links among ``changes``: a query
    per field."""
    ids: dict[str, set] = {}
    for name, old, new in changes:
        field = model._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            ids.setdefault(name, set()).update(v for v in (old, new) if v is not None)
        elif field.many_to_many:
            ids.setdefault(name, set()).update(*(v for v in (old, new) if v))
    labels = {}
    for name, pks in ids.items():
        related = model._meta.get_field(name).related_model._base_manager
        labels[name] = {pk: _label(obj) for pk, obj in related.in_bulk(pks).items()}
    return labels


def _display(field, value, labels: dict):
    if value is None or value == "":
        return None
    if field.many_to_one or field.one_to_one:
        return labels.get(field.name, {}).get(value, f"deleted record #{value}")
    if field.many_to_many:
        known = labels.get(field.name, {})
        return ", ".join(sorted(known.get(pk, f"deleted record #{pk}") for pk in value))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


class RecordHistoryView(RecordMixin, View):
    """Who changed what, when, on one record: ``fetch`` and ``permission`` name its selector and
    its change rule."""

    template_name = "record_history.html"
    # The programme a record belongs to is set once, when it is created, and never changes.
    excluded_fields: tuple[str, ...] = ("programme",)

    def entries(self, records: list, older) -> list[HistoryEntry]:
        if not records:
            # Records made in bulk (the synthetic data) have no history rows at all.
            return []
        model = type(self.object)
        excluded = set(self.excluded_fields)
        sets = _link_sets([*records, *([older] if older is not None else [])])
        # Links are compared from the rows read above, not by simple-history's diff (two
        # queries per link and record).
        excluded_here = excluded | set(sets)
        per_record = [
            _field_changes(new, old, excluded_here) + _link_changes(new, old, sets)
            for new, old in zip(records, [*records[1:], older], strict=True)
        ]
        labels = _related_labels(model, [c for changes in per_record for c in changes])
        entries = []
        for record, changes in zip(records, per_record, strict=True):
            shown = []
            for name, old, new in changes:
                field = model._meta.get_field(name)
                label = str(field.verbose_name)
                shown.append(
                    FieldChange(
                        label=label[:1].upper() + label[1:],
                        old=_display(field, old, labels),
                        new=_display(field, new, labels),
                    )
                )
            entries.append(HistoryEntry(record=record, changes=shown))
        return entries

    def get(self, request, pk):
        history = self.object.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
        # The page's records and the one just before them, in one query: each record is
        # compared with the next older one, the page's last included.
        start = page.start_index() - 1 if page.paginator.count else 0
        rows = list(history[start : start + PAGE_SIZE + 1])
        records, older = rows[:PAGE_SIZE], rows[PAGE_SIZE] if len(rows) > PAGE_SIZE else None
        context = {
            "object": self.object,
            "object_label": self.label(),
            "entries": self.entries(records, older),
            "page_obj": page,
        }
        return render(request, self.template_name, context)

    def label(self) -> str:
        # A person is labelled as on their own page: by name only where the selector found the
        # name visible (editors may see names, yet the page keeps to the pseudonym otherwise).
        record = self.object
        if hasattr(record, "name_visible"):
            return record.name if record.name_visible else record.pseudonym
        return str(record)
