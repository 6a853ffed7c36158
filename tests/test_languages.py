"""Reading the storefront in English or Bahasa Indonesia."""

from __future__ import annotations

import pytest

from shop.extensions import db
from tests.factories import make_category, make_product, make_workshop


@pytest.fixture
def bowl(app):
    product = make_product(
        "Sono bowl",
        category=make_category(),
        workshop=make_workshop(),
        prices=(100_000,),
    )
    db.session.commit()
    return product


def test_english_is_the_default(client, bowl) -> None:
    page = client.get("/products").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "IDR\xa0100,000" in page


def test_browser_language_is_used_on_a_first_visit(client, bowl) -> None:
    page = client.get("/products", headers={"Accept-Language": "id-ID,id;q=0.9"})
    assert '<html lang="id">' in page.get_data(as_text=True)


def test_switching_to_indonesian_is_remembered(client, bowl) -> None:
    response = client.get("/language/id?next=/products")
    assert response.status_code == 302
    assert response.headers["Location"] == "/products"
    page = client.get("/products").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Rp\xa0100.000" in page
    assert "Semua kerajinan" in page


def test_switcher_never_redirects_off_site(client) -> None:
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_unknown_language_is_a_404(client) -> None:
    assert client.get("/language/xx").status_code == 404
