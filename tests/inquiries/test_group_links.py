"""A group's links: only its programme's records on offer, a shared group's other sites kept,
and every change of links in the group's history."""

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from inquiries.enums import GroupKind
from inquiries.models import InquiryGroup
from inquiries.services import group_update
from sites.models import Programme
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _programme(name: str) -> dict:
    """A programme with a site, a theme and a group named as in every other programme."""
    programme = Programme.objects.create(name=name, slug=name.lower())
    site = CaseSiteFactory(programme=programme, name="Glasgow", slug="glasgow")
    group = InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([site])
    theme = ThemeFactory(programme=programme, name="Prevention")
    return {"programme": programme, "site": site, "group": group, "theme": theme}


@pytest.fixture
def two():
    """Two programmes whose records share their names, and a manager of both."""
    north, south = _programme("North"), _programme("South")
    manager = UserFactory()
    for programme in (north, south):
        RoleFactory(
            user=manager,
            programme=programme["programme"],
            site=None,
            role=RoleKind.PROGRAMME_MANAGER,
        )
    return north, south, manager


def _form(north, **overrides):
    data = {"name": "Family PIT", "kind": GroupKind.CAR_INQUIRY, "sites": [north["site"].pk]}
    return data | overrides


def _create_url(programme):
    return f"{reverse('inquiries:group_create')}?programme={programme.pk}"


def test_manager_of_two_programmes_is_asked_which_first(client, two):
    north, south, manager = two
    client.force_login(manager)

    response = client.get(reverse("inquiries:group_create"))

    html = response.content.decode()
    assert "Which programme is it for?" in html
    assert f"?programme={north['programme'].pk}" in html
    assert f"?programme={south['programme'].pk}" in html
    assert "form" not in response.context


def test_group_form_offers_only_the_chosen_programmes_records(client, two):
    north, _south, manager = two
    client.force_login(manager)

    form = client.get(_create_url(north["programme"])).context["form"]

    assert list(form.fields["sites"].queryset) == [north["site"]]
    assert list(form.fields["themes"].queryset) == [north["theme"]]
    assert list(form.fields["parent"].queryset) == [north["group"]]


def test_group_edit_offers_only_its_programmes_records(client, two):
    north, _south, manager = two
    client.force_login(manager)

    response = client.get(reverse("inquiries:group_update", args=[north["group"].pk]))

    form = response.context["form"]
    assert list(form.fields["sites"].queryset) == [north["site"]]
    assert list(form.fields["themes"].queryset) == [north["theme"]]
    # Not its own parent, and no group of South.
    assert list(form.fields["parent"].queryset) == []


@pytest.mark.parametrize("link", ["themes", "parent"])
def test_other_programmes_record_posted_is_refused_and_not_listed_there(client, two, link):
    north, south, manager = two
    client.force_login(manager)
    foreign = {"themes": [south["theme"].pk], "parent": south["group"].pk}[link]

    response = client.post(_create_url(north["programme"]), _form(north, **{link: foreign}))

    assert response.status_code == 400
    assert "Select a valid choice" in str(response.context["form"].errors[link])
    assert not InquiryGroup.objects.filter(name="Family PIT").exists()
    south_page = client.get(south["group"].get_absolute_url()).content.decode()
    assert "Family PIT" not in south_page


def test_group_is_created_in_the_chosen_programme(client, two):
    north, _south, manager = two
    client.force_login(manager)

    client.post(
        _create_url(north["programme"]),
        _form(north, themes=[north["theme"].pk], parent=north["group"].pk),
    )

    group = InquiryGroup.objects.get(name="Family PIT")
    assert group.programme == north["programme"]
    assert (list(group.themes.all()), group.parent) == ([north["theme"]], north["group"])


def test_a_programme_not_among_the_users_answers_404(client, two):
    north, south, _manager = two
    outsider = UserFactory()
    RoleFactory(
        user=outsider, programme=north["programme"], site=north["site"], role=RoleKind.RESEARCHER
    )
    client.force_login(outsider)

    assert client.get(_create_url(south["programme"])).status_code == 404


# --- A shared group's other sites -----------------------------------------------------------


@pytest.fixture
def shared(two):
    """North's group shared by Glasgow and Fife, and a researcher of Glasgow only."""
    north = two[0]
    fife = CaseSiteFactory(programme=north["programme"], name="Fife", slug="fife")
    group = north["group"]
    group.sites.set([north["site"], fife])
    researcher = UserFactory()
    RoleFactory(
        user=researcher, programme=north["programme"], site=north["site"], role=RoleKind.RESEARCHER
    )
    return group, fife, researcher


def _unchanged(group):
    data = {"name": group.name, "kind": group.kind, "start_date": group.start_date.isoformat()}
    # The Fife checkbox is locked (disabled), so the browser posts Glasgow only.
    return data | {"sites": [site.pk for site in group.sites.filter(name="Glasgow")]}


def test_researcher_saving_a_shared_group_unchanged_keeps_its_other_sites(client, shared):
    group, _fife, researcher = shared
    rows = group.history.count()
    client.force_login(researcher)

    response = client.post(reverse("inquiries:group_update", args=[group.pk]), _unchanged(group))

    assert response.status_code == 302
    assert sorted(site.name for site in group.sites.all()) == ["Fife", "Glasgow"]
    assert group.history.count() == rows


def test_shared_groups_other_site_shows_locked_on_the_form(client, shared):
    group, fife, researcher = shared
    client.force_login(researcher)

    response = client.get(reverse("inquiries:group_update", args=[group.pk]))

    html = response.content.decode()
    fife_input = html[
        html.index(f'value="{fife.pk}"') - 200 : html.index(f'value="{fife.pk}"') + 200
    ]
    assert "disabled" in fife_input
    assert "checked" in fife_input


def test_researcher_cannot_take_a_site_they_may_not_edit_off_a_group(client, shared):
    group, fife, researcher = shared
    client.force_login(researcher)
    data = _unchanged(group) | {"sites": [group.sites.get(name="Glasgow").pk]}

    client.post(reverse("inquiries:group_update", args=[group.pk]), data)

    assert fife in group.sites.all()


def test_every_change_of_a_groups_links_is_in_its_history(client, shared, two):
    group, _fife, researcher = shared
    north = two[0]
    client.force_login(researcher)
    data = _unchanged(group) | {"themes": [north["theme"].pk]}

    client.post(reverse("inquiries:group_update", args=[group.pk]), data)
    group_update(
        group=group,
        name=group.name,
        sites=[north["site"]],
        themes=[north["theme"]],
        by=None,
    )
    client.force_login(two[2])
    response = client.get(reverse("inquiries:group_history", args=[group.pk]))

    newest, themed = response.context["entries"][:2]
    assert [(c.label, c.old, c.new) for c in themed.changes] == [
        ("Themes", None, "Christie pillars: Prevention")
    ]
    assert themed.record.history_user == researcher
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Sites", "Fife, Glasgow", "Glasgow")
    ]
    html = response.content.decode()
    assert "<del>Fife, Glasgow</del>" in html
