"""Edition pages per role: starting one, its page and cover, its chapters (moved, added,
deleted), the chapter editor with its preview, citation search and drafts, rendering versions
and what changed between them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.enums import Sensitivity
from reports import editions, metrics
from reports.enums import ReportKind
from reports.kinds import KINDS
from reports.models import Chapter, Edition, ReportRequest
from tests import factories
from tests.cast import as_user, outcome, sign_in
from tests.reports.requests import ROLES
from tests.sites.test_programme_setup import image_file

pytestmark = pytest.mark.django_db

# Who may see and write an edition of the Fife site report: those who may request it and see
# its people's names, which its drafts hold as written (not its strategy lead).
EDITION_OUTCOMES = {
    "manager": "shown",
    "fife_researcher": "not found",
    "glasgow_researcher": "not found",
    "fife_lead": "not found",
    "glasgow_lead": "not found",
    "other_manager": "not found",
    "anonymous": "sign in",
}
# Starting one asks the authoring rule of the site: its readers who may not are refused.
CREATE_OUTCOMES = {
    **EDITION_OUTCOMES,
    "fife_researcher": "refused",
    "glasgow_researcher": "refused",
    "fife_lead": "refused",
}
WRITERS = [role for role, got in EDITION_OUTCOMES.items() if got == "shown"]
OTHERS = [role for role in ROLES if role not in WRITERS]


@pytest.fixture
def edition(cast):
    return editions.edition_create(
        by=cast.manager,
        kind=ReportKind.SITE,
        programme=cast.programme,
        site=cast.fife,
        title="Learning in Fife",
    )


def _chapter(edition, title) -> Chapter:
    return Chapter.objects.get(edition=edition, title=title)


def _titles(edition) -> list[str]:
    chapters = Chapter.objects.filter(edition=edition).order_by("position", "pk")
    return list(chapters.values_list("title", flat=True))


def _cover(edition, **changes) -> dict:
    data = {
        "title": edition.title,
        "subtitle": "",
        "authors": "",
        "publisher": "",
        "published_on": "",
        "licence": "",
        "isbn": "",
        "doi": "",
        "citation": "",
        "anonymise": "on",
        "start": "",
        "end": "",
    }
    return {**data, **changes}


# --- Who gets what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_edition_pages_per_role(client, cast, edition, role):
    foreword = _chapter(edition, "Foreword")
    as_user(client, cast, role)

    got = {
        "list": outcome(client.get(reverse("reports:edition_list"))),
        "create": outcome(
            client.get(reverse("reports:edition_create", args=["site", cast.fife.pk]))
        ),
        "edition": outcome(client.get(edition.get_absolute_url())),
        "chapter": outcome(client.get(reverse("reports:chapter_edit", args=[foreword.pk]))),
        "search": outcome(
            client.get(reverse("reports:citation_search", args=[edition.pk]), {"q": "x"})
        ),
        "delete": outcome(client.get(reverse("reports:chapter_delete", args=[foreword.pk]))),
    }

    expected = EDITION_OUTCOMES[role]
    assert got == {
        "list": "sign in" if role == "anonymous" else "shown",
        "create": CREATE_OUTCOMES[role],
        "edition": expected,
        "chapter": expected,
        "search": expected,
        "delete": expected,
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_the_editions_the_user_may_read(client, cast, edition, role):
    if role == "anonymous":
        return
    as_user(client, cast, role)

    listed = list(client.get(reverse("reports:edition_list")).context["editions"])

    assert listed == ([edition] if role in WRITERS else [])


@pytest.mark.parametrize("role", OTHERS)
def test_posts_by_others_change_nothing(client, cast, edition, role):
    foreword = _chapter(edition, "Foreword")
    before = _titles(edition)
    as_user(client, cast, role)

    responses = [
        client.post(edition.get_absolute_url(), _cover(edition, title="Taken over")),
        client.post(reverse("reports:chapter_move", args=[foreword.pk]), {"direction": "down"}),
        client.post(
            reverse("reports:chapter_edit", args=[foreword.pk]), {"title": "F", "body": "x"}
        ),
        client.post(reverse("reports:chapter_add", args=[edition.pk]), {"title": "More"}),
        client.post(reverse("reports:chapter_delete", args=[foreword.pk])),
        client.post(reverse("reports:edition_render", args=[edition.pk])),
        client.post(reverse("reports:chapter_preview", args=[foreword.pk]), {"body": "x"}),
    ]

    assert {outcome(response) for response in responses} == {EDITION_OUTCOMES[role]}
    edition.refresh_from_db()
    assert edition.title == "Learning in Fife"
    assert _titles(edition) == before
    foreword.refresh_from_db()
    assert foreword.body == ""
    assert not ReportRequest.objects.exists()


# --- Starting an edition ----------------------------------------------------------------------


def test_a_manager_starts_an_edition_of_a_sites_report(client, cast):
    sign_in(client, cast.manager)
    url = reverse("reports:edition_create", args=["site", cast.fife.pk])

    page = client.get(url)
    response = client.post(url, {"title": "What Fife learnt"})

    assert page.context["form"].initial["title"] == "Site report: Fife"
    edition = Edition.objects.get()
    assert response["Location"] == edition.get_absolute_url()
    assert (edition.kind, edition.site, edition.created_by) == ("site", cast.fife, cast.manager)
    assert "Foreword" in _titles(edition)


def test_an_edition_needs_a_title_kept_beside_the_field(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("reports:edition_create", args=["site", cast.fife.pk]), {"title": " "}
    )

    assert response.context["form"].errors == {"title": ["This field is required."]}
    assert not Edition.objects.exists()


def test_an_unknown_kind_is_not_found(client, cast):
    sign_in(client, cast.manager)

    response = client.get(reverse("reports:edition_create", args=["gossip", cast.fife.pk]))

    assert outcome(response) == "not found"


def test_the_reports_page_offers_editions_to_those_who_may_write_one(client, cast):
    pages = {}
    for role in ("manager", "fife_lead"):
        as_user(client, cast, role)
        pages[role] = client.get(reverse("reports:report_list")).content.decode()
    site_edition = reverse("reports:edition_create", args=["site", cast.fife.pk])

    assert site_edition in pages["manager"] and reverse("reports:edition_list") in pages["manager"]
    # The lead requests the site's report, but writes no edition of it.
    assert reverse("reports:report_request", args=["site", cast.fife.pk]) in pages["fife_lead"]
    assert site_edition not in pages["fife_lead"]


def test_the_group_chooser_leads_to_a_new_edition(client, cast):
    sign_in(client, cast.fife_researcher)

    response = client.get(
        reverse("reports:report_request_group"),
        {"kind": "group_learning", "group": cast.group.pk, "edition": "1"},
    )

    assert response["Location"] == reverse(
        "reports:edition_create", args=["group_learning", cast.group.pk]
    )


# --- The cover --------------------------------------------------------------------------------


def test_the_cover_is_saved(client, cast, edition):
    sign_in(client, cast.manager)

    response = client.post(
        edition.get_absolute_url(),
        _cover(
            edition,
            subtitle="Three years of action research",
            authors="Ann Author\nFife Council",
            published_on="2017-06-30",
            isbn="978-1-909442-00-0",
            anonymise="",
        ),
    )

    assert response["Location"] == edition.get_absolute_url()
    edition.refresh_from_db()
    assert edition.subtitle == "Three years of action research"
    assert edition.authors.splitlines() == ["Ann Author", "Fife Council"]
    assert str(edition.published_on) == "2017-06-30"
    assert edition.anonymise is False


def test_a_cover_with_dates_out_of_order_is_refused_beside_the_field(client, cast, edition):
    sign_in(client, cast.manager)

    response = client.post(
        edition.get_absolute_url(),
        _cover(edition, subtitle="Kept", start="2017-03-01", end="2017-01-01"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end": ["The end of the date range comes before its start."]
    }
    html = response.content.decode()
    assert 'value="2017-03-01"' in html and 'value="Kept"' in html
    edition.refresh_from_db()
    assert edition.subtitle == ""


def test_a_logo_that_is_no_image_is_refused(client, cast, edition):
    sign_in(client, cast.manager)
    fake = SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")

    response = client.post(edition.get_absolute_url(), {**_cover(edition), "logo": fake})

    assert response.context["form"].errors == {
        "logo": ["The logo must be a PNG, JPEG, WebP or GIF image; this file is not one."]
    }
    edition.refresh_from_db()
    assert not edition.logo


def test_a_logo_is_stored_and_then_removed(client, cast, edition):
    sign_in(client, cast.manager)

    client.post(edition.get_absolute_url(), {**_cover(edition), "logo": image_file("crest.PNG")})
    edition.refresh_from_db()
    stored = edition.logo.name
    client.post(edition.get_absolute_url(), {**_cover(edition), "logo-clear": "on"})
    edition.refresh_from_db()

    assert stored.startswith("logos/") and stored.endswith(".png")
    assert not edition.logo


# --- Chapters ---------------------------------------------------------------------------------


def test_moving_a_chapter_up_and_down_reorders_them(client, cast, edition):
    sign_in(client, cast.manager)
    before = _titles(edition)
    introduction = _chapter(edition, "Introduction")
    url = reverse("reports:chapter_move", args=[introduction.pk])

    up = client.post(url, {"direction": "up"})
    after_up = _titles(edition)
    down = client.post(url, {"direction": "down"}, headers={"HX-Request": "true"})

    assert up["Location"] == edition.get_absolute_url() + "#chapters"
    assert after_up[:2] == ["Introduction", "Foreword"]
    assert _titles(edition) == before
    # htmx gets the list back, the moved chapter's button keeping focus.
    html = down.content.decode()
    assert html.lstrip().startswith('<div id="chapters">') and "<html" not in html
    assert "Moved Introduction to place 2." in html
    focused = html.split("autofocus")[0].rsplit("<button", 1)[1]
    assert 'value="down"' in focused and "move Introduction down" in html.split("autofocus")[1]


def test_chapters_are_added_of_the_authors_own_or_the_kinds_data(client, cast, edition):
    Chapter.objects.filter(edition=edition, section="health").delete()
    sign_in(client, cast.manager)
    url = reverse("reports:chapter_add", args=[edition.pk])

    page = client.get(edition.get_absolute_url())
    own = client.post(url, {"title": "Afterword"})
    data = client.post(url, {"section": "health"})
    untitled = client.post(url, {"title": ""})

    offered = dict(page.context["add_form"].fields["section"].choices)
    assert set(offered) == {"", "health"}
    afterword = _chapter(edition, "Afterword")
    assert own["Location"] == reverse("reports:chapter_edit", args=[afterword.pk])
    assert data["Location"] == edition.get_absolute_url() + "#chapters"
    assert _titles(edition)[-2:] == ["Afterword", "Partnership health"]
    assert untitled.context["form"].errors == {"title": ["Give your chapter a title."]}


def test_a_chapter_is_deleted_after_confirming(client, cast, edition):
    foreword = _chapter(edition, "Foreword")
    sign_in(client, cast.manager)

    confirm = client.get(reverse("reports:chapter_delete", args=[foreword.pk]))
    response = client.post(reverse("reports:chapter_delete", args=[foreword.pk]))

    assert "Remove the chapter “Foreword”?" in confirm.content.decode()
    assert response["Location"] == edition.get_absolute_url() + "#chapters"
    assert "Foreword" not in _titles(edition)


def test_an_edition_is_deleted_and_its_versions_stay(client, cast, edition):
    version = editions.edition_render(edition=edition, by=cast.manager)
    sign_in(client, cast.manager)
    url = reverse("reports:edition_delete", args=[edition.pk])

    confirm = client.get(url)
    response = client.post(url)

    assert "versions already rendered stay" in confirm.content.decode()
    assert response["Location"] == reverse("reports:edition_list")
    assert not Edition.objects.exists()
    version.refresh_from_db()
    assert version.edition is None and version.text["cover"]["title"] == "Learning in Fife"


def _count_queries(client, url) -> int:
    client.get(url)  # the session is saved on the first request only
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_editions_page_costs_the_same_queries_however_many_chapters(client, cast, edition):
    sign_in(client, cast.manager)
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="A start.")
    few = _count_queries(client, edition.get_absolute_url())
    few_drafts = _count_queries(client, reverse("reports:chapter_edit", args=[foreword.pk]))

    for n in range(12):
        editions.chapter_add(edition=edition, by=cast.manager, title=f"Theme {n}", body=f"T{n}")
        editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body=f"{n}")

    assert _count_queries(client, edition.get_absolute_url()) == few
    assert _count_queries(client, reverse("reports:chapter_edit", args=[foreword.pk])) == (
        few_drafts
    )


# --- The chapter editor -----------------------------------------------------------------------


def test_saving_a_chapter_keeps_a_draft(client, cast, edition):
    foreword = _chapter(edition, "Foreword")
    drafts = foreword.history.count()
    sign_in(client, cast.manager)
    url = reverse("reports:chapter_edit", args=[foreword.pk])

    response = client.post(url, {"title": "Foreword", "body": "Fife worked together."})

    assert response["Location"] == url
    foreword.refresh_from_db()
    assert (foreword.body, foreword.updated_by) == ("Fife worked together.", cast.manager)
    assert foreword.history.count() == drafts + 1


def test_the_preview_numbers_citations_and_draws_a_placed_figure(client, cast, edition):
    first = factories.OutputFactory(programme=cast.programme, title="Welfare briefing")
    factories.OutputFactory(programme=cast.programme, title="Advice map", sites=[cast.fife])
    factories.OutputFactory(programme=cast.programme, title="Referral guide", sites=[cast.fife])
    project = factories.ProposedProjectFactory(site=cast.fife, title="A single front door")
    foreword = _chapter(edition, "Foreword")
    sign_in(client, cast.manager)
    body = (
        f"The briefing [[output:{first.pk}]] came first.\n\n[[figure:outputs]]\n\n"
        "[[figure:table-b]]\n\nSee the briefing again [[output:%d]]." % first.pk
    )

    response = client.post(
        reverse("reports:chapter_preview", args=[foreword.pk]),
        {"title": "Foreword", "body": body},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert '<a href="#ref-1" rel="noopener noreferrer nofollow">[1]</a> came first' in html
    assert "[2]" not in html
    # The figures drawn from the records: Fife's outputs, counted and listed, and its Table B.
    assert "Advice map" in html and "Referral guide" in html and "Welfare briefing" not in html
    assert "Outputs by kind" in html and "<svg" in html and "<style" not in html
    summary = metrics.outputs_summary(
        scope=metrics.MetricScope(programme=cast.programme, site=cast.fife)
    )
    assert summary.by_kind.total == 2
    by_kind = html.split("<caption>Outputs by kind</caption>")[1].split("</table>")[0]
    assert '<th scope="row">Total</th><td class="number">2</td>' in by_kind
    assert project.title in html
    assert html.index("came first") < html.index("Outputs by kind") < html.index("again")
    assert 'id="preview-status"' in html and "Preview updated." in html
    foreword.refresh_from_db()
    assert foreword.body == ""


def test_the_preview_replaces_names_without_consent(client, cast, edition):
    private = factories.PersonFactory(programme=cast.programme, name="Hamish Private")
    foreword = _chapter(edition, "Foreword")
    sign_in(client, cast.manager)

    html = client.post(
        reverse("reports:chapter_preview", args=[foreword.pk]),
        {"title": "Foreword", "body": "Hamish Private led the way."},
    ).content.decode()

    assert f"{private.pseudonym} led the way." in html and "Hamish Private" not in html


def test_the_preview_without_javascript_shows_the_text_and_saves_nothing(client, cast, edition):
    output = factories.OutputFactory(programme=cast.programme, title="Welfare briefing")
    foreword = _chapter(edition, "Foreword")
    sign_in(client, cast.manager)

    response = client.post(
        reverse("reports:chapter_edit", args=[foreword.pk]),
        {"title": "Foreword", "body": f"Typed [[output:{output.pk}]] here.", "preview": "1"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Typed [[output:" in html  # the text, kept in the form
    assert 'rel="noopener noreferrer nofollow">[1]</a> here.' in html
    foreword.refresh_from_db()
    assert foreword.body == ""


def test_a_citation_of_another_programmes_record_is_said_in_the_preview(client, cast, edition):
    elsewhere = factories.OutputFactory(programme=cast.elsewhere.programme, title="Not ours")
    foreword = _chapter(edition, "Foreword")
    sign_in(client, cast.manager)

    html = client.post(
        reverse("reports:chapter_preview", args=[foreword.pk]),
        {"title": "Foreword", "body": f"See [[output:{elsewhere.pk}]]."},
    ).content.decode()

    assert f"not in this programme or that you may not read: output {elsewhere.pk}" in html
    assert "Not ours" not in html


def test_the_search_finds_only_readable_records_of_the_programme(client, cast):
    glasgow_group = factories.InquiryGroupFactory(programme=cast.programme, name="Carers Glasgow")
    glasgow_group.sites.set([cast.glasgow])
    factories.EvidenceItemFactory(
        programme=cast.programme,
        group=glasgow_group,
        title="Carers' case notes",
        sensitivity=Sensitivity.RESTRICTED,
    )
    ours = factories.OutputFactory(programme=cast.programme, title="Carers briefing")
    factories.OutputFactory(programme=cast.elsewhere.programme, title="Carers elsewhere")
    change = factories.ChangeFactory(programme=cast.programme, title="A carers' clinic")
    change.sites.set([cast.fife])
    # A Fife group's edition: the manager and Fife's researcher write it.
    edition = editions.edition_create(
        by=cast.manager,
        kind=ReportKind.GROUP_LEARNING,
        programme=cast.programme,
        group=cast.group,
        title="Fife's group",
    )
    url = reverse("reports:citation_search", args=[edition.pk])

    found = {}
    for role in ("manager", "fife_researcher"):
        as_user(client, cast, role)
        response = client.get(url, {"q": "carers"})
        found[role] = {record.title for record in response.context["found"]}
    html = response.content.decode()

    mine = {"Carers briefing", "A carers' clinic", "Carers Glasgow"}
    assert found["manager"] == mine | {"Carers' case notes"}
    # Another site's restricted evidence is not the researcher's to read, nor to cite.
    assert found["fife_researcher"] == mine
    assert f'data-insert="[[output:{ours.pk}]]"' in html
    assert f"<code>[[output:{ours.pk}]]</code>" in html


def test_the_editor_without_javascript_searches_in_the_page(client, cast, edition):
    ours = factories.OutputFactory(programme=cast.programme, title="Carers briefing")
    sign_in(client, cast.manager)

    html = client.get(
        reverse("reports:chapter_edit", args=[_chapter(edition, "Foreword").pk]), {"q": "brief"}
    ).content.decode()

    assert f"<code>[[output:{ours.pk}]]</code>" in html
    assert "<code>[[figure:table-b]]</code>" in html


def test_an_earlier_draft_is_viewed_and_restored_as_a_new_draft(client, cast, edition):
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="First try.")
    first = foreword.history.latest("history_id")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="Second.")
    count = foreword.history.count()
    sign_in(client, cast.manager)
    url = reverse("reports:chapter_edit", args=[foreword.pk])

    shown = client.get(url, {"draft": first.history_id}).content.decode()
    restored = client.post(
        reverse("reports:chapter_restore", args=[foreword.pk]), {"history_id": first.history_id}
    )
    missing = client.get(url, {"draft": "999999"})

    assert "First try." in shown and "Restore this draft" in shown
    assert restored["Location"] == url
    foreword.refresh_from_db()
    assert foreword.body == "First try."
    assert foreword.history.count() == count + 1
    assert foreword.history.latest("history_id").history_user == cast.manager
    assert outcome(missing) == "not found"


# --- Rendering and versions -------------------------------------------------------------------


def test_rendering_makes_a_version_and_goes_to_its_page(client, cast, edition):
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="Hello.")
    sign_in(client, cast.manager)

    response = client.post(reverse("reports:edition_render", args=[edition.pk]))

    version = ReportRequest.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[version.pk])
    assert (version.edition, version.site, version.kind) == (edition, cast.fife, "site")
    assert version.text["chapters"][0]["body"] == "Hello."
    page = client.get(edition.get_absolute_url()).content.decode()
    assert reverse("reports:report_detail", args=[version.pk]) in page
    detail = client.get(response["Location"]).content.decode()
    assert "First version of this edition." in detail


def test_a_problem_is_said_on_the_editions_page_and_nothing_is_rendered(client, cast, edition):
    elsewhere = factories.OutputFactory(programme=cast.elsewhere.programme)
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(
        chapter=foreword, by=cast.manager, title="Foreword", body=f"[[output:{elsewhere.pk}]]"
    )
    sign_in(client, cast.manager)

    page = client.get(edition.get_absolute_url()).content.decode()
    response = client.post(reverse("reports:edition_render", args=[edition.pk]), follow=True)

    message = f"not in this programme or that you may not read: output {elsewhere.pk}"
    assert message in page
    assert response.redirect_chain == [(edition.get_absolute_url(), 302)]
    assert message in " ".join(str(m) for m in response.context["messages"])
    assert not ReportRequest.objects.exists()


def test_the_editions_page_warns_of_names_written_without_consent(client, cast, edition):
    private = factories.PersonFactory(programme=cast.programme, name="Hamish Private")
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(
        chapter=foreword, by=cast.manager, title="Foreword", body="Hamish Private."
    )
    sign_in(client, cast.manager)

    html = client.get(edition.get_absolute_url()).content.decode()

    assert (
        f"Hamish Private is written in Foreword; an anonymised version prints "
        f"{private.pseudonym} instead." in html
    )


def test_a_later_version_shows_what_changed_in_words_not_colour_alone(client, cast, edition):
    factories.PersonFactory(programme=cast.programme, name="Hamish Private")
    foreword = _chapter(edition, "Foreword")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="Old line.")
    first = editions.edition_render(edition=edition, by=cast.manager)
    editions.chapter_save(
        chapter=foreword, by=cast.manager, title="Foreword", body="Hamish Private wrote anew."
    )
    second = editions.edition_render(edition=edition, by=cast.manager)
    sign_in(client, cast.fife_researcher)  # reads the versions, not the edition

    html = client.get(reverse("reports:report_detail", args=[second.pk])).content.decode()

    assert (
        f'What changed since <a href="{reverse("reports:report_detail", args=[first.pk])}">'
        "version 1</a>" in html
    )
    assert (
        'class="diff-removed"><span aria-hidden="true">\u2212 </span><span class="visually-hidden">'
        "Removed: </span>Old line." in html
    )
    assert "Added: </span>" in html and "wrote anew." in html
    # The version is anonymised: the comparison shows the pseudonym too.
    assert "Hamish Private" not in html
    assert "Go on editing" not in html


def test_the_pages_of_a_site_a_group_and_an_event_offer_an_edition(client, cast, event):
    sign_in(client, cast.manager)

    pages = {
        "site": (cast.fife.get_absolute_url(), cast.fife),
        "group_learning": (cast.group.get_absolute_url(), cast.group),
        "event": (event.get_absolute_url(), event),
    }

    for kind, (url, target) in pages.items():
        html = client.get(url).content.decode()
        assert reverse("reports:edition_create", args=[kind, target.pk]) in html, kind


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_previews_each_of_its_figures(client, cast, event, kind):
    target = {"site": cast.fife, "event": event, "end_of_programme": cast.programme}.get(
        kind, cast.group
    )
    spec = KINDS[kind]
    edition = editions.edition_create(
        by=cast.manager,
        kind=kind,
        programme=cast.programme,
        title="All figures",
        **spec.target.subject(target),
    )
    chapter = editions.chapter_add(edition=edition, by=cast.manager, title="Figures")
    sign_in(client, cast.manager)
    body = "\n\n".join(f"Before {slug}.\n[[figure:{slug}]]" for slug, _label in spec.sections)

    response = client.post(
        reverse("reports:chapter_preview", args=[chapter.pk]), {"title": "Figures", "body": body}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "alert-danger" not in html
    assert html.count('class="placed-figure"') == len(spec.sections)
