import datetime as dt

import factory
from django.utils import timezone

from accounts.enums import RoleKind
from accounts.models import Invitation, Role, User
from accounts.tokens import hash_token
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


class InvitationFactory(ProgrammeRecordFactory):
    """An invitation waiting, sent now; its link's token is ``token-<n>`` (``invitation_token``).
    Its sites are given with ``sites=[...]``."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = RoleKind.RESEARCHER
    token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.sent_at + dt.timedelta(days=7))

    @factory.post_generation
    def sites(self, create, sites, **kwargs):
        if create and sites:
            self.sites.set(sites)
