"""Buyers' passwords: one-time reset links by email, changing it, ending every session.

A reset link signs the account id and a fingerprint of the stored password hash: it works for
an hour and only until the password changes, so using it once (or changing the password any
other way) kills it. Every password change bumps the session version, ending every session
signed in before it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Update, select, update

from shop.database import begin_write
from shop.extensions import db
from shop.models import Customer
from shop.services.accounts import passwords
from shop.services.accounts.customers import (
    AccountError,
    InvalidToken,
    normalise_email,
    signed_customer,
)

RESET_SALT = "kb-account-password-reset"
RESET_MAX_AGE = timedelta(hours=1)


class WrongPassword(AccountError):
    """The current password given to change it is not the account's."""


def find_for_reset(email: str) -> Customer | None:
    """Return the active account with this address, or None."""
    address = normalise_email(email or "")
    if not address or len(address) > 254:
        return None
    customer = db.session.scalar(select(Customer).where(Customer.email == address))
    return customer if customer is not None and customer.is_active else None


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def reset_token(customer: Customer, secret_key: str) -> str:
    """Return a signed token that lets its holder choose a new password, once, for an hour."""
    stamp = passwords.fingerprint(customer.password_hash, secret_key)
    return _serializer(secret_key).dumps({"c": customer.id, "p": stamp})


def customer_for_reset(token: str, secret_key: str, *, now: datetime | None = None) -> Customer:
    """Return the account a reset token may change; InvalidToken or ExpiredToken if none."""
    customer, payload = signed_customer(_serializer(secret_key), token, RESET_MAX_AGE, now)
    if not customer.is_active:
        raise InvalidToken()
    stamp = passwords.fingerprint(customer.password_hash, secret_key)
    if not isinstance(payload.get("p"), str) or payload["p"] != stamp:
        raise InvalidToken()  # used already, or the password changed since
    return customer


def reset_password(customer: Customer, new_password: str) -> None:
    """Set a new password from a reset link and end every session; commit.

    The link proved the mailbox, and from now on only its owner knows the password, so the
    address counts as confirmed (see customers.confirm_email for why that matters).
    """
    passwords.checked_password(new_password, customer.email)
    _replace_password(customer, new_password, confirm=True)


def change_password(customer: Customer, current: str, new_password: str) -> None:
    """Replace the password after checking the current one; end every session; commit."""
    if not passwords.verify_password(customer.password_hash, current):
        raise WrongPassword()
    passwords.checked_password(new_password, customer.email)
    _replace_password(customer, new_password, confirm=False)


def _replace_password(customer: Customer, new_password: str, *, confirm: bool) -> None:
    """Swap the hash only if it is still the one read, so a link or form works once."""
    customer_id, old_hash = customer.id, customer.password_hash
    new_hash = passwords.hash_password(new_password)  # slow: before taking the write lock
    unconfirmed = customer.email_confirmed_at is None
    now = datetime.now(UTC)
    values: dict[str, object] = {
        "password_hash": new_hash,
        "password_changed_at": now,
        "session_version": Customer.session_version + 1,
    }
    if confirm and unconfirmed:
        values["email_confirmed_at"] = now
    statement = (
        update(Customer)
        .where(Customer.id == customer_id, Customer.password_hash == old_hash)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    changed = _write(statement)
    db.session.refresh(customer)
    if changed != 1:
        raise InvalidToken()  # another request changed the password first


def end_sessions(customer: Customer) -> None:
    """Sign the account out in every browser, this one included; commit."""
    statement = (
        update(Customer)
        .where(Customer.id == customer.id)
        .values(session_version=Customer.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    _write(statement)
    db.session.refresh(customer)


def _write(statement: Update) -> int:
    """Run one guarded UPDATE in a writer's transaction; commit; return the rows changed."""
    try:
        begin_write(db.session)
        changed = db.session.execute(statement).rowcount
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return changed
