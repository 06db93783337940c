"""Reads of users, roles and invitations, always through the rule set, and of a user's own
API tokens.

The programme is reached by its rules' name and the role's own relation: ``accounts`` sits
below the app that defines programmes.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from accounts.enums import RoleKind
from accounts.models import ApiToken, Invitation, Role, User
from accounts.rules import permitted
from accounts.tokens import hash_token


def programme_get_for_user(*, user, pk: int):
    """The programme ``pk`` if ``user`` may see it (404 otherwise)."""
    return get_object_or_404(permitted(user, "sites.view_programme"), pk=pk)


def programme_users(*, programme) -> QuerySet[User]:
    """The users holding a role in ``programme``, each with those roles as ``programme_roles``
    (managers first, then by site)."""
    roles = (
        Role.objects.filter(programme=programme)
        .select_related("site")
        .order_by("role", "site__name", "pk")
    )
    return (
        User.objects.filter(pk__in=Role.objects.filter(programme=programme).values("user"))
        .prefetch_related(Prefetch("roles", queryset=roles, to_attr="programme_roles"))
        .order_by("full_name", "username", "pk")
    )


def programme_user_get(*, programme, pk: int) -> User:
    """A user holding a role in ``programme``; any other answers 404."""
    return get_object_or_404(programme_users(programme=programme), pk=pk)


def _sites_by_name():
    return Invitation._meta.get_field("sites").related_model.objects.order_by("name")


def pending_invitations(*, programme) -> QuerySet[Invitation]:
    """The invitations to ``programme`` neither accepted nor withdrawn, expired ones included
    (they can be resent), newest first."""
    return (
        programme.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("invited_by")
        .prefetch_related(Prefetch("sites", queryset=_sites_by_name()))
        .order_by("-sent_at", "email")
    )


def invitation_get_for_user(*, user, pk: int) -> Invitation:
    return get_object_or_404(
        permitted(user, "accounts.view_invitation").select_related("programme"), pk=pk
    )


def role_get_for_user(*, user, pk: int) -> Role:
    return get_object_or_404(
        permitted(user, "accounts.view_role").select_related("user", "programme", "site"), pk=pk
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose link holds ``token``, or None: a replaced link finds nothing."""
    return (
        Invitation.objects.select_related("programme")
        .prefetch_related(Prefetch("sites", queryset=_sites_by_name()))
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_refusal(invitation: Invitation | None, user=None) -> str:
    """Why the link of ``invitation`` cannot be used (by ``user``, when signed in), in plain
    words; empty when it can.

    Says no more than the holder of the link needs: nothing of whom it was for.
    """
    if invitation is None:
        return (
            "This invitation link does not work. It may be incomplete (copy the whole link from "
            "the email), or a newer invitation may have replaced it: use the link in the latest "
            "email."
        )
    if invitation.accepted_at is not None:
        return (
            "This invitation has already been used. If you accepted it, sign in with your email "
            "address and password."
        )
    if invitation.withdrawn_at is not None:
        return (
            "This invitation has been withdrawn. Ask whoever invited you if you think this is "
            "a mistake."
        )
    if invitation.expires_at <= timezone.now():
        expired = date_format(timezone.localtime(invitation.expires_at))
        return f"This invitation expired on {expired}. Ask whoever invited you to send it again."
    if user is not None and user.is_authenticated and not _same_address(user.email, invitation):
        return (
            "This invitation was sent to another email address than the one of the account you "
            "are signed in with. Sign out, then open the link again, or ask for an invitation "
            "to your own address."
        )
    return ""


def _same_address(email: str, invitation: Invitation) -> bool:
    return email.strip().lower() == invitation.email.strip().lower()


def account_for_address(email: str) -> User | None:
    """The account an invitation to ``email`` is for, if one exists: an active one before a
    deactivated one, then the oldest."""
    return (
        User.objects.filter(email__iexact=email.strip())
        .order_by("-is_active", "date_joined", "pk")
        .first()
    )


def roles_offered(invitation: Invitation) -> list[tuple[str, object]]:
    """``(role, site)`` for each role the invitation gives: one programme-wide for a manager,
    one per site otherwise."""
    if invitation.role == RoleKind.PROGRAMME_MANAGER:
        return [(invitation.role, None)]
    return [(invitation.role, site) for site in invitation.sites.all()]


@dataclass(frozen=True)
class UserChange:
    """One change to the people of a programme, as the users page says it."""

    when: datetime
    by: User | None
    what: str


def _role_words(row) -> str:
    where = f" of {row.site.name}" if row.site_id and row.site else ""
    return f"{row.get_role_display().lower()}{where}"


def _role_change(row) -> str:
    if row.history_type == "+" and row.history_user_id == row.user_id:
        # Written by accepting an invitation: the new holder is the author.
        return f"took the role {_role_words(row)}"
    verb = {"+": "gave {user} the role", "~": "made {user}", "-": "revoked the role of {user},"}
    return f"{verb[row.history_type].format(user=row.user or 'a removed user')} {_role_words(row)}"


def _invitation_change(row) -> str:
    if row.history_type == "+":
        return f"invited {row.email} as {row.get_role_display().lower()}"
    if row.accepted_at is not None:
        return f"accepted the invitation to {row.email}"
    if row.withdrawn_at is not None:
        return f"withdrew the invitation to {row.email}"
    return f"sent the invitation to {row.email} again"


def programme_user_changes(*, programme, limit: int = 20) -> list[UserChange]:
    """The latest ``limit`` changes to ``programme``'s roles and invitations, newest first, from
    their history: two queries, whatever the history holds."""
    roles = (
        Role.history.filter(programme_id=programme.pk)
        .select_related("user", "site", "history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    invitations = (
        Invitation.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    changes = [UserChange(r.history_date, r.history_user, _role_change(r)) for r in roles]
    changes += [
        UserChange(i.history_date, i.history_user, _invitation_change(i)) for i in invitations
    ]
    return sorted(changes, key=lambda change: change.when, reverse=True)[:limit]


# --- Personal API tokens ----------------------------------------------------------------------


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """``user``'s own tokens, newest first, revoked and expired ones included (the account page
    says which)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get_for_user(*, user, pk: int) -> ApiToken:
    """One of ``user``'s own tokens; anyone else's answers 404, as a missing one."""
    return get_object_or_404(api_tokens_of(user=user), pk=pk)


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The token whose secret is ``secret``, with its user, or None."""
    return ApiToken.objects.select_related("user").filter(token_hash=hash_token(secret)).first()


def api_token_refusal(token: ApiToken | None) -> str:
    """Why a program showing ``token`` is refused, in plain words; empty when it may go on.

    A secret that matches nothing and the token of a closed account get the same answer, so
    that the refusal tells nothing about accounts.
    """
    if token is None or not token.user.is_active:
        return "This API token is not valid: check that it was copied whole."
    if token.revoked_at is not None:
        return "This API token was revoked: make a new one on your account page."
    if token.expires_at <= timezone.now():
        expired = date_format(timezone.localtime(token.expires_at))
        return f"This API token expired on {expired}: make a new one on your account page."
    return ""
