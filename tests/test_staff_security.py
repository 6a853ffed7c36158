"""Staff sessions that end on time and everywhere at once, and per-account sign-in pauses."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry
from shop.services.accounts import sign_in_throttle
from shop.services.accounts import staff as users
from tests.conftest import PASSWORD, build_app
from tests.staff_security_helpers import (
    Clock,
    copy_session,
    pin_clock,
    post_form,
    sign_in,
    start_requests_afresh,
    text,
    token_from,
)

WRONG = "wrong password!!"


@pytest.fixture(autouse=True)
def requests_start_afresh(app, auth) -> None:
    """Every request loads its user and CSRF token anew, as on a server (see the auth fixture)."""
    start_requests_afresh(app)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Sessions, codes and sign-in counts see a clock the test moves (no sleeping)."""
    return pin_clock(monkeypatch)


def actions() -> list[str]:
    """The audit log's actions, oldest first."""
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# --- One session version ends every copy of a cookie ----------------------------------------


def test_signing_out_ends_every_copy_of_the_session_cookie(app, client, staff_user, clock):
    assert sign_in(client, staff_user.email).status_code == 303
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/admin/").status_code == 200

    assert post_form(client, "/admin/", "/admin/logout", {}).status_code == 303
    bounced = thief.get("/admin/orders")
    assert bounced.status_code == 302
    assert bounced.headers["Location"].startswith("/admin/login")


def test_a_session_from_before_a_deactivation_stays_dead_after_reactivation(
    app, client, staff_user, admin_user, clock
):
    sign_in(client, staff_user.email)
    users.set_active(staff_user, False, acting_user_id=admin_user.id, actor=admin_user)
    users.set_active(staff_user, True, acting_user_id=admin_user.id, actor=admin_user)
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, staff_user.email).status_code == 303  # signing in again works


def test_sign_out_everywhere_else_keeps_this_session_only(app, client, staff_user, clock):
    sign_in(client, staff_user.email)
    phone = app.test_client()
    copy_session(client, phone)
    response = post_form(client, "/admin/security", "/admin/security/sign-out-everywhere", {})
    assert response.status_code == 303
    assert "Every other session of your account is signed out." in text(client.get("/admin/"))
    assert phone.get("/admin/").status_code == 302
    assert "user.signed_out_everywhere" in actions()


def test_a_cookie_from_before_session_versions_is_refused(client, staff_user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(staff_user.id)  # the old identity: the id alone
    assert client.get("/admin/").status_code == 302


# --- Time limits ----------------------------------------------------------------------------


def test_idle_session_ends_after_the_idle_limit_and_says_why(client, staff_user, clock):
    sign_in(client, staff_user.email)
    clock.advance(29 * 60)
    assert client.get("/admin/").status_code == 200  # still in use: the idle clock restarts
    clock.advance(29 * 60)
    assert client.get("/admin/").status_code == 200
    clock.advance(31 * 60)
    response = client.get("/admin/orders")
    assert response.headers["Location"] == "/admin/login?next=/admin/orders"
    assert "after 30 minutes without activity" in text(client.get("/admin/login"))
    assert client.get("/admin/").status_code == 302


def test_a_session_ends_after_its_hours_however_busy(app, client, staff_user, clock):
    app.config["STAFF_SESSION_HOURS"] = 2
    sign_in(client, staff_user.email)
    for _ in range(4):
        clock.advance(25 * 60)
        assert client.get("/admin/").status_code == 200
    clock.advance(25 * 60)  # 2 h 5 min after signing in, never idle for long
    assert client.get("/admin/").status_code == 302
    assert "sessions end 2 hours after signing in" in text(client.get("/admin/login"))


# --- A fresh session and CSRF token at sign-in ----------------------------------------------


def test_a_csrf_token_from_before_sign_in_is_useless_after_it(client, staff_user, clock):
    before = token_from(text(client.get("/admin/login")))
    response = client.post(
        "/admin/login",
        data={"csrf_token": before, "email": staff_user.email, "password": PASSWORD},
    )
    assert response.status_code == 303
    assert client.post("/admin/logout", data={"csrf_token": before}).status_code == 400
    assert client.get("/admin/").status_code == 200  # still signed in: nothing happened


def test_sign_in_drops_what_was_planted_in_the_session_but_keeps_the_cart(client, staff_user):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["cart"] = "cart-token"
    sign_in(client, staff_user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["cart"] == "cart-token"


# --- Per-account pauses ---------------------------------------------------------------------


def _fail(client, email: str, times: int, start: int = 0) -> None:
    for i in range(times):
        # Each from another address: the per-address limit never sees more than one.
        response = sign_in(client, email, WRONG, address=f"10.0.{start}.{i + 1}")
        assert response.status_code == 200


def test_five_failures_pause_the_account_for_a_minute_whatever_the_address(
    client, staff_user, clock
):
    _fail(client, staff_user.email, 5)
    paused = sign_in(client, staff_user.email, address="10.9.9.9")  # right password
    assert paused.status_code == 429
    assert "Try again in 1 minute." in text(paused)
    assert int(paused.headers["Retry-After"]) <= 60
    assert client.get("/admin/").status_code == 302

    clock.advance(61)
    assert sign_in(client, staff_user.email, address="10.9.9.10").status_code == 303


def test_pauses_double_with_each_further_failure_up_to_an_hour(client, staff_user, clock):
    _fail(client, staff_user.email, 5)
    clock.advance(61)
    _fail(client, staff_user.email, 1, start=1)  # the pause after this one is 2 minutes
    clock.advance(61)
    assert "Try again in 1 minute." in text(sign_in(client, staff_user.email, address="10.8.0.1"))
    clock.advance(60)
    assert sign_in(client, staff_user.email, address="10.8.0.2").status_code == 303
    assert [sign_in_throttle.pause_for(n) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]  # fmt: skip


def test_a_pause_reads_the_same_for_an_address_without_an_account(client, staff_user, clock):
    _fail(client, staff_user.email, 5)
    _fail(client, "nobody@example.com", 5, start=2)
    known = sign_in(client, staff_user.email, address="10.7.0.1")
    unknown = sign_in(client, "nobody@example.com", address="10.7.0.2")
    assert known.status_code == unknown.status_code == 429
    alert = re.compile(r'role="alert">([^<]*)<')
    assert alert.findall(text(known)) == alert.findall(text(unknown)) != []


def test_the_pause_is_counted_by_address_typed_in_any_case(client, staff_user, clock):
    _fail(client, "STAFF@example.com ", 5)
    assert sign_in(client, staff_user.email, address="10.6.0.1").status_code == 429


def test_a_success_forgets_earlier_failures(client, staff_user, clock):
    _fail(client, staff_user.email, 4)
    assert sign_in(client, staff_user.email, address="10.5.0.1").status_code == 303
    post_form(client, "/admin/", "/admin/logout", {})
    _fail(client, staff_user.email, 4, start=3)
    assert sign_in(client, staff_user.email, address="10.5.0.2").status_code == 303


def test_pauses_are_off_when_rate_limits_are_switched_off(app, client, staff_user, clock):
    app.config["RATELIMIT_ENABLED"] = False
    app.extensions.pop("staff_sign_in_throttle", None)
    _fail(client, staff_user.email, 7)
    assert sign_in(client, staff_user.email, address="10.4.0.1").status_code == 303


def test_two_apps_share_an_accounts_failures_through_redis(tmp_path, app) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    server = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    prefix = f"kbtest-{uuid.uuid4().hex}"
    config = {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}
    try:
        for number, name in enumerate(("one", "two")):
            db.session.remove()  # release the last app's locks before PostgreSQL empties tables
            (tmp_path / name).mkdir()
            for other in build_app(tmp_path / name, **config):
                users.create_user("shared@example.com", PASSWORD)
                client = other.test_client()
                if number == 0:  # the first app sees the failures...
                    _fail(client, "shared@example.com", 5)
                else:  # ...and the second, a worker of its own, pauses the account
                    response = sign_in(client, "shared@example.com", address="10.3.0.1")
                    assert response.status_code == 429
                    assert "Try again in 1 minute." in text(response)
        assert any(server.scan_iter(f"*{prefix}*"))  # held in Redis, not in a process
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)


def test_failures_are_counted_in_this_process_while_redis_is_unreachable(app) -> None:
    from shop.services.accounts.sign_in_throttle import SignInThrottle

    unreachable = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }
    throttle = SignInThrottle.from_config(unreachable)
    assert [throttle.failed("a@example.com") for _ in range(5)] == [0, 0, 0, 0, 60]
    assert 0 < throttle.paused_for("A@example.com") <= 60
    strict = SignInThrottle.from_config(unreachable | {"RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": 0})
    with pytest.raises(Exception, match="(?i)connect"):
        strict.failed("a@example.com")  # no fallback configured: fail closed, loudly


def test_wrong_current_passwords_count_towards_the_pause(client, staff_user, clock) -> None:
    sign_in(client, staff_user.email)
    data = {"current": WRONG, "password": "Meja jati ukir 2026!", "confirm": "Meja jati ukir 2026!"}
    for _ in range(5):
        response = post_form(client, "/admin/security", "/admin/security/password", data)
        assert "not your current password" in text(response)
    paused = post_form(
        client, "/admin/security", "/admin/security/password", data | {"current": PASSWORD}
    )
    assert paused.status_code == 429
    assert "Try again in 1 minute." in text(paused)
    assert users.authenticate(staff_user.email, PASSWORD) is not None  # unchanged
