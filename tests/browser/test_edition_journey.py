"""A manager writes an edition in a real browser: starts it from the reports page, writes a
chapter citing a record found by the search box and placing a figure from the picker, sees the
preview number the citation and draw the figure, saves, renders a version, and downloads its
PDF, read back with pypdf.

Debian's chromium, headless, through Playwright, against pytest-django's live server; the
version is rendered by the real render service (a worker's work) while the status page polls.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from playwright.sync_api import expect
from pypdf import PdfReader

from reports import editions, services
from reports.enums import ReportStatus
from reports.models import Chapter, Edition, ReportRequest
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_researcher_journey import WIDER_THAN_VIEWPORT
from tests.factories.evidence import OutputFactory
from tests.factories.sites import ProposedProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => document.activeElement.textContent.trim()"


def test_a_manager_writes_renders_and_downloads_an_edition(browser_page, cast):
    briefing = OutputFactory(programme=cast.programme, title="Welfare rights briefing")
    OutputFactory(programme=cast.elsewhere.programme, title="Welfare rights elsewhere")
    project = ProposedProjectFactory(site=cast.fife, title="A single front door")
    browser = browser_page()
    page = browser.page
    browser.sign_in(cast.manager.username)

    # Start the edition from the reports page.
    browser.goto("/reports/")
    page.get_by_role("link", name="write an edition of the Fife site report").click()
    page.get_by_label("Title").fill("Learning in Fife")
    page.get_by_role("button", name="Start the edition").click()
    expect(page.get_by_role("heading", level=1, name="Learning in Fife")).to_be_visible()
    edition = Edition.objects.get()
    assert browser.page.url.endswith(edition.get_absolute_url())
    assert axe_violations(browser, edition.get_absolute_url()) == []

    # The move buttons are buttons a keyboard reaches; focus stays with the moved chapter.
    page.get_by_role("button", name=re.compile("move Foreword down")).focus()
    page.keyboard.press("Enter")
    chapters = page.locator("#chapters li")
    expect(chapters.nth(1)).to_contain_text("Foreword")
    assert page.evaluate(FOCUSED) == "Down: move Foreword down"
    page.get_by_role("button", name=re.compile("move Foreword up")).click()
    expect(chapters.first).to_contain_text("Foreword")

    # Write the foreword: a citation from the search box, a figure from the picker.
    page.get_by_role("link", name="Edit Foreword").click()
    text = page.get_by_label("Text")
    text.fill("Fife started from the briefing ")
    page.get_by_label("Records whose title has").fill("welfare rights")
    results = page.locator("#citation-results")
    expect(results).to_contain_text("Output: Welfare rights briefing")
    expect(results).not_to_contain_text("elsewhere")
    results.get_by_role("button", name=re.compile("Cite output Welfare rights briefing")).click()
    text.press("End")
    text.press_sequentially(" and built on it.")
    page.get_by_label("Figure", exact=True).select_option(label="Proposed and delivered projects")
    page.get_by_role("button", name="Place the figure").click()
    expect(text).to_have_value(
        f"Fife started from the briefing [[output:{briefing.pk}]] and built on it.\n"
        "[[figure:table-b]]\n"
    )

    preview = page.locator("#preview")
    expect(preview).to_contain_text("Fife started from the briefing [1] and built on it.")
    expect(preview).to_contain_text("Table B: Fife, proposed and delivered projects")
    expect(preview).to_contain_text(project.title)
    expect(page.locator("#preview-status")).to_have_text("Preview updated.")

    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status").filter(has_text="A draft of")).to_be_visible()
    foreword = Chapter.objects.get(edition=edition, title="Foreword")
    assert f"[[output:{briefing.pk}]]" in foreword.body
    assert axe_violations(browser, urlsplit(page.url).path) == []

    # Render a version; the status page follows it until it is ready.
    page.get_by_role("link", name="Back to the edition").click()
    page.get_by_role("button", name="Render a new version").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    version = ReportRequest.objects.get(edition=edition)
    expect(page.get_by_text("First version of this edition.")).to_be_visible()
    version.refresh_from_db()
    if version.status != ReportStatus.READY:
        services.render(version.pk)  # what the worker does with the queued task
    download_link = page.get_by_role("link", name=re.compile("Download the PDF"))
    expect(download_link).to_be_visible(timeout=15_000)

    with page.expect_download() as download:
        download_link.click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    printed = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Fife started from the briefing [1] and built on it." in printed
    assert "Table B: Fife, proposed and delivered projects" in printed
    references = printed.split("References")[-1]
    assert "Welfare rights briefing" in references and "Output." in references

    # The Word copy from the same page: the chapter, its citation and the References.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Word \\(DOCX\\)")).click()
    assert download.value.suggested_filename.endswith(".docx")
    word = WordDocument(download.value.path())
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert "Fife started from the briefing [1] and built on it." in paragraphs
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert "Foreword" in headings and headings[-1] == "References"
    assert any(p.startswith("Welfare rights briefing") for p in paragraphs)

    assert browser.console_errors == []


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desk"])
def test_the_edition_pages_fit_the_screen_and_pass_axe(browser_page, cast, width):
    edition = editions.edition_create(
        by=cast.manager, kind="site", programme=cast.programme, site=cast.fife, title="Fife"
    )
    foreword = Chapter.objects.get(edition=edition, title="Foreword")
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="First.")
    editions.edition_render(edition=edition, by=cast.manager)
    editions.chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="Second.")
    second = editions.edition_render(edition=edition, by=cast.manager)
    browser = browser_page(width=width)
    browser.sign_in(cast.manager.username)

    for path in (
        edition.get_absolute_url(),
        reverse("reports:chapter_edit", args=[foreword.pk]),
        reverse("reports:report_detail", args=[second.pk]),
    ):
        assert axe_violations(browser, path) == [], path
        widths = browser.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (path, browser.page.evaluate(WIDER_THAN_VIEWPORT))
    assert browser.console_errors == []
