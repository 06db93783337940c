"""Writes on users, roles and invitations: who may use a programme, and as what; and on the
personal API tokens with which a user's programs use the API.

Every write keeps its author in the history (roles, invitations and accounts have history
tables). A programme never loses its last manager through these services, and a manager never
removes their own manager role or account here: someone else must, so no one locks
themselves out by a slip.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.enums import RoleKind
from accounts.models import ApiToken, Invitation, Role, User
from accounts.selectors import account_for_address, invitation_refusal, roles_offered
from accounts.tokens import PREFIX_LENGTH, hash_token, new_token
from car_programme.exceptions import DomainError
from car_programme.revisions import save_with_links
from car_programme.services import authored

INVITATION_LIFETIME = timedelta(days=7)

# Makes the address of the accept page from a token (the view builds it from the request, so
# the link names the host the manager used).
LinkMaker = Callable[[str], str]


# --- Roles ------------------------------------------------------------------------------------


def _check_role(*, programme, role: str, site) -> None:
    if role == RoleKind.PROGRAMME_MANAGER and site is not None:
        raise DomainError("A programme manager's role covers the whole programme: choose no site.")
    if role != RoleKind.PROGRAMME_MANAGER and site is None:
        raise DomainError("A researcher's or a strategy lead's role needs a site: choose one.")
    if site is not None and site.programme_id != programme.pk:
        raise DomainError(f"{site} belongs to another programme: choose a site of {programme}.")


def _refuse_losing_managers(*, programme, losing: Iterable[Role], by: User | None) -> None:
    """Refuse a write that takes away ``losing``'s manager roles if it would leave ``programme``
    without a manager, or take away the acting user's own.

    The programme's manager roles are locked first, so two managers removing each other at
    the same moment cannot both succeed.
    """
    managers = list(
        Role.objects.select_for_update()
        .filter(programme=programme, role=RoleKind.PROGRAMME_MANAGER, user__is_active=True)
        .values_list("pk", "user_id")
    )
    lost = {role.pk for role in losing if role.role == RoleKind.PROGRAMME_MANAGER}
    if not lost:
        return
    if by is not None and any(pk in lost and user_id == by.pk for pk, user_id in managers):
        raise DomainError(
            "You cannot take away your own programme manager role: ask another manager of the "
            "programme to do it."
        )
    if not [pk for pk, _ in managers if pk not in lost]:
        raise DomainError(
            f"{programme} would have no programme manager left: make someone else a manager first."
        )


@transaction.atomic
def role_add(*, user: User, programme, role: str, site=None, by: User | None) -> Role:
    """Give ``user`` another role in ``programme``.

    Side effects: one Role row and its history row.
    """
    _check_role(programme=programme, role=role, site=site)
    record = Role(user=user, programme=programme, site=site, role=role)
    # The model's own checks say, in its words, that the user holds this role already.
    record.validate_constraints()
    authored(record, by).save()
    return record


@transaction.atomic
def role_change(*, role: Role, kind: str, site=None, by: User | None) -> Role:
    """Make ``role`` another kind of role, or move it to another site.

    Side effects: updates the row and adds a history row.
    """
    _check_role(programme=role.programme, role=kind, site=site)
    if kind != RoleKind.PROGRAMME_MANAGER:
        _refuse_losing_managers(programme=role.programme, losing=[role], by=by)
    role.role, role.site = kind, site
    role.validate_constraints()
    authored(role, by).save(update_fields=["role", "site"])
    return role


@transaction.atomic
def role_revoke(*, role: Role, by: User | None) -> None:
    """Take ``role`` away.

    Side effects: the row goes; its history keeps a deletion row naming ``by``.
    """
    _refuse_losing_managers(programme=role.programme, losing=[role], by=by)
    authored(role, by).delete()


@transaction.atomic
def user_deactivate(*, user: User, programme, by: User | None) -> bool:
    """Remove ``user`` from ``programme``: every role they hold in it goes, and so do the
    invitations to their address still waiting in it. Their account is closed (they can no
    longer sign in) only if no role is left to them in any programme, since a manager of one
    programme must not lock a user out of another; a superuser's account stays open (the
    administration manages those). Returns whether the account was closed.

    Side effects: deletes the Role rows, withdraws the Invitation rows, deactivates the User
    row; a history row for each.
    """
    if by is not None and user.pk == by.pk:
        raise DomainError(
            "You cannot deactivate yourself: ask another manager of the programme to do it."
        )
    roles = list(Role.objects.filter(user=user, programme=programme))
    _refuse_losing_managers(programme=programme, losing=roles, by=by)
    for role in roles:
        authored(role, by).delete()
    waiting = programme.invitations.filter(
        email__iexact=user.email, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    for invitation in waiting:
        _withdraw(invitation, by)
    if user.is_superuser or Role.objects.filter(user=user).exists():
        return False
    user.is_active = False
    authored(user, by).save(update_fields=["is_active"])
    return True


# --- Invitations ------------------------------------------------------------------------------


def _send(invitation: Invitation, token: str, link: LinkMaker) -> None:
    """Email the invitation's link, as plain text and HTML."""
    context = {
        "invitation": invitation,
        "link": link(token),
        "roles": roles_offered(invitation),
        "is_manager": invitation.role == RoleKind.PROGRAMME_MANAGER,
        "days": INVITATION_LIFETIME.days,
    }
    subject = f"You are invited to {invitation.programme} on CAR Programme Manager"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("accounts/email/invitation.html", context), "text/html"
    )
    message.send()


def _refuse_duplicate(*, programme, email: str, role: str, sites: list) -> None:
    waiting = programme.invitations.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if waiting.exists():
        raise DomainError(
            "An invitation to this address is already waiting in this programme: resend it or "
            "withdraw it from the users page."
        )
    account = account_for_address(email)
    if account is None or not account.is_active:
        return
    held = set(
        Role.objects.filter(user=account, programme=programme, role=role).values_list(
            "site_id", flat=True
        )
    )
    wanted = {site.pk for site in sites} if sites else {None}
    if wanted <= held:
        raise DomainError(f"{account} already holds this role: there is nothing to invite them to.")


@transaction.atomic
def invitation_create(
    *, programme, email: str, role: str, sites: Iterable = (), by: User | None, link: LinkMaker
) -> Invitation:
    """Invite ``email`` to ``role`` in ``programme`` (in ``sites``, for a researcher or a
    strategy lead), for seven days.

    Side effects: one Invitation row with its sites and its history row; the email with the
    link, sent before the transaction ends, so a failed send leaves no invitation behind.
    """
    email = email.strip()
    sites = list(sites)
    if role == RoleKind.PROGRAMME_MANAGER and sites:
        raise DomainError("A programme manager's role covers the whole programme: choose no site.")
    if role != RoleKind.PROGRAMME_MANAGER and not sites:
        raise DomainError("Choose the site or sites of this role.")
    for site in sites:
        _check_role(programme=programme, role=role, site=site)
    _refuse_duplicate(programme=programme, email=email, role=role, sites=sites)
    token = new_token()
    now = timezone.now()
    invitation = Invitation(
        programme=programme,
        email=email,
        role=role,
        invited_by=by,
        token_hash=hash_token(token),
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    save_with_links(invitation, by=by, links={"sites": sites})
    _send(invitation, token, link)
    return invitation


def _check_waiting(invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise DomainError(
            "This invitation has already been "
            f"{'accepted' if invitation.accepted_at else 'withdrawn'}."
        )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User | None, link: LinkMaker) -> Invitation:
    """Send ``invitation`` again with a new link, valid seven days from now; the earlier link
    stops working.

    Side effects: updates the row (a history row) and sends the email.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_waiting(invitation)
    token = new_token()
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.sent_at, invitation.expires_at = now, now + INVITATION_LIFETIME
    authored(invitation, by).save(update_fields=["token_hash", "sent_at", "expires_at"])
    _send(invitation, token, link)
    return invitation


def _withdraw(invitation: Invitation, by: User | None) -> None:
    invitation.withdrawn_at = timezone.now()
    authored(invitation, by).save(update_fields=["withdrawn_at"])


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User | None) -> Invitation:
    """Withdraw ``invitation``: its link stops working.

    Side effects: updates the row and adds a history row.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_waiting(invitation)
    _withdraw(invitation, by)
    return invitation


def _claim(invitation: Invitation, user: User | None = None) -> Invitation:
    """The invitation, locked until the transaction ends, if its link may still be used (by
    ``user``, signed in).

    The lock makes a link work once: a second submit waits here for the first to commit, then
    finds the invitation accepted.
    """
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    refusal = invitation_refusal(locked, user)
    if refusal:
        raise DomainError(refusal)
    return locked


def _grant(invitation: Invitation, user: User) -> None:
    held = set(
        Role.objects.filter(user=user, programme=invitation.programme).values_list(
            "role", "site_id"
        )
    )
    for role, site in roles_offered(invitation):
        if (role, getattr(site, "pk", None)) not in held:
            record = Role(user=user, programme=invitation.programme, role=role, site=site)
            authored(record, user).save()
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    authored(invitation, user).save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> User:
    """``user``, signed in, takes the roles ``invitation`` offers; it must have been sent to
    their address.

    Side effects: Role rows (those not held already) and the invitation marked accepted, each
    with a history row naming ``user``.
    """
    invitation = _claim(invitation, user)
    _grant(invitation, user)
    return user


def _free_username(email: str) -> str:
    base = email.strip().lower()
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


@transaction.atomic
def invitation_accept_as_new_user(
    *, invitation: Invitation, full_name: str, password: str | None
) -> User:
    """Make the account of someone invited who has none, with ``password`` (already checked by
    the password validators; None for one who signs in by single sign-on only), and give it the
    roles offered. A deactivated account of the
    address is opened again instead: the link proves the address, as a password reset does.
    The user name is the address (with a number if another account holds it). A closed
    administrator's account is not reopened.

    Side effects: a User row (or its update) and what ``invitation_accept`` writes.
    """
    invitation = _claim(invitation)
    user = account_for_address(invitation.email)
    if user is not None and user.is_active:
        raise DomainError(
            "An account with this email address exists already: sign in, then open the link again."
        )
    if user is not None and (user.is_superuser or user.is_staff):
        # An administrator's account closed in the administration stays closed: a programme
        # manager's invitation must not reopen it with its powers.
        raise DomainError(
            "The account of this email address is closed. Ask the administrators of this site "
            "to open it again."
        )
    if user is None:
        user = User(username=_free_username(invitation.email), email=invitation.email)
    user.full_name, user.is_active = full_name.strip(), True
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    authored(user, user).save()
    _grant(invitation, user)
    return user


# --- Personal API tokens ----------------------------------------------------------------------

# What the account page offers: long enough for a quarterly report, short enough that a
# forgotten token dies by itself. A year at most.
API_TOKEN_LIFETIMES = (30, 90, 180, 365)
API_TOKEN_DEFAULT_LIFETIME = 90
API_TOKEN_MAX_LIFETIME = timedelta(days=365)
# A token's last use is written at most this often: a program polling the API would otherwise
# write a row on every request.
API_TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user: User, name: str, lifetime: timedelta) -> tuple[ApiToken, str]:
    """Make a token for ``user``, valid for ``lifetime`` (a year at most); returns the token
    and its secret, which exists nowhere else: the caller shows it once.

    Side effects: one ApiToken row (its hash only) and its history row.
    """
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name, to know later what it is for.")
    if not timedelta(0) < lifetime <= API_TOKEN_MAX_LIFETIME:
        raise DomainError("A token lasts a year at most: choose a shorter time.")
    secret = new_token()
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    authored(token, user).save()
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token``: the next request that shows it is refused.

    Side effects: updates the row and adds a history row.
    """
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(f"The token “{token.name}” was already revoked.")
    token.revoked_at = timezone.now()
    authored(token, by).save(update_fields=["revoked_at"])
    return token


def api_token_used(*, token: ApiToken) -> None:
    """Note that ``token`` was just used, unless that was noted less than a minute ago.

    Side effects: at most one UPDATE of the row's ``last_used_at`` a minute, conditional, so
    that concurrent requests write it once; no history row.
    """
    now = timezone.now()
    recent = now - API_TOKEN_USE_RECORDED_EVERY
    if token.last_used_at is not None and token.last_used_at > recent:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=recent)
    ).update(last_used_at=now)
    token.last_used_at = now
