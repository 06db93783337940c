import pytest

from reports.rendering import render_pdf
from tests.factories.events import EventFactory


@pytest.fixture(scope="module")
def pdf_bytes():
    return render_pdf("<html><body><h1>Fife Welfare PIT</h1></body></html>").bytes


@pytest.fixture
def event(cast):
    event = EventFactory(programme=cast.programme, title="Fife learning day")
    event.sites.set([cast.fife])
    return event
