"""The people of the tests: one user in each role around a Fife group, built with the factories.

A programme with two sites, Fife and Glasgow, and a Fife inquiry group; beside it another
programme with its own site, Elsewhere, which no role of the first reaches. Tests ask for the
``cast`` fixture (tests/conftest.py) and sign in by role name (``ROLES``).
"""

from dataclasses import dataclass

from django.urls import reverse

from accounts.enums import RoleKind
from accounts.models import User
from inquiries.models import InquiryGroup
from sites.models import CaseSite, Programme
from tests.factories.accounts import UserFactory, user_with_role
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory

# The roles of the programme, and a researcher from outside it: what most page tests go through.
PAGE_ROLES = (
    "manager",
    "fife_researcher",
    "glasgow_researcher",
    "fife_lead",
    "glasgow_lead",
    "outsider",
)
# What each role gets from the page of a Fife record, reading it or editing it: its readers see it,
# a reader who may not edit is refused (403), Glasgow's lead and outsiders do not see it at all
# (404), visitors go to the sign-in page.
FIFE_READ_PAGE = [
    ("manager", 200),
    ("fife_researcher", 200),
    ("glasgow_researcher", 200),
    ("fife_lead", 200),
    ("glasgow_lead", 404),
    ("outsider", 404),
    ("anonymous", "login"),
]
FIFE_EDIT_PAGE = [
    ("manager", 200),
    ("fife_researcher", 200),
    ("glasgow_researcher", 403),
    ("fife_lead", 403),
    ("glasgow_lead", 404),
    ("outsider", 404),
    ("anonymous", "login"),
]
# A Fife editor's form post saves and redirects (302) where the edit page would be shown.
FIFE_EDIT_POST = [(role, 302 if expected == 200 else expected) for role, expected in FIFE_EDIT_PAGE]
# Every role a test may sign in as, by the name the tests use; "anonymous" is no user at all.
ROLES = (*PAGE_ROLES, "other_manager", "nobody", "superuser", "anonymous")


@dataclass
class Cast:
    programme: Programme
    fife: CaseSite
    glasgow: CaseSite
    elsewhere: CaseSite
    group: InquiryGroup
    manager: User
    fife_researcher: User
    glasgow_researcher: User
    fife_lead: User
    glasgow_lead: User
    outsider: User  # a researcher of Elsewhere
    other_manager: User  # the manager of Elsewhere's programme
    nobody: User  # signed in, without any role
    superuser: User  # no role either: Django's superuser flag alone

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    @property
    def users(self) -> dict[str, User | None]:
        return {role: self.user(role) for role in ROLES}


def make_cast() -> Cast:
    programme = ProgrammeFactory()
    fife = CaseSiteFactory(programme=programme, name="Fife")
    glasgow = CaseSiteFactory(programme=programme, name="Glasgow")
    elsewhere = CaseSiteFactory(programme=ProgrammeFactory(), name="Elsewhere")
    group = InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([fife])
    return Cast(
        programme=programme,
        fife=fife,
        glasgow=glasgow,
        elsewhere=elsewhere,
        group=group,
        manager=user_with_role(RoleKind.PROGRAMME_MANAGER, programme=programme),
        fife_researcher=user_with_role(RoleKind.RESEARCHER, site=fife),
        glasgow_researcher=user_with_role(RoleKind.RESEARCHER, site=glasgow),
        fife_lead=user_with_role(RoleKind.STRATEGY_LEAD, site=fife),
        glasgow_lead=user_with_role(RoleKind.STRATEGY_LEAD, site=glasgow),
        outsider=user_with_role(RoleKind.RESEARCHER, site=elsewhere),
        other_manager=user_with_role(RoleKind.PROGRAMME_MANAGER, programme=elsewhere.programme),
        nobody=UserFactory(),
        superuser=UserFactory(is_staff=True, is_superuser=True),
    )


def sign_in(client, user):
    """Sign ``client`` in as ``user``; None (anonymous) stays signed out."""
    if user is not None:
        client.force_login(user)
    return client


def as_user(client, cast, role):
    """Sign ``client`` in as the cast member named ``role``; "anonymous" stays signed out."""
    return sign_in(client, cast.user(role))


def page_as(client, cast, role, name, record):
    """The page called ``name`` of ``record``, as the cast member named ``role`` gets it."""
    return as_user(client, cast, role).get(reverse(name, args=[record.pk]))


def outcome(response):
    """What a role got from a page: the page, a refusal, a 404, or a trip to the sign-in page."""
    if response.status_code == 302 and "login" in response["Location"]:
        return "sign in"
    return {200: "shown", 302: "done", 403: "refused", 404: "not found"}[response.status_code]


def outcomes(client, name, *records):
    """What ``client`` gets from the page called ``name`` of each record, in order."""
    return tuple(outcome(client.get(reverse(name, args=[record.pk]))) for record in records)


def refused_as(response, expected):
    """True when the response is the refusal expected: a status, or "login" for a redirect."""
    if expected == "login":
        return response.status_code == 302 and "login" in response["Location"]
    return response.status_code == expected
