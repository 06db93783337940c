"""A manager of two programmes is offered only one programme's records on every form.

Both programmes hold records of the same names (a site "Glasgow", a theme "Prevention", a group
"Welfare PIT"), so a form that mixed them would offer two look-alikes side by side.
"""

import pytest
from django import forms
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme.links import programme_id_of
from sites.models import Programme
from tests.car_programme.test_links import make_world
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE_PAGES = [
    "inquiries:group_create",
    "inquiries:person_create",
    "inquiries:tally_create",
    "inquiries:people_import",
    "evidence:evidence_create",
    "evidence:output_create",
    "evidence:change_create",
    "events:event_create",
    "sites:organisation_create",
]

# Each edit page and the record of the world it edits.
EDIT_PAGES = {
    "inquiries:group_update": "group",
    "inquiries:person_update": "person",
    "evidence:evidence_update": "evidence",
    "evidence:output_update": "output",
    "evidence:change_update": "change",
    "events:event_update": "event",
    "sites:organisation_update": "organisation",
}


@pytest.fixture
def worlds():
    north = make_world(Programme.objects.create(name="North", slug="north"))
    south = make_world(Programme.objects.create(name="South", slug="south"))
    manager = UserFactory()
    for world in (north, south):
        RoleFactory(
            user=manager, programme=world.programme, site=None, role=RoleKind.PROGRAMME_MANAGER
        )
    return north, south, manager


def offered_programmes(form) -> set[int]:
    """The programmes of every record any choice field of ``form`` offers."""
    found = set()
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            for record in field.queryset:
                found.add(record.pk if isinstance(record, Programme) else programme_id_of(record))
    return found


@pytest.mark.parametrize("page", CREATE_PAGES)
def test_create_page_asks_a_manager_of_two_programmes_which(client, worlds, page):
    north, south, manager = worlds
    client.force_login(manager)

    response = client.get(reverse(page))

    html = response.content.decode()
    assert "Which programme is it for?" in html
    assert f"?programme={north.programme.pk}" in html
    assert f"?programme={south.programme.pk}" in html


@pytest.mark.parametrize("page", CREATE_PAGES)
def test_create_page_offers_only_the_chosen_programmes_records(client, worlds, page):
    _north, south, manager = worlds
    client.force_login(manager)

    response = client.get(f"{reverse(page)}?programme={south.programme.pk}")

    assert offered_programmes(response.context["form"]) == {south.programme.pk}


@pytest.mark.parametrize("page", sorted(EDIT_PAGES))
def test_edit_page_offers_only_the_records_programme(client, worlds, page):
    north, _south, manager = worlds
    client.force_login(manager)
    record = getattr(north, EDIT_PAGES[page])

    response = client.get(reverse(page, args=[record.pk]))

    assert offered_programmes(response.context["form"]) == {north.programme.pk}


def test_event_posted_with_the_other_programmes_site_is_refused(client, worlds):
    north, south, manager = worlds
    client.force_login(manager)
    url = f"{reverse('events:event_create')}?programme={north.programme.pk}"
    data = {
        "programme": north.programme.pk,
        "title": "Away day",
        "kind": north.event.kind,
        "start_date": "2016-05-01",
        "sites": [south.site.pk],
    }

    response = client.post(url, data)

    assert "Select a valid choice" in str(response.context["form"].errors["sites"])
    assert not south.site.events.filter(title="Away day").exists()


# A NUL never reaches the view: the NUL middleware refuses it first (tests/car_programme/
# test_bad_input.py).
@pytest.mark.parametrize("named", ["abc", "9" * 30, "-1"])
def test_a_programme_parameter_that_names_none_answers_404(client, worlds, named):
    client.force_login(worlds[2])

    response = client.get(reverse("inquiries:group_create"), {"programme": named})

    assert response.status_code == 404
