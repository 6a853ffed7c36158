"""Customer accounts: registering, confirming, signing in and out, the cart, orders, checkout."""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import g
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from shop.extensions import db
from shop.gateways.mail import MailError
from shop.models import Cart, CartLine, Customer, Order, OrderLine, ProductStatus
from shop.services.accounts import customers as accounts
from shop.services.accounts import passwords
from tests.conftest import PASSWORD
from tests.factories import csrf_from, make_product, shop_with_stock
from tests.order_factories import make_order

EMAIL = "aiko@example.jp"
OTHER = "budi@example.co.id"
NOT_MATCHING = "That email address and password don't match an account."
CHEAP_HASH = "pbkdf2:sha256:1000"


@pytest.fixture(autouse=True)
def fresh_g(app):
    """Start every request with a fresh `g`, as a server does.

    The `app` fixture's app context outlives requests, so Flask-WTF's CSRF token cached in
    `g` would pass from one test client to another.
    """
    app.teardown_request(lambda error: g.pop("csrf_token", None))


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Hash new passwords with few rounds: these tests sign in often, and checking is the same."""
    monkeypatch.setattr(passwords, "HASH_METHOD", CHEAP_HASH)


@pytest.fixture
def basket(app):
    """One product with 5 in stock, and shipping zones."""
    return shop_with_stock(stock=5)


@pytest.fixture
def customer(app) -> Customer:
    """An account for EMAIL with password PASSWORD, not confirmed yet."""
    return accounts.register(EMAIL, PASSWORD, name="Aiko Tanaka")


# --- Helpers: a browser going through the real forms -----------------------------------------


def text(response) -> str:
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def token(client, path: str = "/account/login") -> str:
    """A CSRF token from a page that has a form."""
    return csrf_from(client.get(path).get_data(as_text=True))


def register(client, email: str = EMAIL, password: str = PASSWORD, **fields: str):
    """Post the registration form."""
    data = {
        "email": email,
        "password": password,
        "confirm": password,
        "name": "Aiko Tanaka",
        "organisation": "",
        "csrf_token": token(client, "/account/register"),
    }
    return client.post("/account/register", data=data | fields)


def sign_in(client, email: str = EMAIL, password: str = PASSWORD, next: str | None = None):
    """Post the sign-in form, with `next` in the query string when given."""
    data = {"email": email, "password": password, "csrf_token": token(client)}
    query = {"next": next} if next is not None else None
    return client.post("/account/login", query_string=query, data=data)


def sign_out(client):
    """Press the sign-out button on the account page."""
    return client.post("/account/logout", data={"csrf_token": token(client, "/account")})


def press(client, path: str, page: str = "/account"):
    """Press a one-button form (order again, delete, make default)."""
    return client.post(path, data={"csrf_token": token(client, page)})


def add_to_cart(client, variant, quantity: int = 1):
    """Add pieces of a variant from its product page."""
    page = client.get(f"/products/{variant.product.slug}").get_data(as_text=True)
    data = {"variant": variant.sku, "quantity": str(quantity), "csrf_token": csrf_from(page)}
    return client.post("/cart/add", data=data)


def cart_lines(customer_id: int) -> dict[str, int]:
    """SKU → quantity in the account's cart."""
    db.session.expire_all()
    cart = accounts.account_cart(customer_id)
    return {line.variant.sku: line.quantity for line in cart.lines} if cart else {}


def outbox(app) -> list[EmailMessage]:
    """The mails written to the test outbox, oldest first."""
    paths = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda p: p.stat().st_mtime)
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]


def confirm_path(mail: EmailMessage) -> str:
    """The confirmation link's path in a mail."""
    return re.search(r"/account/confirm/\S+", mail.get_body(("plain",)).get_content()).group(0)


def customer_count() -> int:
    """How many accounts there are."""
    return db.session.scalar(select(func.count(Customer.id)))


# --- Registering and confirming -------------------------------------------------------------


def test_registering_signs_in_and_emails_a_confirmation_link(client, app) -> None:
    response = register(client, "Aiko@Example.JP", organisation="Nippon Air")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    page = text(client.get("/account"))
    assert f"Welcome! We sent a link to {EMAIL}" in page
    assert "Not confirmed yet" in page and "Send the link again" in page
    assert "Nippon Air" in page

    customer = db.session.scalar(select(Customer))
    assert customer.email == EMAIL
    assert PASSWORD not in customer.password_hash
    [mail] = outbox(app)
    assert mail["To"] == EMAIL
    assert "Confirm your email address" in mail["Subject"]
    assert "Hello Aiko Tanaka," in mail.get_body(("plain",)).get_content()


def test_the_confirmation_link_confirms_the_address(client, app) -> None:
    register(client)
    link = confirm_path(outbox(app)[0])
    response = client.get(link)
    assert response.headers["Location"] == "/account"
    page = text(client.get("/account"))
    assert "Thank you: your email address is confirmed." in page
    assert "Confirmed" in page and "Send the link again" not in page
    assert client.get(link).status_code == 303  # opening it again does no harm


def test_the_confirmation_link_asks_for_the_password_in_another_browser(client, app) -> None:
    register(client)
    link = confirm_path(outbox(app)[0])
    elsewhere = app.test_client()
    page = elsewhere.get(link)
    assert page.status_code == 200
    assert "Sign in to confirm your address" in text(page)
    assert "Forgot your password?" in text(page)
    assert db.session.scalar(select(Customer.email_confirmed_at)) is None  # the link alone: no

    response = sign_in(elsewhere, next=link)
    assert response.headers["Location"] == link
    assert elsewhere.get(link).headers["Location"] == "/account"
    assert "your email address is confirmed" in text(elsewhere.get("/account"))
    assert db.session.scalar(select(Customer.email_confirmed_at)) is not None


def test_a_confirmation_link_opened_in_another_accounts_browser_confirms_nothing(
    client, app
) -> None:
    register(client)
    link = confirm_path(outbox(app)[0])
    accounts.register(OTHER, PASSWORD)
    other = app.test_client()
    sign_in(other, OTHER)
    response = other.get(link)
    assert response.status_code == 403
    assert "This link is for another account" in text(response)
    assert db.session.scalars(select(Customer.email_confirmed_at)).all() == [None, None]


def test_registering_still_works_when_the_mail_cannot_be_sent(client, app, monkeypatch) -> None:
    def refuse(message):
        raise MailError("the mail server is away")

    monkeypatch.setattr(app.extensions["mailer"], "send", refuse)
    assert register(client).headers["Location"] == "/account"
    assert "We couldn't send the confirmation email just now" in text(client.get("/account"))
    press(client, "/account/confirm/resend")
    assert "The email could not be sent just now." in text(client.get("/account"))


def test_an_email_that_already_has_an_account_is_refused(client, app, customer) -> None:
    for again in (EMAIL, "AIKO@Example.jp"):
        response = register(client, again)
        assert response.status_code == 422
        assert "This email address already has an account." in text(response)
    assert customer_count() == 1
    assert outbox(app) == []


BAD_REGISTRATIONS = [
    ({"email": "not-an-email"}, "Enter a valid email address, like name@example.com."),
    ({"email": "aiko@"}, "Enter a valid email address, like name@example.com."),
    ({"password": "short", "confirm": "short"}, "Use at least 10 characters."),
    ({"password": "qwertyuiop", "confirm": "qwertyuiop"}, "one of the most common passwords"),
    ({"password": "aiko@example.jp", "confirm": "aiko@example.jp"}, "must not contain your email"),
    ({"confirm": "something else entirely"}, "The two passwords are not the same."),
    ({"name": ""}, "Enter your name."),
]


def test_bad_registration_fields_get_a_message_and_open_nothing(client, app) -> None:
    for fields, message in BAD_REGISTRATIONS:
        response = register(client, **fields)
        assert response.status_code == 422, fields
        assert message in text(response), fields
    assert customer_count() == 0
    assert outbox(app) == []
    assert client.get("/account").status_code == 302  # not signed in


def test_registering_without_a_csrf_token_is_refused(client, app) -> None:
    data = {"email": EMAIL, "password": PASSWORD, "confirm": PASSWORD, "name": "Aiko"}
    response = client.post("/account/register", data=data)
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert customer_count() == 0


def test_the_service_checks_email_and_password_again(app, customer) -> None:
    with pytest.raises(accounts.InvalidEmail):
        accounts.register("name@", PASSWORD)
    with pytest.raises(accounts.PasswordRejected):
        accounts.register("new@example.com", "123456789")
    with pytest.raises(accounts.PasswordRejected, match="common"):
        accounts.register("new@example.com", "1234567890")
    with pytest.raises(accounts.DuplicateEmail):
        accounts.register("AIKO@EXAMPLE.JP", PASSWORD)
    assert customer_count() == 1


def test_the_eleventh_registration_within_an_hour_is_refused(client) -> None:
    for _ in range(10):
        assert register(client, "not-an-email").status_code == 422
    response = register(client, "late@example.com")
    assert response.status_code == 429
    assert "Too many new accounts" in text(response)
    assert customer_count() == 0


def test_a_tampered_confirmation_link_gives_a_clear_400(client, app) -> None:
    register(client)
    link = confirm_path(outbox(app)[0])
    for bad in (link[:-3] + "xyz", "/account/confirm/garbage", "/account/confirm/" + "a" * 600):
        response = client.get(bad)
        assert response.status_code == 400
        assert "This link doesn't work" in text(response)
    assert db.session.scalar(select(Customer.email_confirmed_at)) is None


def test_a_link_signed_with_another_key_does_not_confirm(client, customer) -> None:
    forged = accounts.confirmation_token(customer, "not-the-shop-secret")
    assert client.get(f"/account/confirm/{forged}").status_code == 400
    assert customer.email_confirmed_at is None


def test_an_expired_confirmation_link_gives_a_clear_400(client, customer, monkeypatch) -> None:
    now = TimestampSigner.get_timestamp
    with monkeypatch.context() as patch:  # a link mailed four days ago
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: now(self) - 4 * 86_400)
        old = accounts.confirmation_token(customer, "test-secret")
    response = client.get(f"/account/confirm/{old}")
    assert response.status_code == 400
    page = text(response)
    assert "This link has expired" in page and "more than 3 days old" in page
    db.session.expire_all()
    assert customer.email_confirmed_at is None


def test_asking_again_sends_a_new_link_a_few_times_an_hour(client, app) -> None:
    register(client)
    for sent in (2, 3, 4):
        response = press(client, "/account/confirm/resend")
        assert response.headers["Location"] == "/account"
        assert f"We sent a new link to {EMAIL}." in text(client.get("/account"))
        assert len(outbox(app)) == sent
    response = press(client, "/account/confirm/resend")
    assert response.headers["Location"] == "/account"
    assert "We sent the link a short while ago." in text(client.get("/account"))
    assert len(outbox(app)) == 4

    assert client.get(confirm_path(outbox(app)[-1])).status_code == 303  # the newest link works
    assert db.session.scalar(select(Customer.email_confirmed_at)) is not None


def test_asking_again_once_confirmed_sends_nothing(client, app) -> None:
    register(client)
    client.get(confirm_path(outbox(app)[0]))
    press(client, "/account/confirm/resend")
    assert "Your email address is already confirmed." in text(client.get("/account"))
    assert len(outbox(app)) == 1


# --- Signing in and out ---------------------------------------------------------------------


def test_sign_in_reach_the_account_and_sign_out(client, customer) -> None:
    assert client.get("/account").headers["Location"] == "/account/login?next=/account"
    response = sign_in(client, "  AIKO@example.jp ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    response = client.get("/account")
    assert response.headers["Cache-Control"] == "no-store"
    assert "You are signed in." in text(response) and EMAIL in text(response)
    db.session.refresh(customer)
    assert customer.last_login_at is not None

    assert client.get("/account/login").headers["Location"] == "/account"
    assert client.get("/account/register").headers["Location"] == "/account"

    response = sign_out(client)
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, customer) -> None:
    for response in (sign_in(client, password="not the password"), sign_in(client, OTHER)):
        assert response.status_code == 200
        assert NOT_MATCHING in text(response)
    assert client.get("/account").status_code == 302


def test_sign_in_and_sign_out_need_their_csrf_token(client, customer) -> None:
    response = client.post("/account/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302
    sign_in(client)
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_next_brings_the_customer_back_to_the_page_they_asked_for(client, customer) -> None:
    first = client.get("/account/addresses?x=1")
    assert first.headers["Location"] == "/account/login?next=/account/addresses?x%3D1"
    response = sign_in(client, next="/account/addresses?x=1")
    assert response.headers["Location"] == "/account/addresses?x=1"


def test_next_never_leads_off_the_site(client, customer) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example",
                   "/\t/evil.example", "javascript:alert(1)", "cart"):  # fmt: skip
        response = sign_in(client, next=target)
        assert response.status_code == 303
        assert response.headers["Location"] == "/account", target
        sign_out(client)


def test_sixth_failed_sign_in_within_a_minute_gets_a_friendly_429(client, customer) -> None:
    for _ in range(5):
        assert sign_in(client, password="wrong password!").status_code == 200
    response = sign_in(client)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in text(response)
    assert client.get("/account").status_code == 302
    assert client.get("/account/login").status_code == 200  # the form itself still shows


def test_deactivated_account_cannot_sign_in_and_is_signed_out_at_once(client, customer) -> None:
    sign_in(client)
    customer.is_active = False
    db.session.commit()
    assert client.get("/account").status_code == 302
    assert NOT_MATCHING in text(sign_in(client))


def test_sessions_end_when_the_session_version_changes(client, customer) -> None:
    sign_in(client)
    customer.session_version += 1  # what a password change does
    db.session.commit()
    assert client.get("/account").headers["Location"].startswith("/account/login")


def test_a_customer_is_not_staff(client, customer) -> None:
    sign_in(client)
    assert client.get("/admin/").headers["Location"].startswith("/admin/login")


# --- The cart -------------------------------------------------------------------------------


def test_the_guest_cart_is_added_to_the_account_cart_on_sign_in(client, app, basket, customer):
    bowl = make_product("Teak bowl", category=basket.category, workshop=basket.workshop, stock=9)
    db.session.commit()
    rattan, teak = basket.variants[0], bowl.variants[0]
    sign_in(client)
    add_to_cart(client, rattan, 2)
    sign_out(client)
    assert "Your cart is empty" in text(client.get("/cart"))

    add_to_cart(client, rattan, 1)
    add_to_cart(client, teak, 4)
    sign_in(client)
    assert cart_lines(customer.id) == {rattan.sku: 3, teak.sku: 4}
    assert db.session.scalar(select(func.count(Cart.id))) == 1  # the guest cart is gone
    page = text(client.get("/cart"))
    assert "Rattan basket" in page and "Teak bowl" in page


def test_merged_quantities_are_lowered_to_what_one_order_may_hold(client, basket, customer):
    variant = basket.variants[0]  # 5 in stock
    sign_in(client)
    add_to_cart(client, variant, 4)
    sign_out(client)
    add_to_cart(client, variant, 3)
    sign_in(client)
    assert cart_lines(customer.id) == {variant.sku: 5}
    assert "Some quantities were lowered" in text(client.get("/account"))


def test_a_guest_cart_becomes_the_account_cart_when_there_is_none(client, basket, customer):
    add_to_cart(client, basket.variants[0], 2)
    guest = db.session.scalar(select(Cart))
    sign_in(client)
    assert cart_lines(customer.id) == {basket.variants[0].sku: 2}
    assert accounts.account_cart(customer.id).id == guest.id


def test_registering_keeps_the_guest_cart(client, basket) -> None:
    add_to_cart(client, basket.variants[0], 2)
    register(client)
    customer = db.session.scalar(select(Customer))
    assert cart_lines(customer.id) == {basket.variants[0].sku: 2}
    assert "Rattan basket" in text(client.get("/cart"))


def test_the_account_cart_follows_the_customer_to_another_device(client, app, basket, customer):
    variant = basket.variants[0]
    sign_in(client)
    add_to_cart(client, variant, 2)

    phone = app.test_client()
    sign_in(phone)
    assert "Rattan basket" in text(phone.get("/cart"))
    add_to_cart(phone, variant, 1)
    assert cart_lines(customer.id) == {variant.sku: 3}
    assert 'aria-label="3 items"' in client.get("/cart").get_data(as_text=True)


def test_another_visitor_holding_the_account_carts_token_does_not_get_it(
    client, app, basket, customer
):
    variant = basket.variants[0]
    sign_in(client)
    add_to_cart(client, variant, 2)
    stolen = accounts.account_cart(customer.id).token

    assert 'class="cart-count"' in text(client.get("/"))  # the owner's header counts it

    stranger = app.test_client()
    with stranger.session_transaction() as session:
        session["cart"] = stolen
    assert 'class="cart-count"' not in text(stranger.get("/"))  # nor even how many pieces
    assert "Your cart is empty" in text(stranger.get("/cart"))
    add_to_cart(stranger, variant, 1)  # goes into a cart of the stranger's own
    assert cart_lines(customer.id) == {variant.sku: 2}

    # Nor does another customer who signs in with that token in their session.
    accounts.register(OTHER, PASSWORD)
    with stranger.session_transaction() as session:
        session["cart"] = stolen
    sign_in(stranger, OTHER)
    other = db.session.scalar(select(Customer).where(Customer.email == OTHER))
    assert cart_lines(customer.id) == {variant.sku: 2}
    assert accounts.account_cart(other.id) is None or cart_lines(other.id) == {}
    assert "Your cart is empty" in text(stranger.get("/cart"))


def test_signing_out_leaves_the_cart_with_the_account(client, basket, customer) -> None:
    sign_in(client)
    add_to_cart(client, basket.variants[0], 2)
    sign_out(client)
    assert "Your cart is empty" in text(client.get("/cart"))
    sign_in(client)
    assert "Rattan basket" in text(client.get("/cart"))


# --- Orders ---------------------------------------------------------------------------------


def order_for(owner: Customer | None, *variants, email: str = EMAIL, quantity: int = 2) -> Order:
    """An order of `quantity` pieces of each variant, placed by the account (or a guest)."""
    first, *rest = variants
    order = make_order(first, quantity=quantity, email=email)
    for variant in rest:
        order.lines.append(
            OrderLine(variant_id=variant.id, product_name=variant.product.name,
                      option_label=variant.option_label, sku=variant.sku,
                      unit_price_idr=variant.price_idr, quantity=quantity,
                      reserved_quantity=quantity, weight_g=variant.weight_g,
                      maker_share_pct=variant.product.maker_share_pct)
        )  # fmt: skip
    order.customer_id = owner.id if owner else None
    db.session.commit()
    return order


def test_the_account_lists_only_the_customers_own_orders(client, basket, customer) -> None:
    variant = basket.variants[0]
    other = accounts.register(OTHER, PASSWORD)
    mine = order_for(customer, variant, quantity=1)
    theirs = order_for(other, variant, email=OTHER, quantity=1)
    as_guest = order_for(None, variant, email="Aiko@Example.jp", quantity=1)
    sign_in(client)
    page = text(client.get("/account"))
    assert mine.number in page
    assert theirs.number not in page
    assert as_guest.number not in page  # until the address is confirmed

    customer.email_confirmed_at = customer.created_at
    db.session.commit()
    page = text(client.get("/account"))
    assert mine.number in page and as_guest.number in page
    assert theirs.number not in page


def test_another_customers_order_cannot_be_ordered_again(client, basket, customer) -> None:
    other = accounts.register(OTHER, PASSWORD)
    theirs = order_for(other, basket.variants[0], email=OTHER, quantity=1)
    sign_in(client)
    for order_id in (theirs.id, theirs.id + 1000, 2**40):
        assert press(client, f"/account/orders/{order_id}/reorder").status_code == 404
    assert cart_lines(customer.id) == {}
    with pytest.raises(accounts.OrderNotFound):
        accounts.reorder(customer, theirs.id, accounts.new_account_cart(customer.id))


def test_ordering_again_adds_what_is_on_sale_and_names_what_is_not(client, basket, customer):
    bowl = make_product("Teak bowl", category=basket.category, workshop=basket.workshop, stock=9)
    db.session.commit()
    rattan, teak = basket.variants[0], bowl.variants[0]
    order = order_for(customer, rattan, teak, quantity=2)
    bowl.status = ProductStatus.ARCHIVED
    db.session.commit()

    sign_in(client)
    response = press(client, f"/account/orders/{order.id}/reorder")
    assert response.headers["Location"] == "/cart"
    page = text(client.get("/cart"))
    assert "Added to your cart: Rattan basket — Size 1." in page
    assert "no longer on sale or out of stock, so it was not added: Teak bowl — Size 1." in page
    assert cart_lines(customer.id) == {rattan.sku: 2}


def test_ordering_again_adds_no_more_than_the_stock(client, basket, customer) -> None:
    variant = basket.variants[0]
    order = order_for(customer, variant, quantity=4)  # leaves 1 in stock
    sign_in(client)
    press(client, f"/account/orders/{order.id}/reorder")
    page = text(client.get("/cart"))
    assert "Fewer pieces than last time were added of Rattan basket — Size 1" in page
    assert cart_lines(customer.id) == {variant.sku: 1}


def test_ordering_again_needs_the_button_with_its_token(client, basket, customer) -> None:
    order = order_for(customer, basket.variants[0], quantity=1)
    sign_in(client)
    assert client.post(f"/account/orders/{order.id}/reorder").status_code == 400
    assert cart_lines(customer.id) == {}


# --- Checkout -------------------------------------------------------------------------------


def test_checkout_starts_from_the_account_and_the_order_joins_it(client, basket, customer):
    from shop.services.accounts import addresses

    details = addresses.AddressDetails(name="Aiko", line1="1-2-3 Jingumae", city="Tokyo",
                                       country="JP")  # fmt: skip
    addresses.add_address(customer, details)
    sign_in(client)
    add_to_cart(client, basket.variants[0], 1)
    form = client.get("/checkout").get_data(as_text=True)
    assert re.search(rf'name="email"[^>]*value="{re.escape(EMAIL)}"', form)
    assert re.search(r'<option selected value="JP">', form)

    data = {"email": EMAIL, "country": "JP", "csrf_token": csrf_from(form)}
    assert client.post("/checkout", data=data).status_code == 303
    order = db.session.scalar(select(Order))
    assert order.customer_id == customer.id
    assert order.number in text(client.get("/account"))


def test_a_guest_checkout_form_starts_empty(client, basket, customer) -> None:
    add_to_cart(client, basket.variants[0], 1)
    form = client.get("/checkout").get_data(as_text=True)
    assert EMAIL not in form
    data = {"email": EMAIL, "country": "JP", "csrf_token": csrf_from(form)}
    client.post("/checkout", data=data)
    assert db.session.scalar(select(Order.customer_id)) is None
    assert db.session.scalar(select(func.count(CartLine.id))) == 1
