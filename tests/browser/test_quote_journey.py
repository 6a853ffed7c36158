"""An airline requests display models, staff quote, the buyer accepts and pays, staff ship."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, QuoteRequest, QuoteStatus, Role
from shop.services.accounts import staff as users
from tests.browser.axe import assert_no_serious_violations

PASSWORD = "a long enough password"


def _staff(live_app) -> str:
    email = f"quotes-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
    return email


def _request_models(tab, livery: str) -> str:
    """Fill in the quote form from an aircraft page; return the private page's address."""
    tab.goto("/products?category=miniature-aircraft")
    tab.locator("a.card-link").first.click()
    tab.click("text=Request a quote")
    assert tab.input_value("#aircraft_type")  # started from the model's page
    tab.fill("#organisation", "Example Air")
    tab.fill("#contact_name", "Yuki Tanaka")
    tab.fill("#email", "yuki@example-air.com")
    tab.select_option("#country", "JP")
    tab.fill("#livery", livery)
    tab.fill("#scale", "1:100")
    tab.fill("#quantity", "40")
    tab.fill("#wanted_by", (date.today() + timedelta(days=120)).isoformat())
    tab.click("button:has-text('Send the request'), input[value='Send the request']")
    tab.wait_for_selector("[data-quote-status]")
    assert "Request received" in tab.inner_text("[data-quote-status]")
    return tab.url


def _staff_send_quote(tab, staff_email: str, livery: str) -> None:
    tab.goto("/admin/login")
    tab.fill("#email", staff_email)
    tab.fill("#password", PASSWORD)
    tab.click("#submit")
    tab.goto("/admin/quotes?status=new")
    tab.click(f"tr:has-text('{livery}') a")
    tab.fill("#unit_price_idr", "850.000")
    tab.fill("#shipping_idr", "2.500.000")
    tab.fill("#lead_time_days", "45")
    tab.click("button:has-text('Send the quote and email the buyer')")
    tab.wait_for_selector("text=Quote version 1 sent.")


def test_request_quote_accept_pay_and_follow_the_shipment(page, phone, live_app) -> None:
    livery = f"Example Air {uuid.uuid4().hex[:6]}"
    buyer_url = _request_models(phone, livery)
    assert_no_serious_violations(phone, "quote request page on a phone")

    _staff_send_quote(page, _staff(live_app), livery)

    phone.goto(buyer_url)
    assert "IDR" in phone.inner_text("[data-quote-total]")  # 40 × 850,000 + 2,500,000
    assert "36,500,000" in phone.inner_text("[data-quote-total]")
    phone.fill("#company_name", "Example Air Co., Ltd.")
    phone.fill("#delivery_line1", "3-3-2 Haneda Airport")
    phone.fill("#delivery_city", "Tokyo")
    phone.fill("#delivery_postal_code", "144-0041")
    phone.click("button:has-text('Accept this quote')")
    phone.click("button:has-text('Pay now')")
    phone.wait_for_url("**/demo-pay/**")
    phone.fill("#name", "Yuki Tanaka")
    phone.fill("#line1", "3-3-2 Haneda Airport")
    phone.fill("#city", "Tokyo")
    phone.fill("#postal_code", "144-0041")
    phone.click("#pay")
    phone.wait_for_url("**/checkout/done/**")

    with live_app.app_context():
        quote = db.session.scalar(select(QuoteRequest).where(QuoteRequest.livery == livery))
        assert quote.status == QuoteStatus.PAID
        order = db.session.get(Order, quote.order_id)
        assert order.status == OrderStatus.PAID and order.total_idr == 36_500_000
        order_id = order.id

    page.goto(f"/admin/orders/{order_id}")
    page.click("button:has-text('Mark packed')")
    page.fill("#carrier", "DHL Express")
    page.fill("#tracking_number", "JD014600006281")
    page.click("button:has-text('Mark shipped')")

    phone.goto(buyer_url)
    assert "Shipped" in phone.inner_text("[data-quote-status]")
    phone.click("text=shipping and tracking")
    assert "JD014600006281" in phone.inner_text("main")
