"""Evidence pages per role, through the one rule set."""

from pathlib import Path

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem
from tests import factories
from tests.cast import as_user, outcome, outcomes, sign_in

pytestmark = pytest.mark.django_db

# --- Evidence: reading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", {"Sanctions statistics", "Claimant interviews"}),
        ("fife_researcher", {"Sanctions statistics", "Claimant interviews"}),
        ("glasgow_researcher", {"Sanctions statistics"}),
        ("fife_lead", {"Sanctions statistics"}),
    ],
)
def test_evidence_list_shows_restricted_items_only_to_their_site(
    client, cast, internal, restricted, role, expected
):
    as_user(client, cast, role)

    response = client.get(reverse("evidence:evidence_list"))

    assert {item.title for item in response.context["items"]} == expected
    assert ("Claimant interviews" in response.content.decode()) == (len(expected) == 2)


def test_evidence_list_sends_anonymous_to_sign_in(client, internal):
    assert outcome(client.get(reverse("evidence:evidence_list"))) == "sign in"


# What each role gets of the internal item and of the restricted one: when reading (their pages
# and files), then when writing (their edit and delete pages).
EVIDENCE_OUTCOMES = {
    "manager": (("shown", "shown"), ("shown", "shown")),
    "fife_researcher": (("shown", "shown"), ("shown", "shown")),
    "glasgow_researcher": (("shown", "not found"), ("refused", "not found")),
    "fife_lead": (("shown", "not found"), ("refused", "not found")),
    "anonymous": (("sign in", "sign in"), ("sign in", "sign in")),
}


@pytest.mark.parametrize("view", ["evidence_detail", "evidence_download"])
@pytest.mark.parametrize("role", EVIDENCE_OUTCOMES)
def test_evidence_page_and_file_per_role(client, cast, internal, restricted, view, role):
    as_user(client, cast, role)

    reading, _ = EVIDENCE_OUTCOMES[role]
    assert outcomes(client, f"evidence:{view}", internal, restricted) == reading


def test_evidence_list_filters_by_order_sensitivity_and_search(client, cast):
    factories.EvidenceItemFactory(
        programme=cast.programme, title="PIT minutes", order="first", sites=[cast.fife]
    )
    factories.EvidenceItemFactory(
        programme=cast.programme, title="PIT fieldnotes", order="second", sites=[cast.fife]
    )
    factories.EvidenceItemFactory(
        programme=cast.programme, title="Survey", order="second", sites=[cast.fife]
    )
    sign_in(client, cast.fife_researcher)

    response = client.get(reverse("evidence:evidence_list"), {"order": "second", "q": "pit"})

    assert [item.title for item in response.context["items"]] == ["PIT fieldnotes"]


def test_evidence_list_site_filter_follows_the_group(client, cast):
    factories.EvidenceItemFactory(
        programme=cast.programme, title="Through the group", group=factories.group_in(cast.fife)
    )
    factories.EvidenceItemFactory(programme=cast.programme, title="Glasgow's", sites=[cast.glasgow])
    sign_in(client, cast.manager)

    response = client.get(reverse("evidence:evidence_list"), {"site": cast.fife.pk})

    assert [item.title for item in response.context["items"]] == ["Through the group"]


# --- Evidence: writing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", "shown"),
        ("fife_researcher", "shown"),
        ("glasgow_researcher", "shown"),
        ("fife_lead", "refused"),
        ("anonymous", "sign in"),
    ],
)
def test_evidence_create_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    assert outcome(client.get(reverse("evidence:evidence_create"))) == expected


@pytest.mark.parametrize("role", EVIDENCE_OUTCOMES)
def test_evidence_edit_and_delete_pages_per_role(client, cast, internal, restricted, role):
    as_user(client, cast, role)

    _, writing = EVIDENCE_OUTCOMES[role]
    for name in ("evidence:evidence_update", "evidence:evidence_delete"):
        assert outcomes(client, name, internal, restricted) == writing


def evidence_data(site, **overrides):
    data = {
        "title": "Sanctions focus group",
        "kind": "focus_group",
        "order": "first",
        "authorship": "collaboration",
        "use": "instrumental",
        "sensitivity": "internal",
        "sites": [site.pk] if site else [],
    }
    return {**data, **overrides}


def test_researcher_records_evidence_in_their_site(client, cast):
    researcher = cast.fife_researcher
    sign_in(client, researcher)

    response = client.post(reverse("evidence:evidence_create"), evidence_data(cast.fife))

    item = EvidenceItem.objects.get(title="Sanctions focus group")
    assert response["Location"] == reverse("evidence:evidence_detail", args=[item.pk])
    assert (item.programme, list(item.sites.all()), item.recorded_by) == (
        cast.programme,
        [cast.fife],
        researcher,
    )
    assert item.history.get().history_user == researcher


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("evidence:evidence_create", "group"),
        ("evidence:output_create", "groups"),
        ("evidence:change_create", "group"),
    ],
)
def test_a_record_started_from_the_group_page_has_its_group_and_sites(client, cast, page, field):
    sign_in(client, cast.fife_researcher)
    group_page = client.get(cast.group.get_absolute_url()).content.decode()
    query = f"?programme={cast.programme.pk}&group={cast.group.pk}"

    form = client.get(reverse(page) + query).context["form"]

    assert f'href="{reverse(page)}{query.replace("&", "&amp;")}"' in group_page
    assert form[field].value() in (cast.group.pk, [cast.group.pk])
    assert form["sites"].value() == [site.pk for site in cast.group.sites.all()]


def test_a_group_of_another_programme_is_not_prefilled(client, cast):
    elsewhere = factories.InquiryGroupFactory()
    sign_in(client, cast.fife_researcher)
    query = f"?programme={cast.programme.pk}&group={elsewhere.pk}"

    form = client.get(reverse("evidence:evidence_create") + query).context["form"]

    assert form["group"].value() is None
    assert form["sites"].value() is None


def test_the_activity_choice_is_limited_to_the_chosen_group(client, cast):
    other_group = factories.group_in(cast.fife)
    own = factories.ActivityFactory(programme=cast.programme, group=cast.group, site=cast.fife)
    foreign = factories.ActivityFactory(programme=cast.programme, group=other_group, site=cast.fife)
    sign_in(client, cast.fife_researcher)
    query = f"?programme={cast.programme.pk}&group={cast.group.pk}"

    offered = client.get(reverse("evidence:evidence_create") + query).context["form"]

    activities = set(offered.fields["activity"].queryset)
    assert own in activities
    assert foreign not in activities


def test_researcher_cannot_record_evidence_in_another_site(client, cast):
    sign_in(client, cast.fife_researcher)

    response = client.post(reverse("evidence:evidence_create"), evidence_data(cast.glasgow))

    assert "sites" in response.context["form"].errors
    assert not EvidenceItem.objects.exists()


def test_evidence_needs_a_site_or_group_the_user_may_edit(client, cast):
    sign_in(client, cast.manager)

    response = client.post(reverse("evidence:evidence_create"), evidence_data(None))

    assert "Choose at least one site or group that you may edit." in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_evidence_form_keeps_input_and_says_what_is_wrong(client, cast):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("evidence:evidence_create"),
        evidence_data(cast.fife, kind="", source="DWP Stat-Xplore"),
    )

    page = response.content.decode()
    assert response.context["form"].errors["kind"] == ["This field is required."]
    assert 'value="Sanctions focus group"' in page
    assert 'value="DWP Stat-Xplore"' in page


def test_evidence_title_is_unique_in_the_programme(client, cast, internal):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("evidence:evidence_create"), evidence_data(cast.fife, title=internal.title)
    )

    assert "title" in response.context["form"].errors


def test_researcher_edits_evidence_of_their_site(client, cast, internal):
    sign_in(client, cast.fife_researcher)

    client.post(
        reverse("evidence:evidence_update", args=[internal.pk]),
        evidence_data(cast.fife, title="Sanctions statistics 2015", sensitivity="restricted"),
    )

    internal.refresh_from_db()
    assert (internal.title, internal.sensitivity) == ("Sanctions statistics 2015", "restricted")
    assert internal.file  # kept: no new file was sent


def test_strategy_lead_cannot_post_an_edit(client, cast, internal):
    sign_in(client, cast.fife_lead)

    response = client.post(
        reverse("evidence:evidence_update", args=[internal.pk]), evidence_data(cast.fife, title="X")
    )

    internal.refresh_from_db()
    assert (response.status_code, internal.title) == (403, "Sanctions statistics")


def test_delete_asks_first_then_removes_the_item_and_its_file(
    client, cast, internal, django_capture_on_commit_callbacks
):
    stored = Path(internal.file.path)
    sign_in(client, cast.fife_researcher)
    url = reverse("evidence:evidence_delete", args=[internal.pk])

    confirmation = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(url)

    assert "Delete “Sanctions statistics” and its file?" in confirmation.content.decode()
    assert deleted["Location"] == reverse("evidence:evidence_list")
    assert not EvidenceItem.objects.filter(pk=internal.pk).exists()
    assert not stored.exists()


def test_glasgow_researcher_cannot_delete_fife_evidence(client, cast, internal, restricted):
    sign_in(client, cast.glasgow_researcher)

    refused = client.post(reverse("evidence:evidence_delete", args=[internal.pk]))
    hidden = client.post(reverse("evidence:evidence_delete", args=[restricted.pk]))

    assert (refused.status_code, hidden.status_code) == (403, 404)
    assert EvidenceItem.objects.count() == 2


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 60])
def test_list_pages_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    group = factories.group_in(cast.fife)
    for _ in range(size):
        factories.EvidenceItemFactory(
            programme=cast.programme, group=group, sites=[cast.fife, cast.glasgow]
        )
        output = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
        output.groups.set([group])
        factories.ChangeFactory(
            programme=cast.programme, group=group, sites=[cast.fife, cast.glasgow]
        )
    sign_in(client, cast.fife_researcher)

    with django_assert_max_num_queries(12):
        evidence = client.get(reverse("evidence:evidence_list"))
    with django_assert_max_num_queries(12):
        outputs = client.get(reverse("evidence:output_list"))
    with django_assert_max_num_queries(12):
        changes = client.get(reverse("evidence:change_list"))

    shown = min(size, 25)
    assert [len(page.context["page_obj"]) for page in (evidence, outputs, changes)] == [shown] * 3
    assert [page.context["paginator"].count for page in (evidence, outputs, changes)] == [size] * 3
