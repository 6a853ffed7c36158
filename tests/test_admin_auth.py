"""Signing in and out of the back office, and what keeps that safe."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

from shop.extensions import db
from tests.conftest import PASSWORD, AuthActions, build_app

WRONG = "match an active account."


def test_staff_sign_in_reach_the_dashboard_and_sign_out(client, auth, staff_user) -> None:
    response = auth.login("staff@example.com")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "staff@example.com" in dashboard
    assert "Sign out" in dashboard

    response = auth.logout()
    assert response.status_code == 303
    assert client.get("/admin/").status_code == 302
    assert "You are signed out." in client.get("/admin/login").get_data(as_text=True)


def test_email_is_matched_whatever_its_case(auth, staff_user) -> None:
    assert auth.login("  Staff@Example.COM ").status_code == 303


def test_sign_in_records_when_it_happened(auth, staff_user) -> None:
    assert staff_user.last_login_at is None
    auth.login(staff_user.email)
    db.session.refresh(staff_user)
    assert staff_user.last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, staff_user) -> None:
    wrong_password = auth.login("staff@example.com", "not the password at all")
    unknown_email = auth.login("nobody@example.com", PASSWORD)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_deactivated_account_cannot_sign_in(client, auth, make_user) -> None:
    make_user("gone@example.com", active=False)
    response = auth.login("gone@example.com")
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_deactivated_account_is_signed_out_at_once(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert client.get("/admin/").status_code == 200
    staff_user.is_active = False
    db.session.commit()
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


def test_signed_in_visitor_on_the_sign_in_page_goes_to_the_dashboard(client, auth, staff_user):
    auth.login(staff_user.email)
    assert client.get("/admin/login").headers["Location"] == "/admin/"


def test_next_brings_staff_back_to_the_page_they_asked_for(client, auth, admin_user) -> None:
    first = client.get("/admin/users?sort=email")
    assert first.headers["Location"] == "/admin/login?next=/admin/users?sort%3Demail"
    response = auth.login(admin_user.email, next="/admin/users?sort=email")
    assert response.headers["Location"] == "/admin/users?sort=email"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/admin/",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "admin/users",
    ],
)
def test_next_never_leads_off_the_site(auth, staff_user, target) -> None:
    response = auth.login(staff_user.email, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"


def test_sixth_failed_attempt_within_a_minute_gets_a_friendly_429(client, auth, staff_user):
    for _ in range(5):
        assert auth.login(staff_user.email, "wrong password!").status_code == 200
    response = auth.login(staff_user.email, PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many sign-in attempts" in page
    assert "Please wait a minute" in page
    assert "Retry-After" in response.headers
    assert client.get("/admin/").status_code == 302  # not signed in
    assert client.get("/admin/login").status_code == 200  # the form itself still shows


def test_successful_sign_ins_do_not_use_up_the_limit(client, auth, staff_user) -> None:
    for _ in range(7):
        assert auth.login(staff_user.email).status_code == 303
        auth.logout()


def test_posting_the_form_while_signed_in_does_not_use_up_the_limit(app, auth, staff_user) -> None:
    auth.login(staff_user.email)
    app.config["WTF_CSRF_ENABLED"] = False  # a signed-in visitor gets no sign-in form to read
    for _ in range(7):
        assert auth.login(staff_user.email).status_code == 302  # to the dashboard
    auth.logout()
    assert auth.login(staff_user.email, "wrong password!").status_code == 200


def _another_app(tmp_path, **overrides):
    """Build a second app on a database of its own, as a new test or worker would."""
    db.session.remove()  # release this app's locks before PostgreSQL empties the tables
    folder = tmp_path / "another"
    folder.mkdir()
    return build_app(folder, **overrides)


def test_failed_attempts_do_not_carry_over_to_another_app(tmp_path, auth, staff_user) -> None:
    for _ in range(5):
        auth.login(staff_user.email, "wrong password!")
    assert auth.login(staff_user.email, "wrong password!").status_code == 429
    for other in _another_app(tmp_path):
        response = AuthActions(other.test_client()).login("staff@example.com", "wrong again!")
        assert response.status_code == 200


def test_limit_can_be_switched_off_by_config(tmp_path, app) -> None:
    for other in _another_app(tmp_path, RATELIMIT_ENABLED=False):
        helper = AuthActions(other.test_client())
        assert all(helper.login("x@example.com", "nope").status_code == 200 for _ in range(7))


def test_sign_in_without_csrf_token_is_refused(client, staff_user) -> None:
    response = client.post("/admin/login", data={"email": staff_user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_sign_out_without_csrf_token_does_nothing(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert client.post("/admin/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_sign_out_is_not_a_link(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert client.get("/admin/logout").status_code == 405
    assert client.get("/admin/").status_code == 200


def test_session_is_dropped_when_it_turns_up_in_another_browser(client, auth, staff_user):
    auth.login(staff_user.email)
    assert client.get("/admin/").status_code == 200
    stolen = client.get("/admin/", headers={"User-Agent": "SomeoneElse/1.0"})
    assert urlsplit(stolen.headers["Location"]).path == "/admin/login"


def test_storefront_pages_leave_the_staff_session_alone(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get("/admin/").status_code == 200


def test_create_admin_command_makes_an_admin_who_can_sign_in(runner, auth) -> None:
    result = runner.invoke(args=["create-admin", "Boss@Example.com", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Admin created: boss@example.com" in result.output
    assert auth.login("boss@example.com").status_code == 303


def test_create_admin_command_asks_for_the_password_twice_when_not_given(runner) -> None:
    from shop.models import Role
    from shop.services.accounts import staff as users

    result = runner.invoke(args=["create-admin", "boss@example.com"], input=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert users.authenticate("boss@example.com", PASSWORD).role == Role.ADMIN


def test_create_admin_command_refuses_a_duplicate_without_a_traceback(runner, admin_user) -> None:
    args = ["create-admin", "ADMIN@example.com", "--password", PASSWORD]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert "Traceback" not in result.output


def test_create_admin_command_refuses_a_weak_password(runner) -> None:
    from shop.services.accounts import staff as users

    result = runner.invoke(args=["create-admin", "boss@example.com", "--password", "short"])
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
    assert users.count_users() == 0


def test_create_demo_admin_prints_credentials_once(runner, auth) -> None:
    first = runner.invoke(args=["create-demo-admin"])
    assert first.exit_code == 0
    line = next(ln for ln in first.output.splitlines() if ln.startswith("Demo admin: "))
    email, password = line.removeprefix("Demo admin: ").split(" / ")
    assert email == "admin@karyabinaan.example"
    assert auth.login(email, password).status_code == 303

    again = runner.invoke(args=["create-demo-admin"])
    assert again.exit_code == 0
    assert "Demo admin:" not in again.output
    assert "not created" in again.output


def test_sign_in_limits_are_shared_through_redis_when_configured(monkeypatch, tmp_path) -> None:
    from shop.config import from_environment

    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"


def test_redis_keeps_the_count_where_every_worker_sees_it(tmp_path, app) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    server = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not listening on 127.0.0.1:6379")
    # An address of this test's own, so nothing else on the server is counted or cleared.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"
    # And a key prefix of its own: the account's failures are counted in Redis too.
    prefix = f"kbtest-{uuid.uuid4().hex}"
    try:
        for other in _another_app(tmp_path, RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix):
            client = other.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            helper = AuthActions(client)
            for _ in range(5):
                assert helper.login("x@example.com", "nope").status_code == 200
            assert helper.login("x@example.com", "nope").status_code == 429
            counts = [int(server.get(key)) for key in server.scan_iter(f"*{address}*")]
            assert 5 in counts  # held in Redis, not in this process
    finally:
        for pattern in (f"*{address}*", f"*{prefix}*"):
            for key in server.scan_iter(pattern):
                server.delete(key)
