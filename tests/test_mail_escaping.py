"""What buyers type reaches staff and buyers by mail as text: never a live link, tag or script.

Every buyer-writable field (names, organisation, quote texts, messages, notes, the shipping
name and address from the payment) carries markup and links, is sent through the real pages,
and every mail the shop sends is read back from the outbox.
"""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from shop.extensions import db
from shop.models import Customer, Order, QuoteRequest
from shop.services.ordering.shipping import install_default_zones
from tests.factories import csrf_from, shop_with_stock
from tests.test_accounts import register
from tests.test_admin_orders import act
from tests.test_admin_quotes import offer_form
from tests.test_cart import add
from tests.test_checkout import checkout
from tests.test_quotes import ACCEPT, form_data, send_request

LINK = '<a href="https://evil.example">x</a>'
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = f"{LINK} {IMG} \"quotes' javascript:alert(1)"
SHORT = "<svg onload=x>1:100"  # the scale field takes 20 characters
ESCAPED = ("&lt;img src=x onerror=alert(1)&gt;", "&lt;svg onload=x&gt;1:100")
# Every tag the mail layouts themselves use; anything else came from a buyer.
LAYOUT_TAGS = {"html", "head", "meta", "title", "body", "table", "tr", "td", "p", "a", "br",
               "strong", "span"}  # fmt: skip
HTML_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
SITE = "http://localhost/"  # the test client's host: tests build links from the request


class Tags(HTMLParser):
    """Collect every start tag and its attributes, as a mail client's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def outbox(app: Flask) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files]


def assert_inert(mail: email.message.EmailMessage) -> None:
    """The HTML part has only the layout's own tags and links; the text part is plain text."""
    subject = mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert not HTML_ENTITY.search(text), (subject, "HTML escaping in the text part", text)
    part = mail.get_body(("html",))
    if part is None:
        return
    html = part.get_content()
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in LAYOUT_TAGS, (subject, tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (subject, tag, name)
            assert "evil.example" not in (value or ""), (subject, tag, name, value)
            assert "javascript:" not in (value or "").lower(), (subject, tag, name, value)
        if tag == "a":
            assert (dict(attrs).get("href") or "").startswith(SITE), (subject, attrs)
    assert "<img" not in html and "<svg" not in html and 'href="https://evil' not in html


def carries_buyer_text(mail: email.message.EmailMessage) -> bool:
    """Whether the mail shows the hostile text: escaped in HTML, unchanged in plain text."""
    text = mail.get_body(("plain",)).get_content()
    raw = IMG in text or SHORT in text
    part = mail.get_body(("html",))
    if part is None:
        return raw
    return raw and any(escaped in part.get_content() for escaped in ESCAPED)


@pytest.fixture
def zones(app: Flask) -> None:
    install_default_zones()
    db.session.commit()


def buyer_post(client, path: str, **data):
    """Post a form of the buyer's quote page, with that page's CSRF token."""
    page = client.get(path.rsplit("/", 1)[0]).get_data(as_text=True)
    return client.post(path, data=data | {"csrf_token": csrf_from(page)})


def staff_post(client, quote: QuoteRequest, action: str, **data):
    """Post a form of the staff's quote page, with that page's CSRF token."""
    page = client.get(f"/admin/quotes/{quote.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/quotes/{quote.id}/{action}", data={"csrf_token": csrf_from(page), **data}
    )
    assert response.status_code == 303, (action, response.status_code)
    return response


def pay_on_demo_page(client, location: str):
    """Pay on the demo payment page with a hostile name and address, as a payment event."""
    page = client.get(location).get_data(as_text=True)
    response = client.post(
        location,
        data={"name": HOSTILE, "line1": HOSTILE, "city": IMG, "postal_code": '"><b>1',
              "csrf_token": csrf_from(page)},
    )  # fmt: skip
    assert response.status_code == 303
    return response


HOSTILE_QUOTE = {
    "organisation": HOSTILE,
    "contact_name": HOSTILE,
    "aircraft_type": HOSTILE,
    "livery": HOSTILE,
    "scale": SHORT,
    "finish_notes": HOSTILE,
    "phone": '"><img src=x>',
}


def test_a_hostile_quote_buyer_gets_only_text_into_every_quote_and_order_mail(
    app, client, auth, staff_user, zones
) -> None:
    assert send_request(client, **form_data(**HOSTILE_QUOTE)).status_code == 303
    quote = db.session.scalar(select(QuoteRequest))
    assert quote.aircraft_type == HOSTILE  # kept as typed: escaping is the template's job
    page = f"/quote/{quote.token}"
    assert buyer_post(client, f"{page}/message", body=HOSTILE).status_code == 303
    auth.login(staff_user.email)
    staff_post(client, quote, "offer", **offer_form(notes=HOSTILE))
    staff_post(client, quote, "messages", body=HOSTILE)
    hostile_details = {
        name: HOSTILE[:110]
        for name in ("company_name", "delivery_name", "delivery_line1", "delivery_city")
    }
    accepted = buyer_post(client, f"{page}/accept", version="1", **ACCEPT | hostile_details)
    assert accepted.status_code == 303
    paying = buyer_post(client, f"{page}/pay")
    assert "/demo-pay/" in paying.headers["Location"]
    pay_on_demo_page(client, paying.headers["Location"])
    db.session.expire_all()
    order = db.session.get(Order, db.session.get(QuoteRequest, quote.id).order_id)
    assert order.ship_name == HOSTILE and order.ship_city == IMG
    staff_post(client, quote, "progress", note=HOSTILE)
    act(client, order, "packed")
    act(client, order, "shipped", carrier="DHL", tracking_number="JD014600006281")
    act(client, order, "refund", amount="1000", reason=HOSTILE)
    # A second request, declined by the buyer with a hostile reason.
    assert send_request(client, **form_data(**HOSTILE_QUOTE)).status_code == 303
    second = db.session.scalars(select(QuoteRequest).order_by(QuoteRequest.id.desc())).first()
    decline = f"/quote/{second.token}/decline"
    assert buyer_post(client, decline, reason=HOSTILE).status_code == 303

    mails = outbox(app)
    subjects = [m["Subject"] for m in mails]
    for expected in (
        f"We received your quote request {quote.number}",
        f"Your quote {quote.number} is ready",
        f"A new message about your quote {quote.number}",
        f"Production update for your quote {quote.number}",
        f"Your Karya Binaan order {order.number}",
        f"Your Karya Binaan order {order.number} is on its way",
        f"A refund for your Karya Binaan order {order.number}",
    ):
        assert expected in subjects, (expected, subjects)
    to_staff = [m for m in mails if m["To"] == app.config["STAFF_EMAIL"]]
    # Staff hear of both requests, the buyer's message, the acceptance, the decline and the
    # paid order (in Indonesian).
    assert len(to_staff) >= 6, [m["Subject"] for m in to_staff]
    for mail in mails:
        assert_inert(mail)
    to_buyer = [m for m in mails if m["To"] == "sari@airline.example"]
    assert all(m.get_body(("html",)) is not None for m in to_buyer)
    about_quotes = [
        m for m in to_staff if quote.number in m["Subject"] or second.number in m["Subject"]
    ]
    assert len(about_quotes) == 5
    for mail in to_buyer + about_quotes:
        assert carries_buyer_text(mail), mail["Subject"]


def test_a_hostile_name_and_address_stay_text_in_order_sign_up_and_password_mails(
    app, client
) -> None:
    product = shop_with_stock(stock=5)
    install_default_zones()
    db.session.commit()
    assert register(client, email="aiko@example.jp", name=HOSTILE,
                    organisation=HOSTILE).status_code in (302, 303)  # fmt: skip
    customer = db.session.scalar(select(Customer))
    assert customer.name == HOSTILE
    add(client, product.variants[0].sku, "1")
    redirect = checkout(client, email="aiko@example.jp")
    assert redirect.status_code == 303
    pay_on_demo_page(client, redirect.headers["Location"])
    forgot = client.get("/account/password/forgot").get_data(as_text=True)
    client.post("/account/password/forgot",
                data={"email": "aiko@example.jp", "csrf_token": csrf_from(forgot)})  # fmt: skip

    mails = outbox(app)
    to_buyer = [m for m in mails if m["To"] == "aiko@example.jp"]
    subjects = [m["Subject"] for m in to_buyer]
    assert "Confirm your email address for Karya Binaan" in subjects
    assert "Choose a new password for Karya Binaan" in subjects
    assert any(s.startswith("Your Karya Binaan order") for s in subjects), subjects
    assert any(m["To"] == app.config["STAFF_EMAIL"] for m in mails)
    for mail in mails:
        assert_inert(mail)
    for mail in to_buyer:
        assert carries_buyer_text(mail), mail["Subject"]


def test_a_line_break_in_the_organisation_neither_adds_headers_nor_stops_the_staff_notice(
    app, client, zones
) -> None:
    organisation = "Garuda\r\nBcc: spy@evil.example"
    assert send_request(client, **form_data(organisation=organisation)).status_code == 303
    [notice] = [m for m in outbox(app) if m["To"] == app.config["STAFF_EMAIL"]]
    assert notice["Bcc"] is None
    assert "Garuda Bcc: spy@evil.example" in notice["Subject"]
    assert "\n" not in notice["Subject"]
