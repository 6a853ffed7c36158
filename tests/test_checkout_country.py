"""Right country and currency first time: checkout preselects the buyer's likely country from
their language and browser region, always changeable; an earlier choice or the address
book's default wins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order
from shop.services import currency
from shop.services.accounts import addresses
from shop.services.ordering.destination import guess_country
from tests.factories import csrf_from, shop_with_stock
from tests.test_account_addresses import details
from tests.test_accounts import customer, fresh_g, quick_hashes, sign_in  # noqa: F401
from tests.test_cart import add, token_for

SHIPPED = {"ID", "JP", "KR", "GB", "DE", "FR", "NL", "US", "SG", "AU"}


@pytest.mark.parametrize(
    ("locale", "accepted", "country"),
    [
        ("ja", ["ja-JP", "ja", "en"], "JP"),
        ("ja", ["ja"], "JP"),
        ("ja", ["en-US"], "JP"),  # reads the shop in Japanese: Japan before the browser's US
        ("ko", ["ko-KR", "ko"], "KR"),
        ("en", ["en-GB", "en"], "GB"),
        ("en", ["en-US", "en"], "US"),
        ("en", ["de-DE", "de", "en"], "DE"),
        ("en", ["fr", "en"], "FR"),
        ("en", ["nl-NL"], "NL"),
        ("id", ["id-ID", "id"], "ID"),
        ("id", [], "ID"),
        ("en", ["en"], None),  # English alone says nothing about the country
        ("en", ["en-ZZ", "*"], None),  # a region the shop doesn't ship to
        ("en", [], None),
    ],
)
def test_the_country_follows_the_language_and_the_browser_region(locale, accepted, country) -> None:
    assert guess_country(locale, accepted, SHIPPED) == country


@pytest.mark.parametrize(
    ("locale", "country", "shown"),
    [("en", "GB", "GBP"), ("en", "DE", "EUR"), ("en", "FR", "EUR"), ("en", "NL", "EUR"),
     ("en", None, "USD"), ("en", "US", "USD"), ("ja", "JP", "JPY"), ("ko", "KR", "KRW"),
     ("id", "ID", None), ("id", "GB", None)],
)  # fmt: skip
def test_the_currency_follows_the_country_where_the_shop_shows_it(locale, country, shown) -> None:
    assert currency.currency_for(locale, country) == shown


@pytest.fixture
def basket(app):
    product = shop_with_stock(stock=5)
    currency.set_rates(
        {"USD": 162_500_000, "JPY": 1_085_000, "KRW": 117_500, "EUR": 189_000_000,
         "GBP": 218_000_000}, "test",
    )  # fmt: skip
    return product


def checkout_page(client, language: str) -> str:
    return client.get("/checkout", headers={"Accept-Language": language}).get_data(as_text=True)


def selected_country(page: str) -> str | None:
    """The country the page's destination list has selected."""
    picked = re.search(r'<option selected value="([A-Z]{2})"', page) or re.search(
        r'<option value="([A-Z]{2})" selected', page
    )
    return picked.group(1) if picked else None


@pytest.mark.parametrize(
    ("language", "country", "approx"),
    [("ja-JP,ja;q=0.9", "JP", "￥"), ("ko-KR,ko;q=0.9", "KR", "₩"),
     ("en-GB,en;q=0.8", "GB", "£"), ("de-DE,de;q=0.9,en;q=0.5", "DE", "€"),
     ("id-ID,id;q=0.9", "ID", None)],
)  # fmt: skip
def test_checkout_preselects_the_buyers_country_and_prices_its_shipping(
    client, basket, language, country, approx
) -> None:
    add(client, basket.variants[0].sku, "1")
    page = checkout_page(client, language)
    assert selected_country(page) == country
    assert "data-shipping>IDR" in page or "data-shipping>Rp" in page  # priced for it already
    assert page.count("<option") > 20  # every destination stays on offer
    if approx:
        assert f"≈ {approx}" in page or f"≈ {approx}" in page.replace("&nbsp;", " ")
    # The cart page shows the same estimate, preselected too.
    cart = client.get("/cart", headers={"Accept-Language": language}).get_data(as_text=True)
    assert selected_country(cart) == country


def test_english_alone_preselects_nothing(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    page = checkout_page(client, "en")
    assert selected_country(page) is None
    assert "Shipping is added for the country you choose." in page


def test_a_country_chosen_in_the_cart_wins_over_the_guess(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    client.post("/cart/destination", data={"country": "FR", "csrf_token": token_for(client)})
    assert selected_country(checkout_page(client, "ja-JP,ja")) == "FR"


def test_the_address_books_default_wins_over_the_guess(client, basket, customer) -> None:  # noqa: F811
    addresses.add_address(customer, details(country="SG"))
    db.session.commit()
    sign_in(client)
    add(client, basket.variants[0].sku, "1")
    assert selected_country(checkout_page(client, "ko-KR,ko")) == "SG"


def test_the_guess_can_be_changed_at_checkout(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    page = checkout_page(client, "ja-JP,ja")
    response = client.post(
        "/checkout",
        data={"email": "mia@example.com", "country": "US", "csrf_token": csrf_from(page)},
        headers={"Accept-Language": "ja-JP,ja"},
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Order.shipping_country)) == "US"


def test_the_listing_shows_pounds_to_a_british_visitor_and_a_choice_still_wins(
    client, basket
) -> None:
    british = {"Accept-Language": "en-GB,en;q=0.9"}
    assert "≈ £" in client.get("/products", headers=british).get_data(as_text=True)
    assert "≈ $" in client.get("/products", headers={"Accept-Language": "en-US"}).get_data(
        as_text=True
    )
    client.get("/currency", query_string={"code": "JPY"})
    assert "≈ ¥1,382" in client.get("/products", headers=british).get_data(as_text=True)


def test_english_mails_show_the_parcels_currency_and_others_their_own() -> None:
    from shop.services.ordering.presentation import mail_currency

    assert mail_currency("en", "GB") == "GBP"
    assert mail_currency("en", "DE") == "EUR"
    assert mail_currency("en", "ID") == "USD"
    assert mail_currency("ja", "US") == "JPY"  # a Japanese buyer's gift abroad: still yen
    assert mail_currency("id", "GB") is None
