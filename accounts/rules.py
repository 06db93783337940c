"""The one rule set: who may do what to which records.

A rule is written once, as a composition of role predicates, and serves two ways:
as a database filter (``permitted(user, perm, queryset)``, for lists, selectors and
dashboards) and as a django-rules object permission (``user.has_perm(perm, obj)``, for views,
templates, downloads and the API). The object check runs the same filter on the one object,
so a list and a detail page can never disagree about what a user may see.

Where a record sits is declared once per model by a ``Scope``: the lookup to its programme and
the lookups to the case sites it belongs to.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce

import rules
from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from accounts.enums import RoleKind
from accounts.models import Invitation, Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Access:
    """The ids of the programmes and sites in which a user holds each role."""

    managed_programmes: frozenset[int] = frozenset()
    researched_programmes: frozenset[int] = frozenset()
    researched_sites: frozenset[int] = frozenset()
    led_programmes: frozenset[int] = frozenset()
    led_sites: frozenset[int] = frozenset()
    # Of the programmes above, those archived: read-only (see ``add_rule``).
    archived_programmes: frozenset[int] = frozenset()
    superuser: bool = False

    def programmes(self) -> frozenset[int]:
        return self.managed_programmes | self.researched_programmes | self.led_programmes


def access_of(user) -> Access:
    """The user's roles, read once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, "_car_access", None)
    if cached is not None:
        return cached
    sets: dict[str, set[int]] = {
        name: set() for name in Access.__dataclass_fields__ if name != "superuser"
    }
    for programme_id, site_id, role, archived_at in Role.objects.filter(user=user).values_list(
        "programme_id", "site_id", "role", "programme__archived_at"
    ):
        if archived_at is not None:
            sets["archived_programmes"].add(programme_id)
        if role == RoleKind.PROGRAMME_MANAGER:
            sets["managed_programmes"].add(programme_id)
        elif role == RoleKind.RESEARCHER:
            sets["researched_programmes"].add(programme_id)
            sets["researched_sites"].add(site_id)
        elif role == RoleKind.STRATEGY_LEAD:
            sets["led_programmes"].add(programme_id)
            sets["led_sites"].add(site_id)
    if user.is_superuser:
        # Every programme a role could name: read through the role's own relation, since the
        # rule set sits below the apps that define programmes.
        programmes = Role._meta.get_field("programme").related_model._default_manager
        for programme_id, archived_at in programmes.values_list("pk", "archived_at"):
            sets["managed_programmes"].add(programme_id)
            if archived_at is not None:
                sets["archived_programmes"].add(programme_id)
    access = Access(
        **{name: frozenset(ids) for name, ids in sets.items()},
        superuser=user.is_superuser,
    )
    user._car_access = access
    return access


@dataclass(frozen=True)
class Scope:
    """Where a model's records sit: the lookup to the programme id, and those to site ids."""

    programme: str
    sites: tuple[str, ...] = ()


# --- Rules ------------------------------------------------------------------------------------


class Rule:
    def q(self, access: Access, scope: Scope) -> Q:
        raise NotImplementedError

    def possible(self, access: Access) -> bool:
        """Whether the rule can allow anything at all to a user with ``access``."""
        raise NotImplementedError

    def __or__(self, other: Rule) -> Rule:
        return _Any((self, other))

    def __and__(self, other: Rule) -> Rule:
        return _All((self, other))


@dataclass(frozen=True)
class _Any(Rule):
    parts: tuple[Rule, ...]

    def q(self, access, scope):
        return reduce(operator.or_, (part.q(access, scope) for part in self.parts))

    def possible(self, access):
        return any(part.possible(access) for part in self.parts)


@dataclass(frozen=True)
class _All(Rule):
    parts: tuple[Rule, ...]

    def q(self, access, scope):
        return reduce(operator.and_, (part.q(access, scope) for part in self.parts))

    def possible(self, access):
        return all(part.possible(access) for part in self.parts)


@dataclass(frozen=True)
class _InProgrammes(Rule):
    attribute: str

    def q(self, access, scope):
        ids = getattr(access, self.attribute)
        return Q(**{f"{scope.programme}__in": ids}) if ids else NOTHING

    def possible(self, access):
        return bool(getattr(access, self.attribute))


@dataclass(frozen=True)
class _InSites(Rule):
    attribute: str

    def q(self, access, scope):
        ids = getattr(access, self.attribute)
        if not ids or not scope.sites:
            return NOTHING
        return reduce(operator.or_, (Q(**{f"{path}__in": ids}) for path in scope.sites))

    def possible(self, access):
        return bool(getattr(access, self.attribute))


@dataclass(frozen=True)
class _ProgrammeWide(Rule):
    """Records that belong to no site (a national event), within the given programmes."""

    attribute: str

    def q(self, access, scope):
        ids = getattr(access, self.attribute)
        if not ids:
            return NOTHING
        no_site = reduce(
            operator.and_, (Q(**{f"{path}__isnull": True}) for path in scope.sites), Q()
        )
        return Q(**{f"{scope.programme}__in": ids}) & no_site

    def possible(self, access):
        return bool(getattr(access, self.attribute))


@dataclass(frozen=True)
class _ArchivedProgramme(Rule):
    """Records of an archived programme (``archived=True``) or of one still open.

    A superuser passes both: Django grants an active superuser every permission, so the rule
    set says the same, or a superuser's lists and checks would disagree. The lists of programmes
    to work in leave archived ones out for superusers too (``ProgrammeChoiceMixin``).
    """

    archived: bool

    def q(self, access, scope):
        ids = access.archived_programmes
        if access.superuser:
            return Q()
        if self.archived:
            return Q(**{f"{scope.programme}__in": ids}) if ids else NOTHING
        return ~Q(**{f"{scope.programme}__in": ids}) if ids else Q()

    def possible(self, access):
        if access.superuser:
            return True
        if self.archived:
            return bool(access.archived_programmes)
        return bool(access.programmes() - access.archived_programmes)


@dataclass(frozen=True)
class _Superuser(Rule):
    """Django's superuser flag: what no role of a programme can grant (making a programme)."""

    def q(self, access, scope):
        return Q() if access.superuser else NOTHING

    def possible(self, access):
        return access.superuser


@dataclass(frozen=True)
class Where(Rule):
    """A condition on the record itself (its sensitivity, a consent), whoever asks."""

    condition: Q = field(hash=False)

    def q(self, access, scope):
        return self.condition

    def possible(self, access):
        return True


is_programme_manager = _InProgrammes("managed_programmes")
is_programme_researcher = _InProgrammes("researched_programmes")
is_site_researcher = _InSites("researched_sites")
is_site_lead = _InSites("led_sites")
is_programme_lead = _InProgrammes("led_programmes")
is_lead_of_programme_wide = _ProgrammeWide("led_programmes")
in_open_programme = _ArchivedProgramme(archived=False)
in_archived_programme = _ArchivedProgramme(archived=True)
is_superuser = _Superuser()

# Who reads and who edits most records of a site; apps refine these where DESIGN.md says so.
can_read_site_records = is_programme_manager | is_programme_researcher | is_site_lead
can_edit_site_records = is_programme_manager | is_site_researcher


# --- Registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Registered:
    declared: type[models.Model] | str
    scope: Scope
    rule: Rule

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self.declared, str):
            return apps.get_model(self.declared)
        return self.declared


_REGISTRY: dict[str, _Registered] = {}

# The actions that write. An archived programme is read-only: a rule for one of these allows
# nothing in it, whatever the roles, so no page, form choice or service check need ask.
WRITE_ACTIONS = frozenset({"add", "change", "delete", "erase", "archive"})


def is_write(perm: str) -> bool:
    return perm.split(".", 1)[1].split("_", 1)[0] in WRITE_ACTIONS


def add_rule(
    perm: str,
    *,
    model: type[models.Model] | str,
    scope: Scope,
    rule: Rule,
    writes: bool | None = None,
) -> None:
    """Declare ``perm`` on ``model`` (a class, or the label of one above this app, looked up
    when first asked) and register it with django-rules.

    A rule that ``writes`` (by default: one whose action, the word after the app's label, is of
    ``WRITE_ACTIONS``) allows nothing in an archived programme.
    """
    if is_write(perm) if writes is None else writes:
        rule = rule & in_open_programme
    registered = _REGISTRY[perm] = _Registered(declared=model, scope=scope, rule=rule)

    def check(user, obj=None) -> bool:
        access = access_of(user)
        if obj is None:
            return rule.possible(access)
        model = registered.model
        if not isinstance(obj, model) or obj.pk is None:
            return False
        return model._default_manager.filter(pk=obj.pk).filter(rule.q(access, scope)).exists()

    rules.set_perm(perm, rules.predicate(check, name=perm))


def add_record_rules(
    model: type[models.Model],
    *,
    scope: Scope,
    read: Rule = can_read_site_records,
    edit: Rule = can_edit_site_records,
) -> None:
    """Declare who may view (``read``), change and delete (``edit``) ``model``'s records."""
    name = f"{model._meta.app_label}.%s_{model._meta.model_name}"
    add_rule(name % "view", model=model, scope=scope, rule=read)
    for action in ("change", "delete"):
        add_rule(name % action, model=model, scope=scope, rule=edit)


def scope_of(model: type[models.Model]) -> Scope | None:
    """Where ``model``'s records sit, as its rules declare; None for a model without rules."""
    return next((r.scope for r in _REGISTRY.values() if r.model is model), None)


def permitted(user, perm: str, queryset: QuerySet | None = None) -> QuerySet:
    """``queryset`` (default: all rows of the rule's model) cut down to what ``perm`` allows."""
    registered = _REGISTRY[perm]
    if queryset is None:
        queryset = registered.model._default_manager.all()
    allowed = registered.model._default_manager.filter(
        registered.rule.q(access_of(user), registered.scope)
    )
    # A subquery keeps joins through many-to-many site paths from repeating rows.
    return queryset.filter(pk__in=allowed.values("pk"))


# --- Users and roles --------------------------------------------------------------------------

ROLE = Scope(programme="programme", sites=("site",))
INVITATION = Scope(programme="programme", sites=("sites",))
PROGRAMME = Scope(programme="id")

# Changing a role covers adding one to a user of the programme; deleting one is revoking it.
for _action in ("view", "change", "delete"):
    add_rule(f"accounts.{_action}_role", model=Role, scope=ROLE, rule=is_programme_manager)

for _action in ("view", "resend", "withdraw"):
    add_rule(
        f"accounts.{_action}_invitation",
        model=Invitation,
        scope=INVITATION,
        rule=is_programme_manager,
    )

# Asked of a programme: its users page, inviting someone to it, giving one of its users another
# role, and removing a user from it.
for _perm in ("manage_users", "invite_user", "add_role", "deactivate_user"):
    add_rule(
        f"accounts.{_perm}", model="sites.Programme", scope=PROGRAMME, rule=is_programme_manager
    )
