"""The second factor at sign-in: an authenticator app (TOTP) and single-use recovery codes.

django-otp keeps the devices: a ``TOTPDevice`` holds the app's secret, a ``StaticDevice`` holds
the recovery codes. Its tokens would be the codes themselves; here each is stored only as a
digest (:func:`recovery_code_digest`), so a copy of the database does not give them away.

Whether a session still owes its second factor is decided once, when it signs in
(:func:`sign_in_state_record`), and kept in the session: the middleware that enforces it then
reads no table on each request. Devices are credentials, not records, so they have no history:
a history row would copy the secret.
"""

import hashlib
import secrets
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, user_logged_in
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.enums import RoleKind
from car_programme.exceptions import DomainError

RECOVERY_CODE_COUNT = 10
# 12 characters of 31 (no 0/o, 1/i/l to misread): 59 random bits, beyond guessing at the
# throttled rate and beyond working back from the digest.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 12
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# The session's second-factor state: what it must still do before it reaches any page.
STATE_SESSION_KEY = "second_factor"
DONE = "done"
CODE_NEEDED = "code"
ENROLMENT_NEEDED = "enrol"

SSO_BACKEND = "accounts.sso.SingleSignOnBackend"


# --- Reads ------------------------------------------------------------------------------------


def totp_device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def managers_must_enrol(user) -> bool:
    """Whether ``user`` manages a programme that asks its managers for a second factor."""
    return user.roles.filter(
        role=RoleKind.PROGRAMME_MANAGER, programme__managers_need_second_factor=True
    ).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Codes ------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """The code as stored or checked: people type spaces, dashes and capitals."""
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code: 16 base-32 characters (80 bits) of its SHA-256.

    The codes are random and long, so a plain digest cannot be worked back; no key is mixed in,
    so changing ``SECRET_KEY`` does not void them. 16 characters fit django-otp's token column.
    """
    digest = hashlib.sha256(normalise_code(code).encode()).digest()
    return b32encode(digest).decode()[:16].lower()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def secret_for_display(key: str) -> str:
    """The hex secret as the base-32 text an authenticator app asks for, in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(*, user, key: str) -> str:
    """The enrolment link of ``key`` as an inline SVG QR code, made here (no remote service).

    One path with a ``viewBox``, so the stylesheet can size it; the XML declaration is dropped
    for inlining.
    """
    out = BytesIO()
    image = qrcode.make(
        TOTPDevice(user=user, key=key).config_url, image_factory=qrcode.image.svg.SvgPathImage
    )
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def new_secret() -> str:
    return default_key()


# --- Writes -----------------------------------------------------------------------------------


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def second_factor_enrol(*, user, key: str, code: str) -> list[str]:
    """Keeps the authenticator app whose secret is ``key`` once ``code`` shows it is set up.

    Side effects: replaces any earlier app and recovery codes of ``user``; makes
    ``RECOVERY_CODE_COUNT`` new recovery codes, returned in clear here and never again.
    Raises ``DomainError`` (and writes nothing) when the code does not match the secret.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=False)
    if not device.verify_token(normalise_code(code)):
        raise DomainError(
            "That code does not match. Check that the app shows this account and enter the "
            "6 digits it shows now."
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _replace_recovery_codes(user)


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replaces ``user``'s recovery codes: the old ones stop working. Returns the new ones."""
    if totp_device_for(user) is None:
        raise DomainError("Set up an authenticator app first: recovery codes go with it.")
    return _replace_recovery_codes(user)


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Removes ``user``'s authenticator app and recovery codes: sign-in asks for a password only."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class CodeRefused(Exception):
    """A code was not accepted; the message says why in plain words."""


def second_factor_verify(*, user, code: str) -> Device:
    """The device that accepts ``code``: the app for six digits, else the recovery codes.

    Side effects: a recovery code that matches is deleted (it works once); each device counts
    its own wrong codes and waits longer after each (django-otp's throttling).
    Raises ``CodeRefused`` otherwise.
    """
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        candidates, token = TOTPDevice.objects.filter(user=user, confirmed=True), code
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
        token = recovery_code_digest(code)
    # The device is locked while it checks, so one code cannot be used twice at once; the wrong
    # code's count is committed before the refusal is raised.
    with transaction.atomic():
        device = candidates.select_for_update().first()
        allowed = device is not None and device.verify_is_allowed()[0]
        accepted = allowed and device.verify_token(token)
    if device is None:
        raise CodeRefused("That is not a code of this account.")
    if not allowed:
        raise CodeRefused("Too many wrong codes in a row. Wait a little while, then try again.")
    if not accepted:
        raise CodeRefused("That code is not right, or has already been used.")
    return device


# --- The session ------------------------------------------------------------------------------


def sign_in_state(*, user, by_single_sign_on: bool) -> str:
    """What a session that has just signed in must still do: give a code, set one up, or nothing.

    An identity provider's sign-in carries its own multi-factor policy, which counts as the
    second factor unless ``SSO_REQUIRES_SECOND_FACTOR`` asks for ours as well.
    """
    if by_single_sign_on and not settings.SSO_REQUIRES_SECOND_FACTOR:
        return DONE
    if totp_device_for(user) is not None:
        return CODE_NEEDED
    if managers_must_enrol(user):
        return ENROLMENT_NEEDED
    return DONE


def sign_in_state_record(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Stores :func:`sign_in_state` in the session of every sign-in.

    A receiver of ``user_logged_in``, because that is the one moment that every way in shares:
    the sign-in page, the administration's, single sign-on and the test client's ``force_login``.
    """
    if request is None or not hasattr(request, "session"):
        return
    by_sso = request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND
    request.session[STATE_SESSION_KEY] = sign_in_state(user=user, by_single_sign_on=by_sso)


def session_passed(request: HttpRequest) -> None:
    """Marks the session as having given (or set up) its second factor.

    Side effects: a new session key, as for any rise in what the session may do.
    """
    request.session.cycle_key()
    request.session[STATE_SESSION_KEY] = DONE


def session_state_refresh(request: HttpRequest) -> None:
    """After the device is removed: the session may now owe an enrolment."""
    if managers_must_enrol(request.user):
        request.session[STATE_SESSION_KEY] = ENROLMENT_NEEDED


def connect_signals() -> None:
    user_logged_in.connect(sign_in_state_record, dispatch_uid="accounts.second_factor")
