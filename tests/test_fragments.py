"""The header, menu and footer are rendered once per language and kind of page, and reused,
yet every page still shows its own search words, current menu entry, currency and way back.
"""

from __future__ import annotations

import re

import pytest

from shop.extensions import db
from shop.models import ExchangeRate
from tests.factories import make_category, make_product, make_workshop


@pytest.fixture
def shelf(app):
    make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    db.session.add(ExchangeRate(currency="JPY", idr_per_unit_e4=1_050_000, updated_by="t"))
    db.session.add(ExchangeRate(currency="EUR", idr_per_unit_e4=170_000_000, updated_by="t"))
    db.session.commit()


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _search_box(html: str) -> str:
    return re.search(r'<input id="site-search"[^>]*value="([^"]*)"', html).group(1)


def _currency_next(html: str) -> str:
    form = re.search(r'<form class="currency-form".*?</form>', html, re.S).group(0)
    return re.search(r'name="next" value="([^"]*)"', form).group(1).replace("&amp;", "&")


def test_the_search_box_shows_each_pages_own_words_escaped(client, shelf):
    assert _search_box(_html(client, "/products?q=teak")) == "teak"
    hostile = _html(client, '/products?q="><script>alert(1)</script>')
    assert _search_box(hostile) == "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>alert(1)" not in hostile
    assert _search_box(_html(client, "/workshops?q=teak")) == ""


def test_the_menu_marks_the_page_shown(client, shelf):
    def current(html: str) -> list[str]:
        menu = re.search(r'<nav class="wrap main-nav".*?</nav>', html, re.S).group(0)
        return re.findall(r'<a[^>]*aria-current="page"[^>]*>([^<]*)</a>', menu)

    assert current(_html(client, "/products")) == ["All handicrafts"]
    assert current(_html(client, "/products?category=tableware")) == []
    assert current(_html(client, "/workshops")) == ["Workshops"]
    assert current(_html(client, "/products")) == ["All handicrafts"]


def test_the_footer_follows_language_currency_and_page(client, shelf):
    japanese = _html(client, "/products?lang=ja")
    assert "円" in japanese.split('class="currency-form"')[1].split("</form>")[0]
    assert 'value="JPY" selected' in japanese
    assert _currency_next(japanese) == "/products?lang=ja"

    client.set_cookie("cur", "EUR")
    euros = _html(client, "/products?q=teak&lang=en")
    assert 'value="EUR" selected' in euros and 'value="JPY" selected' not in euros
    assert _currency_next(euros) == "/products?q=teak&lang=en"
    assert "Rupiah only" in euros and "ルピア" not in euros
