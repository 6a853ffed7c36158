"""Whole-page caching for storefront GET pages, keyed by the catalog version.

A cached page is the same for every visitor with the same language and URL, so a page that
put anything personal in its HTML (a CSRF token, later a cart) is never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_babel import get_locale

from shop.extensions import cache
from shop.i18n import select_currency
from shop.services.catalog.version import catalog_version

MAX_CACHED_QUERY = 300


def _page_key(version: int) -> str:
    query = "&".join(sorted(request.query_string.decode("latin-1").split("&")))
    currency = select_currency() or "-"
    return f"page:{version}:{get_locale()}:{currency}:{request.host}{request.path}?{query}"


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's HTML from the cache when the catalog has not changed since."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(request.query_string) > MAX_CACHED_QUERY or current_app.config.get(
            "PAGE_CACHE_DISABLED"
        ):
            return view(*args, **kwargs)
        key = _page_key(catalog_version())
        html = cache.get(key)
        if html is not None:
            return html
        html = view(*args, **kwargs)
        personal = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g
        if isinstance(html, str) and not personal:
            cache.set(key, html)
        return html

    return wrapper
