"""Loading a whole programme from a structured description (YAML), idempotently.

The description holds only published facts (see ``programme_data/demo/wws_car.yaml``). Where a
source gives counts but names nobody, pseudonymous people are created so that every count is
derived from rows; where it gives only a total (an event's head count, a week's emails, a
group's "met 22 times"), the total is held as an explicit count with its qualifier, and no rows
or dates are invented for it. A second load of the same description writes nothing: rows
are matched on natural keys and saved only when a value differs, so no history row is added
either. A description is read through ``description_read``, which refuses, before anything is
written, any key that the schema (``sections.py``) does not declare.
"""

from pathlib import Path

from django.db import transaction

from car_programme.records_version import records_write
from programme_data.loading.editions import EditionLoading
from programme_data.loading.groups import GroupLoading
from programme_data.loading.programme import ProgrammeLoading
from programme_data.loading.records import RecordLoading
from programme_data.loading.schema import DescriptionError, checked_description
from programme_data.loading.sections import DESCRIPTION
from programme_data.loading.sites import SiteLoading
from reports.rollups import rollups_rebuild
from sites.models import Programme


class _ProgrammeLoader(ProgrammeLoading, SiteLoading, GroupLoading, RecordLoading, EditionLoading):
    def load(self) -> Programme:
        self._programme()
        self._themes()
        self._people()
        self._sites()
        self._organisations()
        self._plan_members()
        for site_data in self.data.get("sites", []):
            self._site_details(site_data)
        for site_data in self.data.get("sites", []):
            for group_data in site_data.get("groups", []):
                self._group(group_data, home_site=self.sites[site_data["key"]])
        for site_data in self.data.get("sites", []):
            for group_data in site_data.get("groups", []):
                self._group_relations(group_data, home_site=self.sites[site_data["key"]])
        self._outputs()
        self._evidence()
        self._events()
        self._changes()
        self._editions()
        return self.programme


__all__ = ["DescriptionError", "description_read", "programme_load"]


def description_read(path: Path) -> dict:
    """The programme description in ``path``, or ``DescriptionError`` naming every key that
    cannot be placed (``<file>:<line>: <dotted path>: <reason>``)."""
    return checked_description(path, schema=DESCRIPTION)


@records_write
def programme_load(*, data: dict) -> Programme:
    """Create or update a programme and everything in it from ``data``.

    Side effects: writes rows in every app (and their history rows) for what differs; creates
    users, without usable passwords, for the named researchers, directors and authors.
    """
    with transaction.atomic():
        programme = _ProgrammeLoader(data=data).load()
        # A person of the description may have changed organisation since the attendance
        # logged against them.
        rollups_rebuild(programme)
        return programme
