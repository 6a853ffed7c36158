"""Buyers in Japan and Korea walk from a product to the cart in their own language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shop.services import currency


@pytest.fixture
def rates(live_app) -> None:
    """The demo exchange rates on the live server."""
    with live_app.app_context():
        currency.set_rates({"JPY": 1_085_000, "KRW": 117_500}, "test")


@pytest.mark.parametrize(
    ("language", "name", "add", "cart_heading", "symbol"),
    [
        ("ja", "Boeing 777-300ER ディスプレイモデル", "カートに入れる", "カート", "￥"),
        ("ko", "Boeing 777-300ER 전시용 모형", "장바구니 담기", "장바구니", "₩"),
    ],
)
def test_product_to_cart_in_japanese_and_korean(
    chromium, live_server, rates, language, name, add, cart_heading, symbol
) -> None:
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/products/boeing-777-300er-display-model")
        expect(tab.locator("html")).to_have_attribute("lang", language)
        expect(tab.get_by_role("heading", level=1)).to_have_text(name)  # staff's translation
        expect(tab.locator(".notice.untranslated")).to_have_count(0)
        expect(tab.locator("[data-selected-approx]")).to_contain_text(symbol)
        tab.get_by_role("button", name=add).click()
        tab.goto("/cart")
        expect(tab.get_by_role("heading", level=1)).to_contain_text(cart_heading)
        expect(tab.locator("[data-total], [data-subtotal]").first).to_contain_text(symbol)
        expect(tab.locator(".cart-line").first).to_contain_text(name)
    finally:
        context.close()
