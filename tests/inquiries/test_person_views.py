import pytest
from django.urls import reverse

from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import Consent, Person
from tests import factories
from tests.cast import FIFE_EDIT_PAGE, FIFE_READ_PAGE, as_user, page_as, refused_as

pytestmark = pytest.mark.django_db


def fife_person(cast, **kwargs):
    return factories.PersonFactory(programme=cast.programme, site=cast.fife, **kwargs)


def test_person_list_shows_pseudonyms_to_strategy_lead_unless_named(client, cast):
    fife_person(cast, name="Alison Hidden")
    named = fife_person(cast, name="Brian Named")
    Consent.objects.create(
        person=named, use=ConsentUse.NAMED, given_on="2016-01-01", method=ConsentMethod.WRITTEN
    )
    client.force_login(cast.fife_lead)

    page = client.get(reverse("inquiries:person_list")).content.decode()

    assert "Alison Hidden" not in page
    assert "Brian Named" in page


def test_person_search_never_matches_a_hidden_name(client, cast):
    hidden = fife_person(cast, name="Alison Hidden")
    client.force_login(cast.fife_lead)

    by_name = client.get(reverse("inquiries:person_list"), {"q": "alison"})
    by_pseudonym = client.get(reverse("inquiries:person_list"), {"q": hidden.pseudonym})

    assert list(by_name.context["people"]) == []
    assert list(by_pseudonym.context["people"]) == [hidden]


def test_person_list_filters_by_search_site_and_organisation(client, cast):
    council = factories.OrganisationFactory(programme=cast.programme, name="Fife Council")
    wanted = fife_person(cast, name="Alison Smith", organisation=council)
    fife_person(cast, name="Alison Jones")
    factories.PersonFactory(
        programme=cast.programme, site=cast.glasgow, name="Alison Smyth", organisation=council
    )
    client.force_login(cast.fife_researcher)

    response = client.get(
        reverse("inquiries:person_list"),
        {"q": "alison", "site": cast.fife.pk, "organisation": council.pk},
    )

    assert list(response.context["people"]) == [wanted]


@pytest.mark.parametrize("size", [10, 60])
def test_person_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    council = factories.OrganisationFactory(programme=cast.programme)
    for _ in range(size):
        factories.MembershipFactory(
            group=cast.group, person__site=cast.fife, person__organisation=council
        )
    client.force_login(cast.fife_lead)

    # Twelve at any size: the session and user, roles, Django's own permission fallback for
    # "may add people", the count, both filters' choices and the page itself.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inquiries:person_list"))

    assert response.context["paginator"].count == size


def test_person_detail_shows_memberships_and_activities_attended(client, cast):
    membership = factories.MembershipFactory(group=cast.group, person__site=cast.fife)
    attended = factories.AttendanceFactory(
        person=membership.person,
        activity=factories.ActivityFactory(
            programme=cast.programme, group=cast.group, title="Sanctions session"
        ),
    )
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:person_detail", args=[membership.person.pk]))

    assert list(response.context["story"].memberships) == [membership]
    assert list(response.context["story"].activities) == [attended.activity]
    assert "Sanctions session" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [("fife_researcher", "Ada Rennie", None), ("fife_lead", "FIF-0042", "Ada Rennie")],
)
def test_a_person_is_named_alike_in_every_title_heading_and_breadcrumb(
    client, cast, role, shown, hidden
):
    person = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Ada Rennie", pseudonym="FIF-0042"
    )
    as_user(client, cast, role)

    page = client.get(reverse("inquiries:person_detail", args=[person.pk])).content.decode()

    assert f"<title>{shown} |" in page
    assert f"<h1>{shown}</h1>" in page
    assert f'aria-current="page">{shown}<' in page
    assert hidden is None or hidden not in page


def test_person_detail_hides_contact_details_with_the_name(client, cast):
    person = fife_person(cast, name="Alison Hidden", email="alison@example.org")
    client.force_login(cast.fife_lead)

    page = client.get(reverse("inquiries:person_detail", args=[person.pk])).content.decode()

    assert "Alison Hidden" not in page
    assert "alison@example.org" not in page
    assert person.pseudonym in page


@pytest.mark.parametrize(("role", "expected"), FIFE_READ_PAGE)
def test_person_detail_per_role(client, cast, role, expected):
    person = fife_person(cast)
    response = page_as(client, cast, role, "inquiries:person_detail", person)

    assert refused_as(response, expected)


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_person_edit_and_delete_pages_per_role(client, cast, role, expected):
    person = fife_person(cast)
    as_user(client, cast, role)

    edit = client.get(reverse("inquiries:person_update", args=[person.pk]))
    delete = client.get(reverse("inquiries:person_delete", args=[person.pk]))

    assert refused_as(edit, expected)
    assert refused_as(delete, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager", 200), ("fife_researcher", 200), ("fife_lead", 403), ("anonymous", "login")],
)
def test_person_create_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("inquiries:person_create"))

    assert refused_as(response, expected)


def test_person_create_makes_up_a_pseudonym(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:person_create"), {"site": cast.fife.pk, "name": "Nadia Newcomer"}
    )

    person = Person.objects.get(name="Nadia Newcomer")
    assert response["Location"] == reverse("inquiries:person_detail", args=[person.pk])
    assert person.pseudonym.startswith("P-")
    assert person.history.get().history_user == cast.fife_researcher


def test_person_create_refuses_site_of_another_researcher_and_keeps_input(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:person_create"),
        {"site": cast.glasgow.pk, "name": "Nadia Newcomer", "job_title": "Team leader"},
    )

    assert "site" in response.context["form"].errors
    assert 'value="Team leader"' in response.content.decode()
    assert not Person.objects.filter(name="Nadia Newcomer").exists()


def test_person_edit_refuses_taken_pseudonym(client, cast):
    person = fife_person(cast)
    other = fife_person(cast)
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:person_update", args=[person.pk]),
        {"site": cast.fife.pk, "name": person.name, "pseudonym": other.pseudonym},
    )

    assert "already used" in str(response.context["form"].non_field_errors())


def test_person_edit_saves_changes(client, cast):
    person = fife_person(cast, name="Old Name")
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("inquiries:person_update", args=[person.pk]),
        {"site": cast.fife.pk, "name": "New Name", "pseudonym": person.pseudonym},
    )

    person.refresh_from_db()
    assert person.name == "New Name"


def test_person_delete_after_confirmation(client, cast):
    person = fife_person(cast)
    client.force_login(cast.fife_researcher)

    response = client.post(reverse("inquiries:person_delete", args=[person.pk]))

    assert response["Location"] == reverse("inquiries:person_list")
    assert not Person.objects.filter(pk=person.pk).exists()


def test_person_delete_refused_for_a_member(client, cast):
    membership = factories.MembershipFactory(group=cast.group, person__site=cast.fife)
    client.force_login(cast.fife_researcher)

    response = client.post(reverse("inquiries:person_delete", args=[membership.person.pk]))

    assert "figures" in response.context["error"]
    assert Person.objects.filter(pk=membership.person.pk).exists()


@pytest.mark.parametrize("size", [10, 60])
def test_person_detail_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    membership = factories.MembershipFactory(group=cast.group, person__site=cast.fife)
    for _ in range(size):
        factories.AttendanceFactory(
            person=membership.person,
            activity=factories.ActivityFactory(programme=cast.programme, group=cast.group),
        )
    client.force_login(cast.fife_researcher)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("inquiries:person_detail", args=[membership.person.pk]))

    assert len(response.context["story"].activities) == size
