"""Staff passwords: changing one's own, and one-time reset links sent by email.

A reset link signs the account id and a fingerprint of the current password hash: it works
for an hour, and only once, since setting the new password changes the hash it names.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shop.extensions import db
from shop.gateways.mail import Mailer, MailMessage
from shop.models import User
from shop.services.accounts import passwords, staff
from shop.services.ordering.mail import deliver
from shop.services.reporting import audit

RESET_SALT = "kb-staff-password-reset"
RESET_MAX_AGE = timedelta(hours=1)
MAX_TOKEN_LENGTH = 500
STAFF_MAIL_LOCALE = "id"


class WrongPassword(staff.UserError):
    """The current password given is not the account's password."""


class InvalidResetLink(staff.UserError):
    """The reset link is damaged, used already, or for an account that can't sign in."""


class ExpiredResetLink(InvalidResetLink):
    """A genuine reset link older than an hour."""


def password_matches(user: User, password: str) -> bool:
    """Whether `password` is the account's password."""
    return passwords.verify_password(user.password_hash, password or "")


def _set_password(user: User, password: str, now: datetime) -> None:
    user.password_hash = passwords.hash_password(staff.checked_password(password, user.email))
    user.password_changed_at = now
    user.session_version = User.session_version + 1


def change_password(user: User, current: str, new: str, *, now: datetime | None = None) -> None:
    """Set a new password after checking the current one; end every other session; commit."""
    if not password_matches(user, current):
        raise WrongPassword()
    _set_password(user, new, now or datetime.now(UTC))
    audit.record(
        user, "user.password_changed", target_type="user", target_id=user.id, label=user.email
    )
    db.session.commit()
    db.session.refresh(user)


def _fingerprint(user: User, secret_key: str) -> str:
    return passwords.fingerprint(user.password_hash, secret_key)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def reset_token(user: User, secret_key: str) -> str:
    """A signed one-time token that lets whoever holds it set the account's password."""
    return _serializer(secret_key).dumps({"u": user.id, "f": _fingerprint(user, secret_key)})


def user_for_reset(token: str, secret_key: str, *, now: datetime | None = None) -> User:
    """The active account a reset token is for, if it is genuine, unused and under an hour old."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidResetLink()
    try:
        payload, issued = _serializer(secret_key).loads(token, return_timestamp=True)
    except SignatureExpired as error:  # only raised with max_age; kept for clarity
        raise ExpiredResetLink() from error
    except BadSignature as error:
        raise InvalidResetLink() from error
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise InvalidResetLink()
    user = staff.active_user(payload["u"])
    if user is None or payload.get("f") != _fingerprint(user, secret_key):
        raise InvalidResetLink()
    if (now or datetime.now(UTC)) - issued > RESET_MAX_AGE:
        raise ExpiredResetLink()
    return user


def reset_password(
    token: str, password: str, secret_key: str, *, now: datetime | None = None
) -> User:
    """Set the password a valid reset token allows; end every session of the account; commit."""
    when = now or datetime.now(UTC)
    user = user_for_reset(token, secret_key, now=when)
    _set_password(user, password, when)
    audit.record(
        user, "user.password_reset", target_type="user", target_id=user.id, label=user.email
    )
    db.session.commit()
    db.session.refresh(user)
    return user


def record_reset_sent(user: User, *, actor: audit.Actor) -> None:
    """Note in the audit log that a reset link went out, and at whose request; commit."""
    audit.record(
        actor, "user.password_reset_sent", target_type="user", target_id=user.id,
        label=user.email,
    )  # fmt: skip
    db.session.commit()


def send_reset_link(mailer: Mailer, user: User, reset_url: str) -> bool:
    """Email the account its reset link, in the back office's language; return whether sent."""
    with force_locale(STAFF_MAIL_LOCALE):
        context = {
            "user": user,
            "reset_url": reset_url,
            "locale": STAFF_MAIL_LOCALE,
            "valid_minutes": int(RESET_MAX_AGE.total_seconds() // 60),
        }
        message = MailMessage(
            to=user.email,
            subject=_("Set a new password for the Karya Binaan back office"),
            text=render_template("mail/staff_password_reset.txt", **context),
            html=render_template("mail/staff_password_reset.html", **context),
        )
    return deliver(mailer, message, f"Staff account {user.id}: password reset")


def send_password_changed(mailer: Mailer, user: User, forgot_url: str) -> bool:
    """Tell the account its password changed, with a way back if it wasn't them."""
    with force_locale(STAFF_MAIL_LOCALE):
        context = {"user": user, "forgot_url": forgot_url, "locale": STAFF_MAIL_LOCALE}
        message = MailMessage(
            to=user.email,
            subject=_("Your back-office password was changed"),
            text=render_template("mail/staff_password_changed.txt", **context),
            html=render_template("mail/staff_password_changed.html", **context),
        )
    return deliver(mailer, message, f"Staff account {user.id}: password changed")
