"""Two-factor sign-in for staff: TOTP codes from an authenticator app, and recovery codes.

A secret is stored when enrolment starts and counts only once a code from it is confirmed
(`totp_confirmed_at`). Recovery codes are random and long, so a fast digest (SHA-256) keeps
them as safe as a slow password hash would and lets sign-in find one with a single query.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import pyotp
import segno
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm.attributes import flag_modified

from shop.extensions import db
from shop.models import StaffRecoveryCode, User
from shop.sealed import UNREADABLE
from shop.services.reporting import audit

ISSUER = "Karya Binaan"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
# No 0/O, 1/I/L: a code read off paper is typed right the first time.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
_TOTP_CODE = re.compile(r"\d{6}")

# Called with a name and a lifetime; answers False when that name was already used.
ClaimOnce = Callable[[str, int], bool]


class TwoFactorError(Exception):
    """A reason two-factor sign-in cannot be set up or used."""


class WrongCode(TwoFactorError):
    """The code is not a current code from the authenticator, nor an unused recovery code."""


class AlreadyEnabled(TwoFactorError):
    """Two-factor sign-in is already on for this account."""


def is_enabled(user: User) -> bool:
    """Whether the account signs in with a second factor."""
    return bool(user.totp_secret and user.totp_confirmed_at)


def start_enrolment(user: User) -> str:
    """Give the account a new, unconfirmed secret unless it has one waiting; commit; return it."""
    if is_enabled(user):
        raise AlreadyEnabled()
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )


def qr_svg(data: str) -> str:
    """The QR code of `data` as an inline SVG element, made here (no image service)."""
    return segno.make(data, error="m").svg_inline(scale=5, border=2, dark="#2b2420")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (now, one before or one after) whose code this is, else None."""
    if not _TOTP_CODE.fullmatch(code) or secret == UNREADABLE:
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _check_totp(user: User, code: str, now: float, claim_once: ClaimOnce) -> bool:
    step = _matching_step(user.totp_secret or "", code, now)
    # A code is good for three steps; claimed for four, it can't be replayed in any of them.
    return step is not None and claim_once(f"totp/{user.id}/{step}", 4 * STEP_SECONDS)


def normalise_code(code: str) -> str:
    """The code as typed, without spaces or dashes, lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()[:64]


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def confirm_enrolment(
    user: User, code: str, *, now: float, claim_once: ClaimOnce, actor: audit.Actor = None
) -> list[str]:
    """Switch two-factor sign-in on once a current code proves the app works; commit.

    Returns the new recovery codes, the only time they are ever shown.
    """
    if is_enabled(user):
        raise AlreadyEnabled()
    if not user.totp_secret or not _check_totp(user, normalise_code(code), now, claim_once):
        raise WrongCode()
    user.totp_confirmed_at = datetime.fromtimestamp(now, UTC)
    codes = _replace_recovery_codes(user)
    audit.record(
        actor, "user.two_factor_enabled", target_type="user", target_id=user.id,
        label=user.email, changes={"two_factor": [False, True]},
    )  # fmt: skip
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    shown = [f"{code[:5]}-{code[5:]}" for code in codes]
    db.session.add_all(StaffRecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return shown


def _use_recovery_code(user: User, code: str, now: float) -> bool:
    """Spend an unused recovery code of this account; a code is spent once, even in a race."""
    used = db.session.execute(
        update(StaffRecoveryCode)
        .where(
            StaffRecoveryCode.user_id == user.id,
            StaffRecoveryCode.code_hash == _digest(code),
            StaffRecoveryCode.used_at.is_(None),
        )
        .values(used_at=datetime.fromtimestamp(now, UTC))
        .execution_options(synchronize_session=False)
    )
    return bool(used.rowcount)  # type: ignore[attr-defined]


def verify(user: User, code: str, *, now: float, claim_once: ClaimOnce) -> bool:
    """Whether `code` is a current authenticator code or an unused recovery code; commit."""
    if not is_enabled(user):
        return False
    code = normalise_code(code)
    if _TOTP_CODE.fullmatch(code):
        return _check_totp(user, code, now, claim_once)
    if len(code) != _RECOVERY_LENGTH:
        return False
    spent = _use_recovery_code(user, code, now)
    if spent:
        audit.record(
            user, "user.recovery_code_used", target_type="user", target_id=user.id,
            label=user.email, changes={"recovery_codes_left": [None, unused_recovery_codes(user)]},
        )  # fmt: skip
    db.session.commit()
    return spent


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes the account has left."""
    unused = select(func.count(StaffRecoveryCode.id)).where(
        StaffRecoveryCode.user_id == user.id, StaffRecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(unused) or 0


def switch_off(user: User, *, actor: audit.Actor, action: str = "user.two_factor_disabled") -> None:
    """Forget the secret and recovery codes; end every session of the account; commit."""
    was_on = is_enabled(user)
    user.totp_secret = None
    user.totp_confirmed_at = None
    db.session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.user_id == user.id))
    user.session_version = User.session_version + 1
    audit.record(
        actor, action, target_type="user", target_id=user.id, label=user.email,
        changes={"two_factor": [was_on, False]},
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(user)


def reseal_secrets() -> tuple[int, int]:
    """Write every TOTP secret back sealed under the current key; commit.

    Returns how many were sealed afresh and how many open with no known key (left as they are).
    """
    resealed = unreadable = 0
    for user in db.session.scalars(select(User).where(User.totp_secret.is_not(None))):
        if user.totp_secret == UNREADABLE:
            unreadable += 1
            continue
        flag_modified(user, "totp_secret")
        resealed += 1
    db.session.commit()
    return resealed, unreadable
