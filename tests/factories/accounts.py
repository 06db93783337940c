import factory

from accounts.enums import RoleKind
from accounts.models import Role, User
from tests.factories.sites import CaseSiteFactory, ProgrammeRecordFactory, numbered


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = numbered("User")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class RoleFactory(ProgrammeRecordFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    site = factory.SubFactory(CaseSiteFactory, programme=factory.SelfAttribute("..programme"))
    role = RoleKind.RESEARCHER


def user_with_role(kind, *, site=None, programme=None, **fields):
    """A new user holding one role: in ``site`` (and its programme), or programme-wide."""
    user = UserFactory(**fields)
    RoleFactory(user=user, programme=programme or site.programme, site=site, role=kind)
    return user
