"""Type-ahead pickers (Tom Select, from static/vendor): typing filters the form's own options,
and the choice is the select's value that the form posts."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from inquiries.models import InquiryGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_picker_filters_as_one_types_and_posts_the_chosen_record(
    demo_browser_page, demo_programme
):
    welfare = InquiryGroup.objects.get(programme=demo_programme, short_name="Welfare PIT")
    browser = demo_browser_page(width=390)
    browser.sign_in("researcher", DEMO_PASSWORD)
    browser.goto("/evidence/new/")
    page = browser.page

    page.get_by_role("combobox", name="Group").focus()
    page.keyboard.type("Welf")
    # Only the group whose name holds what was typed is left to choose.
    expect(page.locator("#id_group-ts-dropdown").get_by_role("option")).to_have_text(
        ["Welfare PIT"]
    )
    page.keyboard.press("Enter")

    assert page.locator("select#id_group").input_value() == str(welfare.pk)
    assert browser.console_errors == []
