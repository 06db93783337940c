"""Browser tests: Playwright drives Debian's chromium, headless, against the live server.

Playwright's own browser downloads are never used: the tests launch ``/usr/bin/chromium``
(Debian's ``chromium`` package, which ``.ci/run`` installs when it is missing). Without it the
tests skip on a developer's machine and fail under CI, where a missing browser is a broken build.
"""

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The password every browser test user signs in with (tests.factories.accounts.UserFactory's).
PASSWORD = "a-long-test-password"


@pytest.fixture(scope="module")
def chromium():
    """One headless chromium per module, or a skip (a failure under CI) when it is absent."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which Django's ORM takes
    # for an async context. The test's own ORM calls, and the flush that ends each transactional
    # test, are synchronous and safe; the module scope keeps the allowance to these tests.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Inside Playwright's loop the ORM keeps connections of its own (Django's are per
        # context): closed here, or the last would hold the test database open at its removal.
        connections.close_all()


class BrowserPage:
    """A page in a fresh browser context, with the console errors it has logged."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def goto(self, path):
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return response

    def sign_in(self, username, password=PASSWORD):
        page = self.page
        self.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"sign-in failed for {username}"


def _pages(chromium, base_url):
    """``open_page(width, height)`` on the server at ``base_url``, and the contexts it opened."""
    contexts = []

    def open_page(width=1280, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return BrowserPage(context.new_page(), base_url)

    return open_page, contexts


@pytest.fixture
def browser_page(chromium, live_server):
    """Opens signed-out pages on the live server: ``browser_page()``, ``browser_page(width=390)``.

    Each page has its own browser context (cookies, viewport), closed after the test.
    """
    open_page, contexts = _pages(chromium, live_server.url)
    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def committed_server(django_db_setup):
    """A server of the tests' own for the pages of the demo programme: it serves what is
    committed, as the demo is (tests/conftest.py), so that the tests that only read the demo
    take the one of their process instead of loading their own into a database that pytest
    empties after each of them."""
    thread = LiveServerThread("localhost", static_handler=StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


@pytest.fixture
def demo_browser_page(chromium, committed_server, demo_programme):
    """``browser_page`` on the demo programme: its pages, signed in as its demo logins."""
    open_page, contexts = _pages(chromium, committed_server)
    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def cast(transactional_db):
    """The cast of a browser test, built afresh and committed: the live server's thread reads
    only committed rows, and the flush after the test removes them."""
    from tests.cast import make_cast

    return make_cast()
