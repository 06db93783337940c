import pytest

from tests.cast import FIFE_EDIT_PAGE, page_as, refused_as
from tests.factories.events import event_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_who_may_read_an_events_history(client, cast, role, expected):
    event = event_in(cast.fife, title="Welfare event")
    response = page_as(client, cast, role, "events:event_history", event)

    assert refused_as(response, expected)
    if expected == 200:
        assert response.context["entries"][0].record.title == "Welfare event"
