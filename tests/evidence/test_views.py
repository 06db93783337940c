"""Evidence, output and change pages per role, through the one rule set."""

from pathlib import Path

import pytest
from django.urls import reverse

from evidence.enums import Sensitivity
from evidence.models import Change, EvidenceItem, Output
from tests import factories
from tests.cast import as_user, outcome, outcomes, sign_in

pytestmark = pytest.mark.django_db

ROLES = ["manager", "fife_researcher", "glasgow_researcher", "fife_lead", "anonymous"]


def of_fife(make, cast, title, **fields):
    """A record of Fife's alone, called ``title``, made by the factory ``make``."""
    return make(programme=cast.programme, title=title, sites=[cast.fife], **fields)


@pytest.fixture
def internal(cast):
    return of_fife(factories.EvidenceItemFactory, cast, "Sanctions statistics", with_file=True)


@pytest.fixture
def restricted(cast):
    return of_fife(
        factories.EvidenceItemFactory,
        cast,
        "Claimant interviews",
        sensitivity=Sensitivity.RESTRICTED,
        with_file=True,
    )


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


# --- Outputs ----------------------------------------------------------------------------------


@pytest.fixture
def fife_output(cast):
    return factories.OutputFactory(
        programme=cast.programme, title="Welfare PIT report", sites=[cast.fife], with_file=True
    )


@pytest.mark.parametrize(
    ("role", "page", "file", "edit", "create"),
    [
        ("manager", "shown", "shown", "shown", "shown"),
        ("fife_researcher", "shown", "shown", "shown", "shown"),
        ("glasgow_researcher", "shown", "shown", "refused", "shown"),
        ("fife_lead", "shown", "shown", "refused", "refused"),
        ("anonymous", "sign in", "sign in", "sign in", "sign in"),
    ],
)
def test_output_pages_per_role(client, cast, fife_output, role, page, file, edit, create):
    as_user(client, cast, role)
    pk = fife_output.pk

    got = [
        client.get(reverse("evidence:output_detail", args=[pk])),
        client.get(reverse("evidence:output_download", args=[pk])),
        client.get(reverse("evidence:output_update", args=[pk])),
        client.get(reverse("evidence:output_create")),
    ]

    assert [outcome(response) for response in got] == [page, file, edit, create]


def test_lead_of_another_site_gets_404_for_an_output_and_its_file(client, fife_output, cast):
    sign_in(client, cast.glasgow_lead)

    page = client.get(reverse("evidence:output_detail", args=[fife_output.pk]))
    file = client.get(reverse("evidence:output_download", args=[fife_output.pk]))

    assert (page.status_code, file.status_code) == (404, 404)


def test_output_list_filters_by_status_and_kind(client, cast):
    of_fife(factories.OutputFactory, cast, "Draft report")
    of_fife(factories.OutputFactory, cast, "Blog", kind="blog_post", status="draft")
    of_fife(
        factories.OutputFactory,
        cast,
        "Published report",
        status="published",
        published_on="2016-06-01",
    )
    sign_in(client, cast.fife_lead)

    response = client.get(
        reverse("evidence:output_list"), {"status": "draft", "kind": "research_report"}
    )

    assert [output.title for output in response.context["outputs"]] == ["Draft report"]


def test_researcher_records_an_output_as_a_draft(client, cast):
    group = factories.group_in(cast.fife)
    sign_in(client, cast.fife_researcher)

    client.post(
        reverse("evidence:output_create"),
        {
            "title": "Sanctions briefing",
            "kind": "briefing",
            "form": "formal",
            "groups": [group.pk],
            "date_precision": "day",
            "drafted_on": "2016-03-01",
        },
    )

    output = Output.objects.get(title="Sanctions briefing")
    assert (output.status, str(output.drafted_on), list(output.groups.all())) == (
        "draft",
        "2016-03-01",
        [group],
    )


def output_data(**fields):
    return {
        "title": "Programme learning review",
        "kind": "research_report",
        "form": "formal",
        "date_precision": "day",
        "drafted_on": "2016-03-01",
        **fields,
    }


def test_manager_records_an_output_of_the_whole_programme(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("evidence:output_create"), output_data(programme=cast.programme.pk)
    )

    assert response.status_code == 302
    output = Output.objects.get(title="Programme learning review")
    assert output.programme == cast.programme
    assert (list(output.sites.all()), list(output.groups.all())) == ([], [])


def test_manager_is_offered_their_programme_for_a_programme_wide_output(client, cast):
    sign_in(client, cast.manager)

    form = client.get(reverse("evidence:output_create")).context["form"]

    assert list(form.fields["programme"].queryset) == [cast.programme]
    assert form.fields["programme"].initial == cast.programme


def test_manager_choosing_no_site_group_or_programme_is_told_all_three(client, cast):
    sign_in(client, cast.manager)

    response = client.post(reverse("evidence:output_create"), output_data())

    assert "Choose at least one site or group that you may edit, or the programme." in (
        response.content.decode()
    )
    assert not Output.objects.exists()


def test_researcher_may_not_record_an_output_of_the_whole_programme(client, cast):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("evidence:output_create"), output_data(programme=cast.programme.pk)
    )

    assert "programme" not in response.context["form"].fields
    assert "Choose at least one site or group that you may edit." in response.content.decode()
    assert not Output.objects.exists()


def test_manager_saves_a_programme_wide_output_unchanged(client, cast):
    output = factories.OutputFactory(
        programme=cast.programme, title="Programme learning review", sites=[]
    )
    sign_in(client, cast.manager)

    response = client.post(reverse("evidence:output_update", args=[output.pk]), output_data())

    assert response.status_code == 302
    output.refresh_from_db()
    assert (output.programme, list(output.sites.all())) == (cast.programme, [])


def test_output_status_change_through_the_page(client, cast, fife_output):
    sign_in(client, cast.fife_researcher)
    url = reverse("evidence:output_status", args=[fife_output.pk])

    client.post(url, {"status": "consultation", "on": "2016-04-01"})
    client.post(url, {"status": "published", "on": "2016-06-15"})

    fife_output.refresh_from_db()
    assert (
        fife_output.status,
        str(fife_output.consultation_on),
        str(fife_output.published_on),
    ) == (
        "published",
        "2016-04-01",
        "2016-06-15",
    )


def test_output_status_date_before_consultation_is_refused_next_to_the_date(
    client, cast, fife_output
):
    sign_in(client, cast.fife_researcher)
    url = reverse("evidence:output_status", args=[fife_output.pk])
    client.post(url, {"status": "consultation", "on": "2016-04-01"})

    response = client.post(url, {"status": "published", "on": "2016-03-01"})

    assert "would come before in consultation" in response.context["form"].errors["on"][0]
    fife_output.refresh_from_db()
    assert (fife_output.status, fife_output.published_on) == ("consultation", None)


def test_strategy_lead_cannot_change_an_output_status(client, cast, fife_output):
    sign_in(client, cast.fife_lead)

    response = client.post(
        reverse("evidence:output_status", args=[fife_output.pk]),
        {"status": "published", "on": "2016-06-15"},
    )

    fife_output.refresh_from_db()
    assert (response.status_code, fife_output.status) == (403, "draft")


def test_output_delete_by_researcher(client, cast, fife_output):
    sign_in(client, cast.fife_researcher)

    client.post(reverse("evidence:output_delete", args=[fife_output.pk]))

    assert not Output.objects.exists()


def test_output_authors_show_pseudonyms_to_a_strategy_lead(client, cast, fife_output):
    from tests.factories.inquiries import PersonFactory

    author = PersonFactory(programme=cast.programme, name="Alison Hidden", site=cast.fife)
    fife_output.authors.set([author])
    sign_in(client, cast.fife_lead)

    page = client.get(reverse("evidence:output_detail", args=[fife_output.pk])).content.decode()

    assert "Alison Hidden" not in page
    assert author.pseudonym in page


# --- Changes ----------------------------------------------------------------------------------


@pytest.fixture
def chain(cast, restricted, internal, fife_output):
    """Three changes in Fife, each building on the one before; the middle one cites a
    restricted and an internal evidence item and an output."""
    first = factories.ChangeFactory(
        programme=cast.programme, title="Data shared", date="2015-09-01", sites=[cast.fife]
    )
    middle = factories.ChangeFactory(
        programme=cast.programme,
        title="Referral practice",
        date="2016-01-01",
        sites=[cast.fife],
    )
    last = factories.ChangeFactory(
        programme=cast.programme, title="Council policy", date="2016-09-01", sites=[cast.fife]
    )
    middle.earlier_changes.set([first])
    last.earlier_changes.set([middle])
    middle.evidence.set([restricted, internal])
    middle.outputs.set([fife_output])
    return first, middle, last


def test_change_page_follows_influence_both_ways(client, cast, chain):
    first, middle, last = chain
    sign_in(client, cast.fife_researcher)

    response = client.get(reverse("evidence:change_detail", args=[middle.pk]))

    links = response.context["links"]
    assert [c.title for c in links["earlier_changes"]] == ["Data shared"]
    assert [c.title for c in links["later_changes"]] == ["Council policy"]
    assert [o.title for o in links["outputs"]] == ["Welfare PIT report"]
    page = response.content.decode()
    assert reverse("evidence:change_detail", args=[first.pk]) in page
    assert reverse("evidence:change_detail", args=[last.pk]) in page


@pytest.mark.parametrize(
    ("role", "evidence_shown"),
    [
        ("manager", ["Claimant interviews", "Sanctions statistics"]),
        ("fife_researcher", ["Claimant interviews", "Sanctions statistics"]),
        ("glasgow_researcher", ["Sanctions statistics"]),
        ("fife_lead", ["Sanctions statistics"]),
    ],
)
def test_change_page_shows_supporting_evidence_only_where_allowed(
    client, cast, chain, role, evidence_shown
):
    as_user(client, cast, role)

    response = client.get(reverse("evidence:change_detail", args=[chain[1].pk]))

    assert [item.title for item in response.context["links"]["evidence"]] == evidence_shown
    assert ("Claimant interviews" in response.content.decode()) == (len(evidence_shown) == 2)


@pytest.mark.parametrize(
    ("role", "page", "edit", "create"),
    [
        ("manager", "shown", "shown", "shown"),
        ("fife_researcher", "shown", "shown", "shown"),
        ("glasgow_researcher", "shown", "refused", "shown"),
        ("fife_lead", "shown", "refused", "refused"),
        ("anonymous", "sign in", "sign in", "sign in"),
    ],
)
def test_change_pages_per_role(client, cast, chain, role, page, edit, create):
    as_user(client, cast, role)
    pk = chain[1].pk

    got = [
        client.get(reverse("evidence:change_detail", args=[pk])),
        client.get(reverse("evidence:change_update", args=[pk])),
        client.get(reverse("evidence:change_create")),
    ]

    assert [outcome(response) for response in got] == [page, edit, create]


def test_change_form_offers_only_evidence_the_user_may_see(client, cast, chain):
    sign_in(client, cast.glasgow_researcher)

    form = client.get(reverse("evidence:change_create")).context["form"]

    assert [item.title for item in form.fields["evidence"].queryset] == ["Sanctions statistics"]


def test_researcher_records_a_change_building_on_an_earlier_one(client, cast, chain):
    sign_in(client, cast.fife_researcher)

    client.post(
        reverse("evidence:change_create"),
        {
            "title": "National guidance",
            "type": "policy",
            "level": "national",
            "date": "2017-02-01",
            "date_precision": "month",
            "sites": [cast.fife.pk],
            "earlier_changes": [chain[2].pk],
            "evidence": [chain[1].evidence.get(title="Sanctions statistics").pk],
        },
    )

    change = Change.objects.get(title="National guidance")
    assert [c.title for c in change.earlier_changes.all()] == ["Council policy"]
    assert [e.title for e in change.evidence.all()] == ["Sanctions statistics"]


def test_editing_a_change_keeps_links_the_editor_cannot_see(client, cast, restricted):
    change = factories.ChangeFactory(
        programme=cast.programme, title="Shared learning", sites=[cast.glasgow]
    )
    change.evidence.set([restricted])
    sign_in(client, cast.glasgow_researcher)

    client.post(
        reverse("evidence:change_update", args=[change.pk]),
        {
            "title": "Shared learning across sites",
            "type": "practice",
            "level": "partnership",
            "date_precision": "day",
            "sites": [cast.glasgow.pk],
        },
    )

    change.refresh_from_db()
    assert change.title == "Shared learning across sites"
    assert list(change.evidence.all()) == [restricted]


def test_change_delete_by_researcher_of_the_site(client, cast, chain):
    sign_in(client, cast.fife_researcher)

    client.post(reverse("evidence:change_delete", args=[chain[0].pk]))

    assert list(Change.objects.order_by("title").values_list("title", flat=True)) == [
        "Council policy",
        "Referral practice",
    ]


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
