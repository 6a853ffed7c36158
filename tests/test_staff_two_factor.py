"""Two-factor sign-in for staff: enrolment, the second step, recovery codes, switching off."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, StaffRecoveryCode
from shop.services.accounts import two_factor
from tests.conftest import PASSWORD
from tests.staff_security_helpers import (
    Clock,
    current_code,
    enrol,
    pin_clock,
    post_form,
    send_code,
    sign_in,
    start_requests_afresh,
    text,
    token_from,
    wrong_code,
)

WRONG_CODE = "That code isn&#39;t right, or it was used already."


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


# --- Enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_codes_once(client, staff_user, clock):
    sign_in(client, staff_user.email)
    page = text(client.get("/admin/security/two-factor"))
    assert "<svg" in page and "<img" not in page  # drawn here, nothing fetched from elsewhere
    db.session.refresh(staff_user)
    secret = staff_user.totp_secret
    assert secret and " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert staff_user.totp_confirmed_at is None  # not on until a code proves the app works

    wrong = post_form(
        client,
        "/admin/security/two-factor",
        "/admin/security/two-factor",
        {"code": wrong_code(staff_user, clock)},
    )
    assert WRONG_CODE in text(wrong)
    db.session.refresh(staff_user)
    assert not two_factor.is_enabled(staff_user)

    done = post_form(
        client,
        "/admin/security/two-factor",
        "/admin/security/two-factor",
        {"code": current_code(staff_user, clock)},
    )
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", text(done))
    assert len(set(codes)) == 10
    stored = list(db.session.scalars(select(StaffRecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(stored) & {c.replace("-", "") for c in codes}
    db.session.refresh(staff_user)
    assert two_factor.is_enabled(staff_user)
    assert client.get("/admin/security/two-factor").headers["Location"] == "/admin/security"
    assert "user.two_factor_enabled" in actions()


def test_the_same_secret_is_shown_until_enrolment_is_done(client, staff_user) -> None:
    sign_in(client, staff_user.email)
    client.get("/admin/security/two-factor")
    db.session.refresh(staff_user)
    first = staff_user.totp_secret
    client.get("/admin/security/two-factor")
    db.session.refresh(staff_user)
    assert staff_user.totp_secret == first


# --- The second step of signing in ----------------------------------------------------------


def test_the_password_alone_does_not_sign_in_an_account_with_two_factor(client, staff_user, clock):
    enrol(staff_user, clock)
    response = sign_in(client, staff_user.email)
    assert response.headers["Location"] == "/admin/login/code"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    assert WRONG_CODE in text(send_code(client, wrong_code(staff_user, clock)))
    assert client.get("/admin/").status_code == 302
    assert send_code(client, current_code(staff_user, clock)).headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_codes_are_accepted_one_step_either_side_but_no_further(client, staff_user, clock):
    enrol(staff_user, clock)
    sign_in(client, staff_user.email)
    assert WRONG_CODE in text(send_code(client, current_code(staff_user, clock, steps=-2)))
    assert WRONG_CODE in text(send_code(client, current_code(staff_user, clock, steps=2)))
    assert send_code(client, current_code(staff_user, clock, steps=-1)).status_code == 303


def test_a_used_code_cannot_be_replayed_within_its_window(app, client, staff_user, clock):
    enrol(staff_user, clock)
    code = current_code(staff_user, clock)
    sign_in(client, staff_user.email)
    assert send_code(client, code).status_code == 303
    other = app.test_client()
    sign_in(other, staff_user.email)
    clock.advance(20)
    assert WRONG_CODE in text(send_code(other, code))
    assert other.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(app, client, staff_user, clock):
    codes = enrol(staff_user, clock)
    sign_in(client, staff_user.email)
    assert send_code(client, codes[0].upper().replace("-", " ")).status_code == 303
    assert "9 recovery codes left" in text(client.get("/admin/security"))
    other = app.test_client()
    sign_in(other, staff_user.email)
    assert WRONG_CODE in text(send_code(other, codes[0]))
    assert "user.recovery_code_used" in actions()


def test_the_half_way_sign_in_expires_after_five_minutes(client, staff_user, clock):
    enrol(staff_user, clock)
    sign_in(client, staff_user.email)
    clock.advance(5 * 60 + 1)
    response = client.get("/admin/login/code")
    assert response.headers["Location"] == "/admin/login"
    assert "took too long" in text(client.get("/admin/login"))
    assert client.get("/admin/login/code").status_code == 303


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, staff_user) -> None:
    assert client.get("/admin/login/code").headers["Location"] == "/admin/login"


def test_wrong_codes_count_towards_the_accounts_pause(client, staff_user, clock):
    enrol(staff_user, clock)
    for i in range(5):
        sign_in(client, staff_user.email, address=f"10.1.0.{i}")
        assert WRONG_CODE in text(send_code(client, wrong_code(staff_user, clock)))
    paused = sign_in(client, staff_user.email, address="10.1.1.1")  # the right password
    assert paused.status_code == 429
    assert "Try again in 1 minute." in text(paused)


# --- Required for admins --------------------------------------------------------------------


def test_admins_must_enrol_before_anything_else_when_required(app, client, admin_user, clock):
    app.config["STAFF_2FA_REQUIRED"] = True
    assert sign_in(client, admin_user.email).headers["Location"] == "/admin/security/two-factor"
    for path in ("/admin/", "/admin/users", "/admin/security"):
        assert client.get(path).headers["Location"] == "/admin/security/two-factor"
    assert client.get("/admin/security/two-factor").status_code == 200
    db.session.refresh(admin_user)
    post_form(
        client,
        "/admin/security/two-factor",
        "/admin/security/two-factor",
        {"code": current_code(admin_user, clock)},
    )
    assert client.get("/admin/users").status_code == 200


def test_staff_are_not_forced_to_enrol(app, client, staff_user) -> None:
    app.config["STAFF_2FA_REQUIRED"] = True
    sign_in(client, staff_user.email)
    assert client.get("/admin/").status_code == 200


# --- Switching off and resetting ------------------------------------------------------------


def test_switching_off_needs_the_password_and_a_code(client, staff_user, clock):
    enrol(staff_user, clock)
    sign_in(client, staff_user.email)
    send_code(client, current_code(staff_user, clock))
    clock.advance(30)
    url = "/admin/security/two-factor/off"
    bad_password = post_form(
        client,
        "/admin/security",
        url,
        {"password": "not it at all", "code": current_code(staff_user, clock)},
    )
    assert "not your current password" in text(bad_password)
    bad_code = post_form(client, "/admin/security", url, {"password": PASSWORD, "code": "12"})
    assert WRONG_CODE in text(bad_code)
    db.session.refresh(staff_user)
    assert two_factor.is_enabled(staff_user)

    done = post_form(
        client,
        "/admin/security",
        url,
        {"password": PASSWORD, "code": current_code(staff_user, clock)},
    )
    assert done.status_code == 303
    assert client.get("/admin/").status_code == 200  # this session goes on
    db.session.refresh(staff_user)
    assert not two_factor.is_enabled(staff_user) and not staff_user.recovery_codes
    assert "user.two_factor_disabled" in actions()


def test_admins_cannot_switch_it_off_when_it_is_required(app, client, admin_user, clock):
    enrol(admin_user, clock)
    app.config["STAFF_2FA_REQUIRED"] = True
    sign_in(client, admin_user.email)
    send_code(client, current_code(admin_user, clock))
    clock.advance(30)
    response = post_form(
        client,
        "/admin/security",
        "/admin/security/two-factor/off",
        {"password": PASSWORD, "code": current_code(admin_user, clock)},
    )
    assert response.status_code == 303
    db.session.refresh(admin_user)
    assert two_factor.is_enabled(admin_user)


def test_an_admin_resets_a_lost_phone_and_the_staff_member_is_signed_out(
    app, client, admin_user, staff_user, clock
):
    enrol(staff_user, clock)
    phone = app.test_client()
    sign_in(phone, staff_user.email)
    send_code(phone, current_code(staff_user, clock))
    assert phone.get("/admin/").status_code == 200

    sign_in(client, admin_user.email)
    response = post_form(
        client, "/admin/users", f"/admin/users/{staff_user.id}/two-factor/reset", {}
    )
    assert response.status_code == 303
    db.session.refresh(staff_user)
    assert not two_factor.is_enabled(staff_user)
    assert phone.get("/admin/").status_code == 302
    assert sign_in(phone, staff_user.email).headers["Location"] == "/admin/"
    assert "user.two_factor_reset" in actions()


def test_staff_cannot_reset_anyones_two_factor(client, staff_user, make_user, clock):
    other = make_user("other@example.com")
    enrol(other, clock)
    sign_in(client, staff_user.email)
    response = post_form(client, "/admin/", f"/admin/users/{other.id}/two-factor/reset", {})
    assert response.status_code == 403
    db.session.refresh(other)
    assert two_factor.is_enabled(other)


def test_codes_from_the_service_match_an_authenticator_app(app, staff_user, clock) -> None:
    enrol(staff_user, clock)
    uri = two_factor.provisioning_uri(staff_user, staff_user.totp_secret)
    parsed = pyotp.parse_uri(uri)
    assert parsed.issuer == "Karya Binaan" and parsed.name == staff_user.email
    assert parsed.now() == pyotp.TOTP(staff_user.totp_secret).now()


def test_the_page_asked_for_is_reached_after_the_code(client, admin_user, clock) -> None:
    enrol(admin_user, clock)
    client.get("/admin/users")
    token = token_from(text(client.get("/admin/login?next=/admin/users")))
    data = {"csrf_token": token, "email": admin_user.email, "password": PASSWORD}
    first = client.post("/admin/login", query_string={"next": "/admin/users"}, data=data)
    assert first.headers["Location"] == "/admin/login/code"
    assert send_code(client, current_code(admin_user, clock)).headers["Location"] == "/admin/users"
