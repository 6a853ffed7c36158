"""Staff accounts: the service rules and the admins' page for managing them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import AuditEntry, Role, User
from shop.services.accounts import staff as users
from shop.services.accounts import staff_passwords
from tests.conftest import PASSWORD
from tests.staff_security_helpers import (
    copy_session,
    outbox,
    post_form,
    sign_in,
    start_requests_afresh,
    text,
)


def test_new_accounts_store_a_scrypt_hash_and_a_lower_case_email(app) -> None:
    user = users.create_user("  New.Person@Example.COM ", PASSWORD, name=" Ayu ")
    assert user.email == "new.person@example.com"
    assert user.name == "Ayu"
    assert user.role == Role.STAFF
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_an_email_address_can_have_only_one_account(app, staff_user) -> None:
    with pytest.raises(users.DuplicateEmail):
        users.create_user("STAFF@example.com", PASSWORD)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "two@@example.com"])
def test_invalid_email_addresses_are_refused(app, email) -> None:
    with pytest.raises(users.InvalidEmail):
        users.create_user(email, PASSWORD)


def test_passwords_need_at_least_ten_characters(app) -> None:
    with pytest.raises(users.WeakPassword):
        users.create_user("short@example.com", "123456789")
    assert users.create_user("ok@example.com", "kx9#mq2!zr").is_active  # 10, and not common


def test_the_database_keeps_emails_lower_case(app) -> None:
    db.session.add(User(email="Mixed@Example.com", password_hash="x", role=Role.STAFF))
    with pytest.raises(IntegrityError, match="(?i)check"):
        db.session.commit()
    db.session.rollback()


def test_unknown_email_still_spends_time_checking_a_hash(app, monkeypatch) -> None:
    checked = []
    real = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    assert users.authenticate("nobody@example.com", PASSWORD) is None
    assert len(checked) == 1 and checked[0].startswith("scrypt:")


def test_inactive_accounts_do_not_authenticate(app, make_user) -> None:
    make_user("gone@example.com", active=False)
    assert users.authenticate("gone@example.com", PASSWORD) is None


def test_admin_adds_a_staff_account_that_can_sign_in(client, auth, admin_user) -> None:
    auth.login(admin_user.email)
    page = client.get("/admin/users").get_data(as_text=True)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": _token(page),
            "email": "Ayu@Example.com",
            "name": "Ayu",
            "role": "staff",
            "password": "another long password",
            "confirm": "another long password",
        },
        follow_redirects=True,
    )
    assert "Account created for ayu@example.com." in response.get_data(as_text=True)
    assert users.authenticate("ayu@example.com", "another long password").role == Role.STAFF


@pytest.mark.parametrize(
    ("email", "password", "confirm", "message"),
    [
        ("admin@example.com", PASSWORD, PASSWORD, "already exists"),
        ("new@example.com", "short", "short", "at least 10 characters"),
        ("new@example.com", PASSWORD, PASSWORD + "x", "not the same"),
        ("nope", PASSWORD, PASSWORD, "valid email address"),
    ],
)
def test_adding_an_account_explains_what_is_wrong(
    client, auth, admin_user, email, password, confirm, message
) -> None:
    auth.login(admin_user.email)
    page = client.get("/admin/users").get_data(as_text=True)
    data = {"csrf_token": _token(page), "email": email, "role": "staff"}
    response = client.post("/admin/users", data=data | {"password": password, "confirm": confirm})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert users.count_users() == 1


def test_admin_deactivates_and_reactivates_a_staff_account(client, auth, admin_user, staff_user):
    auth.login(admin_user.email)
    token = _token(client.get("/admin/users").get_data(as_text=True))
    url = f"/admin/users/{staff_user.id}/active"
    response = client.post(url, data={"csrf_token": token, "active": "0"}, follow_redirects=True)
    assert "staff@example.com can no longer sign in." in response.get_data(as_text=True)
    assert users.authenticate(staff_user.email, PASSWORD) is None

    client.post(url, data={"csrf_token": token, "active": "1"})
    assert users.authenticate(staff_user.email, PASSWORD) is not None


def test_admin_cannot_deactivate_their_own_account(client, auth, admin_user) -> None:
    auth.login(admin_user.email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{admin_user.id}/active" not in page  # no button for yourself
    response = client.post(
        f"/admin/users/{admin_user.id}/active",
        data={"csrf_token": _token(page), "active": "0"},
        follow_redirects=True,
    )
    assert "deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(admin_user)
    assert admin_user.is_active


def test_changing_an_unknown_account_is_a_404(client, auth, admin_user) -> None:
    auth.login(admin_user.email)
    token = _token(client.get("/admin/users").get_data(as_text=True))
    response = client.post("/admin/users/999/active", data={"csrf_token": token, "active": "0"})
    assert response.status_code == 404


def _token(page: str) -> str:
    from tests.factories import csrf_from

    return csrf_from(page)


# --- Passwords: changing one's own, reset links, forgotten passwords --------------------------

NEW_PASSWORD = "Kursi rotan dari Lapas, 7 buah"


@pytest.fixture(autouse=True)
def requests_start_afresh(app, auth) -> None:
    """Every request loads its user and CSRF token anew, as on a server (see the auth fixture)."""
    start_requests_afresh(app)


def _reset_path(mail) -> str:
    return re.search(r"/admin/reset-password/\S+", mail.get_body(("plain",)).get_content()).group(0)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_changing_ones_password_keeps_this_session_and_ends_the_others(app, client, staff_user):
    sign_in(client, staff_user.email)
    laptop = app.test_client()
    copy_session(client, laptop)
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = post_form(client, "/admin/security", "/admin/security/password", data)
    assert response.status_code == 303
    assert "Your password is changed" in text(client.get("/admin/security"))
    assert laptop.get("/admin/").status_code == 302
    assert users.authenticate(staff_user.email, NEW_PASSWORD) is not None
    assert users.authenticate(staff_user.email, PASSWORD) is None
    db.session.refresh(staff_user)
    assert staff_user.password_changed_at is not None
    assert "user.password_changed" in _actions()


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW_PASSWORD, NEW_PASSWORD, "not your current password"),
        (PASSWORD, "short", "short", "at least 10 characters"),
        (PASSWORD, "1234567890", "1234567890", "one of the most common passwords"),
        (PASSWORD, "staff@example.com!", "staff@example.com!", "must not contain your email"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "not the same"),
        ("", NEW_PASSWORD, NEW_PASSWORD, "Enter your password."),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    client, staff_user, current, new, confirm, message
) -> None:
    sign_in(client, staff_user.email)
    data = {"current": current, "password": new, "confirm": confirm}
    response = post_form(client, "/admin/security", "/admin/security/password", data)
    assert response.status_code == 200
    assert message in text(response)
    assert users.authenticate(staff_user.email, PASSWORD) is not None
    assert client.get("/admin/").status_code == 200


def test_an_admin_sends_a_reset_link_that_works_once(app, client, admin_user, staff_user):
    phone = app.test_client()
    sign_in(phone, staff_user.email)
    sign_in(client, admin_user.email)
    response = post_form(client, "/admin/users", f"/admin/users/{staff_user.id}/password-reset", {})
    assert "A link to set a new password was sent" in text(client.get(response.headers["Location"]))
    [mail] = outbox(app)
    assert mail["To"] == staff_user.email
    path = _reset_path(mail)
    html = mail.get_body(("html",)).get_content()
    assert path in html and "<html" in html

    stranger = app.test_client()
    assert stranger.get(path).status_code == 200
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    done = post_form(stranger, path, path, data)
    assert done.headers["Location"] == "/admin/login"
    assert phone.get("/admin/").status_code == 302  # every session ended
    assert users.authenticate(staff_user.email, NEW_PASSWORD) is not None

    again = stranger.get(path)
    assert again.status_code == 400
    assert "used already" in text(again)
    assert ["user.password_reset_sent", "user.password_reset"] == [
        a for a in _actions() if a.startswith("user.password")
    ]


def test_a_reset_link_expires_after_an_hour(app, staff_user) -> None:
    token = staff_passwords.reset_token(staff_user, app.config["SECRET_KEY"])
    later = datetime.now(UTC) + timedelta(minutes=61)
    with pytest.raises(staff_passwords.ExpiredResetLink):
        staff_passwords.reset_password(token, NEW_PASSWORD, app.config["SECRET_KEY"], now=later)
    assert users.authenticate(staff_user.email, PASSWORD) is not None


@pytest.mark.parametrize("token", ["nonsense", "a" * 600, "eyJ1IjoxfQ.abc.def"])
def test_a_damaged_reset_link_is_explained_and_changes_nothing(client, staff_user, token):
    response = client.get(f"/admin/reset-password/{token}")
    assert response.status_code == 400
    assert "This link doesn" in text(response)
    posted = client.post(f"/admin/reset-password/{token}", data={"password": NEW_PASSWORD})
    assert posted.status_code == 400
    assert users.authenticate(staff_user.email, PASSWORD) is not None


def test_a_weak_password_through_a_reset_link_is_refused(app, client, staff_user) -> None:
    path = "/admin/reset-password/" + staff_passwords.reset_token(
        staff_user, app.config["SECRET_KEY"]
    )
    response = post_form(client, path, path, {"password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "at least 10 characters" in text(response)
    assert users.authenticate(staff_user.email, PASSWORD) is not None


def test_forgot_password_answers_the_same_for_every_address(app, client, staff_user, make_user):
    make_user("gone@example.com", active=False)
    answers = []
    for address in (staff_user.email, "nobody@example.com", "gone@example.com"):
        response = post_form(
            client, "/admin/forgot-password", "/admin/forgot-password", {"email": address}
        )
        assert response.status_code == 303
        page = text(client.get("/admin/login"))
        answers.append(re.findall(r'class="flash[^"]*">([^<]*)<', page.replace(address, "@")))
    assert answers[0] == answers[1] == answers[2]
    assert "a link to set a new password" in answers[0][0]
    assert [mail["To"] for mail in outbox(app)] == [staff_user.email]


def test_forgot_password_sends_at_most_three_links_an_hour(app, client, staff_user) -> None:
    for i in range(4):
        client.environ_base["REMOTE_ADDR"] = f"10.2.0.{i}"
        post_form(
            client, "/admin/forgot-password", "/admin/forgot-password", {"email": staff_user.email}
        )
    assert len(outbox(app)) == 3


def test_forgot_password_is_rate_limited_per_address(client, staff_user) -> None:
    statuses = [
        post_form(
            client,
            "/admin/forgot-password",
            "/admin/forgot-password",
            {"email": f"n{i}@example.com"},
        ).status_code
        for i in range(6)
    ]
    assert statuses == [303] * 5 + [429]


def test_the_sign_in_page_offers_forgot_password(client) -> None:
    assert "/admin/forgot-password" in text(client.get("/admin/login"))


def test_no_reset_link_for_a_deactivated_or_unknown_account(app, client, admin_user, make_user):
    gone = make_user("gone@example.com", active=False)
    sign_in(client, admin_user.email)
    refused = post_form(client, "/admin/users", f"/admin/users/{gone.id}/password-reset", {})
    assert "reactivate the account first" in text(client.get(refused.headers["Location"]))
    unknown = post_form(client, "/admin/users", "/admin/users/999/password-reset", {})
    assert unknown.status_code == 404
    assert client.post(f"/admin/users/{gone.id}/password-reset").status_code == 400  # no token
    assert outbox(app) == []
    assert "user.password_reset_sent" not in _actions()
