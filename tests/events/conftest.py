import pytest
from django.core.cache import cache

from accounts.enums import RoleKind
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.events import EventFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fife():
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Fife")


@pytest.fixture
def glasgow(fife):
    return CaseSiteFactory(programme=fife.programme, name="Glasgow")


@pytest.fixture
def users(fife, glasgow):
    """One user per role, by the name the tests use."""

    def holding(kind, site):
        user = UserFactory()
        RoleFactory(user=user, programme=fife.programme, site=site, role=kind)
        return user

    return {
        "manager": holding(RoleKind.PROGRAMME_MANAGER, None),
        "researcher": holding(RoleKind.RESEARCHER, fife),
        "other_researcher": holding(RoleKind.RESEARCHER, glasgow),
        "lead": holding(RoleKind.STRATEGY_LEAD, fife),
        "other_lead": holding(RoleKind.STRATEGY_LEAD, glasgow),
        "anonymous": None,
    }


def event_in(site, **kwargs):
    event = EventFactory(programme=site.programme, **kwargs)
    event.sites.set([site])
    return event
