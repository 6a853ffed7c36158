"""Staff accounts: the service rules and the admins' page for managing them."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import Role, User
from shop.services.accounts import staff as users
from tests.conftest import PASSWORD


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
