import pytest

from tests.inquiries.cast import Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:
    """A programme with Fife and Glasgow, a Fife group, and a user in each role."""
    return make_cast()
