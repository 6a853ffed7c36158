"""Product cards are rendered once and shared by pages, and never outlive what they show.

Whole pages are not cached here (PAGE_CACHE_DISABLED, as for a search no one made before), so
every page is rendered and only its cards may come from the card cache. Every test runs with
tag versions in the database and in Redis (db 3, a key prefix of the test's own). A card
"rendered again" is told by counting product_card renders, never by timing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from shop import card_cache
from shop.extensions import db
from shop.models import ExchangeRate, ProductPhoto, ProductStatus
from tests.races import HANG, place
from tests.test_cache_tags import tag_store_app, two_products


@pytest.fixture(params=["database", "redis"])
def app(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema_ready: bool
) -> Iterator[Flask]:
    """The shop rendering every page, its cards cached in the process or in Redis."""
    yield from tag_store_app(request.param, tmp_path, PAGE_CACHE_DISABLED=True)


class Cards:
    """Which products' cards were rendered (not taken from the cache), in which thread."""

    def __init__(self) -> None:
        self.rendered: list[str] = []
        self.pause: Any = None

    def __call__(self, real: Any) -> Any:
        def render(product: Any, *args: Any) -> Any:
            self.rendered.append(product.name)
            html = real(product, *args)
            if self.pause is not None and threading.current_thread().name == "reader":
                self.pause()
            return html

        return render


@pytest.fixture
def cards(monkeypatch: pytest.MonkeyPatch) -> Cards:
    spy = Cards()
    monkeypatch.setattr(card_cache, "_render", spy(card_cache._render))
    return spy


@pytest.fixture
def shelf(app: Flask) -> dict[str, Any]:
    """A teak bowl (one piece left) and a rattan basket, both in the search index."""
    return two_products()


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _card(html: str, name: str) -> str:
    """The HTML of the card headed `name` on a page."""
    cards = re.findall(r'<article class="card">.*?</article>', html, re.S)
    found = [c for c in cards if f">{name}<" in c]
    assert len(found) == 1, f"no single card for {name}"
    return found[0]


def test_pages_share_cards_rendered_once(client, shelf, cards):
    _page(client, "/products?sort=price_asc")  # cards 3+ of a page are not "eager": both are
    assert sorted(cards.rendered) == ["Rattan basket", "Teak bowl"]
    cards.rendered.clear()

    _page(client, "/products?sort=price_asc")
    _page(client, "/products?sort=price_asc&category=rattan")
    assert cards.rendered == []


def test_a_page_of_cached_cards_reads_no_product(app, client, shelf):
    shelf["a"].featured = True  # on the home page too
    db.session.commit()
    for url in ("/products", "/products?q=teak", "/"):
        _page(client, url)
        with _statements(app) as sent:
            html = _page(client, url)
        assert "Teak bowl" in _card(html, "Teak bowl")
        # The page's ids are read (product.id), never the rows its cards would show.
        assert not [s for s in sent if "product.slug" in s], url


def test_a_product_taken_off_sale_leaves_every_page_at_once(client, shelf):
    for url in ("/products", "/products?q=teak"):
        assert "Teak bowl" in _card(_page(client, url), "Teak bowl")
    shelf["a"].status = ProductStatus.ARCHIVED
    db.session.commit()
    for url in ("/products", "/products?q=teak", "/products?q=teak+bowl"):
        assert 'class="card-title">Teak bowl<' not in _page(client, url), url


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_each_page_sends_its_own_address_back_from_a_shared_card(client, shelf):
    for url in ("/products?q=rattan", "/products?category=rattan"):
        card = _card(_page(client, url), "Rattan basket")
        back = re.search(r'name="next" value="([^"]*)"', card).group(1)
        assert back.replace("&amp;", "&") == url


def test_a_price_edit_shows_in_every_card_of_that_product_only(client, shelf, cards):
    _page(client, "/products")
    _page(client, "/products?q=teak")
    cards.rendered.clear()
    shelf["a"].variants[0].price_idr = 777_000
    db.session.commit()

    for url in ("/products", "/products?q=teak"):
        assert "IDR\xa0777,000" in _card(_page(client, url), "Teak bowl")
    assert "Rattan basket" not in cards.rendered


def test_a_sale_of_the_last_piece_marks_the_card_sold_out(client, shelf):
    assert "Sold out" not in _card(_page(client, "/products"), "Teak bowl")
    place(shelf["a"].variants[0].id, 1, overdue=False)
    assert "Sold out" in _card(_page(client, "/products"), "Teak bowl")


def test_a_new_photo_and_a_renamed_workshop_show_on_the_cards(client, shelf):
    _page(client, "/products")
    shelf["a"].photos.append(ProductPhoto(image_key="abc", widths="320", width=320, height=240,
                                          alt_text="Teak bowl from above"))  # fmt: skip
    db.session.commit()
    assert "Teak bowl from above" in _card(_page(client, "/products"), "Teak bowl")

    shelf["b"].workshop.name = "Lapas Kerobokan woodshop"
    db.session.commit()  # structural: every card is rendered again
    html = _page(client, "/products")
    assert "Lapas Kerobokan woodshop" in _card(html, "Rattan basket")
    assert "Lapas Kerobokan woodshop" in _card(html, "Teak bowl")


def test_cards_follow_language_and_currency(client, shelf):
    db.session.add(ExchangeRate(currency="JPY", idr_per_unit_e4=1_050_000, updated_by="t"))
    db.session.add(ExchangeRate(currency="EUR", idr_per_unit_e4=170_000_000, updated_by="t"))
    db.session.commit()
    assert "保存" in _card(_page(client, "/products?lang=ja"), "Teak bowl")
    assert "≈ ￥" in _card(_page(client, "/products?lang=ja"), "Teak bowl")
    assert "Save" in _card(_page(client, "/products?lang=en"), "Teak bowl")
    client.set_cookie("cur", "EUR")
    euros = _card(_page(client, "/products?lang=ja"), "Teak bowl")
    assert "€" in euros and "￥" not in euros


def test_a_card_rendered_before_a_sale_commits_is_not_kept_as_current(app, shelf, cards):
    """The reader has rendered the bowl's card (one piece left) when the sale commits."""
    rendered, sold = threading.Barrier(2, timeout=HANG), threading.Barrier(2, timeout=HANG)
    variant_id = shelf["a"].variants[0].id
    html: list[str] = []

    def pause() -> None:
        rendered.wait()  # the card is rendered from what was read
        sold.wait()  # and the sale has committed since

    def reader() -> None:
        html.append(_page(app.test_client(), "/products?q=teak"))

    def seller() -> None:
        with app.app_context():
            rendered.wait()
            place(variant_id, 1, overdue=False)
            db.session.remove()
            sold.wait()

    cards.pause = pause
    db.session.commit()
    threads = [threading.Thread(target=reader, name="reader"), threading.Thread(target=seller)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HANG)
    cards.pause = None
    assert html and "Sold out" not in _card(html[0], "Teak bowl")  # read before the sale

    assert "Sold out" in _card(_page(app.test_client(), "/products?q=teak"), "Teak bowl")
