import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import RoleKind
from inquiries.enums import ConsentMethod, ConsentUse, LeaveReason, MembershipRole
from inquiries.models import Consent
from inquiries.selectors import group_list_for_user
from inquiries.services import membership_change_role
from inquiries.views.groups import GroupListView
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fife():
    return factories.CaseSiteFactory(programme=factories.ProgrammeFactory(), name="Fife")


def make_members(group, core, periphery):
    factories.MembershipFactory.create_batch(core, group=group, role=MembershipRole.CORE)
    factories.MembershipFactory.create_batch(periphery, group=group, role=MembershipRole.PERIPHERY)


def test_group_page_tells_the_groups_story(client, fife):
    group = factories.group_in(
        fife, name="Welfare Partnership Innovation Team", short_name="Welfare PIT"
    )
    make_members(group, core=3, periphery=2)
    factories.ActivityFactory.create_batch(4, programme=fife.programme, group=group)
    group.research_questions.create(text="How can we use sanctions data?")
    client.force_login(factories.user_with_role(RoleKind.RESEARCHER, site=fife))

    response = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    page = response.content.decode()
    assert "How can we use sanctions data?" in page
    shown = response.context["group"]
    assert (shown.core_count, shown.periphery_count, shown.meeting_count) == (3, 2, 4)


def test_group_page_shows_a_published_figure_beside_the_derived_counts(client, fife):
    group = factories.group_in(fife, short_name="EA")
    factories.GroupFigureFactory(group=group, value=25, label="officers (cross-service)")
    client.force_login(factories.user_with_role(RoleKind.RESEARCHER, site=fife))

    response = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    page = " ".join(response.content.decode().split())
    assert "<strong>about 25</strong> officers (cross-service)" in page
    assert "000:1367 &#x27;Approx. 25 officers&#x27;" in page
    assert response.context["group"].core_count == 0


def test_member_headings_count_the_members_they_list_and_say_now(client, fife):
    group = factories.group_in(fife)
    make_members(group, core=5, periphery=3)
    # A core member who left, and one who moved to periphery: not core members now.
    factories.MembershipFactory(
        group=group,
        joined_on=dt.date(2015, 1, 5),
        left_on=dt.date(2015, 6, 1),
        leave_reason=LeaveReason.CAPACITY,
    )
    moved = factories.MembershipFactory(group=group, joined_on=dt.date(2015, 1, 5))
    membership_change_role(
        membership=moved, role=MembershipRole.PERIPHERY, as_of=dt.date(2015, 9, 1)
    )
    client.force_login(factories.user_with_role(RoleKind.RESEARCHER, site=fife))

    response = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    page = response.content.decode()
    headings = re.findall(r'<h3 class="h6 mt-3">([^<]*)</h3>', page)
    assert headings == [
        "Core members now (5)",
        "Periphery members now (4)",
        "Not members now: earlier roles, leavers and later starts (2)",
    ]
    shown = response.context["group"]
    assert (shown.core_count, shown.periphery_count) == (5, 4)
    assert page.count('<tr class="text-body-secondary">') == 2


def test_strategy_lead_sees_pseudonyms_unless_a_member_consented(client, fife):
    group = factories.group_in(fife)
    hidden = factories.MembershipFactory(
        group=group, person__name="Alison Hidden", person__site=fife
    )
    named = factories.MembershipFactory(group=group, person__name="Brian Named", person__site=fife)
    Consent.objects.create(
        person=named.person,
        use=ConsentUse.NAMED,
        given_on=named.joined_on,
        method=ConsentMethod.WRITTEN,
    )
    client.force_login(factories.user_with_role(RoleKind.STRATEGY_LEAD, site=fife))

    page = client.get(reverse("inquiries:group_detail", args=[group.pk])).content.decode()

    assert "Alison Hidden" not in page
    assert hidden.person.pseudonym in page
    assert "Brian Named" in page


def test_strategy_lead_never_sees_reflective_notes(client, fife):
    group = factories.group_in(fife)
    factories.ActivityFactory(
        programme=fife.programme, group=group, notes="Tension between members"
    )
    client.force_login(factories.user_with_role(RoleKind.STRATEGY_LEAD, site=fife))

    page = client.get(reverse("inquiries:group_detail", args=[group.pk])).content.decode()

    assert "Tension between members" not in page


def test_group_of_another_programme_answers_404(client, fife):
    stranger = factories.group_in(factories.CaseSiteFactory())
    client.force_login(factories.user_with_role(RoleKind.RESEARCHER, site=fife))

    response = client.get(reverse("inquiries:group_detail", args=[stranger.pk]))

    assert response.status_code == 404


def test_lead_of_another_site_gets_404(client, fife):
    group = factories.group_in(fife)
    glasgow = factories.CaseSiteFactory(programme=fife.programme, name="Glasgow")
    client.force_login(factories.user_with_role(RoleKind.STRATEGY_LEAD, site=glasgow))

    response = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, fife):
    group = factories.group_in(fife)

    response = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_group_list_filters_by_kind_and_search(client, fife):
    factories.group_in(fife, name="Welfare Partnership Innovation Team", kind="car_inquiry")
    factories.group_in(fife, name="Fife CAR strategy group", kind="strategy")
    client.force_login(factories.user_with_role(RoleKind.RESEARCHER, site=fife))

    response = client.get(reverse("inquiries:group_list"), {"kind": "strategy", "q": "fife"})

    assert [group.name for group in response.context["groups"]] == ["Fife CAR strategy group"]


@pytest.mark.parametrize("size", [10, 60])
def test_group_list_query_count_does_not_grow(client, fife, django_assert_max_num_queries, size):
    for group in factories.InquiryGroupFactory.create_batch(size, programme=fife.programme):
        group.sites.set([fife])
    client.force_login(factories.user_with_role(RoleKind.STRATEGY_LEAD, site=fife))

    with django_assert_max_num_queries(10):
        listed = client.get(reverse("inquiries:group_list"))

    assert listed.context["paginator"].count == size


def _subquery_runs(sql: str, params=()) -> list[int]:
    """How many times PostgreSQL ran each correlated subquery of ``sql``, executing it."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    runs, nodes = [], [plan]
    while nodes:
        node = nodes.pop()
        if node.get("Parent Relationship") == "SubPlan":
            runs.append(node["Actual Loops"])
        nodes.extend(node.get("Plans", ()))
    return runs


def test_group_list_figures_are_computed_for_the_listed_groups_only(fife):
    """Each figure of a page of the group list runs once per group on the page, and counting
    the groups runs none: an aggregate over the activities once ran every figure once per
    activity of every group, before the page was cut (1.1 s a page at 32 sites)."""
    for group in factories.InquiryGroupFactory.create_batch(40, programme=fife.programme):
        group.sites.set([fife])
        factories.ActivityFactory.create_batch(3, programme=fife.programme, group=group)
        factories.MembershipFactory(group=group)
    groups = group_list_for_user(user=factories.user_with_role(RoleKind.RESEARCHER, site=fife))
    page = groups[: GroupListView.paginate_by]

    runs = _subquery_runs(*page.query.sql_with_params())
    with CaptureQueriesContext(connection) as counting:
        assert groups.count() == 40

    assert runs and max(runs) <= GroupListView.paginate_by
    assert _subquery_runs(counting[0]["sql"]) == []


@pytest.mark.parametrize("size", [10, 60])
def test_group_page_query_count_does_not_grow(client, fife, django_assert_max_num_queries, size):
    group = factories.group_in(fife)
    make_members(group, core=size // 2, periphery=size // 2)
    factories.ActivityFactory.create_batch(size, programme=fife.programme, group=group)
    client.force_login(factories.user_with_role(RoleKind.STRATEGY_LEAD, site=fife))

    with django_assert_max_num_queries(20):
        detail = client.get(reverse("inquiries:group_detail", args=[group.pk]))

    assert len(detail.context["story"].memberships) == size
