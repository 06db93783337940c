import datetime as dt

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme.workspace import my_work
from evidence.enums import OutputStatus
from inquiries.enums import ConsentMethod, ConsentUse, GroupStatus
from inquiries.models import Consent
from tests.factories.accounts import user_with_role
from tests.factories.events import EventFactory, FeedbackFormFactory
from tests.factories.evidence import OutputFactory
from tests.factories.inquiries import ActivityFactory, PersonFactory, group_in
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 6, 30)


@pytest.fixture
def fife():
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Fife")


@pytest.fixture
def researcher(fife):
    user = user_with_role(RoleKind.RESEARCHER, programme=fife.programme, site=fife)
    return user


def test_group_quiet_for_six_weeks_needs_attention(fife, researcher):
    quiet = group_in(fife, status=GroupStatus.ACTIVE)
    busy = group_in(fife, status=GroupStatus.ACTIVE)
    ActivityFactory(programme=fife.programme, group=quiet, date=TODAY - dt.timedelta(weeks=7))
    ActivityFactory(programme=fife.programme, group=busy, date=TODAY - dt.timedelta(weeks=2))

    work = my_work(user=researcher, today=TODAY)

    assert list(work.quiet_groups) == [quiet]
    assert set(work.groups) == {quiet, busy}


def test_concluded_group_is_not_quiet(fife, researcher):
    group_in(fife, status=GroupStatus.CONCLUDED)

    assert list(my_work(user=researcher, today=TODAY).quiet_groups) == []


def test_people_without_any_consent_record_need_attention(fife, researcher):
    unrecorded = PersonFactory(programme=fife.programme, site=fife)
    recorded = PersonFactory(programme=fife.programme, site=fife)
    Consent.objects.create(
        person=recorded, use=ConsentUse.FIRST_ORDER, given_on=TODAY, method=ConsentMethod.WRITTEN
    )

    assert list(my_work(user=researcher, today=TODAY).people_without_consent) == [unrecorded]


def test_drafts_and_open_feedback_of_the_site_need_attention(fife, researcher):
    draft = OutputFactory(programme=fife.programme, status=OutputStatus.DRAFT)
    draft.sites.set([fife])
    OutputFactory(programme=fife.programme, status=OutputStatus.PUBLISHED).sites.set([fife])
    event = EventFactory(programme=fife.programme)
    event.sites.set([fife])
    open_form = FeedbackFormFactory(event=event)
    FeedbackFormFactory(event=event, is_open=False)

    work = my_work(user=researcher, today=TODAY)

    assert list(work.draft_outputs) == [draft]
    assert list(work.open_feedback) == [open_form]


def test_another_sites_records_stay_out_of_my_work(fife, researcher):
    glasgow = CaseSiteFactory(programme=fife.programme, name="Glasgow")
    group_in(glasgow, status=GroupStatus.ACTIVE)
    PersonFactory(programme=fife.programme, site=glasgow)

    work = my_work(user=researcher, today=TODAY)

    assert (list(work.groups), list(work.people_without_consent)) == ([], [])


def test_strategy_lead_sees_groups_but_no_people_to_chase(fife):
    lead = user_with_role(RoleKind.STRATEGY_LEAD, programme=fife.programme, site=fife)
    group = group_in(fife, status=GroupStatus.ACTIVE)
    PersonFactory(programme=fife.programme, site=fife)

    work = my_work(user=lead, today=TODAY)

    assert (list(work.groups), list(work.people_without_consent)) == ([group], [])


def test_home_shows_my_work_to_a_researcher(client, fife, researcher):
    quiet = group_in(fife, name="Welfare Partnership Innovation Team", status=GroupStatus.ACTIVE)
    client.force_login(researcher)

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert "My work" in page
    assert list(response.context["work"].quiet_groups) == [quiet]
    assert "No activity for six weeks" in page


def test_needs_attention_names_people_as_every_other_page_does_and_links_them(
    client, fife, researcher
):
    people = [
        PersonFactory(programme=fife.programme, site=fife, name=f"Member {n}") for n in range(12)
    ]
    client.force_login(researcher)

    page = client.get(reverse("home")).content.decode()
    listed = client.get(reverse("inquiries:person_list"), {"consent": "none"})

    # A researcher sees names on the people pages, so "My work" shows names too, in order.
    assert f'<a href="{people[2].get_absolute_url()}">Member 2</a>' in page
    assert people[2].pseudonym not in page
    assert page.index(">Member 2<") < page.index(">Member 9<")
    assert f"{reverse('inquiries:person_list')}?consent=none" in page
    assert set(listed.context["object_list"]) == set(people)


def test_the_people_list_filters_those_without_a_consent_record(client, fife, researcher):
    unrecorded = PersonFactory(programme=fife.programme, site=fife)
    recorded = PersonFactory(programme=fife.programme, site=fife)
    Consent.objects.create(
        person=recorded, use=ConsentUse.FIRST_ORDER, given_on=TODAY, method=ConsentMethod.WRITTEN
    )
    client.force_login(researcher)

    listed = client.get(reverse("inquiries:person_list"), {"consent": "none"})

    assert list(listed.context["object_list"]) == [unrecorded]


def test_home_invites_an_anonymous_visitor_to_sign_in(client, fife):
    group_in(fife, name="Welfare Partnership Innovation Team")

    page = client.get(reverse("home")).content.decode()

    assert reverse("accounts:login") in page
    assert "Welfare Partnership Innovation Team" not in page


@pytest.mark.parametrize("size", [10, 60])
def test_home_query_count_does_not_grow(client, fife, researcher, django_assert_num_queries, size):
    for _ in range(size):
        group = group_in(fife, status=GroupStatus.ACTIVE)
        ActivityFactory(programme=fife.programme, group=group, date=TODAY)
        PersonFactory(programme=fife.programme, site=fife)
        OutputFactory(programme=fife.programme, status=OutputStatus.DRAFT).sites.set([fife])
    client.force_login(researcher)

    with django_assert_num_queries(14):
        response = client.get(reverse("home"))

    assert len(response.context["work"].groups) == size
