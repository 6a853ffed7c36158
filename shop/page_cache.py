"""Whole-page caching for storefront GET pages, invalidated per product by cache tags.

A cached page is the same for every visitor with the same language and URL, so a page that
put anything personal in its HTML (a CSRF token, later a cart) is never stored. Each stored
page carries the tags it depends on (the products it shows, recorded by the view through
`page_shows`, and the global catalog version) and a stamp; it is served only while none of
those tags changed since (services.catalog.cache_tags), checked in one round trip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_babel import get_locale
from redis.exceptions import RedisError

from shop import card_cache
from shop.extensions import cache, db
from shop.i18n import select_currency
from shop.models import Product
from shop.services.catalog import cache_tags

MAX_CACHED_QUERY = 300
log = logging.getLogger(__name__)


def page_shows(products: Iterable[Product], *tags: str) -> None:
    """Record that the page being rendered shows these products (and depends on these tags)."""
    shown: set[str] = g.setdefault("page_cache_tags", set())
    shown.update(cache_tags.product_tag(p.id) for p in products)
    shown.update(tags)


def _page_key() -> str:
    query = "&".join(sorted(request.query_string.decode("latin-1").split("&")))
    currency = select_currency() or "-"
    return f"page:{get_locale()}:{currency}:{request.host}{request.path}?{query}"


def _cached(key: str) -> str | None:
    """The stored page under `key` if it is still current."""
    entry = cache.get(key)
    if not (isinstance(entry, tuple) and len(entry) == 3):
        return None
    tags, stamp, html = entry
    return html if cache_tags.store().is_current(db.session(), tags, stamp) else None


def _store(key: str, started: Any, html: str) -> None:
    tags = tuple(sorted(g.page_cache_tags | {cache_tags.GLOBAL}))
    stamp = cache_tags.store().stamp(db.session(), started, tags)
    if stamp is None:
        return
    try:
        cache.set(key, (tags, stamp, html))
    except RedisError:
        log.warning("page cache unavailable (Redis): %s not stored", request.path)


def _uncached(view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Render the page without storing it; its product cards may still come from their cache."""
    try:
        started = cache_tags.store().begin_render(db.session())
    except RedisError:
        return view(*args, **kwargs)
    card_cache.begin(started)
    try:
        return view(*args, **kwargs)
    finally:
        cache_tags.store().finish_render(db.session(), started)


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's HTML from the cache while nothing it shows has changed since."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(request.query_string) > MAX_CACHED_QUERY or current_app.config.get(
            "PAGE_CACHE_DISABLED"
        ):
            return _uncached(view, *args, **kwargs)
        key = _page_key()
        try:
            html = _cached(key)
            if html is not None:
                return html
            started = cache_tags.store().begin_render(db.session())
        except RedisError:
            # Nothing can be checked or stored: serve the page fresh rather than fail.
            log.warning("page cache unavailable (Redis): serving %s uncached", request.path)
            return view(*args, **kwargs)
        g.page_cache_tags = set()
        card_cache.begin(started)
        try:
            html = view(*args, **kwargs)
            personal = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g
            if isinstance(html, str) and not personal:
                _store(key, started, html)
        finally:
            cache_tags.store().finish_render(db.session(), started)
        return html

    return wrapper
