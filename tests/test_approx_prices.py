"""Buyers abroad see an approximate price in their currency beside every rupiah price."""

from __future__ import annotations

import pytest

from shop.extensions import db
from shop.services import currency
from tests.factories import make_category, make_product, make_workshop


@pytest.fixture
def bowl(app):
    product = make_product(
        "Sono bowl", category=make_category(), workshop=make_workshop(), prices=(150_000,)
    )
    db.session.commit()
    currency.set_rates(
        {"USD": 162_500_000, "JPY": 1_085_000, "KRW": 117_500, "EUR": 189_000_000}, "test"
    )
    return product


def page(client, path: str, language: str = "en") -> str:
    return client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "≈ $9.23"), ("ja", "≈ ￥1,382"), ("ko", "≈ ₩12,766")],
)
def test_the_visitors_language_picks_the_currency(client, bowl, language, shown) -> None:
    for path in ("/products", f"/products/{bowl.slug}"):
        html = page(client, path, language)
        assert shown in html, path
        assert "approximately" in html or language != "en"  # said in words for screen readers


def test_indonesian_visitors_see_rupiah_alone(client, bowl) -> None:
    html = page(client, f"/products/{bowl.slug}", "id")
    assert "Rp\xa0150.000" in html and "≈" not in html


def test_the_choice_is_remembered_and_rupiah_only_is_a_choice(client, bowl) -> None:
    response = client.get("/currency", query_string={"code": "eur", "next": "/products"})
    assert response.status_code == 302 and response.headers["Location"] == "/products"
    assert "≈ €7.94" in page(client, "/products")
    client.get("/currency", query_string={"code": "IDR"})
    html = page(client, "/products")
    assert "≈" not in html and "IDR\xa0150,000" in html


def test_bad_currency_choices_change_nothing(client, bowl) -> None:
    assert client.get("/currency", query_string={"code": "XAU"}).status_code == 404
    response = client.get("/currency", query_string={"code": "JPY", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_the_footer_says_the_figures_are_approximate_and_how_old_the_rates_are(client, bowl):
    html = page(client, "/products")
    assert "Amounts marked ≈ are approximate, in US Dollar at our exchange rates of" in html
    assert "You pay in rupiah." in html


def test_without_a_rate_no_figure_is_invented(client, app) -> None:
    product = make_product(
        "Teak spoon", category=make_category(), workshop=make_workshop(), prices=(50_000,)
    )
    db.session.commit()
    html = page(client, f"/products/{product.slug}")
    assert "≈" not in html and "data-approx-note" not in html


def test_cached_pages_keep_currencies_apart_and_follow_a_new_rate(client, bowl) -> None:
    assert "≈ $9.23" in page(client, "/products")
    client.get("/currency", query_string={"code": "JPY"})
    assert "≈ ¥1,382" in page(client, "/products")  # English writes yen with ¥
    currency.set_rates({"JPY": 1_000_000}, "test")
    assert "≈ ¥1,500" in page(client, "/products")


def test_the_cart_shows_the_approximation(client, bowl) -> None:
    from tests.test_cart import add

    add(client, bowl.variants[0].sku, "2")
    assert "≈ $18.46" in client.get("/cart").get_data(as_text=True)
