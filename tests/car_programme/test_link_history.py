"""A change of a record's links is one row of its history page, with who made it."""

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from events.services import event_record_attendance
from sites.models import Programme
from tests.car_programme.test_links import (
    _change_edit,
    _event_edit,
    _evidence_edit,
    _group_edit,
    _output_edit,
    make_world,
)
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

# history page -> (the record, the edit that adds a link)
EDITS = {
    "inquiries:group_history": ("group", lambda w, by: _group_edit(w, themes=[w.theme], by=by)),
    "evidence:evidence_history": ("evidence", lambda w, by: _evidence_edit(w, themes=[w.theme])),
    "evidence:output_history": ("output", lambda w, by: _output_edit(w, groups=[w.group])),
    "evidence:change_history": ("change", lambda w, by: _change_edit(w, evidence=[w.evidence])),
    "events:event_history": ("event", lambda w, by: _event_edit(w, themes=[w.theme], by=by)),
}
# history page -> a link the newest row shows, by its label
SHOWN = {
    "inquiries:group_history": ("Themes", "Christie pillars: Prevention"),
    "evidence:evidence_history": ("Sites", "Glasgow"),
    "evidence:output_history": ("Groups", "Welfare PIT"),
    "evidence:change_history": ("Evidence", "Notes"),
    "events:event_history": ("Themes", "Christie pillars: Prevention"),
}


@pytest.fixture
def world():
    return make_world(Programme.objects.create(name="North", slug="north"))


@pytest.fixture
def manager(world):
    user = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=world.programme)
    return user


@pytest.mark.parametrize("page", sorted(EDITS))
def test_added_link_is_a_row_of_the_history_page(client, world, manager, page):
    name, edit = EDITS[page]
    record = getattr(world, name)
    edit(world, manager)
    client.force_login(manager)

    response = client.get(reverse(page, args=[record.pk]))

    newest = response.context["entries"][0]
    label, shown = SHOWN[page]
    assert (label, shown) in [(c.label, c.new) for c in newest.changes]


def test_saving_unchanged_links_writes_no_row(world):
    rows = world.event.history.count()

    _event_edit(world, sites=list(world.event.sites.all()), groups=[], themes=[])

    assert world.event.history.count() == rows


def test_event_attendees_are_named_by_pseudonym_in_the_history(client, world, manager):
    event_record_attendance(event=world.event, attendees=[world.person], counts=[], by=manager)
    client.force_login(manager)

    response = client.get(reverse("events:event_history", args=[world.event.pk]))

    newest = response.context["entries"][0]
    assert [(c.label, c.new) for c in newest.changes] == [("Attendees", world.person.pseudonym)]
    assert newest.record.history_user == manager
