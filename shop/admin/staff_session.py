"""A staff member's session: starting it afresh, its time limits, and the half-way sign-in.

The signed session cookie holds Flask-Login's identity ("id:version"), when the session
started and when it was last used. Between the password and the second factor it holds only
a short-lived pending marker: nobody is signed in until the code is right.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app, g, session
from flask_babel import gettext
from flask_login import login_user, logout_user

from shop.models import User
from shop.services.accounts import staff as users
from shop.services.accounts.sign_in_throttle import SignInThrottle

SIGNED_IN_AT = "staff_signed_in_at"
SEEN_AT = "staff_seen_at"
PENDING = "staff_pending"
PENDING_SECONDS = 5 * 60
# The buyer's side of the same browser (shop.account.session, shop.cart.session) survives a
# staff sign-in; everything else in the session is dropped, including the CSRF token.
SURVIVES_SIGN_IN = ("customer", "cart")
# Staff keys are touched at most this often, so most pages don't rewrite the cookie.
SEEN_RESOLUTION_SECONDS = 15


def now() -> float:
    """The time in seconds since the epoch; tests replace it to travel in time."""
    return time.time()


def throttle() -> SignInThrottle:
    """This app's per-account sign-in throttle, over the rate limiter's storage."""
    found = current_app.extensions.get("staff_sign_in_throttle")
    if found is None:
        found = SignInThrottle.from_config(current_app.config)
        current_app.extensions["staff_sign_in_throttle"] = found
    return found


def _drop_csrf_token() -> None:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def _fresh_session() -> None:
    """Clear the session but for the buyer's keys, so nothing set before sign-in carries over."""
    kept = {key: session[key] for key in SURVIVES_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    _drop_csrf_token()


def sign_in(user: User) -> None:
    """Sign the staff member in with a fresh session and CSRF token; start its clocks."""
    _fresh_session()
    login_user(user)
    moment = int(now())
    session[SIGNED_IN_AT] = moment
    session[SEEN_AT] = moment
    users.record_login(user)


def renew_identity(user: User) -> None:
    """Keep this session signed in after the account's session version was bumped."""
    login_user(user)


def sign_out() -> None:
    """End this browser's staff session (the caller bumps the version to end the others)."""
    logout_user()
    for key in (SIGNED_IN_AT, SEEN_AT, PENDING):
        session.pop(key, None)
    _drop_csrf_token()


def expiry_reason() -> str | None:
    """Why the current staff session has ended by time, or None while it may go on."""
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(started, int) or not isinstance(seen, int):
        return gettext("Please sign in again.")
    moment = now()
    hours = current_app.config["STAFF_SESSION_HOURS"]
    if moment - started > hours * 3600:
        return gettext(
            "You were signed out because sessions end %(num)d hours after signing in. "
            "Please sign in again.",
            num=hours,
        )
    minutes = current_app.config["STAFF_IDLE_TIMEOUT_MINUTES"]
    if moment - seen > minutes * 60:
        return gettext(
            "You were signed out after %(num)d minutes without activity. Please sign in again.",
            num=minutes,
        )
    return None


def touch() -> None:
    """Note that the session was used now (for the idle limit)."""
    moment = int(now())
    if moment - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = moment


def start_pending(user: User, target: str | None) -> None:
    """Remember that the password was right; the second factor is still to come."""
    _fresh_session()
    session[PENDING] = {"u": user.id, "v": user.session_version, "at": int(now()), "next": target}


def pending() -> tuple[User, str | None] | None:
    """The account half-way through signing in, and where it was going; None when expired."""
    marker: Any = session.get(PENDING)
    if not isinstance(marker, dict) or not isinstance(marker.get("at"), int):
        return None
    if not 0 <= now() - marker["at"] <= PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = users.active_user(marker.get("u")) if isinstance(marker.get("u"), int) else None
    if user is None or user.session_version != marker.get("v"):
        session.pop(PENDING, None)
        return None
    target = marker.get("next")
    return user, target if isinstance(target, str) else None
