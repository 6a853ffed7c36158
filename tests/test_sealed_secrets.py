"""Staff TOTP secrets are sealed at rest: a copy of the database does not give away codes."""

from __future__ import annotations

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import text as sql

from shop import create_app
from shop.extensions import db
from shop.models import User
from shop.sealed import UNREADABLE
from shop.services.accounts import two_factor
from tests.conftest import _test_config
from tests.databases import empty_database
from tests.staff_security_helpers import (
    Clock,
    current_code,
    enrol,
    pin_clock,
    send_code,
    sign_in,
    start_requests_afresh,
    text,
)

WRONG_CODE = "That code isn&#39;t right, or it was used already."


@pytest.fixture(autouse=True)
def requests_start_afresh(app, auth) -> None:
    start_requests_afresh(app)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return pin_clock(monkeypatch)


def stored_secret(user: User) -> str:
    """What a database dump holds for the account's secret."""
    return db.session.execute(
        sql("SELECT totp_secret FROM user_account WHERE id = :id"), {"id": user.id}
    ).scalar_one()


def test_the_database_holds_no_usable_secret_yet_codes_work(client, staff_user, clock) -> None:
    enrol(staff_user, clock)
    db.session.refresh(staff_user)
    secret = staff_user.totp_secret
    stored = stored_secret(staff_user)
    assert secret and secret not in stored and len(stored) > 100
    with pytest.raises(Exception):  # noqa: B017 — any failure: the dump is not a TOTP key
        pyotp.TOTP(stored).now()
    sign_in(client, staff_user.email)
    assert send_code(client, current_code(staff_user, clock)).headers["Location"] == "/admin/"


def test_a_rotated_secret_key_listed_as_fallback_still_opens_secrets(
    app, client, staff_user, clock
) -> None:
    enrol(staff_user, clock)
    code = current_code(staff_user, clock)
    old = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="a-new-key-for-this-test-" + "x" * 40, SECRET_KEY_FALLBACKS=[old])
    sign_in(client, staff_user.email)
    assert send_code(client, code).headers["Location"] == "/admin/"


def test_without_the_key_two_factor_stays_on_and_only_recovery_codes_work(
    app, client, staff_user, clock
) -> None:
    codes = enrol(staff_user, clock)
    code = current_code(staff_user, clock)
    app.config.update(SECRET_KEY="another-key-entirely-" + "y" * 40, SECRET_KEY_FALLBACKS=[])
    db.session.expire_all()
    assert staff_user.totp_secret == UNREADABLE
    assert two_factor.is_enabled(staff_user)  # fails closed: not treated as switched off
    sign_in(client, staff_user.email)
    assert WRONG_CODE in text(send_code(client, code))
    assert client.get("/admin/").status_code == 302
    assert send_code(client, codes[0]).headers["Location"] == "/admin/"


def test_the_migration_seals_secrets_stored_before_it(tmp_path) -> None:
    with empty_database(tmp_path, "kb_seal") as url:
        app = create_app(_test_config(tmp_path, url))
        with app.app_context():
            upgrade(revision="0012")
            db.session.execute(
                sql(
                    "INSERT INTO user_account (email, name, password_hash, role, is_active,"
                    " created_at, session_version, totp_secret) VALUES ('a@example.com', 'A',"
                    " 'x', 'admin', true, CURRENT_TIMESTAMP, 1, 'JBSWY3DPEHPK3PXP')"
                )
            )
            db.session.commit()
            upgrade()
            user = db.session.scalars(db.select(User)).one()
            assert user.totp_secret == "JBSWY3DPEHPK3PXP"
            assert "JBSWY3DPEHPK3PXP" not in stored_secret(user)
            db.session.remove()
            db.engine.dispose()


def test_reseal_after_rotation_lets_the_old_key_go(app, staff_user, clock) -> None:
    enrol(staff_user, clock)
    old = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="rotated-key-" + "z" * 40, SECRET_KEY_FALLBACKS=[old])
    result = app.test_cli_runner().invoke(args=["reseal-secrets"])
    assert result.exit_code == 0 and "sealed under the current key: 1" in result.output
    app.config.update(SECRET_KEY_FALLBACKS=[])
    db.session.expire_all()
    assert staff_user.totp_secret not in (None, UNREADABLE)
    assert two_factor.is_enabled(staff_user)
