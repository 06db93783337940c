import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from events.models import FeedbackQuestion
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
