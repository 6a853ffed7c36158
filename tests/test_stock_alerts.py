"""Stock you can trust: sold-out pieces can't be bought, and "email me when it is back"
sends one mail, once, to confirmed addresses, in the transaction that restocks."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import AlertStatus, StockAlert, StockReason, Variant
from shop.services.catalog import stock_alerts
from shop.services.ordering import stock
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.races import run_together, values
from tests.test_stock_adjustments import adjust

STAFF = "siti@karyabinaan.example"
BUYER = "aiko@example.jp"
SAME_ANSWER = "Unless this address is signed up already, we have sent it a link"


@pytest.fixture
def sold_out(app) -> Variant:
    """A piece that is not made to order, with nothing left on the shelf."""
    product = make_product(
        "Water hyacinth basket", category=make_category(), workshop=make_workshop(),
        stock=0, slug="hyacinth-basket",
    )  # fmt: skip
    db.session.commit()
    return product.variants[0]


@dataclass(frozen=True)
class Mail:
    """A mail as it left the shop."""

    subject: str
    text: str
    html: str


def mails_to(address: str) -> list[Mail]:
    """The mails delivered to the address (the test outbox), oldest first."""
    folder = Path(current_app.config["MAIL_OUTBOX"])
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name)):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            html_part = message.get_body(("html",))
            found.append(Mail(
                str(message["Subject"]), message.get_body(("plain",)).get_content(),
                html_part.get_content() if html_part else "",
            ))  # fmt: skip
    return found


def restock_mails(address: str) -> list[Mail]:
    """The back-in-stock mails the address got."""
    return [m for m in mails_to(address) if "/stock-alerts/unsubscribe/" in m.text]


def sign_up(client, variant: Variant, address: str = BUYER, lang: str = "en"):
    page = client.get(f"/products/{variant.product.slug}?lang={lang}").get_data(as_text=True)
    return client.post(
        f"/products/{variant.product.slug}/notify?lang={lang}",
        data={"variant": variant.sku, "email": address, "csrf_token": csrf_from(page)},
        follow_redirects=True,
    )


def link_in(mail: Mail, kind: str) -> str:
    return re.search(rf"http://localhost(/stock-alerts/{kind}/\S+)", mail.text).group(1)


def subscribed(client, variant: Variant, address: str = BUYER) -> StockAlert:
    """Sign up and confirm; return the armed alert."""
    sign_up(client, variant, address)
    [confirmation] = mails_to(address)
    assert client.get(link_in(confirmation, "confirm")).status_code == 200
    db.session.expire_all()
    alert = db.session.scalar(select(StockAlert).where(StockAlert.email == address))
    assert alert.status == AlertStatus.ACTIVE
    return alert


def restock(variant: Variant, delta: int = 3) -> None:
    stock.adjust(variant, delta=delta, reason=StockReason.PRODUCED, actor=STAFF)


# --- Sold out on the listing and the product page ---------------------------------------


def test_a_sold_out_piece_has_its_button_disabled_and_the_server_refuses_it(
    client, sold_out
) -> None:
    page = client.get("/products/hyacinth-basket").get_data(as_text=True)
    assert re.search(r"data-add-button disabled", page)
    assert "Sold out" in page and 'id="stock-alert"' in page
    response = client.post(
        "/cart/add",
        data={"variant": sold_out.sku, "quantity": "1", "csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    assert "Sorry, that option is sold out." in response.get_data(as_text=True)
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)


def test_made_to_order_and_in_stock_pieces_offer_no_alert(client, sold_out) -> None:
    product = sold_out.product
    product.made_to_order = True
    db.session.commit()
    page = client.get("/products/hyacinth-basket").get_data(as_text=True)
    assert 'id="stock-alert"' not in page and "data-add-button disabled" not in page
    product.made_to_order, sold_out.stock = False, 2
    db.session.commit()
    page = client.get("/products/hyacinth-basket").get_data(as_text=True)
    assert 'id="stock-alert"' not in page and "data-add-button disabled" not in page


# --- Signing up: double opt-in, same answer, limits ---------------------------------------


def test_signing_up_sends_a_confirmation_link_and_only_the_link_arms_the_alert(
    client, sold_out
) -> None:
    answer = sign_up(client, sold_out).get_data(as_text=True)
    assert SAME_ANSWER in answer
    [confirmation] = mails_to(BUYER)
    alert = db.session.scalar(select(StockAlert))
    assert alert.status == AlertStatus.PENDING
    restock(sold_out)
    assert len(mails_to(BUYER)) == 1  # not confirmed: no restock mail

    assert client.get("/stock-alerts/confirm/not-a-token").status_code == 404
    tampered = link_in(confirmation, "confirm")[:-3] + "abc"
    assert client.get(tampered).status_code == 404
    confirmed = client.get(link_in(confirmation, "confirm"))
    assert confirmed.status_code == 200 and "on the list" in confirmed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StockAlert, alert.id).status == AlertStatus.ACTIVE


def test_the_answer_is_the_same_whatever_the_address_history(client, sold_out) -> None:
    first = sign_up(client, sold_out).get_data(as_text=True)
    again_pending = sign_up(client, sold_out).get_data(as_text=True)
    [first_mail, second_mail] = mails_to(BUYER)  # a lost mail can be asked for again
    client.get(link_in(first_mail, "confirm"))
    again_armed = sign_up(client, sold_out).get_data(as_text=True)
    assert len(mails_to(BUYER)) == 2  # armed: nothing more is sent
    for answer in (first, again_pending, again_armed):
        assert SAME_ANSWER in answer
    assert db.session.scalar(select(func.count(StockAlert.id))) == 1


def test_confirmation_mails_stop_after_a_few(client, sold_out) -> None:
    for _ in range(stock_alerts.MAX_CONFIRMATIONS + 2):
        assert SAME_ANSWER in sign_up(client, sold_out).get_data(as_text=True)
    assert len(mails_to(BUYER)) == stock_alerts.MAX_CONFIRMATIONS


def test_the_sign_up_form_needs_csrf_a_valid_address_and_a_sold_out_option(
    client, sold_out
) -> None:
    no_token = client.post(
        "/products/hyacinth-basket/notify", data={"variant": sold_out.sku, "email": BUYER}
    )
    assert no_token.status_code == 400
    bad = sign_up(client, sold_out, address="not an address").get_data(as_text=True)
    assert "Enter a valid email address" in bad
    sold_out.stock = 4
    db.session.commit()
    in_stock = sign_up(client, sold_out).get_data(as_text=True)
    assert "available now" in in_stock
    assert db.session.scalar(select(func.count(StockAlert.id))) == 0
    assert mails_to(BUYER) == []


def test_sign_ups_are_rate_limited_per_address(client, sold_out) -> None:
    for _ in range(5):
        sign_up(client, sold_out)
    page = client.get("/products/hyacinth-basket").get_data(as_text=True)
    limited = client.post(
        "/products/hyacinth-basket/notify",
        data={"variant": sold_out.sku, "email": BUYER, "csrf_token": csrf_from(page)},
    )
    assert limited.status_code == 429


def test_the_confirmation_mail_is_in_the_buyers_language(client, sold_out) -> None:
    sign_up(client, sold_out, lang="ja")
    [mail] = mails_to(BUYER)
    alert = db.session.scalar(select(StockAlert))
    assert alert.locale == "ja"
    # Needs the merged ja catalog: the subject is then in Japanese, not English.
    assert not mail.subject.startswith("Confirm your back-in-stock alert")


# --- Restocking sends one mail, once --------------------------------------------------------


def test_staff_restocking_from_zero_sends_one_mail_per_armed_alert_once(client, sold_out) -> None:
    subscribed(client, sold_out)
    restock(sold_out, 3)
    mails = restock_mails(BUYER)
    assert len(mails) == 1
    assert "is back in stock" in mails[0].subject
    assert "/products/hyacinth-basket?variant=" in mails[0].text
    assert "/stock-alerts/unsubscribe/" in mails[0].html
    # Sold out and restocked again: the subscription was used, nothing more is sent.
    restock(sold_out, -3)
    restock(sold_out, 2)
    assert len(restock_mails(BUYER)) == 1


def test_a_restock_that_does_not_start_from_zero_sends_nothing(client, sold_out) -> None:
    subscribed(client, sold_out)
    sold_out.stock = 1
    db.session.commit()
    restock(sold_out, 2)
    assert not restock_mails(BUYER)


def test_counting_and_the_admin_form_restock_too(client, auth, staff_user, sold_out) -> None:
    subscribed(client, sold_out)
    other = "minji@example.kr"
    subscribed(client, sold_out, other)
    auth.login(staff_user.email)
    adjust(client, sold_out, counted="6", reason="count", note="")
    for address in (BUYER, other):
        assert len(restock_mails(address)) == 1


def test_a_rolled_back_restock_sends_nothing(client, sold_out) -> None:
    alert = subscribed(client, sold_out)
    stock.change(sold_out, 5, StockReason.PRODUCED, STAFF)
    db.session.rollback()
    assert not restock_mails(BUYER)
    assert db.session.get(StockAlert, alert.id).status == AlertStatus.ACTIVE


def test_one_click_unsubscribes_and_no_mail_follows(client, sold_out) -> None:
    alert = subscribed(client, sold_out)
    token = stock_alerts.make_token(alert, stock_alerts.UNSUBSCRIBE_SALT)
    assert client.get("/stock-alerts/unsubscribe/forged").status_code == 404
    page = client.get(f"/stock-alerts/unsubscribe/{token}")
    assert page.status_code == 200 and "Unsubscribed" in page.get_data(as_text=True)
    restock(sold_out)
    assert not restock_mails(BUYER)


def test_the_restock_mail_is_in_the_buyers_language_with_its_link(client, sold_out) -> None:
    alert = subscribed(client, sold_out)
    db.session.get(StockAlert, alert.id).locale = "ko"
    db.session.commit()
    restock(sold_out)
    [mail] = restock_mails(BUYER)
    assert "lang=ko" in mail.text
    # Needs the merged ko catalog: the subject is then in Korean.
    assert "back in stock" not in mail.subject


def test_two_restocks_at_once_send_one_mail(client, app, sold_out) -> None:
    for round_ in range(3):
        address = f"buyer{round_}@example.jp"
        subscribed(client, sold_out, address)
        variant_id = sold_out.id

        def side(variant_id: int = variant_id) -> None:
            restock(db.session.get(Variant, variant_id), 2)

        values(run_together(app, side, side))
        assert len(restock_mails(address)) == 1
        stock.adjust(sold_out, counted=0, reason=StockReason.COUNT, actor=STAFF)


def test_two_claims_of_one_alert_at_once_queue_one_mail(client, app, sold_out) -> None:
    subscribed(client, sold_out)
    variant_id = sold_out.id

    def claim() -> int:
        with app.test_request_context():
            queued = stock_alerts.restocked(variant_id)
            db.session.commit()
            return queued

    assert sorted(values(run_together(app, claim, claim))) == [0, 1]
    assert len(restock_mails(BUYER)) == 1


def test_a_request_left_unconfirmed_past_its_links_can_start_over(client, sold_out) -> None:
    for _ in range(stock_alerts.MAX_CONFIRMATIONS):
        sign_up(client, sold_out)
    alert = db.session.scalar(select(StockAlert))
    alert.created_at = datetime.now(UTC) - stock_alerts.CONFIRM_VALID - timedelta(hours=1)
    db.session.commit()
    sign_up(client, sold_out)
    assert len(mails_to(BUYER)) == stock_alerts.MAX_CONFIRMATIONS + 1


def test_a_catalog_import_that_restocks_sends_the_mail(client, auth, staff_user, sold_out) -> None:
    from tests.test_catalog_csv import export, rows_of, to_csv, upload

    subscribed(client, sold_out)
    auth.login(staff_user.email)
    rows = rows_of(export(client))
    for row in rows:
        if row["sku"] == sold_out.sku:
            row["stock"] = "4"
    assert upload(client, to_csv(rows)).status_code == 303
    db.session.expire_all()
    assert db.session.get(Variant, sold_out.id).stock == 4
    assert len(restock_mails(BUYER)) == 1


def test_staff_see_how_many_buyers_wait_for_an_option(client, auth, staff_user, sold_out) -> None:
    subscribed(client, sold_out)
    sign_up(client, sold_out, "pending@example.jp")  # not confirmed: not counted
    auth.login(staff_user.email)
    page = client.get(f"/admin/products/{sold_out.product_id}?lang=en").get_data(as_text=True)
    assert "1 buyer waits for an email when this is back in stock." in page
    restock(sold_out)
    page = client.get(f"/admin/products/{sold_out.product_id}?lang=en").get_data(as_text=True)
    assert "data-waiting" not in page
