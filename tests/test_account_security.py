"""Buyers' sessions end when they should; passwords are reset by a one-time link and changed;
an account opened with someone else's address never shows that person's orders."""

from __future__ import annotations

import re

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from shop.extensions import db
from shop.models import Customer
from shop.services.accounts import customers as accounts
from shop.services.accounts import passwords, recovery
from tests.conftest import PASSWORD
from tests.factories import csrf_from, shop_with_stock
from tests.order_factories import make_order
from tests.test_accounts import (  # noqa: F401 - fresh_g and quick_hashes are autouse fixtures
    CHEAP_HASH,
    EMAIL,
    NOT_MATCHING,
    OTHER,
    confirm_path,
    fresh_g,
    outbox,
    quick_hashes,
    register,
    sign_in,
    sign_out,
    text,
    token,
)

NEW_PASSWORD = "batik kites over bromo"
SAME_ANSWER = "If an account exists for that address, we've sent a link"


@pytest.fixture
def customer(app) -> Customer:
    """An account for EMAIL with password PASSWORD, not confirmed yet."""
    return accounts.register(EMAIL, PASSWORD, name="Aiko Tanaka")


def signed_in(client) -> bool:
    """Whether the account page opens (rather than sending to the sign-in page)."""
    return client.get("/account").status_code == 200


def session_cookie(client, app) -> str:
    """The value of the client's session cookie."""
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def copy_session(source, target, app) -> None:
    """Give `target` the very cookie `source` has, as a thief would."""
    target.set_cookie(app.config["SESSION_COOKIE_NAME"], session_cookie(source, app))


def ask_for_reset(client, email: str = EMAIL):
    """Post the "forgot your password" form."""
    data = {"email": email, "csrf_token": token(client, "/account/password/forgot")}
    return client.post("/account/password/forgot", data=data)


def reset_mails(app) -> list:
    """The password reset mails in the outbox, oldest first."""
    return [mail for mail in outbox(app) if "new password" in mail["Subject"]]


def assert_told_of_the_change(app, subject: str = "Your Karya Binaan password was changed"):
    """The account got a "your password was changed" mail with the way back."""
    [mail] = [m for m in outbox(app) if m["Subject"] == subject]
    assert mail["To"] == EMAIL
    body = mail.get_body(("plain",)).get_content()
    assert "If it wasn't you" in body and "/account/password/forgot" in body
    return mail


def reset_path(mail) -> str:
    """The reset link's path in a mail."""
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"/account/password/reset/\S+", body).group(0)


def choose(client, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    """Post the new password (twice) on a reset page."""
    # The session's CSRF token, from a page that always has a form (a dead link's page has none).
    csrf = token(client, "/account/password/forgot")
    data = {"password": password, "confirm": again or password, "csrf_token": csrf}
    return client.post(path, data=data)


def change(client, current: str, new: str, again: str | None = None):
    """Post the change-password form."""
    data = {"current": current, "password": new, "confirm": again or new,
            "csrf_token": token(client, "/account/security")}  # fmt: skip
    return client.post("/account/security/password", data=data)


def stored_hash() -> str:
    """The account's password hash as the database has it now."""
    db.session.expire_all()
    return db.session.scalar(select(Customer.password_hash).where(Customer.email == EMAIL))


# --- Sessions that end ----------------------------------------------------------------------


def test_a_copied_cookie_stops_working_when_the_owner_signs_out(client, app, customer) -> None:
    sign_in(client)
    thief = app.test_client()
    copy_session(client, thief, app)
    assert signed_in(thief)  # the copy works while the owner is signed in...
    sign_out(client)
    assert not signed_in(client)
    assert not signed_in(thief)  # ...and not a moment after


def test_sign_out_everywhere_ends_every_session(client, app, customer) -> None:
    sign_in(client)
    phone = app.test_client()
    sign_in(phone)
    page = text(client.get("/account/security"))
    assert "Sign out everywhere" in page
    data = {"csrf_token": token(client, "/account/security")}
    response = client.post("/account/security/sign-out-everywhere", data=data)
    assert response.headers["Location"] == "/account/login"
    assert "You are signed out on every device." in text(client.get("/account/login"))
    assert not signed_in(client) and not signed_in(phone)


def test_sign_out_everywhere_needs_its_token(client, customer) -> None:
    sign_in(client)
    assert client.post("/account/security/sign-out-everywhere").status_code == 400
    assert signed_in(client)


def test_signing_in_starts_a_fresh_session_keeping_the_guest_cart(client, app, customer):
    basket = shop_with_stock(stock=5)
    page = client.get(f"/products/{basket.variants[0].product.slug}").get_data(as_text=True)
    add = {"variant": basket.variants[0].sku, "quantity": "2", "csrf_token": csrf_from(page)}
    client.post("/cart/add", data=add)
    with client.session_transaction() as session:
        session["planted"] = "left by someone else"
    before = token(client)
    sign_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["cart"] and session["customer"][0] == customer.id
    assert "Rattan basket" in text(client.get("/cart"))
    # The CSRF token from before signing in is worthless now.
    assert client.post("/account/logout", data={"csrf_token": before}).status_code == 400
    assert signed_in(client)


def test_signing_in_rehashes_an_outdated_password_hash(client, customer) -> None:
    customer.password_hash = generate_password_hash(PASSWORD, "pbkdf2:sha256:600")
    db.session.commit()
    sign_in(client)
    assert signed_in(client)
    assert stored_hash().startswith(CHEAP_HASH + "$")
    sign_out(client)
    assert sign_in(client).status_code == 303  # the new hash checks the same password


# --- Forgot your password -------------------------------------------------------------------


def test_the_reset_form_answers_the_same_for_any_address(client, app, customer) -> None:
    assert "Forgot your password?" in text(client.get("/account/login"))
    answers = []
    for address in (EMAIL, "nobody@example.com"):
        response = ask_for_reset(client, address)
        assert response.headers["Location"] == "/account/login"
        answers.append(text(client.get("/account/login")))
    assert SAME_ANSWER in answers[0] and SAME_ANSWER in answers[1]
    [mail] = outbox(app)
    assert mail["To"] == EMAIL
    assert mail["Subject"] == "Choose a new password for Karya Binaan"
    assert "works once, for 60 minutes." in mail.get_body(("plain",)).get_content()
    assert reset_path(mail) in mail.get_body(("html",)).get_content()


def test_a_deactivated_account_gets_no_reset_link(client, app, customer) -> None:
    customer.is_active = False
    db.session.commit()
    ask_for_reset(client)
    assert SAME_ANSWER in text(client.get("/account/login"))
    assert outbox(app) == []


def test_the_reset_mail_is_in_the_buyers_language(client, app, customer) -> None:
    client.set_cookie("lang", "ja")
    ask_for_reset(client)
    [mail] = outbox(app)
    assert '<html lang="ja">' in mail.get_body(("html",)).get_content()


def test_a_reset_link_sets_a_new_password_signs_in_and_ends_other_sessions(
    client, app, customer
) -> None:
    laptop = app.test_client()
    sign_in(laptop)
    ask_for_reset(client)
    path = reset_path(outbox(app)[0])
    page = client.get(path)
    assert page.status_code == 200 and "Choose a new password" in text(page)

    response = choose(client, path)
    assert response.headers["Location"] == "/account"
    assert "Your new password is saved, and you are signed in." in text(client.get("/account"))
    assert not signed_in(laptop)
    assert_told_of_the_change(app)
    sign_out(client)
    assert NOT_MATCHING in text(sign_in(client))
    assert sign_in(client, password=NEW_PASSWORD).status_code == 303


def test_a_reset_link_works_only_once(client, app, customer) -> None:
    ask_for_reset(client)
    path = reset_path(outbox(app)[0])
    choose(client, path)
    changed = stored_hash()
    again = app.test_client()
    for response in (again.get(path), choose(again, path, "another good pass phrase")):
        assert response.status_code == 400
        assert "This link doesn't work" in text(response)
        assert "Ask for a new link" in text(response)
    assert stored_hash() == changed
    assert not signed_in(again)


def test_a_reset_link_dies_when_the_password_changes_otherwise(client, app, customer) -> None:
    ask_for_reset(client)
    path = reset_path(outbox(app)[0])
    sign_in(client)
    assert change(client, PASSWORD, NEW_PASSWORD).status_code == 303
    assert client.get(path).status_code == 400


def test_an_expired_reset_link_changes_nothing(client, app, customer, monkeypatch) -> None:
    now = TimestampSigner.get_timestamp
    with monkeypatch.context() as patch:  # a link mailed 61 minutes ago
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: now(self) - 61 * 60)
        old = recovery.reset_token(customer, "test-secret")
    before = stored_hash()
    for response in (client.get(f"/account/password/reset/{old}"),
                     choose(client, f"/account/password/reset/{old}")):  # fmt: skip
        assert response.status_code == 400
        assert "This link has expired" in text(response)
        assert "works for one hour" in text(response)
    assert stored_hash() == before
    assert not signed_in(client)


def test_forged_and_broken_reset_links_change_nothing(client, app, customer) -> None:
    forged = recovery.reset_token(customer, "not-the-shop-secret")
    genuine = recovery.reset_token(customer, "test-secret")
    before = stored_hash()
    for bad in (forged, genuine[:-3] + "xyz", "garbage", "a" * 600):
        response = choose(client, f"/account/password/reset/{bad}")
        assert response.status_code == 400, bad
        assert "This link doesn't work" in text(response)
    assert stored_hash() == before
    assert not signed_in(client)


def test_a_too_common_new_password_is_refused_and_the_link_still_works(
    client, app, customer
) -> None:
    ask_for_reset(client)
    path = reset_path(outbox(app)[0])
    before = stored_hash()
    response = choose(client, path, "password123")
    assert response.status_code == 422
    assert "This is one of the most common passwords" in text(response)
    response = choose(client, path, NEW_PASSWORD, again="something else entirely")
    assert response.status_code == 422
    assert "The two passwords are not the same." in text(response)
    assert stored_hash() == before and not signed_in(client)
    assert choose(client, path).status_code == 303


def test_reset_links_are_limited_per_address(client, app, customer) -> None:
    for _ in range(3):
        assert ask_for_reset(client, "Aiko@Example.jp").status_code == 303
    response = ask_for_reset(client)
    assert response.status_code == 429
    assert "Too many links asked for" in text(response)
    assert len(outbox(app)) == 3
    assert ask_for_reset(client, OTHER).status_code == 303  # another address is not held up


def test_a_bad_address_in_the_reset_form_gets_a_message(client, app) -> None:
    response = ask_for_reset(client, "not-an-email")
    assert response.status_code == 422
    assert "Enter a valid email address" in text(response)
    assert outbox(app) == []


# --- Changing the password ------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, app, customer):
    sign_in(client)
    phone = app.test_client()
    sign_in(phone)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.headers["Location"] == "/account/security"
    assert "Your password is changed." in text(client.get("/account/security"))
    assert signed_in(client) and not signed_in(phone)
    assert_told_of_the_change(app)
    assert NOT_MATCHING in text(sign_in(phone))
    assert sign_in(phone, password=NEW_PASSWORD).status_code == 303


BAD_CHANGES = [
    ("not my password at all", NEW_PASSWORD, None, "That is not your current password."),
    (PASSWORD, "hunter2hunter2", None, "too easy to guess"),
    (PASSWORD, "qwertyuiop", None, "one of the most common passwords"),
    (PASSWORD, "short", None, "Use at least 10 characters."),
    (PASSWORD, NEW_PASSWORD, "a different one!", "The two passwords are not the same."),
    (PASSWORD, "x" * 257, None, "Use at most 256 characters."),
]


def test_bad_password_changes_get_a_message_and_change_nothing(client, customer) -> None:
    sign_in(client)
    before = stored_hash()
    for current, new, again, message in BAD_CHANGES:
        response = change(client, current, new, again)
        assert response.status_code == 422, message
        assert message in text(response), message
    assert stored_hash() == before and signed_in(client)


# --- An account opened with someone else's address ------------------------------------------


VICTIM = "victim@example.com"


def test_a_stranger_who_registers_your_address_never_sees_your_orders(client, app) -> None:
    from tests.test_admin_quotes import make_quote

    basket = shop_with_stock(stock=5)
    order = make_order(basket.variants[0], quantity=1, email=VICTIM)
    quote = make_quote(app, email=VICTIM)

    stranger = client
    register(stranger, VICTIM, password="stranger's own secret")
    victim = app.test_client()
    link = confirm_path(outbox(app)[0])
    page = text(victim.get(link))  # the mailbox owner opens the link
    assert "Sign in to confirm your address" in page
    assert victim.get(link).status_code == 200  # again: still nothing joined

    for path in ("/account", "/account?page=2"):
        shown = text(stranger.get(path))
        assert order.number not in shown and quote.number not in shown
    assert order.token not in stranger.get("/account").get_data(as_text=True)
    data = {"csrf_token": token(stranger, "/account")}
    assert stranger.post(f"/account/orders/{order.id}/reorder", data=data).status_code == 404

    # The mailbox owner takes the account over with a reset link: the stranger is out.
    ask_for_reset(victim, VICTIM)
    choose(victim, reset_path(reset_mails(app)[-1]))
    shown = text(victim.get("/account"))
    assert order.number in shown and quote.number in shown
    assert not signed_in(stranger)
    assert NOT_MATCHING in text(sign_in(stranger, VICTIM, "stranger's own secret"))


def test_the_confirmation_mail_says_what_confirming_joins(client, app) -> None:
    register(client)
    body = outbox(app)[0].get_body(("plain",)).get_content()
    assert "orders and quote requests placed with this address" in body
    assert "nothing is joined without the account's password" in body


def test_confirming_in_the_registering_browser_joins_the_guest_orders(client, app) -> None:
    basket = shop_with_stock(stock=5)
    order = make_order(basket.variants[0], quantity=1, email=EMAIL)
    register(client)
    assert order.number not in text(client.get("/account"))
    client.get(confirm_path(outbox(app)[0]))
    assert order.number in text(client.get("/account"))


def test_a_confirmation_link_signs_nobody_in(client, app) -> None:
    register(client)
    link = confirm_path(outbox(app)[0])
    other = app.test_client()
    other.get(link)
    assert not signed_in(other)


def test_a_reset_link_sent_twice_at_once_sets_one_password(app, customer) -> None:
    from sqlalchemy.orm.attributes import set_committed_value

    read_before = customer.password_hash  # both requests read the account before either saved
    recovery.reset_password(customer, NEW_PASSWORD)
    saved = stored_hash()
    set_committed_value(customer, "password_hash", read_before)  # the slower request's view
    with pytest.raises(accounts.InvalidToken):
        recovery.reset_password(customer, "the slower request's pass phrase")
    assert stored_hash() == saved
    assert passwords.verify_password(saved, NEW_PASSWORD)


def test_the_password_changed_mail_is_in_the_buyers_language(client, app, customer) -> None:
    client.set_cookie("lang", "ja")
    sign_in(client)
    change(client, PASSWORD, NEW_PASSWORD)
    [mail] = [m for m in outbox(app) if '<html lang="ja">' in m.get_body(("html",)).get_content()]
    assert (
        mail["To"] == EMAIL
        and "/account/password/forgot" in mail.get_body(("plain",)).get_content()
    )
