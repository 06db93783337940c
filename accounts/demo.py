"""The demo sign-ins of the embedded default: who they are, and who they are shown to.

``programme_data.logins`` creates them with the demo programme; the signed-out landing page
and ``load_demo`` list them, from the users and roles as they are in the database.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from accounts.enums import RoleKind
from accounts.models import Role, User

DEMO_PASSWORD = "car-demo-2026"
# Each demo sign-in's user name and role; every role but the programme manager's is of one site.
DEMO_LOGINS = {
    "manager": RoleKind.PROGRAMME_MANAGER,
    "researcher": RoleKind.RESEARCHER,
    "lead": RoleKind.STRATEGY_LEAD,
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: list[str]


def demo_logins_listed() -> list[DemoLogin]:
    """The demo sign-ins that exist and may sign in, each with what its roles are.

    Empty unless ``settings.DEMO_LOGINS_SHOWN`` (the embedded default only): elsewhere a
    public password is not advertised, whatever users happen to have these names.
    """
    if not settings.DEMO_LOGINS_SHOWN:
        return []
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    """The demo sign-ins that exist and may sign in, in the order of ``DEMO_LOGINS``."""
    roles = Role.objects.select_related("programme", "site").order_by("programme__name", "pk")
    users = User.objects.filter(username__in=DEMO_LOGINS, is_active=True).prefetch_related(
        Prefetch("roles", queryset=roles)
    )
    found = {user.username: user for user in users}
    return [
        DemoLogin(username=name, roles=_roles(found[name])) for name in DEMO_LOGINS if name in found
    ]


def _roles(user: User) -> list[str]:
    roles = [
        f"{role.get_role_display()} of {role.site or role.programme}" for role in user.roles.all()
    ]
    if user.is_superuser:
        roles.append("superuser: may also use the administration")
    return roles
