"""People and places shared by the site and organisation tests: a programme with two sites,
Fife and Glasgow, another programme with its own site, and one user per role."""

import pytest

from accounts.enums import RoleKind
from tests.evidence.conftest import manager_of, user_with
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory


@pytest.fixture
def fife():
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Fife")


@pytest.fixture
def glasgow(fife):
    return CaseSiteFactory(programme=fife.programme, name="Glasgow")


@pytest.fixture
def elsewhere():
    """A site of another programme, which no role here reaches."""
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Elsewhere")


@pytest.fixture
def users(fife, glasgow):
    """One user per role, by the name the tests use; ``anonymous`` is no user at all."""
    return {
        "manager": manager_of(fife.programme),
        "fife_researcher": user_with(fife, RoleKind.RESEARCHER),
        "glasgow_researcher": user_with(glasgow, RoleKind.RESEARCHER),
        "fife_lead": user_with(fife, RoleKind.STRATEGY_LEAD),
        "glasgow_lead": user_with(glasgow, RoleKind.STRATEGY_LEAD),
        "anonymous": None,
    }
