"""Cached storefront pages go stale only when something they show changes.

Every test runs with tag versions in the database and with them in Redis (db 3 of the
local server, under a key prefix of the test's own). "Served from the cache" is told by
whether the page's template was rendered again, never by timing.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from shop.extensions import db
from shop.models import Product, ProductPhoto, StockReason
from shop.services.catalog.version import bump_catalog_version
from shop.services.ordering import stock
from shop.services.ordering.shipping import install_default_zones
from tests.conftest import build_app
from tests.factories import make_category, make_product, make_workshop
from tests.races import HANG, place

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
PAGES = {"catalog/detail.html", "catalog/list.html", "catalog/workshop.html", "main/home.html"}


def _redis_or_skip() -> Any:
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not listening at {REDIS_URL}")
    return server


def tag_store_app(kind: str, tmp_path: Path, **overrides: Any) -> Iterator[Flask]:
    """The shop with its cache tags in the database, or in Redis like several servers."""
    if kind == "database":
        yield from build_app(tmp_path, **overrides)
        return
    server = _redis_or_skip()
    prefix = f"kbtest-{uuid.uuid4().hex}:"
    try:
        yield from build_app(tmp_path, REDIS_URL=REDIS_URL, CACHE_TYPE="RedisCache",
                             CACHE_REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix,
                             **overrides)  # fmt: skip
    finally:
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)


@pytest.fixture(params=["database", "redis"])
def app(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_schema_ready: bool
) -> Iterator[Flask]:
    """The shop with its cache tags in the database, or in Redis like several servers."""
    yield from tag_store_app(request.param, tmp_path)


class Renders:
    """Which storefront pages were rendered rather than taken from the cache."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.templates: list[str] = []

    def __call__(self, _sender: Any, template: Any, **_extra: Any) -> None:
        self.templates.append(template.name)

    def get(self, url: str) -> tuple[bool, str]:
        """Open the page; return whether it was rendered afresh, and its HTML."""
        self.templates.clear()
        response = self.client.get(url)
        assert response.status_code == 200
        return bool(PAGES & set(self.templates)), response.get_data(as_text=True)


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> Iterator[Renders]:
    spy = Renders(client)
    template_rendered.connect(spy, app)
    yield spy
    template_rendered.disconnect(spy, app)


def two_products() -> dict[str, Any]:
    """Product A (one piece left) in tableware, product B (five) in rattan."""
    install_default_zones()
    workshop = make_workshop()
    a = make_product("Teak bowl", category=make_category(), workshop=workshop, stock=1,
                     prices=(150_000,))  # fmt: skip
    b = make_product("Rattan basket", category=make_category("rattan", "Rattan"),
                     workshop=workshop, stock=5, prices=(90_000,))  # fmt: skip
    db.session.commit()
    return {"a": a, "b": b}


@pytest.fixture
def shelf(app: Flask) -> dict[str, Any]:
    """Product A (one piece left) in tableware, product B (five) in rattan."""
    found = two_products()
    a, b = found["a"], found["b"]
    return found | {"a_url": f"/products/{a.slug}", "b_url": f"/products/{b.slug}"}


WITHOUT_A = "/products?category=rattan"
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]+')
WITH_A = "/products"


def _warm(pages: Renders, *urls: str) -> None:
    for url in urls:
        pages.get(url)
        assert pages.get(url)[0] is False, f"{url} was not cached"


def test_a_sale_refreshes_the_pages_of_that_product_and_leaves_the_others_cached(pages, shelf):
    _warm(pages, shelf["a_url"], shelf["b_url"], WITHOUT_A, WITH_A, "/products?available=1")
    place(shelf["a"].variants[0].id, 1, overdue=False)  # the last piece of A is reserved

    rendered, html = pages.get(shelf["a_url"])
    assert rendered and "Sold out" in html
    rendered, html = pages.get("/products?available=1")
    assert rendered and "Teak bowl" not in html and "Rattan basket" in html
    assert pages.get(WITH_A)[0] is True
    assert pages.get(shelf["b_url"])[0] is False
    assert pages.get(WITHOUT_A)[0] is False


def _tokenless(html: str) -> str:
    """The page without its CSRF tokens, which carry the second they were made."""
    return CSRF_VALUE.sub("", html)


def test_a_sale_that_leaves_pieces_on_the_shelf_stales_no_page(pages, shelf, admin_user):
    """Pages show whether an option is on the shelf, not how many pieces: B (five) sells
    one, and then a damaged piece is written off; every page stays cached, and each cached
    page is exactly what a fresh render now shows (a page showing the count fails here)."""
    urls = (shelf["b_url"], shelf["a_url"], WITHOUT_A, WITH_A, "/products?available=1", "/")
    _warm(pages, *urls)
    cached = {url: _tokenless(pages.get(url)[1]) for url in urls}
    place(shelf["b"].variants[0].id, 1, overdue=False)  # Core statements, at checkout
    stock.adjust(db.session.get(Product, shelf["b"].id).variants[0], delta=-1,
                 reason=StockReason.DAMAGED, note="dropped", actor=admin_user)  # fmt: skip

    for url in urls:
        assert pages.get(url)[0] is False, url
    bump_catalog_version()  # every page renders afresh
    db.session.commit()
    for url in urls:
        rendered, html = pages.get(url)
        assert rendered is True and _tokenless(html) == cached[url], url


def test_a_product_back_in_stock_joins_listings_of_available_pieces(pages, shelf, admin_user):
    a = shelf["a"]
    stock.adjust(a.variants[0], delta=-1, reason=StockReason.DAMAGED, note="dropped",
                 actor=admin_user)  # fmt: skip
    _warm(pages, "/products?available=1", shelf["b_url"])
    assert "Teak bowl" not in pages.get("/products?available=1")[1]

    stock.adjust(a.variants[0], delta=3, reason=StockReason.PRODUCED, actor=admin_user)
    rendered, html = pages.get("/products?available=1")
    assert rendered and "Teak bowl" in html  # a listing that did not show A before
    assert pages.get(shelf["b_url"])[0] is False


def test_a_price_edit_shows_at_once_where_the_product_is_shown(pages, shelf):
    _warm(pages, shelf["a_url"], shelf["b_url"], WITHOUT_A, WITH_A, "/")
    shelf["a"].variants[0].price_idr = 777_000
    db.session.commit()

    for url in (shelf["a_url"], WITH_A):
        rendered, html = pages.get(url)
        assert rendered and "IDR\xa0777,000" in html
    assert pages.get(shelf["b_url"])[0] is False
    assert pages.get(WITHOUT_A)[0] is False
    # A listing by price may now show A where it did not: it is rendered afresh.
    assert pages.get(f"{WITHOUT_A}&sort=price_asc")[0] is True


def test_a_new_photo_shows_on_its_product_only(pages, shelf):
    _warm(pages, shelf["a_url"], shelf["b_url"], WITHOUT_A)
    a: Product = shelf["a"]
    a.photos.append(ProductPhoto(image_key="abc", widths="320", width=320, height=240,
                                 alt_text="Teak bowl from above"))  # fmt: skip
    db.session.commit()

    rendered, html = pages.get(shelf["a_url"])
    assert rendered and "Teak bowl from above" in html
    assert pages.get(shelf["b_url"])[0] is False
    assert pages.get(WITHOUT_A)[0] is False


def test_a_structural_change_refreshes_every_page(pages, shelf):
    _warm(pages, shelf["a_url"], shelf["b_url"], WITHOUT_A, WITH_A, "/")
    shelf["b"].category.name = "Rattan and bamboo"
    db.session.commit()

    for url in (shelf["a_url"], shelf["b_url"], WITHOUT_A, WITH_A, "/"):
        assert pages.get(url)[0] is True, url
    assert "Rattan and bamboo" in pages.get(shelf["b_url"])[1]


def test_a_page_rendered_before_a_sale_commits_is_not_kept_as_current(app, pages, shelf):
    """The reader has read A's stock (one piece) when the sale commits, and stores after it."""
    url, variant_id = shelf["a_url"], shelf["a"].variants[0].id
    read, sold = threading.Barrier(2, timeout=HANG), threading.Barrier(2, timeout=HANG)
    html: list[str] = []

    def pause_reader(_sender: Any, template: Any, **_extra: Any) -> None:
        if template.name == "catalog/detail.html" and threading.current_thread().name == "reader":
            read.wait()  # the page's data is read
            sold.wait()  # and the sale has committed since

    def reader() -> None:
        html.append(app.test_client().get(url).get_data(as_text=True))

    def seller() -> None:
        with app.app_context():
            read.wait()
            place(variant_id, 1, overdue=False)
            db.session.remove()
            sold.wait()

    db.session.commit()
    threads = [threading.Thread(target=reader, name="reader"), threading.Thread(target=seller)]
    template_rendered.connect(pause_reader, app)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=HANG)
    finally:
        template_rendered.disconnect(pause_reader, app)
    assert html and "In stock" in html[0]  # the reader's page: from before the sale

    rendered, page = pages.get(url)
    assert rendered and "Sold out" in page


def test_a_cached_page_is_checked_in_one_round_trip(app, pages, shelf, count_queries):
    _warm(pages, shelf["a_url"])
    before = count_queries.count
    assert pages.get(shelf["a_url"])[0] is False
    # The database holds the versions (one query), or Redis does (one MGET, no query).
    assert count_queries.count - before == (0 if app.config["REDIS_URL"] else 1)


def test_with_redis_down_pages_are_served_fresh_and_edits_still_save(
    tmp_path, postgres_schema_ready
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        down = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    for shop in build_app(tmp_path, REDIS_URL=down, CACHE_TYPE="RedisCache", CACHE_REDIS_URL=down):
        product = make_product("Teak bowl", category=make_category(), workshop=make_workshop())
        db.session.commit()
        client = shop.test_client()
        assert "Teak bowl" in client.get(f"/products/{product.slug}").get_data(as_text=True)

        product.variants[0].price_idr = 777_000
        db.session.commit()  # saved, though its pages could not be marked stale in Redis
        page = client.get(f"/products/{product.slug}")
        assert page.status_code == 200 and "IDR\xa0777,000" in page.get_data(as_text=True)
