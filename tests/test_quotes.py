"""Airlines request display-model quotes, follow them on a private page, accept and pay."""

from __future__ import annotations

import email
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import Order, OrderStatus, QuoteFile, QuoteRequest, QuoteStatus
from shop.services import clock
from shop.services.ordering import fulfilment
from shop.services.ordering.shipping import install_default_zones
from shop.services.quotes import files as quote_files
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import payments as quote_payments
from shop.services.quotes import requests as quotes
from tests.factories import TODAY, csrf_from, png_bytes


def form_data(**overrides) -> dict:
    data = {
        "organisation": "Garuda Example Airlines",
        "contact_name": "Sari Wulandari",
        "email": "sari@airline.example",
        "phone": "+62 21 555 0101",
        "country": "JP",
        "aircraft_type": "Boeing 737-800",
        "livery": "Garuda Example, 2024 scheme",
        "scale": "1:100",
        "quantity": "120",
        "wanted_by": (TODAY + timedelta(days=90)).isoformat(),
        "finish_notes": "Gloss finish, stand with the airline logo.",
    }
    return data | overrides


@pytest.fixture
def zones(app: Flask) -> None:
    install_default_zones()
    db.session.commit()


def send_request(client, files=None, **overrides):
    token = csrf_from(client.get("/quote").get_data(as_text=True))
    data = form_data(**overrides) | {"csrf_token": token}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/quote", data=data, content_type="multipart/form-data")


def only_quote() -> QuoteRequest:
    db.session.expire_all()
    return db.session.scalar(select(QuoteRequest))


def quote_count() -> int:
    return db.session.scalar(select(func.count()).select_from(QuoteRequest))


def outbox(app: Flask) -> list[email.message.EmailMessage]:
    folder = Path(app.config["MAIL_OUTBOX"])
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def offer(quote: QuoteRequest, price: int = 1_250_000, **kw) -> None:
    details = quote_offers.OfferDetails(
        unit_price_idr=price,
        quantity=kw.get("quantity", quote.quantity),
        shipping_idr=kw.get("shipping", 4_500_000),
        lead_time_days=kw.get("lead", 45),
        valid_until=kw.get("valid_until", TODAY + timedelta(days=30)),
        notes=kw.get("notes", ""),
    )
    quote_offers.send_offer(quote, details, actor="staff@karyabinaan.example")


# What a buyer types when accepting: the company invoiced and where the models go.
ACCEPT = {
    "company_name": "PT Garuda Indonesia (Persero) Tbk",
    "tax_id": "01.061.159.0-093.000",
    "delivery_name": "Corporate Communications",
    "delivery_line1": "Garuda City Center, Soekarno-Hatta Airport",
    "delivery_line2": "",
    "delivery_city": "Tangerang",
    "delivery_state": "Banten",
    "delivery_postal_code": "19120",
    "delivery_phone": "+62 21 2560 1010",
}


def post(client, path: str, **data):
    page = client.get(path.rsplit("/", 1)[0] if path.count("/") > 2 else path)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(path, data=data | {"csrf_token": token})


def test_a_buyer_requests_a_quote_and_gets_a_private_link(app, client, zones) -> None:
    response = send_request(client)
    assert response.status_code == 303
    quote = only_quote()
    assert response.headers["Location"].endswith(f"/quote/{quote.token}")
    assert quote.status == QuoteStatus.NEW and quote.quantity == 120 and quote.country == "JP"
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert quote.number in page and "Boeing 737-800" in page and "preparing your quote" in page
    mails = outbox(app)
    to_buyer = [m for m in mails if m["To"] == "sari@airline.example"]
    assert to_buyer and quote.token in to_buyer[0].get_body(("plain",)).get_content()
    assert any(m["To"] == app.config["STAFF_EMAIL"] for m in mails)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "0"}, "Enter a quantity from 1 to 5000."),
        ({"quantity": "1000000"}, "Enter a quantity from 1 to 5000."),
        ({"quantity": "many"}, "Not a valid integer value."),
        ({"wanted_by": (TODAY - timedelta(days=1)).isoformat()}, "Choose a date after today."),
        ({"wanted_by": "2100-01-01"}, "Choose a date within the next three years."),
        ({"organisation": ""}, "Enter your airline or organisation."),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"country": "XX"}, "Not a valid choice"),
        ({"livery": ""}, "Enter the livery."),
    ],
)
def test_missing_or_absurd_fields_are_explained_and_nothing_is_kept(
    client, zones, overrides, message
) -> None:
    response = send_request(client, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert quote_count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("livery.pdf", b"MZ\x90\x00" + b"\x00" * 200, "is not a JPEG, PNG, WebP picture or a PDF"),
        ("livery.jpg", b"<?php echo 'hi'; ?>", "is not a JPEG, PNG, WebP picture or a PDF"),
        ("livery.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not a JPEG, PNG"),
        ("broken.pdf", b"%PDF-1.4\n garbage without objects", "is damaged or incomplete"),
        ("big.png", b"\x89PNG" + b"\x00" * 5000, "is larger than 10 MB"),
    ],
)
def test_bad_reference_files_are_refused_by_content(
    client, zones, monkeypatch, name, content, message
) -> None:
    monkeypatch.setattr(quote_files, "MAX_FILE_BYTES", 4096)  # stands in for 10 MB
    response = send_request(client, files=[(name, content)])
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert quote_count() == 0
    assert db.session.scalar(select(func.count()).select_from(QuoteFile)) == 0


def test_a_request_far_over_the_size_limit_gets_a_page_not_an_error(app, client, zones) -> None:
    app.config["QUOTE_MAX_CONTENT_LENGTH"] = 200_000  # stands in for 55 MB, to stay quick
    response = send_request(client, files=[("huge.pdf", b"%PDF-" + b"0" * 300_000)])
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert quote_count() == 0


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (900, 600), (10, 80, 160))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the kept copy is made upright
    gps = exif.get_ifd(0x8825)
    gps[2] = (7.0, 15.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_reference_pictures_are_stripped_and_served_only_to_the_link(app, client, zones) -> None:
    pdf = _tiny_pdf()
    response = send_request(client, files=[("../../livery.jpg", _jpeg_with_gps()), ("d.pdf", pdf)])
    assert response.status_code == 303
    quote = only_quote()
    picture, document = quote.files
    assert picture.filename == "livery.webp" and picture.content_type == "image/webp"
    served = client.get(f"/quote/{quote.token}/files/{picture.id}")
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    kept = Image.open(io.BytesIO(served.get_data()))
    served.close()
    assert kept.size[1] > kept.size[0]  # turned upright
    assert not kept.getexif() and "exif" not in kept.info
    served_pdf = client.get(f"/quote/{quote.token}/files/{document.id}")
    assert served_pdf.get_data() == pdf
    assert "attachment" in served_pdf.headers["Content-Disposition"]
    served_pdf.close()
    assert client.get(f"/quote/not-the-token/files/{picture.id}").status_code == 404
    assert client.get(f"/quote/{quote.token}/files/999").status_code == 404
    assert "/media/" not in client.get(f"/quote/{quote.token}").get_data(as_text=True)


def _tiny_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_more_than_five_files_are_refused(client, zones) -> None:
    files = [(f"p{i}.png", png_bytes((40, 30))) for i in range(6)]
    response = send_request(client, files=files)
    assert response.status_code == 422
    assert "Send at most 5 files." in response.get_data(as_text=True)
    assert quote_count() == 0


def test_the_hidden_field_catches_bots_without_keeping_anything(client, zones) -> None:
    response = send_request(client, website="http://spam.example")
    assert response.status_code == 200
    assert quote_count() == 0


def test_requests_from_one_address_are_rate_limited(client, zones) -> None:
    statuses = [send_request(client).status_code for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429
    assert quote_count() == 5


def test_refused_forms_do_not_use_up_the_hourly_limit(client, zones) -> None:
    refused = [send_request(client, organisation="").status_code for _ in range(6)]
    assert refused == [422] * 6
    response = send_request(client)
    assert response.status_code == 303
    assert only_quote().organisation == "Garuda Example Airlines"


def test_a_refused_request_says_error_in_the_title_and_lists_what_to_fix(client, zones) -> None:
    html = send_request(client, organisation="", quantity="").get_data(as_text=True)

    assert re.search(r"<title>Error: ", html)
    summary = html[html.index('id="error-summary"') - 40 :].split("</div>")[0]
    assert 'role="alert"' in summary and "autofocus" in summary
    assert '<a href="#organisation">' in summary and '<a href="#quantity">' in summary
    assert "Please correct 2 things to go on:" in summary
    assert 'value="Garuda Example, 2024 scheme"' in html  # what was typed is kept


def test_bot_trap_answers_still_count_against_the_limit(client, zones) -> None:
    statuses = [send_request(client, website="http://spam.example").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert quote_count() == 0


def test_a_guessed_token_is_a_404(client, zones) -> None:
    send_request(client)
    assert client.get("/quote/" + "A" * 43).status_code == 404
    assert client.get("/quote/" + "A" * 500).status_code == 404


def test_the_buyer_accepts_the_quote_and_pays_through_the_demo_gateway(app, client, zones):
    send_request(client)
    quote = only_quote()
    offer(quote)
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert "Accept this quote" in page and "154,500,000" in page  # 120 × 1,250,000 + 4.5M
    response = post(client, f"/quote/{quote.token}/accept", version="1", **ACCEPT)
    assert response.status_code == 303 and only_quote().status == QuoteStatus.ACCEPTED
    response = post(client, f"/quote/{quote.token}/pay")
    assert response.status_code == 303 and "/demo-pay/" in response.headers["Location"]
    pay_page = client.get(response.headers["Location"])
    token = csrf_from(pay_page.get_data(as_text=True))
    paid = client.post(
        response.headers["Location"],
        data={"csrf_token": token, "name": "Sari", "line1": "1-1 Haneda",
              "city": "Tokyo", "postal_code": "144-0041"},
    )  # fmt: skip
    assert paid.status_code == 303
    quote = only_quote()
    order = db.session.get(Order, quote.order_id)
    assert quote.status == QuoteStatus.PAID and order.status == OrderStatus.PAID
    assert order.total_idr == 154_500_000 and order.lines[0].quantity == 120
    assert (order.company_name, order.tax_id) == (ACCEPT["company_name"], ACCEPT["tax_id"])
    again = post(client, f"/quote/{quote.token}/pay")
    assert again.status_code == 303
    assert "already paid" in client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_shipping_the_order_shows_on_the_quote_page(app, client, zones) -> None:
    send_request(client)
    quote = only_quote()
    offer(quote)
    quotes.accept(quote, 1)
    order = quote_payments.payment_order(quote, app.extensions["payments"], card_limit_idr=10**12)
    from shop.services.ordering import bank_transfers

    bank_transfers.record_incoming(
        order.id, amount_idr=order.total_idr, reference="TRX-1",
        transferred_on=clock.shop_today(), actor="staff@example",
    )  # fmt: skip
    quote_offers.mark_in_production(quote, "Fuselages painted, decals next week", actor="staff@x")
    fulfilment.mark_packed(order, "staff@example")
    fulfilment.mark_shipped(order, "DHL Express", "JD0123", "staff@example")
    quote = only_quote()
    assert quote.status == QuoteStatus.SHIPPED
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert "Fuselages painted" in page and "Shipped" in page


def test_an_old_version_or_an_expired_quote_cannot_be_accepted(client, zones) -> None:
    send_request(client)
    quote = only_quote()
    offer(quote)
    offer(quote, price=1_100_000)
    response = post(client, f"/quote/{quote.token}/accept", version="1", **ACCEPT)
    assert response.status_code == 303
    assert "The quote was revised" in client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert only_quote().status == QuoteStatus.ANSWERED
    with pytest.raises(quotes.QuoteError) as refused:
        quotes.accept(only_quote(), 2, today=TODAY + timedelta(days=31))
    assert refused.value.key == "expired"
    assert only_quote().status == QuoteStatus.EXPIRED


def test_revising_an_accepted_quote_withdraws_its_payment(app, client, zones) -> None:
    send_request(client)
    quote = only_quote()
    offer(quote)
    quotes.accept(quote, 1)
    order = quote_payments.payment_order(quote, app.extensions["payments"], card_limit_idr=10**12)
    offer(quote, price=1_000_000)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == OrderStatus.CANCELLED
    assert only_quote().status == QuoteStatus.ANSWERED
    response = post(client, f"/quote/{quote.token}/pay")
    assert response.status_code == 303
    assert "Accept the quote before paying" in client.get(f"/quote/{quote.token}").get_data(
        as_text=True
    )


def test_above_the_card_limit_the_buyer_gets_bank_transfer_details(app, client, zones) -> None:
    app.config["CARD_LIMIT_IDR"] = 100_000_000
    send_request(client)
    quote = only_quote()
    offer(quote)
    quotes.accept(quote, 1)
    response = post(client, f"/quote/{quote.token}/pay")
    assert response.status_code == 303 and "/demo-pay/" not in response.headers["Location"]
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    order = db.session.get(Order, only_quote().order_id)
    assert app.config["BANK_SWIFT_BIC"] in page and app.config["BANK_ACCOUNT_NUMBER"] in page
    assert order.number in page
    post(client, f"/quote/{quote.token}/pay")  # asking again keeps the same reference
    assert only_quote().order_id == order.id


def test_the_buyer_declines_or_asks_a_question(app, client, zones) -> None:
    send_request(client)
    quote = only_quote()
    response = post(client, f"/quote/{quote.token}/message", body="Can you add landing gear?")
    assert response.status_code == 303
    assert "Can you add landing gear?" in client.get(f"/quote/{quote.token}").get_data(as_text=True)
    empty = post(client, f"/quote/{quote.token}/message", body="   ")
    assert empty.status_code == 422 and "Write your message first." in empty.get_data(as_text=True)
    offer(quote)
    post(client, f"/quote/{quote.token}/decline", reason="Budget moved to next year")
    assert only_quote().status == QuoteStatus.DECLINED


def test_answers_need_the_csrf_token(client, zones) -> None:
    send_request(client)
    quote = only_quote()
    offer(quote)
    assert client.post(f"/quote/{quote.token}/accept", data={"version": "1"}).status_code == 400
    assert only_quote().status == QuoteStatus.ANSWERED


def test_a_signed_in_customer_sees_their_requests_on_the_account_page(app, client, zones) -> None:
    from shop.services.accounts import customers as accounts

    accounts.register("buyer@airline.example", "a long enough password", name="Sari")
    token = csrf_from(client.get("/account/login").get_data(as_text=True))
    client.post(
        "/account/login",
        data={"csrf_token": token, "email": "buyer@airline.example",
              "password": "a long enough password"},
    )  # fmt: skip
    form = client.get("/quote").get_data(as_text=True)
    assert 'value="buyer@airline.example"' in form
    send_request(client, email="buyer@airline.example")
    quote = only_quote()
    assert quote.customer_id is not None
    assert quote.number in client.get("/account").get_data(as_text=True)


def test_aircraft_pages_link_to_the_quote_form(app, client, zones) -> None:
    from tests.factories import make_category, make_product, make_workshop

    product = make_product(
        "Boeing 737-800 desk model",
        category=make_category("miniature-aircraft", "Miniature aircraft"),
        workshop=make_workshop("aero", "Aircraft workshop"),
        prices=(350_000,),
        stock=3,
    )
    db.session.commit()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert f"/quote?product={product.slug}" in page
    form = client.get(f"/quote?product={product.slug}").get_data(as_text=True)
    assert 'value="Boeing 737-800"' in form  # the aircraft, not the product's name


def test_the_expiry_command_closes_lapsed_quotes(app, client, runner, zones) -> None:
    send_request(client)
    quote = only_quote()
    offer(quote, valid_until=TODAY)
    assert "Quotes expired: 0" in runner.invoke(args=["expire-orders"]).output
    assert quotes.expire_overdue(today=TODAY + timedelta(days=1)) == 1
    assert only_quote().status == QuoteStatus.EXPIRED
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert "no longer valid" in page and "Accept this quote" not in page


def test_requests_sent_before_signing_up_show_once_the_address_is_confirmed(app, zones) -> None:
    from shop.services.accounts import customers as accounts

    guest = app.test_client()
    send_request(guest, email="Sari@Airline.example")
    customer = accounts.register("sari@airline.example", "a long enough password")
    assert quotes.for_customer(customer) == []  # not confirmed: anyone could type the address
    accounts.confirm_email(customer)  # its owner opened the link while signed in
    assert [q.number for q in quotes.for_customer(customer)] == [only_quote().number]
    other = accounts.register("someone@else.example", "a long enough password")
    assert quotes.for_customer(other) == []
