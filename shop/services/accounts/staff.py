"""Staff accounts: creating them, checking passwords, switching them on and off."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from shop.extensions import db
from shop.models import Role, User
from shop.services.accounts import passwords
from shop.services.reporting import audit

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
DEMO_ADMIN_EMAIL = "admin@karyabinaan.example"


class UserError(Exception):
    """A reason an account cannot be created or changed."""


class InvalidEmail(UserError):
    """The email address is not a valid address."""


class DuplicateEmail(UserError):
    """Another account already uses this email address."""


class WeakPassword(UserError, passwords.PasswordRejected):
    """The shared password policy refused the password; `reason` says why."""


class CannotDeactivateSelf(UserError):
    """An admin tried to switch off their own account and lock themselves out."""


def normalise_email(email: str) -> str:
    """Return the address trimmed and lower-cased, the form accounts are stored and found by."""
    return email.strip().lower()


def checked_email(email: str) -> str:
    """The address normalised, if it is a valid email address; else InvalidEmail."""
    address = normalise_email(email)
    if len(address) > 254:
        raise InvalidEmail(address[:254])
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidEmail(address) from error
    return address


def checked_password(password: str, email: str = "") -> str:
    """The password if the shared policy (accounts.passwords) accepts it; else WeakPassword.

    The WeakPassword's `reason` is the policy's (passwords.TOO_SHORT, COMMON, …).
    """
    try:
        return passwords.checked_password(password, email)
    except passwords.PasswordRejected as error:
        raise WeakPassword(error.reason) from error


def create_user(
    email: str,
    password: str,
    *,
    role: Role = Role.STAFF,
    name: str = "",
    actor: audit.Actor = None,
) -> User:
    """Add an active account with a hashed password; commit. `actor` None is the shop itself."""
    address = checked_email(email)
    password = checked_password(password, address)
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise DuplicateEmail(address)
    user = User(
        email=address,
        name=name.strip(),
        password_hash=generate_password_hash(password),
        role=role,
        is_active=True,
    )
    db.session.add(user)
    try:
        db.session.flush()
        changes = {"role": [None, str(role)]} | ({"name": [None, user.name]} if user.name else {})
        audit.record(
            actor, "user.created", target_type="user", target_id=user.id, label=address,
            changes=changes,
        )  # fmt: skip
        db.session.commit()
    except IntegrityError as error:  # another request added the same address meanwhile
        db.session.rollback()
        raise DuplicateEmail(address) from error
    except Exception:
        db.session.rollback()
        raise
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    """Return the active account with this email and password, else None."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        # Spend the same time as a real check, so response times do not reveal accounts.
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def record_login(user: User) -> None:
    """Note when the account last signed in; commit."""
    user.last_login_at = datetime.now(UTC)
    db.session.commit()


def signed_in_user(identity: str) -> User | None:
    """The active account a session's "id:version" identity names, if the version is current.

    Signing out, a password change, deactivation or "sign out everywhere" bump the version,
    so every copy of an older session cookie stops working at once.
    """
    user_id, _, version = str(identity).partition(":")
    if not (user_id.isdecimal() and version.isdecimal()) or len(identity) > 40:
        return None
    user = active_user(user_id)
    return user if user is not None and user.session_version == int(version) else None


def end_sessions(user: User, *, actor: audit.Actor = None, audited: bool = False) -> None:
    """End every session of the account, wherever its cookie is; commit."""
    user.session_version = User.session_version + 1
    if audited:
        audit.record(
            actor, "user.signed_out_everywhere", target_type="user", target_id=user.id,
            label=user.email,
        )  # fmt: skip
    db.session.commit()
    db.session.refresh(user)


def active_user(user_id: str | int) -> User | None:
    """Return the account with this id if it may still use the back office."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.is_active else None


def find_by_email(email: str) -> User | None:
    """Return the account with this address, active or not."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_user(user_id: int) -> User | None:
    """Return the account with this id, active or not."""
    return db.session.get(User, user_id)


def set_active(user: User, active: bool, *, acting_user_id: int, actor: audit.Actor = None) -> None:
    """Switch an account on or off; nobody may switch off their own; commit."""
    if not active and user.id == acting_user_id:
        raise CannotDeactivateSelf()
    if user.is_active != active:
        action = "user.reactivated" if active else "user.deactivated"
        audit.record(
            actor, action, target_type="user", target_id=user.id, label=user.email,
            changes={"is_active": [user.is_active, active]},
        )  # fmt: skip
        user.is_active = active
        # A session from before a deactivation must not come back with a reactivation.
        user.session_version = User.session_version + 1
    db.session.commit()


def list_users() -> list[User]:
    """Every account: admins first, then by email."""
    admins_first = (User.role != Role.ADMIN).label("admins_first")
    return list(db.session.scalars(select(User).order_by(admins_first, User.email)))


def count_users() -> int:
    """How many accounts exist."""
    return db.session.scalar(select(func.count(User.id))) or 0


def create_demo_admin() -> tuple[User, str] | None:
    """Create the demo admin with a random password when there are no accounts; commit."""
    if count_users():
        return None
    password = secrets.token_urlsafe(12)
    return create_user(DEMO_ADMIN_EMAIL, password, role=Role.ADMIN, name="Demo admin"), password
