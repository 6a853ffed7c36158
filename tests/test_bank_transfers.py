"""Paying a quote by bank transfer end to end: acceptance, pro-forma mail, part payments,
the balance, overpayments sent back, reminders, and the refusals that change nothing."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pypdf
import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from shop.config_documents import shop_details
from shop.extensions import db
from shop.models import BankTransfer, Order, OrderStatus, QuoteRequest, QuoteStatus
from shop.services.ordering import bank_transfers
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import reminders
from shop.services.quotes import requests as quotes
from tests.factories import TODAY, csrf_from
from tests.test_admin_orders import rp
from tests.test_admin_quotes import an_offer, make_quote, order_audit, outbox
from tests.test_quotes import ACCEPT

S, Q = OrderStatus, QuoteStatus
TOTAL = 450_000 * 120 + 2_000_000  # an_offer(): 120 models at Rp450.000, Rp2.000.000 shipping
STAFF = "siti@karyabinaan.example"


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


@pytest.fixture
def bank_limit(app: Flask) -> None:
    """Quotes above Rp10.000.000 are paid by bank transfer."""
    app.config["CARD_LIMIT_IDR"] = 10_000_000


@pytest.fixture
def answered(app: Flask, bank_limit) -> QuoteRequest:
    quote = make_quote(app)
    quote_offers.send_offer(quote, an_offer(), actor=STAFF)
    return quote


def buyer_post(client, quote: QuoteRequest, action: str, **data: str):
    token = csrf_from(client.get(f"/quote/{quote.token}").get_data(as_text=True))
    return client.post(f"/quote/{quote.token}/{action}", data=data | {"csrf_token": token})


def accept(client, quote: QuoteRequest, **changes: str):
    return buyer_post(client, quote, "accept", version="1", **(ACCEPT | changes))


def fresh_quote(quote_id: int) -> QuoteRequest:
    db.session.expire_all()
    return db.session.get(QuoteRequest, quote_id)


def order_of(quote: QuoteRequest) -> Order:
    quote = fresh_quote(quote.id)
    order = db.session.get(Order, quote.order_id)
    assert order is not None
    return order


def mails_to(app: Flask, address: str) -> list:
    return [m for m in outbox(app) if m["To"] == address]


@pytest.fixture
def waiting(app, client, answered) -> Order:
    """The quote accepted above the card limit: its order waits for the transfer."""
    assert accept(client, answered).status_code == 303
    return order_of(answered)


def record(client, order: Order, amount: str, reference: str, on: str | None = None,
           path: str = "bank-transfer", prefix: str = "in"):  # fmt: skip
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    data = {
        f"{prefix}-amount": amount,
        f"{prefix}-reference": reference,
        f"{prefix}-transferred_on": on or TODAY.isoformat(),
        "csrf_token": csrf_from(page),
    }
    response = client.post(f"/admin/orders/{order.id}/{path}", data=data)
    assert response.status_code == 303, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def fresh_order(order: Order) -> Order:
    db.session.expire_all()
    return db.session.get(Order, order.id)


# --- Accepting collects who is invoiced and where the models go -----------------------------


def test_accepting_above_the_card_limit_mails_the_proforma_with_the_bank_details(
    app, client, answered
) -> None:
    page = client.get(f"/quote/{answered.token}").get_data(as_text=True)
    assert 'value="Garuda Indonesia"' in page  # the company starts as the request's organisation
    response = accept(client, answered)
    assert response.status_code == 303 and response.headers["Location"].endswith("#payment")
    quote = fresh_quote(answered.id)
    assert quote.status == Q.ACCEPTED and quote.tax_id == ACCEPT["tax_id"]
    order = order_of(quote)
    assert (order.status, order.total_idr) == (S.PENDING_PAYMENT, TOTAL)
    assert (order.company_name, order.ship_line1, order.ship_city, order.ship_country) == (
        ACCEPT["company_name"], ACCEPT["delivery_line1"], "Tangerang", quote.country,
    )  # fmt: skip
    [mail] = [m for m in mails_to(app, quote.email) if "bank transfer" in m["Subject"]]
    assert mail["Subject"] == f"How to pay for your order {order.number} by bank transfer"
    body = mail.get_body(("plain",)).get_content()
    for wanted in (app.config["BANK_SWIFT_BIC"], app.config["BANK_ACCOUNT_NUMBER"],
                   order.number, rp(56_000_000)):  # fmt: skip
        assert wanted in body
    [pdf] = [part for part in mail.iter_attachments() if part.get_filename().endswith(".pdf")]
    assert "proforma" in pdf.get_filename()
    text = pdf_text(pdf.get_content())
    for wanted in ("Pro-formainvoice", "PTGarudaIndonesia(Persero)Tbk", "01.061.159.0-093.000",
                   "GarudaCityCenter", order.number, "56,000,000"):  # fmt: skip
        assert wanted in text
    page = client.get(f"/quote/{answered.token}").get_data(as_text=True)
    assert app.config["BANK_SWIFT_BIC"] in page and order.number in page
    assert f"Please transfer {rp(56_000_000)} to:" in page


def test_accepting_without_the_company_or_address_is_refused_and_changes_nothing(
    app, client, answered
) -> None:
    before = len(outbox(app))
    response = accept(client, answered, company_name=" ", delivery_line1="",
                      delivery_postal_code="9" * 21)  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the company to invoice." in page and "Enter the street address." in page
    quote = fresh_quote(answered.id)
    assert (quote.status, quote.order_id, quote.company_name) == (Q.ANSWERED, None, "")
    assert len(outbox(app)) == before
    assert (
        client.post(f"/quote/{answered.token}/accept", data=ACCEPT | {"version": "1"}).status_code
        == 400
    )  # fmt: skip - no CSRF token


# --- Staff record transfers; the order turns paid when they cover the total ------------------


def test_a_short_transfer_keeps_the_reference_and_shows_the_balance_to_everyone(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    page = record(client, waiting, "Rp40.000.000", "MANDIRI 0412-77")
    assert f"{rp(16_000_000)} is still due for order" in page
    order = fresh_order(waiting)
    assert (order.status, order.bank_received_idr, order.paid_at) == (S.PENDING_PAYMENT,
                                                                      40_000_000, None)  # fmt: skip
    assert order.number == waiting.number and order.invoice_number is None
    assert "Balance due" in page and "MANDIRI 0412-77" in page
    [mail] = [m for m in mails_to(app, order.email) if "Part of your payment" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert f"Received so far: {rp(40_000_000)} of {rp(56_000_000)}." in body
    assert f"Still to pay: {rp(16_000_000)}." in body and order.number in body
    quote_page = client.get(f"/quote/{make_token(order)}").get_data(as_text=True)
    assert f"Still to pay: {rp(16_000_000)}." in quote_page
    assert f"Please transfer {rp(16_000_000)} to:" in quote_page
    order_page = client.get(f"/orders/{order.token}").get_data(as_text=True)
    assert f"Still to pay: {rp(16_000_000)}." in order_page
    [entry] = order_audit()
    assert entry.action == "order.transfer_received"
    assert json.loads(entry.changes)["outcome"] == "short"


def make_token(order: Order) -> str:
    return db.session.scalar(select(QuoteRequest.token).where(QuoteRequest.order_id == order.id))


def quote_id_of(order: Order) -> int:
    return db.session.scalar(select(QuoteRequest.id).where(QuoteRequest.order_id == order.id))


def test_the_balance_pays_the_order_and_the_quote_and_the_invoice_names_the_company(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    record(client, waiting, "40000000", "MANDIRI 0412-77")
    page = record(client, waiting, "16.000.000", "MANDIRI 0419-03")
    assert "is paid in full by bank transfer" in page
    order = fresh_order(waiting)
    assert order.status == S.PAID and order.invoice_number
    assert order.bank_received_idr == TOTAL and order.payment_intent == "bank:MANDIRI 0419-03"
    assert fresh_quote(quote_id_of(order)).status == Q.PAID
    subjects = [m["Subject"] for m in mails_to(app, order.email)]
    assert f"Your Karya Binaan order {order.number}" in subjects
    invoice = client.get(f"/orders/{order.token}/invoice.pdf")
    text = pdf_text(invoice.data)
    assert "PTGarudaIndonesia(Persero)Tbk" in text and "01.061.159.0-093.000" in text
    slip = client.get(f"/admin/orders/documents/packing-slips.pdf?order_id={order.id}")
    assert slip.status_code == 200 and "GarudaCityCenter" in pdf_text(slip.data)
    assert [json.loads(e.changes)["outcome"] for e in order_audit()] == ["short", "paid"]


def test_the_same_bank_reference_is_recorded_once(app, client, auth, staff_user, waiting) -> None:
    auth.login(staff_user.email)
    record(client, waiting, "20000000", "BCA 7781")
    page = record(client, waiting, "20000000", "  BCA   7781 ")
    assert "A transfer with this bank reference is already recorded" in page
    order = fresh_order(waiting)
    assert order.bank_received_idr == 20_000_000 and len(order.bank_transfers) == 1


def test_an_overpayment_is_kept_for_refund_and_recorded_when_sent_back(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    page = record(client, waiting, str(TOTAL + 500_000), "SWIFT MT103 998")
    assert f"The customer paid {rp(500_000)} more than the total" in page
    assert "Send back the overpayment" in page
    order = fresh_order(waiting)
    assert order.status == S.PAID and bank_transfers.balance(order).overpaid_idr == 500_000
    [mail] = [m for m in mails_to(app, order.email) if "has arrived" in m["Subject"]]
    assert f"You sent {rp(500_000)} more than the order" in mail.get_body(("plain",)).get_content()
    assert f"{rp(500_000)} more than the total" in client.get(f"/orders/{order.token}").get_data(
        as_text=True
    )
    page = record(client, order, "600000", "OUT-1", path="bank-transfer/return", prefix="out")
    assert f"At most {rp(500_000)} was paid beyond the total. Nothing was changed." in page
    page = record(client, order, "500000", "OUT-1", path="bank-transfer/return", prefix="out")
    assert f"Recorded: {rp(500_000)} sent back to the customer" in page
    order = fresh_order(order)
    assert (order.bank_returned_idr, bank_transfers.balance(order).overpaid_idr) == (500_000, 0)
    assert any("We sent money back" in m["Subject"] for m in mails_to(app, order.email))
    page = record(client, order, "1", "OUT-2", path="bank-transfer/return", prefix="out")
    assert "there is nothing to send back" in page


def test_a_further_transfer_after_payment_is_an_overpayment(app, client, auth, staff_user,
                                                              waiting) -> None:  # fmt: skip
    auth.login(staff_user.email)
    record(client, waiting, str(TOTAL), "BNI 1")
    page = record(client, waiting, "250000", "BNI 2")
    assert f"The customer paid {rp(250_000)} more than the total" in page
    order = fresh_order(waiting)
    assert order.status == S.PAID and bank_transfers.balance(order).overpaid_idr == 250_000
    assert any("An extra payment" in m["Subject"] for m in mails_to(app, order.email))


@pytest.mark.parametrize(
    ("amount", "reference", "on", "message"),
    [
        ("lots", "BCA 1", None, "Enter the amount in whole rupiah"),
        ("0", "BCA 1", None, "Enter an amount of at least Rp1."),
        ("100000", "   ", None, "Enter the transfer&#39;s reference."),
        ("100000", "x" * 121, None, "Field cannot be longer than 120 characters."),
        ("100000", "BCA 1", (TODAY + timedelta(days=2)).isoformat(), "can&#39;t be in the future"),
        ("100000", "BCA 1", "31-02-2026", "Enter the date of the transfer."),
        ("100000", "BCA 1", "0001-01-01", "Choose a date between"),
    ],
)
def test_bad_transfer_input_gets_a_message_and_changes_nothing(
    app, client, auth, staff_user, waiting, amount, reference, on, message
) -> None:
    auth.login(staff_user.email)
    page = record(client, waiting, amount, reference, on=on)
    assert message in page
    order = fresh_order(waiting)
    assert (order.status, order.bank_received_idr, order.bank_transfers) == (S.PENDING_PAYMENT,
                                                                             0, [])  # fmt: skip
    assert order_audit() == []


def test_recording_needs_the_csrf_token_and_a_card_order_takes_no_transfer(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    data = {"in-amount": "100000", "in-reference": "BCA 1", "in-transferred_on": str(TODAY)}
    assert client.post(f"/admin/orders/{waiting.id}/bank-transfer", data=data).status_code == 400
    waiting.payment_gateway = "stripe"
    db.session.commit()
    page = record(client, waiting, "100000", "BCA 1")
    assert "paid through the card payment provider" in page
    assert fresh_order(waiting).bank_received_idr == 0


def test_a_bank_paid_order_is_refunded_by_transfer_not_through_the_card_provider(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    record(client, waiting, str(TOTAL), "BNI 1")
    page = client.get(f"/admin/orders/{waiting.id}").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    response = client.post(f"/admin/orders/{waiting.id}/refund", data={
        "csrf_token": csrf_from(page), "token": token.group(1), "amount": "6000000",
        "reason": "Four models not needed"})  # fmt: skip
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "send it to the customer&#39;s account by bank transfer" in page
    order = fresh_order(waiting)
    assert (order.status, order.refunded_idr) == (S.PARTIALLY_REFUNDED, 6_000_000)
    [mail] = [m for m in mails_to(app, order.email) if "refund" in m["Subject"].lower()]
    assert "account you paid from by bank transfer" in mail.get_body(("plain",)).get_content()


# --- Deadlines -------------------------------------------------------------------------------


def send_reminders(app: Flask, today) -> int:
    with app.test_request_context():
        return reminders.send_due(
            app.extensions["mailer"], shop_details(app.config),
            lambda order: url_for("orders.show", token=order.token, _external=True), today=today,
        )  # fmt: skip


def test_a_reminder_goes_once_a_few_days_before_the_deadline(app, client, auth, staff_user,
                                                               waiting) -> None:  # fmt: skip
    deadline = TODAY + timedelta(days=30)
    assert send_reminders(app, deadline - timedelta(days=4)) == 0
    auth.login(staff_user.email)
    record(client, waiting, "50000000", "BCA 9")
    assert send_reminders(app, deadline - timedelta(days=3)) == 1
    assert send_reminders(app, deadline - timedelta(days=2)) == 0  # once only
    [mail] = [m for m in mails_to(app, waiting.email) if m["Subject"].startswith("Reminder")]
    body = mail.get_body(("plain",)).get_content()
    assert f"Still to pay: {rp(6_000_000)}." in body and waiting.number in body
    assert app.config["BANK_SWIFT_BIC"] in body


def test_no_reminder_for_a_paid_order_and_a_part_paid_quote_does_not_lapse(
    app, client, auth, staff_user, waiting
) -> None:
    auth.login(staff_user.email)
    record(client, waiting, "30000000", "BCA 10")
    after = TODAY + timedelta(days=31)
    assert quotes.expire_overdue(today=after) == 0
    quote_id = quote_id_of(waiting)
    assert fresh_quote(quote_id).status == Q.ACCEPTED
    record(client, waiting, "26000000", "BCA 11")
    assert send_reminders(app, TODAY + timedelta(days=28)) == 0
    assert fresh_quote(quote_id).status == Q.PAID


def test_transfers_are_counted_once_on_the_order(app, waiting) -> None:
    bank_transfers.record_incoming(waiting.id, amount_idr=1_000, reference="A",
                                   transferred_on=TODAY, actor=STAFF)  # fmt: skip
    with pytest.raises(bank_transfers.TransferRefused) as refused:
        bank_transfers.record_incoming(waiting.id, amount_idr=1_000, reference="A",
                                       transferred_on=TODAY, actor=STAFF)  # fmt: skip
    assert refused.value.key == "duplicate"
    count = db.session.scalar(select(func.count()).select_from(BankTransfer))
    assert count == 1 and fresh_order(waiting).bank_received_idr == 1_000
