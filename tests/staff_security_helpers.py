"""Helpers for the staff sign-in security tests: a clock to travel with, codes, the outbox."""

from __future__ import annotations

import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import limits.storage.memory
import pyotp
import pytest
from flask import g
from flask.testing import FlaskClient

from shop.admin import staff_session
from shop.models import User
from shop.services.accounts import sign_in_throttle, two_factor
from tests.conftest import PASSWORD

# Now, rounded down to a 30-second step boundary, so "one step earlier" is exact. Near the real
# time, since Flask-Limiter reads the real clock for the Retry-After it merges with ours.
START = float(int(time.time()) // 30 * 30)


class Clock:
    """The time the back office and the throttle's memory storage see; moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


def pin_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Pin the time for sessions, codes and rate-limit counts (no sleeping in tests)."""
    moment = Clock()
    fake_time = SimpleNamespace(time=moment)
    monkeypatch.setattr(staff_session, "now", moment)
    monkeypatch.setattr(limits.storage.memory, "time", fake_time)
    monkeypatch.setattr(sign_in_throttle, "time", fake_time)
    return moment


def start_requests_afresh(app: Any) -> None:
    """Give every request a fresh CSRF token cache, as a server's new app context would.

    The test app's context outlives requests, so `g` would hand one browser's token to the
    next; with two browsers (a copied cookie) that token belongs to the wrong session.
    """
    app.teardown_request(lambda error: g.pop("csrf_token", None))


def token_from(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def post_form(client: FlaskClient, page_path: str, action: str, data: dict[str, str]) -> Any:
    """Open a page, then post a form to `action` with the page's CSRF token."""
    token = token_from(client.get(page_path).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


def sign_in(
    client: FlaskClient,
    email_address: str,
    password: str = PASSWORD,
    address: str = "127.0.0.1",
) -> Any:
    """Post the sign-in form from a given client address."""
    client.environ_base["REMOTE_ADDR"] = address
    data = {"email": email_address, "password": password}
    return post_form(client, "/admin/login", "/admin/login", data)


def send_code(client: FlaskClient, code: str) -> Any:
    """Post the second step of signing in."""
    return post_form(client, "/admin/login/code", "/admin/login/code", {"code": code})


def enrol(user: User, clock: Clock) -> list[str]:
    """Switch two-factor sign-in on for the account (as if through its page); return codes."""
    secret = two_factor.start_enrolment(user)
    code = pyotp.TOTP(secret).at(clock.now)
    codes = two_factor.confirm_enrolment(user, code, now=clock.now, claim_once=lambda n, s: True)
    clock.advance(30)  # the enrolment code's step is over
    return codes


def current_code(user: User, clock: Clock, steps: int = 0) -> str:
    """The authenticator's code now, or `steps` steps away."""
    return pyotp.TOTP(user.totp_secret).at(clock.now + 30 * steps)


def wrong_code(user: User, clock: Clock) -> str:
    """A well-formed code that is not valid now, nor one step either side."""
    valid = {current_code(user, clock, steps) for steps in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def outbox(app: Any) -> list[EmailMessage]:
    """The mails written to the test outbox, oldest first."""
    paths = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda p: p.stat().st_mtime)
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]


def text(response: Any) -> str:
    """A response's body as text."""
    return response.get_data(as_text=True)


def copy_session(source: FlaskClient, target: FlaskClient) -> None:
    """Put the session cookie of one browser into another (a stolen or copied cookie)."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)
