"""Japanese names and headings break between phrases, never inside a word."""

from __future__ import annotations

import re

from shop.extensions import db
from shop.models import ProductTranslation
from shop.services.phrases import phrase_breaks
from tests.factories import shop_with_stock

NAME = "ボーイング787-9型機の木製ディスプレイモデル"


def test_japanese_text_gets_breaks_only_between_phrases() -> None:
    html = str(phrase_breaks(NAME, "ja"))
    assert html.startswith('<span class="phrases">') and "<wbr>" in html
    phrases = re.sub(r"</?span[^>]*>", "", html).split("<wbr>")
    assert "".join(phrases) == NAME
    assert "ディスプレイモデル" in "".join(p for p in phrases if "ディスプレイ" in p)  # one piece


def test_other_text_and_languages_are_left_alone_and_everything_is_escaped() -> None:
    assert str(phrase_breaks("Boeing 787-9 <b>display</b>", "ja")) == (
        "Boeing 787-9 &lt;b&gt;display&lt;/b&gt;"
    )
    assert str(phrase_breaks(NAME, "ko")) == NAME
    hostile = str(phrase_breaks("木製<script>alert(1)</script>モデル", "ja"))
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert str(phrase_breaks("", "ja")) == "" and str(phrase_breaks(None, "ja")) == ""


def test_the_japanese_product_page_names_the_piece_in_whole_phrases(app, client) -> None:
    product = shop_with_stock(stock=3)
    db.session.add(ProductTranslation(product_id=product.id, locale="ja", name=NAME))
    db.session.commit()
    page = client.get(f"/products/{product.slug}", headers={"Accept-Language": "ja"})
    h1 = re.search(r'<h1 id="product-title"[^>]*>(.*?)</h1>', page.get_data(as_text=True), re.S)
    assert h1 is not None and '<span class="phrases">' in h1.group(1) and "<wbr>" in h1.group(1)
    english = client.get(f"/products/{product.slug}", headers={"Accept-Language": "en"})
    assert "<wbr>" not in english.get_data(as_text=True).split('id="product-title"')[1][:300]
