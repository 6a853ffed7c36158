"""Quote and pro-forma PDFs: on the buyer's quote page and attached to the offer mail."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from shop.extensions import db
from shop.models import QuoteRequest
from shop.services.money import format_idr
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import requests as quotes
from tests.test_admin_quotes import an_offer, make_quote, offer_form, outbox, post

ORGANISATION = "日本航空株式会社"


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


@pytest.fixture
def quote(app) -> QuoteRequest:
    quote = make_quote(app, organisation=ORGANISATION)
    quote.locale = "ja"
    db.session.commit()
    return quote


def test_the_offer_mail_carries_the_quote_and_the_pro_forma(app, client, auth, staff_user, quote):
    auth.login(staff_user.email)
    response = post(client, quote, "offer", **offer_form())
    assert response.status_code == 303
    [mail] = outbox(app)
    files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert set(files) == {f"{quote.number}-quote-v1.pdf", f"{quote.number}-proforma-v1.pdf"}
    assert "/quote/" in mail.get_body(("plain",)).get_content()  # the body is still there
    total = re.sub(r"\s+", "", format_idr(56_000_000, "ja"))
    proforma = text_of(files[f"{quote.number}-proforma-v1.pdf"])
    for expected in (quote.number, ORGANISATION, total, "BMRIIDJA", "123-00-0000000-0"):
        assert expected in proforma, expected
    assert "(demo)" in proforma  # beneficiary and legal name (demo defaults)
    offer = text_of(files[f"{quote.number}-quote-v1.pdf"])
    assert total in offer and "BMRIIDJA" not in offer  # bank details only on the pro-forma


def test_the_buyer_downloads_them_from_the_quote_page_only_with_its_link(app, client, quote):
    assert client.get(f"/quote/{quote.token}/quote.pdf").status_code == 404  # no offer yet
    quote_offers.send_offer(quote, an_offer(), actor="staff@example.com")
    page = client.get(f"/quote/{quote.token}").get_data(as_text=True)
    assert f"/quote/{quote.token}/proforma.pdf" in page
    response = client.get(f"/quote/{quote.token}/proforma.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert quote.number in text_of(response.data)
    assert client.get(f"/quote/{quote.token}x/proforma.pdf").status_code == 404
    assert client.get(f"/quote/{quote.token}/other.pdf").status_code == 404
    quotes.decline(quote, "too expensive")  # a declined quote asks for no payment
    assert client.get(f"/quote/{quote.token}/proforma.pdf").status_code == 404
    assert client.get(f"/quote/{quote.token}/quote.pdf").status_code == 200
