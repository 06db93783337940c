"""Output and change pages per role, through the one rule set."""

import pytest
from django.urls import reverse

from evidence.models import Change, Output
from tests import factories
from tests.cast import as_user, outcome, sign_in
from tests.evidence.records import of_fife

pytestmark = pytest.mark.django_db


# --- Outputs ----------------------------------------------------------------------------------


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


def test_output_list_filters_the_outputs_of_unknown_status(client, cast):
    of_fife(factories.OutputFactory, cast, "Named in the source only", status="")
    of_fife(factories.OutputFactory, cast, "Draft report", status="draft")
    sign_in(client, cast.fife_lead)

    response = client.get(reverse("evidence:output_list"), {"status": "unknown"})

    assert [output.title for output in response.context["outputs"]] == ["Named in the source only"]
    text = response.content.decode()
    assert '<option value="unknown" selected>Unknown</option>' in text
    assert "<td>Unknown</td>" in text


def test_output_page_shows_a_blank_status_as_unknown(client, cast):
    output = of_fife(factories.OutputFactory, cast, "Named in the source only", status="")
    sign_in(client, cast.fife_lead)

    text = client.get(reverse("evidence:output_detail", args=[output.pk])).content.decode()

    assert '<span class="badge text-bg-light border">Unknown</span>' in text


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
