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


@pytest.mark.parametrize(
    ("accept", "lang", "nav"),
    [("ja-JP,ja;q=0.9,en;q=0.5", "ja", "カート"), ("ko-KR,ko;q=0.9", "ko", "장바구니")],
)
def test_japanese_and_korean_buyers_get_their_language(client, bowl, accept, lang, nav) -> None:
    page = client.get("/products", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert nav in page
    assert "100,000" in page  # rupiah written the way the locale writes numbers


def test_the_back_office_stays_in_a_staff_language(client, auth, staff_user) -> None:
    client.get("/language/ja?next=/")
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)
    auth.login(staff_user.email)
    page = client.get("/admin/", headers={"Accept-Language": "ja,id;q=0.8"}).get_data(as_text=True)
    assert '<html lang="id">' in page  # the browser's next choice that staff pages speak
    assert ">JA<" not in page  # and the switcher offers only English and Indonesian


def test_a_pages_address_can_name_its_language_for_search_engines(client, bowl) -> None:
    client.get("/language/id")  # a remembered choice does not override the address
    html = client.get(f"/products/{bowl.slug}?lang=ja").get_data(as_text=True)
    assert '<html lang="ja">' in html
    base = f"http://localhost/products/{bowl.slug}"
    assert f'<link rel="canonical" href="{base}?lang=ja">' in html
    for code, href in (("en", base), ("id", f"{base}?lang=id"), ("ja", f"{base}?lang=ja"),
                       ("ko", f"{base}?lang=ko"), ("x-default", base)):  # fmt: skip
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in html
    english = client.get(f"/products/{bowl.slug}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert f'<link rel="canonical" href="{base}">' in english


def test_switching_language_drops_the_language_in_the_address(client, bowl) -> None:
    response = client.get("/language/ko", query_string={"next": "/products?page=1&lang=ja"})
    assert response.headers["Location"] == "/products?page=1"
    assert '<html lang="ko">' in client.get("/products?page=1").get_data(as_text=True)


def test_the_sitemap_lists_every_page_in_every_language(client, bowl) -> None:
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    product = f"http://localhost/products/{bowl.slug}"
    for code in ("id", "ja", "ko"):
        assert f"<loc>{product}?lang={code}</loc>" in xml
    assert f"<loc>{product}</loc>" in xml
    assert f'<xhtml:link rel="alternate" hreflang="ko" href="{product}?lang=ko"/>' in xml
    assert xml.count(f"<loc>{product}") == 4


def test_the_back_office_ignores_a_language_in_the_address(client, auth, staff_user) -> None:
    auth.login(staff_user.email)
    assert '<html lang="en">' in client.get("/admin/?lang=ja").get_data(as_text=True)


def test_arriving_on_a_page_in_another_language_keeps_that_language(client, bowl) -> None:
    client.get(f"/products/{bowl.slug}?lang=ko")
    assert '<html lang="ko">' in client.get("/products").get_data(as_text=True)
