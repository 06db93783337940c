"""The researcher's world for the browser tests, built with the factories."""

from dataclasses import dataclass

from accounts.enums import RoleKind
from accounts.models import User
from inquiries.enums import MembershipRole
from inquiries.models import InquiryGroup, Person
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.inquiries import InquiryGroupFactory, MembershipFactory, PersonFactory
from tests.factories.sites import CaseSiteFactory, OrganisationFactory, ProgrammeFactory

CORE_NAMES = ["Ailsa Munro", "Callum Reid", "Fiona Baxter", "Hamish Doig", "Morag Lennie"]


@dataclass
class Journey:
    researcher: User
    group: InquiryGroup
    core: list[Person]
    periphery: Person


def make_journey() -> Journey:
    """A programme, Fife, a researcher of Fife and a Fife group of five core members and one more.

    The periphery member is there to be left unticked: the meeting has exactly five attendees.
    """
    programme = ProgrammeFactory()
    fife = CaseSiteFactory(programme=programme, name="Fife", slug="fife")
    researcher = UserFactory(username="fife-researcher", full_name="Fife Researcher")
    RoleFactory(user=researcher, programme=programme, site=fife, role=RoleKind.RESEARCHER)
    group = InquiryGroupFactory(programme=programme, name="Fife Welfare PIT")
    group.sites.set([fife])
    organisation = OrganisationFactory(programme=programme, name="Fife Council")
    core = [
        MembershipFactory(
            group=group,
            person=PersonFactory(programme=programme, name=name, organisation=organisation),
            role=MembershipRole.CORE,
        ).person
        for name in CORE_NAMES
    ]
    periphery = MembershipFactory(
        group=group,
        person=PersonFactory(programme=programme, name="Isla Periphery"),
        role=MembershipRole.PERIPHERY,
    ).person
    return Journey(researcher=researcher, group=group, core=core, periphery=periphery)
