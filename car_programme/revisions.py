"""History rows that hold a record's links as well as its fields, one row per edit."""

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import migrations
from simple_history.models import HistoricalRecords

from car_programme.services import authored


class LinkedHistory(HistoricalRecords):
    """django-simple-history that keeps the record's links (``m2m_fields``) in each row.

    Left to itself, simple-history writes a row on every link signal (``set`` removes, then
    adds: several rows for one edit); the services and the loader write through
    ``save_with_links`` instead, one row per edit that holds its fields and links together. The
    administration still gets a row per signal.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            sender._meta.linked_history = self


@contextmanager
def _without_history(instance):
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


def _set_link(instance, name: str, records: Iterable, *, created: bool) -> bool:
    """Replace one many-to-many link; True when it changed. A new record has no links yet."""
    records = list(records)
    manager = getattr(instance, name)
    if created:
        manager.add(*records)
        return bool(records)
    if set(manager.values_list("pk", flat=True)) == {record.pk for record in records}:
        return False
    manager.set(records)
    return True


def save_with_links(instance, *, by, update_fields: Iterable[str] = (), links: dict) -> bool:
    """Save ``instance`` and set its many-to-many ``links`` (name -> records), in one history row.

    A new record is saved whole; an existing one saves ``update_fields``. Only the links that
    differ are written, so an edit that changes nothing leaves no row (returns False).
    """
    created = instance.pk is None
    update_fields = list(update_fields)
    authored(instance, by)
    with _without_history(instance):
        if created:
            instance.save()
        elif update_fields:
            instance.save(update_fields=update_fields)
        changed = [
            name
            for name, records in links.items()
            if _set_link(instance, name, records, created=created)
        ]
    if not (created or update_fields or changed):
        return False
    instance._meta.linked_history.create_historical_record(instance, "+" if created else "~")
    return True


def backfill_links(app_label: str, links: dict[str, list[str]]) -> migrations.RunPython:
    """A migration step that copies each record's current links into its history rows.

    Rows written before links were kept hold none: without this, the first edit afterwards
    would read as every link added. ``links`` maps model names to their kept link names.
    """

    def run(apps, schema_editor):
        quote = schema_editor.quote_name
        for model_name, names in links.items():
            model = apps.get_model(app_label, model_name)
            history = apps.get_model(app_label, f"Historical{model_name}")._meta.db_table
            for name in names:
                field = model._meta.get_field(name)
                through = field.remote_field.through._meta.db_table
                rows = apps.get_model(app_label, f"Historical{model_name}_{name}")._meta.db_table
                source, target = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
                schema_editor.execute(
                    f"INSERT INTO {quote(rows)} (id, history_id, {source}, {target}) "
                    f"SELECT t.id, h.history_id, t.{source}, t.{target} "
                    f"FROM {quote(history)} h JOIN {quote(through)} t ON t.{source} = h.id"
                )

    return migrations.RunPython(run, migrations.RunPython.noop)
