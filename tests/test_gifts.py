"""Gift orders: a message for the recipient and gift wrap, from checkout to the packing slip."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import Cart, Order, OrderStatus
from shop.services.ordering import gifts
from shop.services.reporting import revenue
from tests.factories import csrf_from, shop_with_stock
from tests.test_cart import add, cart_page
from tests.test_checkout import pay_demo
from tests.test_documents import paid_order, pdf_text, squash

HOSTILE = '<script>alert("x")</script> & <b>bold</b>\r\nLove,\r\n  Aiko'
WRAP = 25_000


@pytest.fixture
def basket(app):
    return shop_with_stock(stock=5)


def gift_checkout(client, *, gift=True, message=HOSTILE, wrap=True, update=False, **extra):
    page = client.get("/checkout").get_data(as_text=True)
    data = {"email": "aiko@example.jp", "country": "JP", "csrf_token": csrf_from(page)}
    if gift:
        data["is_gift"] = "y"
    if wrap:
        data["gift_wrap"] = "y"
    if update:
        data["update"] = "Update total"
    data["gift_message"] = message
    return client.post("/checkout", data=data | extra)


def the_order() -> Order:
    db.session.expire_all()
    return db.session.scalar(select(Order))


def test_a_gift_order_with_message_and_wrap_is_paid_through_the_demo_gateway(
    client, basket, app
) -> None:
    add(client, basket.variants[0].sku, "2")
    redirect = gift_checkout(client)
    assert redirect.status_code == 303
    order = the_order()
    assert order.is_gift and order.gift_wrap_idr == WRAP
    # Kept as typed (plain text), line breaks normalized, never turned into HTML.
    assert order.gift_message == '<script>alert("x")</script> & <b>bold</b>\nLove,\n  Aiko'
    assert (order.subtotal_idr, order.shipping_idr) == (300_000, 350_000)
    assert order.total_idr == 300_000 + 350_000 + WRAP

    demo = client.get(redirect.headers["Location"]).get_data(as_text=True)
    assert "data-gift-wrap" in demo and "675,000" in demo
    done = pay_demo(client, redirect)
    assert the_order().status == OrderStatus.PAID
    for url in (done.headers["Location"], f"/orders/{order.token}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold" in page
        assert "bold&lt;/b&gt;\nLove,\n  Aiko</p>" in page  # printed with its line breaks
        assert "data-gift-wrap" in page

    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")
    ]
    buyer = next(m for m in mails if m["To"] == "aiko@example.jp")
    html = buyer.get_body(("html",)).get_content()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Gift wrap" in html
    text = buyer.get_body(("plain",)).get_content()
    assert "    Love,\n" in text and "Gift wrap: " in text
    staff = next(m for m in mails if m["To"] != "aiko@example.jp")
    staff_text = staff.get_body(("plain",)).get_content()
    # Staff read Indonesian once the catalog has these lines; English until then.
    assert any(
        line in staff_text
        for line in ("GIFT: print the packing slip without prices.", "HADIAH: cetak slip")
    )
    assert "    <script>alert" in staff_text and "\n      Aiko" in staff_text


def test_update_total_shows_the_wrap_in_the_totals_and_places_no_order(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    page = gift_checkout(client, update=True, message="Happy birthday")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "data-gift-wrap" in html and 'value="aiko@example.jp"' in html
    assert "IDR\xa0525,000" in html  # 150,000 + 350,000 shipping to Japan + 25,000 wrap
    assert db.session.scalar(select(Order)) is None
    cart = db.session.scalar(select(Cart))
    assert (cart.is_gift, cart.gift_message, cart.gift_wrap) == (True, "Happy birthday", True)
    assert "data-gift-wrap" in cart_page(client)  # the cart's totals show it too


@pytest.mark.parametrize(
    "message",
    ["x" * (gifts.MAX_MESSAGE_LENGTH + 1), "\n".join("line" for _ in range(20)), "y" * 5000],
)
def test_a_message_too_long_is_refused_and_changes_nothing(client, basket, message) -> None:
    add(client, basket.variants[0].sku, "1")
    response = gift_checkout(client, message=message)
    assert response.status_code == 400
    assert "Your gift message " in response.get_data(as_text=True)
    assert db.session.scalar(select(Order)) is None
    cart = db.session.scalar(select(Cart))
    assert (cart.is_gift, cart.gift_message, cart.gift_wrap) == (False, "", False)


def test_a_message_at_the_limit_with_windows_line_breaks_is_taken(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    message = "\r\n".join(["a" * 29] * 10)  # 290 + 9 breaks: 299 once normalized
    assert gift_checkout(client, message=message, wrap=False).status_code == 303
    order = the_order()
    assert len(order.gift_message) == 299 and order.gift_wrap_idr == 0
    assert order.total_idr == order.subtotal_idr + order.shipping_idr


def test_not_a_gift_drops_the_message_and_the_wrap(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    assert gift_checkout(client, gift=False).status_code == 303
    order = the_order()
    assert (order.is_gift, order.gift_message, order.gift_wrap_idr) == (False, "", 0)


def test_gift_wrap_cannot_be_chosen_when_the_shop_does_not_offer_it(client, basket, app) -> None:
    app.config["GIFT_WRAP_PRICE_IDR"] = 0
    add(client, basket.variants[0].sku, "1")
    assert "gift_wrap" not in client.get("/checkout").get_data(as_text=True)
    assert gift_checkout(client, message="Hi").status_code == 303  # a forged wrap is ignored
    order = the_order()
    assert order.is_gift and order.gift_wrap_idr == 0
    with pytest.raises(gifts.GiftRefused):
        gifts.check(gifts.GiftChoice(True, "Hi", wrap=True), 0)


def test_the_gift_wrap_price_comes_from_the_server(client, basket, app) -> None:
    app.config["GIFT_WRAP_PRICE_IDR"] = 40_000
    add(client, basket.variants[0].sku, "1")
    gift_checkout(client, message="", gift_wrap_idr="1", price="1")
    assert the_order().gift_wrap_idr == 40_000


def test_control_and_bidi_characters_are_dropped_from_the_message() -> None:
    raw = "Hi\x00 there\u202e\u2066!\x1b[31m\r\rBye\t:)\u200d  "
    assert gifts.clean_message(raw) == "Hi there![31m\n\nBye\t:)\u200d"


def test_the_database_refuses_a_total_that_leaves_the_wrap_out(app) -> None:
    variant = shop_with_stock(stock=5).variants[0]
    order = paid_order(variant, "en")
    order.gift_wrap_idr = WRAP
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_packing_slip_prints_the_message_and_no_prices(client, auth, staff_user, app):
    variant = shop_with_stock(stock=5).variants[0]
    order = paid_order(variant, "ja")
    order.is_gift, order.gift_message = True, "お誕生日おめでとう\n<b>Aiko</b>"
    order.gift_wrap_idr, order.total_idr = WRAP, order.total_idr + WRAP
    db.session.commit()
    auth.login(staff_user.email)
    slip = client.get(
        "/admin/orders/documents/packing-slips.pdf", query_string={"order_id": [order.id]}
    )
    text = pdf_text(slip.data)
    assert "お誕生日おめでとう" in squash(text) and "<b>Aiko</b>" in text
    assert "Rp" not in text and "IDR" not in text
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "data-gift-message" in page and "&lt;b&gt;Aiko&lt;/b&gt;" in page
    assert "data-gift-wrap" in page
    assert "data-gift" in client.get("/admin/orders").get_data(as_text=True)  # packers see it


def test_gift_wrap_is_not_a_makers_sale(app) -> None:
    variant = shop_with_stock(stock=5).variants[0]
    order = paid_order(variant, "en")
    order.gift_wrap_idr, order.total_idr = WRAP, order.total_idr + WRAP
    db.session.commit()
    today = datetime.now(UTC).date()
    report = revenue.revenue_split(today, today, ZoneInfo("UTC"))
    assert report.total.sales_idr == order.subtotal_idr


@pytest.fixture
def stripe_client(stripe_app):
    return stripe_app.test_client()


def test_gift_wrap_reaches_stripe_as_its_own_line_and_the_totals_match(
    stripe_client, double
) -> None:
    product = shop_with_stock(stock=5)
    add(stripe_client, product.variants[0].sku, "2")
    response = gift_checkout(stripe_client, message="For you")
    assert response.headers["Location"].startswith("https://checkout.stripe.test/")
    order = the_order()
    assert order.gift_wrap_idr == WRAP
    session_call = next(r for r in double.requests if r.path == "/v1/checkout/sessions")
    items = session_call.nested["line_items"]
    wrap = [i for i in items if i["price_data"]["product_data"]["name"] == "Gift wrap"]
    assert len(wrap) == 1 and wrap[0]["quantity"] == "1"
    assert wrap[0]["price_data"]["unit_amount"] == str(WRAP * 100)  # IDR in hundredths
    (session,) = double.sessions.values()
    assert session["amount_total"] == order.total_idr * 100


def test_the_gift_choice_made_as_a_guest_survives_signing_in(client, basket, app) -> None:
    from shop.models import CartLine
    from shop.services.accounts import customers as accounts
    from tests.test_accounts import PASSWORD, sign_in

    customer = accounts.register("aiko@example.jp", PASSWORD, name="Aiko")
    account_cart = accounts.new_account_cart(customer.id)
    account_cart.lines.append(CartLine(variant_id=basket.variants[0].id, quantity=1))
    db.session.commit()
    add(client, basket.variants[0].sku, "1")
    gift_checkout(client, update=True, message="Happy birthday")
    assert sign_in(client).status_code == 303
    db.session.expire_all()
    merged = db.session.get(Cart, account_cart.id)
    assert (merged.is_gift, merged.gift_message, merged.gift_wrap) == (True, "Happy birthday", True)
