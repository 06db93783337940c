from django.db import transaction

from accounts.enums import RoleKind
from accounts.models import Role, User
from sites.models import CaseSite, Programme

DEMO_PASSWORD = "car-demo-2026"


def demo_logins_ensure(*, programme: Programme, site: CaseSite) -> list[User]:
    """One sign-in per role, for trying the product on the embedded default.

    Side effects: creates the users ``manager``, ``researcher`` and ``lead`` with the public
    password ``DEMO_PASSWORD`` if they do not exist, and their roles. Existing users keep their
    password, so a second run changes nothing.
    """
    logins = [
        ("manager", "Demo Programme Manager", RoleKind.PROGRAMME_MANAGER, None),
        ("researcher", f"Demo Researcher ({site.name})", RoleKind.RESEARCHER, site),
        ("lead", f"Demo Strategy Lead ({site.name})", RoleKind.STRATEGY_LEAD, site),
    ]
    users = []
    with transaction.atomic():
        for username, full_name, role, role_site in logins:
            user = User.objects.filter(username=username).first()
            if user is None:
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
