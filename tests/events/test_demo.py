import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from events.models import Event, FeedbackQuestion
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db


def test_demo_retreat_page_shows_the_published_range(client, demo_programme):
    question = FeedbackQuestion.objects.filter(
        form__event__programme=demo_programme, published_share_min__isnull=False
    ).select_related("form__event")[0]
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme)
    client.force_login(manager)

    page = client.get(reverse("events:event_detail", args=[question.form.event.pk]))

    text = page.content.decode()
    assert f"{question.published_share_min}% to {question.published_share_max}%" in text
    assert "published" in text


@pytest.fixture
def event_page(client, demo_programme):
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme)
    client.force_login(manager)

    def page(title_start):
        event = Event.objects.get(programme=demo_programme, title__startswith=title_start)
        return client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    return page


def test_demo_perth_event_page_shows_its_key_themes(event_page):
    text = event_page("National event 3")

    # 002:8-13, the key themes identified at the Perth event
    assert "The innovative CAR approach used by What Works Scotland is proving effective." in text
    assert "There is an opportunity for developing cross-CPP Communities of Practice." in text


def test_demo_retreat_page_shows_its_published_comment_summaries(event_page):
    text = event_page("National event 2")

    assert "Published summary of comments" in text
    assert "- research planning" in text  # 001:199-202, what was valuable
    assert "- winning support from key managers and stakeholders" in text  # 001:203-207
    assert "- greater variety of activity and pace" in text  # 001:213-216


def test_demo_facilitation_training_says_which_sites_counts_are_unknown(event_page):
    """Fife's four (seed 000:1355) and West Dunbartonshire's three (seed 000:1379) are the only
    published counts of the event's four sites: the other two sites' attendance is unknown."""
    text = event_page("Facilitation training")

    assert "Head count: 7 from 2 sites; 2 sites unknown</h3>" in text
