"""Buyers read product, category and workshop texts in their language, or in English (and are
told so) where staff have not translated them yet."""

from __future__ import annotations

import json
import re

import pytest

from shop.extensions import db
from shop.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
    WorkshopTranslation,
)
from shop.services.catalog import text as catalog_text
from tests.factories import (
    card_titles,
    csrf_from,
    make_category,
    make_product,
    make_workshop,
    product_title,
)

NOT_TRANSLATED_JA = "日本語"  # the notice names the language in its own words


@pytest.fixture
def bowl(app) -> Product:
    """A teak bowl whose texts are translated into Japanese, with its category and workshop;
    Korean has only the category's name."""
    category = make_category("tableware", "Tableware", description="Bowls and plates.")
    workshop = make_workshop(
        "woodcraft", "Woodcraft workshop", summary="Turned tableware.",
        story="The workshop turns **offcuts** into bowls.",
    )  # fmt: skip
    product = make_product(
        "Teak salad bowl", category=category, workshop=workshop,
        summary="A deep bowl turned from teak.", description_md="Turned from **one block**.",
        materials="Teak, coconut oil", care_notes="Wash by hand.",
    )  # fmt: skip
    product.translations.append(
        ProductTranslation(
            locale="ja",
            name="チークのサラダボウル",
            summary="チークから削り出した深いボウル。",
            description_md="**ひとつの塊**から削り出しました。",
            materials="チーク、ココナッツオイル",
            care_notes="手洗いしてください。",
        )  # fmt: skip
    )
    category.translations += [
        CategoryTranslation(locale="ja", name="食器", description="ボウルと皿。"),
        CategoryTranslation(locale="ko", name="식기"),
    ]
    workshop.translations.append(
        WorkshopTranslation(
            locale="ja",
            name="木工工房",
            summary="ろくろで挽いた食器。",
            story="工房は**端材**をボウルに変えます。",
        )  # fmt: skip
    )
    db.session.commit()
    return product


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _titles(page: str) -> list[str]:
    return card_titles(page)


def _json_ld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_a_japanese_buyer_reads_the_product_page_in_japanese(client, bowl) -> None:
    page = _page(client, f"/products/{bowl.slug}?lang=ja")

    assert product_title(page) == "チークのサラダボウル"
    assert "<title>チークのサラダボウル · 木工工房 · Karya Binaan</title>" in page
    assert "<strong>ひとつの塊</strong>から削り出しました。" in page
    assert "チーク、ココナッツオイル" in page and "手洗いしてください。" in page
    assert ">食器</a>" in page
    assert "ろくろで挽いた食器。" in page  # the workshop's summary
    assert "not translated" not in page and "Teak salad bowl" not in page
    data = _json_ld(page)
    assert data["name"] == "チークのサラダボウル"
    assert data["category"] == "食器"
    assert data["url"].endswith(f"/products/{bowl.slug}?lang=ja")


def test_an_untranslated_product_is_shown_in_english_marked_and_explained(client, bowl) -> None:
    page = _page(client, f"/products/{bowl.slug}?lang=ko")

    assert product_title(page) == "[en] Teak salad bowl"
    assert '<div class="prose" lang="en"><p>Turned from <strong>one block</strong>.</p>' in page
    assert "한국어" in page  # the notice names the language
    assert 'class="notice untranslated"' in page
    assert ">식기</a>" in page  # the category is translated into Korean
    assert _json_ld(page)["name"] == "Teak salad bowl"


def test_each_field_falls_back_on_its_own(client, bowl) -> None:
    translation = bowl.translations[0]
    translation.description_md = "   "  # blank counts as not translated
    translation.care_notes = ""
    db.session.commit()

    page = _page(client, f"/products/{bowl.slug}?lang=ja")

    assert product_title(page) == "チークのサラダボウル"
    assert '<div class="prose" lang="en"><p>Turned from <strong>one block</strong>.</p>' in page
    assert "Wash by hand." in page
    assert 'class="notice untranslated"' in page


def test_english_pages_show_the_english_texts_without_a_notice(client, bowl) -> None:
    page = _page(client, f"/products/{bowl.slug}")

    assert product_title(page) == "Teak salad bowl"
    assert "チーク" not in page and 'class="notice untranslated"' not in page


def test_listing_cards_filters_and_headings_use_the_buyers_language(client, bowl) -> None:
    page = _page(client, "/products?category=tableware&lang=ja")

    assert "チークのサラダボウル" in card_titles(page)
    assert '<p class="card-workshop">木工工房</p>' in page
    assert "<h1>食器</h1>" in page
    assert ">食器 (1)</option>" in page and ">木工工房 (1)</option>" in page
    assert '<meta name="description" content="ボウルと皿。">' in page

    korean = _page(client, "/products?lang=ko")
    assert '<h3 class="card-title" lang="en">Teak salad bowl</h3>' in korean
    assert ">식기 (1)</option>" in korean


def test_search_finds_translated_and_english_words(client, bowl) -> None:
    other = make_product("Rattan tray", category=bowl.category, workshop=bowl.workshop)
    db.session.commit()

    japanese = _page(client, "/products?q=サラダ&lang=ja")
    assert _titles(japanese) == ["チークのサラダボウル"]

    english_word = _page(client, "/products?q=salad&lang=ja")
    assert "チークのサラダボウル" in card_titles(english_word)

    by_category = _page(client, "/products?q=食器&lang=ja")
    assert sorted(_titles(by_category)) == sorted(["チークのサラダボウル", other.name])

    # Buyers type in any language: a Korean page finds Japanese words too, and shows the
    # product in the page's language (here English, with no Korean translation).
    assert _titles(_page(client, "/products?q=サラダ&lang=ko")) == ["Teak salad bowl"]
    assert _titles(_page(client, "/products?q=qqzzx&lang=ko")) == []


def test_the_home_page_shows_translated_category_tiles(client, bowl) -> None:
    page = _page(client, "/?lang=ja")
    assert '<span class="category-name">食器</span>' in page


def test_the_workshop_page_tells_its_story_in_the_buyers_language(client, bowl) -> None:
    workshop = bowl.workshop
    page = _page(client, f"/workshops/{workshop.slug}?lang=ja")
    assert "<h1>木工工房</h1>" in page
    assert "工房は<strong>端材</strong>をボウルに変えます。" in page
    assert 'class="notice untranslated"' not in page

    korean = _page(client, f"/workshops/{workshop.slug}?lang=ko")
    assert '<h1 lang="en">Woodcraft workshop</h1>' in korean
    assert 'class="notice untranslated"' in korean and "한국어" in korean

    listing = _page(client, "/workshops?lang=ja")
    assert '<h2 class="workshop-card-title">木工工房</h2>' in listing  # h2: right after the h1


def test_the_cart_shows_product_names_in_the_buyers_language(client, bowl) -> None:
    from shop.services.ordering.shipping import install_default_zones

    install_default_zones()
    db.session.commit()
    token = csrf_from(_page(client, f"/products/{bowl.slug}?lang=ja"))
    client.post(
        "/cart/add", data={"variant": bowl.variants[0].sku, "quantity": "1", "csrf_token": token}
    )

    page = _page(client, "/cart")  # the language stays with the visitor (cookie)
    assert "チークのサラダボウル" in page


def test_a_translation_change_shows_on_the_next_request(client, bowl) -> None:
    assert "チークのサラダボウル" in _page(client, f"/products/{bowl.slug}?lang=ja")  # cached

    bowl.translations[0].name = "チークの大きなボウル"
    db.session.commit()

    assert "チークの大きなボウル" in _page(client, f"/products/{bowl.slug}?lang=ja")


def test_translated_markdown_is_sanitised_like_the_english(client, bowl) -> None:
    unsafe = 'いい<script>alert(1)</script><a href="javascript:x">x</a>'
    bowl.translations[0].description_md = unsafe
    db.session.commit()

    page = _page(client, f"/products/{bowl.slug}?lang=ja")
    assert "<script>alert(1)" not in page and '<a href="javascript:x">' not in page
    assert "いい&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, never run


def test_deleting_a_product_deletes_its_translations(app, bowl) -> None:
    db.session.delete(bowl)
    db.session.commit()
    assert db.session.query(ProductTranslation).count() == 0


def test_localized_text_knows_its_language() -> None:
    tableware = Category(slug="t", name="Tableware", description="")
    tableware.shown_translations = [CategoryTranslation(locale="ja", name="食器", description="")]

    japanese = catalog_text.localized(tableware, "name", "ja")
    assert japanese == "食器" and japanese.lang == "ja"
    fallback = catalog_text.localized(tableware, "name", "ko")
    assert fallback == "Tableware" and fallback.lang == "en"
    assert catalog_text.localized(tableware, "name", "en").lang == "en"
    assert catalog_text.localized(tableware, "description", "ja") == ""  # nothing to translate
    assert not catalog_text.untranslated(tableware, ("name", "description"), "ja")
    assert catalog_text.untranslated(tableware, ("name",), "ko")


def test_the_demo_catalog_comes_with_translations_once(app, client) -> None:
    from flask import current_app

    from shop.demo.seed import seed_demo

    seed_demo(current_app.extensions["media"], limit=1)
    seed_demo(current_app.extensions["media"], limit=1)  # again: nothing doubles

    assert db.session.query(CategoryTranslation).count() == 5 * 3
    assert db.session.query(WorkshopTranslation).count() == 4 * 3
    [product] = db.session.query(Product).all()
    assert {t.locale for t in product.translations} == {"id", "ja", "ko"}
    page = _page(client, f"/products/{product.slug}?lang=ja")
    assert product_title(page) == "Boeing 737-800 ディスプレイモデル"
    assert 'class="notice untranslated"' not in page


def test_the_cart_message_and_the_shipping_zone_speak_the_buyers_language(client, bowl):
    from shop.services.ordering.shipping import install_default_zones

    install_default_zones()
    db.session.commit()
    token = csrf_from(_page(client, f"/products/{bowl.slug}?lang=ja"))
    response = client.post(
        "/cart/add", data={"variant": bowl.variants[0].sku, "quantity": "1", "csrf_token": token}
    )
    cart = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "チークのサラダボウルをカートに追加しました" in cart
    client.post("/cart/destination", data={"country": "KR", "csrf_token": csrf_from(cart)})
    cart = _page(client, "/cart")
    assert "東アジア" in cart and "日" in cart.split("data-delivery", 1)[1][:200]


def test_the_workshop_region_and_the_category_introduction_are_translated(client, bowl) -> None:
    bowl.workshop.region = "East Java"
    bowl.workshop.translations[0].region = "東ジャワ州"
    db.session.commit()

    assert "Lapas Kelas IIA Banyuwangi · 東ジャワ州" in _page(
        client, f"/products/{bowl.slug}?lang=ja"
    )
    assert "Lapas Kelas IIA Banyuwangi · 東ジャワ州" in _page(client, "/workshops?lang=ja")
    listing = _page(client, "/products?category=tableware&lang=ja")
    assert '<p class="lead listing-intro">ボウルと皿。</p>' in listing
    korean = _page(client, "/products?category=tableware&lang=ko")
    assert '<p class="lead listing-intro" lang="en">Bowls and plates.</p>' in korean
