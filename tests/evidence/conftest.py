"""People and places shared by the evidence tests: a programme with two sites, Fife and
Glasgow, and one user per role."""

import pytest

from accounts.enums import RoleKind
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory


@pytest.fixture
def fife():
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Fife")


@pytest.fixture
def glasgow(fife):
    return CaseSiteFactory(programme=fife.programme, name="Glasgow")


def user_with(site, kind):
    user = UserFactory()
    RoleFactory(user=user, programme=site.programme, site=site, role=kind)
    return user


def manager_of(programme):
    user = UserFactory()
    RoleFactory(user=user, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    return user


@pytest.fixture
def users(fife, glasgow):
    """One user per role, by the name the tests use; ``anonymous`` is no user at all."""
    return {
        "manager": manager_of(fife.programme),
        "fife_researcher": user_with(fife, RoleKind.RESEARCHER),
        "glasgow_researcher": user_with(glasgow, RoleKind.RESEARCHER),
        "fife_lead": user_with(fife, RoleKind.STRATEGY_LEAD),
        "anonymous": None,
    }


def group_in(site, **kwargs):
    group = InquiryGroupFactory(programme=site.programme, **kwargs)
    group.sites.set([site])
    return group


def sign_in(client, user):
    if user is not None:
        client.force_login(user)
    return client
