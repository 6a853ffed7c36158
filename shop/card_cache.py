"""Product cards rendered once and shared by every listing, search and home page showing them.

A page no one asked for before (a new search, another filter, the next page) still shows
cards that other pages showed already; rendering its two dozen cards is half of its cost.
Each card is kept under its product, the visitor's language, currency and host, where it
stands on the page (eager photo, heading level) and the price filter it was found with, with
a stamp from the cache-tag store (services.catalog.cache_tags): it is served while neither
its product's tag nor the catalog's changed since, checked for all the page's cards in one
round trip, exactly as whole pages are.

Cards hold nothing personal: the CSRF token, "save"/"remove" and the way back to the page
are placeholders filled per visitor (shop.personal). Without Redis the cards live in each
process (a bounded in-memory cache); with Redis all servers share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cachelib import SimpleCache
from flask import Flask, current_app, g, request
from flask_babel import get_locale
from markupsafe import Markup
from redis.exceptions import RedisError

from shop.extensions import cache, db
from shop.i18n import select_currency
from shop.models import Product
from shop.services.catalog import cache_tags
from shop.services.catalog import products as catalog

_STARTED = "card_cache_started"  # g: the page's render start, from the tag store


def begin(started: Any) -> None:
    """Let this page's cards be taken from, and stored in, the card cache."""
    setattr(g, _STARTED, started)


def _store() -> Any:
    return current_app.extensions["card_cache"]


def _render(product: Product, eager: bool, options: tuple[str, int | None, int | None]) -> Markup:
    heading, low, high = options
    macros = current_app.jinja_env.get_template("_macros.html").module
    return macros.product_card(  # type: ignore[attr-defined]
        product, eager=eager, heading=heading, price_low=low, price_high=high
    )


def _loaded(wanted: set[int]) -> dict[int, Product]:
    """The products of these ids with what their cards show. Listed items are read now; one
    no longer on sale since its page was cut is left out (its card with it)."""
    return catalog.products_by_id(sorted(wanted), str(get_locale())) if wanted else {}


def product_cards(
    products: Sequence[Any],
    eager_first: int = 0,
    heading: str = "h3",
    price_low: int | None = None,
    price_high: int | None = None,
) -> list[Markup]:
    """The cards of these products (Product, or catalog.Listed: the id alone), from the
    cache where current; the others are read and rendered (and kept)."""
    shown = [(p.id, n < eager_first) for n, p in enumerate(products)]
    options = (heading, price_low, price_high)
    started = g.get(_STARTED)
    if started is None or not shown or current_app.config.get("CARD_CACHE_DISABLED"):
        loaded = _loaded({i for i, _ in shown})
        return [_render(loaded[i], eager, options) for i, eager in shown if i in loaded]
    prefix = f"card:{get_locale()}:{select_currency() or '-'}:{request.host}:{heading}:"
    keys = [f"{prefix}{i}:{int(eager)}:{price_low}:{price_high}" for i, eager in shown]
    try:
        found = _store().get_many(*keys)
        entries = [e if isinstance(e, tuple) and len(e) == 2 else (None, None) for e in found]
        checked = cache_tags.store().check_many(
            db.session(),
            started,
            [
                ((cache_tags.product_tag(i), cache_tags.GLOBAL), entry[0])
                for (i, _), entry in zip(shown, entries, strict=True)
            ],
        )
    except RedisError:
        loaded = _loaded({i for i, _ in shown})
        return [_render(loaded[i], eager, options) for i, eager in shown if i in loaded]
    missed = {i for (i, _), (current, _) in zip(shown, checked, strict=True) if not current}
    loaded = _loaded(missed)
    cards: list[Markup] = []
    fresh: dict[str, tuple[Any, str]] = {}
    for key, (product_id, eager), entry, (current, stamp) in zip(
        keys, shown, entries, checked, strict=True
    ):
        if current:
            cards.append(Markup(entry[1]))  # noqa: S704 - HTML this module rendered
            continue
        if product_id not in loaded:
            continue
        card = _render(loaded[product_id], eager, options)
        cards.append(card)
        if stamp is not None:
            fresh[key] = (stamp, str(card))
    if fresh:
        try:
            _store().set_many(fresh)
        except RedisError:
            pass  # the page is right; these cards are rendered again next time
    return cards


def init_app(app: Flask) -> None:
    """Share cards through Redis when the page cache does; else keep them in each process."""
    if app.config.get("REDIS_URL"):
        app.extensions["card_cache"] = cache
    else:
        app.extensions["card_cache"] = SimpleCache(
            threshold=app.config.get("CARD_CACHE_SIZE", 5000),
            default_timeout=app.config.get("CACHE_DEFAULT_TIMEOUT", 600),
        )
    app.jinja_env.globals["product_cards"] = product_cards
