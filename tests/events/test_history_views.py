import pytest
from django.urls import reverse

from tests.events.conftest import event_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("researcher", 200),
        ("other_researcher", 403),
        ("lead", 403),
        ("other_lead", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_read_an_events_history(client, fife, users, role, expected):
    event = event_in(fife, title="Welfare event")
    if users[role] is not None:
        client.force_login(users[role])

    response = client.get(reverse("events:event_history", args=[event.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert response.context["entries"][0].record.title == "Welfare event"
