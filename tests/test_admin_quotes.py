"""The staff's quote pages over HTTP: inbox, one request, offers, replies, progress, files."""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfWriter
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, QuoteRequest, QuoteStatus
from shop.services.money import format_idr
from shop.services.ordering import shipping
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import requests as quotes
from shop.services.quotes.files import Upload
from shop.services.quotes.offers import OfferDetails
from shop.services.quotes.requests import RequestDetails
from tests.factories import TODAY, csrf_from, png_bytes

Q = QuoteStatus


def make_quote(
    app: Flask,
    *,
    organisation: str = "Garuda Indonesia",
    quantity: int = 120,
    email: str = "procurement@example.co.id",
    uploads: Sequence[Upload] = (),
) -> QuoteRequest:
    """A buyer's quote request, made through the quotes service; commit."""
    shipping.install_default_zones()
    db.session.commit()
    details = RequestDetails(
        organisation=organisation, contact_name="Sari Wulandari", email=email,
        phone="+62 21 555 0100", country="ID", aircraft_type="Boeing 737-800",
        livery="Nature livery 2024", scale="1:100", quantity=quantity,
        wanted_by=TODAY + timedelta(days=90), finish_notes="Gloss, stand with the logo",
    )  # fmt: skip
    return quotes.create_request(
        details, list(uploads), app.extensions["private_media"], locale="en"
    )


def rp(amount: int) -> str:
    """Rupiah as the English back office shows them."""
    return format_idr(amount, "en")


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def an_offer(**changes: object) -> OfferDetails:
    terms = {"unit_price_idr": 450_000, "quantity": 120, "shipping_idr": 2_000_000,
             "lead_time_days": 60, "valid_until": TODAY + timedelta(days=30)}  # fmt: skip
    return OfferDetails(**(terms | changes))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def buyer_quote_page(app: Flask) -> None:
    """The buyer's page the staff mail links to; a stand-in while it is not built yet."""
    if "quotes.show" not in app.view_functions:
        app.add_url_rule("/quote/<token>", "quotes.show", lambda token: token)


@pytest.fixture
def signed_in(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


@pytest.fixture
def quote(app) -> QuoteRequest:
    return make_quote(app)


def fresh(quote: QuoteRequest) -> QuoteRequest:
    db.session.expire_all()
    return db.session.get(QuoteRequest, quote.id)


def page_of(client, quote: QuoteRequest) -> str:
    return client.get(f"/admin/quotes/{quote.id}").get_data(as_text=True)


def post(client, quote: QuoteRequest, action: str, **data):
    """Post a form from the quote page with that page's CSRF token."""
    token = csrf_from(page_of(client, quote))
    return client.post(f"/admin/quotes/{quote.id}/{action}", data={"csrf_token": token, **data})


def followed(client, response) -> str:
    assert response.status_code == 303, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def outbox(app: Flask) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def offer_form(**changes: str) -> dict[str, str]:
    data = {"unit_price_idr": "Rp450.000", "quantity": "120", "shipping_idr": "2.000.000",
            "lead_time_days": "60", "valid_until": (TODAY + timedelta(days=30)).isoformat(),
            "notes": "Resin body, hand-painted livery, wooden stand."}  # fmt: skip
    return data | changes


def audit_of(target_type: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.target_type == target_type)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def quote_audit() -> list[AuditEntry]:
    return audit_of("quote")


def order_audit() -> list[AuditEntry]:
    return audit_of("order")


# --- The inbox -----------------------------------------------------------------------------


def test_the_inbox_lists_requests_with_counts_and_filters_by_status(app, signed_in) -> None:
    garuda = make_quote(app)
    lion = make_quote(app, organisation="Lion Air", quantity=40)
    quote_offers.send_offer(lion, an_offer(quantity=40), actor="staff@example.com")
    page = signed_in.get("/admin/quotes").get_data(as_text=True)
    for text in (garuda.number, lion.number, "Garuda Indonesia", "Boeing 737-800",
                 "Nature livery 2024", "1:100", ">Answered<", ">New<"):  # fmt: skip
        assert text in page, text
    assert f'href="/admin/quotes/{garuda.id}"' in page
    assert 'All <span class="count">2</span>' in page
    assert 'New <span class="count">1</span>' in page
    page = signed_in.get("/admin/quotes?status=new").get_data(as_text=True)
    assert garuda.number in page and lion.number not in page
    page = signed_in.get("/admin/quotes?status=answered").get_data(as_text=True)
    assert lion.number in page and garuda.number not in page
    assert "No quote requests here." in signed_in.get("/admin/quotes?status=shipped").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    ["status=lost", "status=", "page=-3", "page=abc", "page=99", "page=99999999999999999999",
     "status=new&page=0"],
)  # fmt: skip
def test_bad_inbox_parameters_never_fail(signed_in, quote, query) -> None:
    response = signed_in.get("/admin/quotes?" + query)
    assert response.status_code == 200


def test_the_nav_shows_how_many_requests_are_new(app, signed_in) -> None:
    assert 'href="/admin/quotes"' in signed_in.get("/admin/").get_data(as_text=True)
    make_quote(app)
    make_quote(app, organisation="Lion Air")
    page = signed_in.get("/admin/").get_data(as_text=True)
    assert "2 new requests" in page


# --- One request ---------------------------------------------------------------------------


def test_the_quote_page_shows_what_the_buyer_sent_and_its_files(app, signed_in) -> None:
    quote = make_quote(app, uploads=[Upload("livery.png", png_bytes()),
                                     Upload("Brand guide.pdf", pdf_bytes())])  # fmt: skip
    picture, pdf = quote.files
    page = page_of(signed_in, quote)
    for text in (quote.number, "Garuda Indonesia", "Sari Wulandari", "procurement@example.co.id",
                 "+62 21 555 0100", "Nature livery 2024", "1:100", "120",
                 "Gloss, stand with the logo", "Request sent", "Send a quote",
                 "Brand guide.pdf"):  # fmt: skip
        assert text in page, text
    assert f'src="/admin/quotes/{quote.id}/files/{picture.id}?w=320"' in page
    assert f'href="/admin/quotes/{quote.id}/files/{pdf.id}"' in page
    assert 'name="quantity" required type="text" value="120"' in page  # from the request
    assert (TODAY + timedelta(days=30)).isoformat() in page  # valid for 30 days by default
    assert "Production progress" not in page  # only once paid


def fetch(client, url: str) -> tuple[int, str, dict[str, str], bytes]:
    """Status, type, headers and body of a file response, closing the file it streams."""
    with client.get(url) as response:
        return response.status_code, response.mimetype, dict(response.headers), response.data


def test_files_are_served_privately_and_only_for_their_own_quote(app, signed_in) -> None:
    quote = make_quote(app, uploads=[Upload("livery.png", png_bytes(size=(800, 600))),
                                     Upload("guide.pdf", pdf_bytes())])  # fmt: skip
    other = make_quote(app, organisation="Lion Air")
    picture, pdf = quote.files
    base = f"/admin/quotes/{quote.id}/files"
    status, mimetype, headers, full = fetch(signed_in, f"{base}/{picture.id}")
    assert (status, mimetype, headers["X-Content-Type-Options"]) == (200, "image/webp", "nosniff")
    assert headers["Content-Disposition"].startswith("attachment")  # an <img> still shows it
    status, mimetype, _, thumb = fetch(signed_in, f"{base}/{picture.id}?w=320")
    assert (status, mimetype) == (200, "image/webp") and len(thumb) < len(full)
    for width in ("9999", "abc", "-1"):
        assert fetch(signed_in, f"{base}/{picture.id}?w={width}")[3] == full
    status, mimetype, headers, data = fetch(signed_in, f"{base}/{pdf.id}")
    assert (status, mimetype, data[:5]) == (200, "application/pdf", b"%PDF-")
    assert headers["Content-Disposition"] == "attachment; filename=guide.pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(signed_in, f"/admin/quotes/{other.id}/files/{pdf.id}")[0] == 404
    assert fetch(signed_in, f"{base}/999999")[0] == 404
    assert fetch(signed_in, "/admin/quotes/999999")[0] == 404
    assert fetch(signed_in, "/admin/quotes/99999999999999")[0] == 404
    assert fetch(app.test_client(), f"{base}/{pdf.id}")[0] == 302  # visitors sign in first


# --- Offers --------------------------------------------------------------------------------


def test_sending_a_quote_answers_the_request_and_emails_the_buyer(app, signed_in, quote) -> None:
    page = followed(signed_in, post(signed_in, quote, "offer", **offer_form()))
    assert "Quote version 1 sent." in page
    assert "The buyer was emailed at procurement@example.co.id." in page
    for text in (rp(56_000_000), "Version 1", "Resin body, hand-painted", "Revise the quote"):
        assert text in page, text
    quote = fresh(quote)
    assert quote.status == Q.ANSWERED
    offer = quote.current_offer
    terms = (offer.unit_price_idr, offer.quantity, offer.shipping_idr, offer.lead_time_days)
    assert terms == (450_000, 120, 2_000_000, 60)
    assert offer.created_by == "staff@example.com"
    mails = outbox(app)
    assert len(mails) == 1
    assert mails[0]["To"] == "procurement@example.co.id"
    assert mails[0]["Subject"] == f"Your quote {quote.number} is ready"
    assert f"/quote/{quote.token}" in mails[0].get_body(("plain",)).get_content()
    [entry] = quote_audit()
    assert (entry.action, entry.target_id) == ("quote.offer_sent", quote.id)
    assert entry.actor_email == "staff@example.com"


def test_revising_a_quote_makes_version_two_and_keeps_version_one(app, signed_in, quote) -> None:
    followed(signed_in, post(signed_in, quote, "offer", **offer_form()))
    page = page_of(signed_in, quote)
    assert 'value="450000"' in page  # the revision form starts from the current terms
    response = post(signed_in, quote, "offer", **offer_form(unit_price_idr="400000"))
    page = followed(signed_in, response)
    assert "Quote version 2 sent." in page
    assert page.index("Version 2") < page.index("Version 1")  # newest first
    quote = fresh(quote)
    assert [o.version for o in quote.offers] == [1, 2]
    assert quote.current_offer.unit_price_idr == 400_000
    assert len(outbox(app)) == 2
    assert [e.action for e in quote_audit()] == ["quote.offer_sent"] * 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"unit_price_idr": "0"}, "Enter a price per piece between IDR\xa01 and"),
     ({"unit_price_idr": "ten"}, "Enter the amount in whole rupiah"),
     ({"unit_price_idr": ""}, "Enter the price per piece."),
     ({"shipping_idr": "-5"}, "Enter the amount in whole rupiah"),
     ({"quantity": "0"}, "Enter a quantity between 1 and 5000."),
     ({"quantity": "1000000"}, "Enter a quantity between 1 and 5000."),
     ({"quantity": "1.5"}, "Enter a whole number"),
     ({"lead_time_days": "0"}, "Enter a lead time between 1 and 730 days."),
     ({"valid_until": (TODAY - timedelta(days=1)).isoformat()}, "a day that has passed"),
     ({"valid_until": (TODAY + timedelta(days=400)).isoformat()}, "within a year from today"),
     ({"valid_until": "someday"}, "Enter a date like 2026-12-31."),
     ({"valid_until": "0001-01-01"}, "Choose a date between 2000 and 2100."),
     ({"notes": "x" * 2001}, "Keep the notes to 2000 characters or fewer.")],
)  # fmt: skip
def test_bad_offers_are_explained_and_change_nothing(app, signed_in, quote, changes, message):
    response = post(signed_in, quote, "offer", **offer_form(**changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in page and "Nothing was saved. Please check the form below." in page
    quote = fresh(quote)
    assert (quote.status, quote.offers, len(quote.events)) == (Q.NEW, [], 1)
    assert outbox(app) == [] and quote_audit() == []


def test_a_quote_that_is_paid_cannot_be_quoted_again(app, signed_in, quote) -> None:
    quote_offers.send_offer(quote, an_offer(), actor="staff@example.com")
    audited = quote_audit()
    token = csrf_from(page_of(signed_in, quote))
    quote.status = Q.PAID
    db.session.commit()
    assert "This quote is Paid, so it can't be quoted again." in page_of(signed_in, quote)
    response = signed_in.post(
        f"/admin/quotes/{quote.id}/offer", data={"csrf_token": token, **offer_form()}
    )
    page = followed(signed_in, response)
    assert "This quote is Paid, so it can&#39;t be quoted again. Nothing was changed." in page
    quote = fresh(quote)
    assert (quote.status, len(quote.offers)) == (Q.PAID, 1)
    assert quote_audit() == audited


# --- Messages and progress -----------------------------------------------------------------


def test_a_reply_joins_the_thread_and_emails_the_buyer(app, signed_in, quote) -> None:
    page = followed(signed_in, post(signed_in, quote, "messages", body="Which stand colour?"))
    assert "Message sent." in page and "Which stand colour?" in page
    [message] = fresh(quote).messages
    assert (message.from_staff, message.author) == (True, "staff@example.com")
    [mail] = outbox(app)
    assert mail["Subject"] == f"A new message about your quote {quote.number}"
    assert [e.action for e in quote_audit()] == ["quote.message_sent"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Write a message first."), ("x" * 2001, "Keep the message to 2000 characters")],
)
def test_an_empty_or_long_reply_is_explained(app, signed_in, quote, body, message) -> None:
    response = post(signed_in, quote, "messages", body=body)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert fresh(quote).messages == [] and outbox(app) == [] and quote_audit() == []


def test_production_progress_only_once_paid(app, signed_in, quote) -> None:
    page = followed(signed_in, post(signed_in, quote, "progress", note="Bodies carved"))
    assert "production notes can be added once it is paid" in page
    assert fresh(quote).status == Q.NEW and outbox(app) == []
    quote = fresh(quote)
    quote.status = Q.PAID
    db.session.commit()
    assert "Production progress" in page_of(signed_in, quote)
    response = post(signed_in, quote, "progress", note="  ")
    assert response.status_code == 422
    assert "Write what has been done so far." in response.get_data(as_text=True)
    page = followed(signed_in, post(signed_in, quote, "progress", note="Bodies carved"))
    assert "Production progress saved." in page and "Bodies carved" in page
    quote = fresh(quote)
    assert (quote.status, quote.production_note) == (Q.IN_PRODUCTION, "Bodies carved")
    [mail] = outbox(app)
    assert mail["Subject"] == f"Production update for your quote {quote.number}"
    assert "Bodies carved" in mail.get_body(("plain",)).get_content()
    followed(signed_in, post(signed_in, quote, "progress", note="Livery painted"))
    assert fresh(quote).production_note == "Livery painted"


@pytest.mark.parametrize("action", ["offer", "messages", "progress"])
def test_quote_actions_need_the_csrf_token(app, signed_in, quote, action) -> None:
    data = offer_form() | {"body": "Hello", "note": "Carved"}
    response = signed_in.post(f"/admin/quotes/{quote.id}/{action}", data=data)
    assert response.status_code == 400
    quote = fresh(quote)
    assert (quote.status, quote.offers, quote.messages, len(quote.events)) == (Q.NEW, [], [], 1)
    assert outbox(app) == []


def test_wanted_by_dates_show_in_the_inbox(app, signed_in, quote) -> None:
    page = signed_in.get("/admin/quotes").get_data(as_text=True)
    wanted: date = quote.wanted_by
    assert f"{wanted.day} {wanted:%b} {wanted.year}" in page
