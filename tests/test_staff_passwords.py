"""Staff passwords: changing one's own, reset links sent by admins, forgotten passwords."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry
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
    [mail] = outbox(app)
    assert mail["To"] == staff_user.email and "/admin/forgot-password" in str(mail)


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
