import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from events.models import FeedbackQuestion
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_retreat_page_shows_the_published_range(client, demo_programme):
    question = FeedbackQuestion.objects.filter(
        form__event__programme=demo_programme, published_share_min__isnull=False
    ).select_related("form__event")[0]
    manager = UserFactory()
    RoleFactory(user=manager, programme=demo_programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    client.force_login(manager)

    page = client.get(reverse("events:event_detail", args=[question.form.event.pk]))

    text = page.content.decode()
    assert f"{question.published_share_min}% to {question.published_share_max}%" in text
    assert "published" in text
