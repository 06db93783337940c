"""People in each role around one inquiry group, for the workspace's page tests."""

from dataclasses import dataclass

from accounts.enums import RoleKind
from accounts.models import User
from inquiries.models import InquiryGroup
from sites.models import CaseSite
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory


@dataclass
class Cast:
    fife: CaseSite
    glasgow: CaseSite
    group: InquiryGroup
    manager: User
    researcher: User
    other_researcher: User
    lead: User
    other_lead: User
    outsider: User


def _user(site, kind):
    user = UserFactory()
    RoleFactory(user=user, programme=site.programme, site=site, role=kind)
    return user


def make_cast() -> Cast:
    programme = ProgrammeFactory()
    fife = CaseSiteFactory(programme=programme, name="Fife")
    glasgow = CaseSiteFactory(programme=programme, name="Glasgow")
    group = InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([fife])
    manager = UserFactory()
    RoleFactory(user=manager, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    return Cast(
        fife=fife,
        glasgow=glasgow,
        group=group,
        manager=manager,
        researcher=_user(fife, RoleKind.RESEARCHER),
        other_researcher=_user(glasgow, RoleKind.RESEARCHER),
        lead=_user(fife, RoleKind.STRATEGY_LEAD),
        other_lead=_user(glasgow, RoleKind.STRATEGY_LEAD),
        outsider=_user(CaseSiteFactory(), RoleKind.RESEARCHER),
    )


def as_user(client, cast, role):
    """Sign ``client`` in as the cast member named ``role``; "anonymous" stays signed out."""
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


def refused_as(response, expected):
    """True when the response is the refusal expected: a status, or "login" for a redirect."""
    if expected == "login":
        return response.status_code == 302 and "login" in response["Location"]
    return response.status_code == expected
