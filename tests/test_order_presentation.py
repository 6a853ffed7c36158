"""Orders speak the buyer's language: item names, country, times in their zone, ≈ their currency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shop.extensions import db
from shop.gateways.mail import MailMessage
from shop.models import ProductTranslation
from shop.services import currency
from shop.services.ordering import presentation
from shop.services.ordering.mail import send_order_confirmation
from tests.factories import shop_with_stock
from tests.order_factories import make_order

PLACED = datetime(2026, 12, 4, 16, 15, tzinfo=UTC)


class Outbox:
    def __init__(self) -> None:
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        self.sent.append(message)


@pytest.fixture
def order(app):
    basket = shop_with_stock()
    basket.translations.append(ProductTranslation(locale="ja", name="籐のかご"))
    basket.translations.append(ProductTranslation(locale="ko", name="라탄 바구니"))
    db.session.commit()
    currency.set_rates({"USD": 162_500_000, "JPY": 1_085_000, "KRW": 117_500}, "test")
    order = make_order(basket.variants[0], created_at=PLACED)
    for event in order.events:
        event.created_at = PLACED
    db.session.commit()
    return order


def page(client, order, language: str) -> str:
    response = client.get(f"/orders/{order.token}", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_japanese_buyer_reads_names_country_time_and_yen(client, order) -> None:
    html = page(client, order, "ja")
    assert "籐のかご" in html and "Rattan basket" not in html
    assert "日本" in html and "<br>JP</address>" not in html
    assert "2026/12/05 1:15:00 JST" in html  # 16:15 UTC is 01:15 the next day in Tokyo
    assert "UTC" not in html
    assert "≈ ￥" in html


def test_a_korean_buyer_reads_korean(client, order) -> None:
    html = page(client, order, "ko")
    assert "라탄 바구니" in html and "일본" in html and "≈ ₩" in html


def test_english_keeps_the_name_as_bought_and_names_the_zone(client, order) -> None:
    html = page(client, order, "en")
    assert "Rattan basket" in html and "Japan" in html and "JST" in html and "≈ $" in html


def test_a_deleted_product_still_shows_its_frozen_name(client, order) -> None:
    order.lines[0].variant_id = None
    db.session.commit()
    assert "Rattan basket" in page(client, order, "ja")


@pytest.mark.parametrize(
    ("country", "zone"),
    [("JP", "Asia/Tokyo"), ("KR", "Asia/Seoul"), ("GB", "Europe/London"),
     ("ID", "Asia/Jakarta"), ("US", "UTC"), ("AU", "UTC"), ("", "UTC"), ("ZZ", "UTC")],
)  # fmt: skip
def test_the_buyers_zone_is_their_countrys_when_it_keeps_one_clock(country, zone) -> None:
    assert str(presentation.buyer_zone(country)) == zone


def test_the_confirmation_mail_speaks_the_buyers_language(app, order) -> None:
    order.locale = "ja"
    db.session.commit()
    mailer = Outbox()
    send_order_confirmation(mailer, order, "https://shop.example/orders/x")
    [mail] = mailer.sent
    assert "籐のかご" in mail.text and "Rattan basket" not in mail.text
    assert "≈ ￥" in mail.text and "≈ ￥" in mail.html
