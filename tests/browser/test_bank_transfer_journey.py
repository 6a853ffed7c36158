"""An airline in Japan or Korea accepts a quote above the card limit and pays it by bank
transfer in two parts; staff record both, the order turns paid and the packing slip prints."""

from __future__ import annotations

import email
import email.policy
import io
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, QuoteRequest, Role
from shop.services.accounts import staff as users
from shop.services.clock import shop_today
from shop.services.quotes import offers
from shop.services.quotes import requests as quotes
from shop.services.quotes.offers import OfferDetails
from shop.services.quotes.requests import RequestDetails

PASSWORD = "a long enough password"
# 120 models at Rp2.500.000 and Rp4.000.000 shipping: above the Rp250.000.000 card limit.
TOTAL = 2_500_000 * 120 + 4_000_000
WORDS = {
    "ja": {"accept": "このお見積もりを承諾する", "due": "お支払い残高", "subject": "銀行振込"},
    "ko": {"accept": "이 견적 수락하기", "due": "남은 결제 금액", "subject": "계좌 이체"},
}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def answered_quote(live_app, locale: str) -> tuple[str, str]:
    """A request in the buyer's language, answered by staff; its token and staff's email."""
    staff = f"bank-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(staff, PASSWORD, role=Role.STAFF)
        details = RequestDetails(
            organisation="Japan Example Airlines" if locale == "ja" else "Korea Example Air",
            contact_name="山田 花子" if locale == "ja" else "김민지",
            email=f"buyer-{uuid.uuid4().hex[:6]}@example.com", phone="",
            country="JP" if locale == "ja" else "KR", aircraft_type="Boeing 787-9",
            livery=f"Bank {uuid.uuid4().hex[:6]}", scale="1:100", quantity=120,
            wanted_by=shop_today() + timedelta(days=150),
        )  # fmt: skip
        quote = quotes.create_request(details, [], live_app.extensions["private_media"],
                                      locale=locale)  # fmt: skip
        valid_until = shop_today() + timedelta(days=30)
        offer = OfferDetails(unit_price_idr=2_500_000, quantity=120, shipping_idr=4_000_000,
                             lead_time_days=60, valid_until=valid_until)  # fmt: skip
        offers.send_offer(quote, offer, actor=staff)
        return quote.token, staff


def mails_for(live_app, address: str) -> list[email.message.EmailMessage]:
    files = sorted(Path(live_app.config["MAIL_OUTBOX"]).glob("*.eml"))
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]
    return [m for m in mails if m["To"] == address]


def record(staff_tab, order_id: int, amount: str, reference: str) -> None:
    staff_tab.goto(f"/admin/orders/{order_id}")
    staff_tab.fill("#in-amount", amount)
    staff_tab.fill("#in-reference", reference)
    staff_tab.click("form[action$='/bank-transfer'] button[type=submit]")
    expect(staff_tab.locator(".flash-success")).to_be_visible()


@pytest.mark.parametrize("locale", ["ja", "ko"])
def test_an_airline_pays_a_quote_by_bank_transfer_in_two_parts(chromium, live_server, live_app,
                                                                 page, locale) -> None:  # fmt: skip
    token, staff = answered_quote(live_app, locale)
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale=locale, extra_http_headers={"Accept-Language": locale},
    )  # fmt: skip
    buyer = context.new_page()
    buyer.set_default_timeout(10_000)
    try:
        buyer.goto(f"/quote/{token}")
        expect(buyer.locator("html")).to_have_attribute("lang", locale)
        buyer.fill("#company_name", "Example Airlines Co., Ltd.")
        buyer.fill("#tax_id", "T1234567890123")
        buyer.fill(
            "#delivery_line1", "3-3-2 Haneda Airport" if locale == "ja" else "272 Gonghang-ro"
        )
        buyer.fill("#delivery_city", "Tokyo" if locale == "ja" else "Seoul")
        buyer.click(f"button:has-text('{WORDS[locale]['accept']}')")
        bank = buyer.locator("[data-bank-transfer]")
        expect(bank).to_contain_text(live_app.config["BANK_SWIFT_BIC"])
        assert buyer.evaluate("document.documentElement.scrollWidth") <= 390

        with live_app.app_context():
            quote = db.session.scalar(select(QuoteRequest).where(QuoteRequest.token == token))
            order = db.session.get(Order, quote.order_id)
            order_id, number, address = order.id, order.number, quote.email
        expect(bank).to_contain_text(number)
        [mail] = [
            m for m in mails_for(live_app, address) if WORDS[locale]["subject"] in m["Subject"]
        ]
        [pdf] = list(mail.iter_attachments())
        assert "ExampleAirlinesCo.,Ltd." in pdf_text(pdf.get_content()) and number in pdf_text(
            pdf.get_content()
        )

        page.goto("/admin/login")
        page.fill("#email", staff)
        page.fill("#password", PASSWORD)
        page.click("#submit")
        record(page, order_id, "250.000.000", f"MUFG {locale}-1")
        buyer.reload()
        expect(buyer.locator("[data-balance]")).to_contain_text(WORDS[locale]["due"])
        expect(buyer.locator("[data-balance]")).to_contain_text("54,000,000")

        record(page, order_id, "54000000", f"MUFG {locale}-2")
        with live_app.app_context():
            order = db.session.get(Order, order_id)
            assert (order.status, order.bank_received_idr) == (OrderStatus.PAID, TOTAL)
        slip = page.request.get(f"/admin/orders/documents/packing-slips.pdf?order_id={order_id}")
        assert slip.ok and number in pdf_text(slip.body())
        assert ("3-3-2HanedaAirport" if locale == "ja" else "272Gonghang-ro") in pdf_text(
            slip.body()
        )

        buyer.goto(f"/orders/{_order_token(live_app, order_id)}")
        with buyer.expect_download() as download:
            buyer.click("[data-invoice]")
        invoice = Path(download.value.path()).read_bytes()
        assert "ExampleAirlinesCo.,Ltd." in pdf_text(invoice)
    finally:
        context.close()


def _order_token(live_app, order_id: int) -> str:
    with live_app.app_context():
        return db.session.get(Order, order_id).token
