from django.db import transaction

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from accounts.enums import RoleKind
from accounts.models import Role, User
from sites.models import CaseSite, Programme


def demo_logins_ensure(*, programme: Programme, site: CaseSite) -> list[User]:
    """One sign-in per role, for trying the product on the embedded default.

    Side effects: creates the users of ``DEMO_LOGINS`` (``manager``, ``researcher`` and
    ``lead``) with the public password ``DEMO_PASSWORD`` if they do not exist, and their roles,
    the researcher's and the strategy lead's in ``site``. Existing users keep their password,
    so a second run changes nothing.
    """
    users = []
    with transaction.atomic():
        for username, role in DEMO_LOGINS.items():
            role_site = None if role == RoleKind.PROGRAMME_MANAGER else site
            user = User.objects.filter(username=username).first()
            if user is None:
                full_name = f"Demo {role.label.title()}" + (f" ({site.name})" if role_site else "")
                user = User(username=username, full_name=full_name)
                # The demo manager may also use the administration, which serves superusers only.
                user.is_staff = user.is_superuser = role == RoleKind.PROGRAMME_MANAGER
                user.set_password(DEMO_PASSWORD)
                user.save()
            if not Role.objects.filter(
                user=user, programme=programme, site=role_site, role=role
            ).exists():
                Role.objects.create(user=user, programme=programme, site=role_site, role=role)
            users.append(user)
    return users
