"""Template filters and globals: money, photos, Markdown, catalog texts, static URLs."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import get_currency_name
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_decimal, get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from shop.i18n import DEFAULT_LANGUAGE, locale_code, select_currency, url_in_language
from shop.models import Product
from shop.services import currency, money
from shop.services.catalog import text as catalog_text
from shop.services.catalog.kept import kept
from shop.services.catalog.variants import product_availability
from shop.services.media.images import rendition_name
from shop.services.ordering import carriers, presentation
from shop.services.ordering.mail import delivery_estimate
from shop.services.phrases import phrase_breaks
from shop.services.text import render_markdown


def _locale() -> str:
    return locale_code()


def local(entry: Any, field: str) -> catalog_text.LocalText:
    """A catalog entry's text in the visitor's language, or English where not translated."""
    return catalog_text.localized(entry, field, _locale())


def lang_attr(text: str) -> Markup:
    """` lang="en"` for text shown in another language than the page's, else nothing."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == _locale():
        return Markup("")
    return Markup(' lang="%s"') % lang


def untranslated(entry: Any, *fields: str) -> bool:
    """Whether any of these texts of the entry is shown in English on this page."""
    return catalog_text.untranslated(entry, fields, _locale())


def language_name(code: str) -> str:
    """A storefront language's own name ("日本語")."""
    return str(current_app.config["LANGUAGES"].get(code, code))


# The default shipping zones in the visitor's language; a zone staff add later shows its name.
ZONE_LABELS = {
    "ID": _l("Indonesia"),
    "SEA": _l("Southeast Asia"),
    "EA": _l("East Asia"),
    "OC": _l("Oceania"),
    "AM": _l("Americas"),
    "EU": _l("Europe"),
    "ROW": _l("Rest of the world"),
}


def zone_label(code: str, name: str) -> str:
    """A shipping zone's name in the visitor's language."""
    label = ZONE_LABELS.get(code)
    return str(label) if label is not None else name


def idr(amount: int | None) -> str:
    """Format whole rupiah for the visitor's locale."""
    if amount is None:
        return ""
    return money.format_idr(amount, _locale())


def phrases(text: str | None) -> Markup:
    """The text with Japanese lines breaking between phrases (shop/services/phrases.py)."""
    return phrase_breaks(text, _locale())


def date_long(value: date | None) -> str:
    """Format a date the way the visitor's language writes it ("1 December 2026")."""
    return format_date(value, format="long") if value else ""


def _rates() -> currency.Rates:
    # Read once per catalog version (rates are part of it), and looked up once per request
    # (kept on the request, not `g`, which can outlive one).
    rates = getattr(request, "_exchange_rates", None)
    if rates is None:
        rates = kept("exchange_rates", currency.current_rates)
        request._exchange_rates = rates  # type: ignore[attr-defined]
    return rates


def shown_currency() -> str | None:
    """The currency approximate prices are shown in for this visitor, if it has a rate."""
    code = select_currency()
    return code if _rates().has(code) else None


def approx_text(amount_idr: int | None) -> str:
    """ "≈ $9.23" as plain text (for scripts that swap the price), or empty."""
    code = shown_currency()
    if amount_idr is None or code is None:
        return ""
    return "≈ " + currency.format_approx(amount_idr, code, _rates().by_currency[code], _locale())


def approx(amount_idr: int | None, high_idr: int | None = None) -> Markup:
    """ "≈ $9.23" (or a range) beside a rupiah amount, in the visitor's currency; else empty."""
    code = shown_currency()
    if amount_idr is None or code is None:
        return Markup("")
    rate = _rates().by_currency[code]
    text = currency.format_approx(amount_idr, code, rate, _locale())
    if high_idr is not None and high_idr != amount_idr:
        text += " – " + currency.format_approx(high_idr, code, rate, _locale())
    label = gettext("approximately")
    return Markup('<span class="approx"><span class="visually-hidden">%s </span>≈ %s</span>') % (
        label,
        text,
    )


def order_line_names(order: Any) -> dict[Any, str]:
    """The order's item names in the visitor's language (one query), by line."""
    return presentation.line_names(order.lines, _locale())


def country_name(code: str) -> str:
    """A country's name in the visitor's language."""
    return presentation.country_name(code, _locale())


def order_moment(value: datetime | None, order: Any) -> str:
    """A time on an order in its buyer's time zone, with the zone named."""
    country = order.ship_country or order.shipping_country
    return presentation.moment(value, country, _locale())


def currency_name(code: str) -> str:
    """A currency's name in the visitor's language ("US Dollar", "米ドル")."""
    return get_currency_name(code, locale=_locale())


def rates_updated() -> datetime | None:
    """When the exchange rates behind approximate prices last changed."""
    return _rates().updated_at


def in_language(url: str) -> str:
    """The URL of this page in the language it is shown in (for canonical links)."""
    return url_in_language(url, _locale())


def language_alternates(url: str) -> list[tuple[str, str]]:
    """(hreflang, URL) of a page (its canonical address) in every language, then x-default."""
    return language_versions(url) + [("x-default", url_in_language(url, DEFAULT_LANGUAGE))]


def language_versions(url: str) -> list[tuple[str, str]]:
    """(language, URL) of a page in every storefront language (for the sitemap)."""
    return [(code, url_in_language(url, code)) for code in current_app.config["LANGUAGES"]]


def price_bounds(
    product: Product, low: int | None = None, high: int | None = None
) -> tuple[int | None, int | None]:
    """The lowest and highest price of the product's options, within a price filter if on.

    A listing filtered to "up to Rp200.000" shows the options it found (a bowl's Rp185.000
    size), not the whole range (with the Rp245.000 size) that made it look outside the filter.
    """
    if low is None and high is None:
        return product.price_min_idr, product.price_max_idr
    prices = [
        v.price_idr
        for v in product.variants
        if v.is_active
        and (low is None or v.price_idr >= low)
        and (high is None or v.price_idr <= high)
    ]
    if not prices:
        return product.price_min_idr, product.price_max_idr
    return min(prices), max(prices)


def price_range(product: Product, low: int | None = None, high: int | None = None) -> str:
    """Format a product's price range over its active variants (within a price filter)."""
    least, most = price_bounds(product, low, high)
    return money.format_idr_range(least, most, _locale())


def media_url(key: str, width: int) -> str:
    """Return the URL of one rendition of a stored image."""
    return current_app.extensions["media"].url(rendition_name(key, width))


def srcset(key: str, widths: str) -> str:
    """Return a srcset attribute value for an image's renditions."""
    return ", ".join(f"{media_url(key, int(w))} {w}w" for w in widths.split(",") if w)


def smallest_width_at_least(widths: str, wanted: int) -> int:
    """Return the smallest rendition width that is at least `wanted`, else the largest."""
    available = sorted(int(w) for w in widths.split(",") if w)
    return next((w for w in available if w >= wanted), available[-1])


def month_short(month: date) -> str:
    """The month's short name in the page's language ("Jan", "1月"), for chart labels."""
    return format_skeleton("MMM", month, locale=get_locale())


def gallery_widths(widths: str) -> str:
    """An image's rendition widths without the largest (kept for the enlarged view), unless
    it has only one."""
    available = sorted(int(w) for w in widths.split(",") if w)
    return ",".join(str(w) for w in (available[:-1] if len(available) > 1 else available))


def largest_width(widths: str) -> int:
    """An image's largest rendition width: the one the enlarged view shows."""
    return max(int(w) for w in widths.split(",") if w)


def return_path() -> str:
    """Return the current path and query for "come back here" links, if short enough."""
    full = request.full_path.rstrip("?")
    return full if len(full) <= 300 else request.path


def _static_versions(static_folder: str) -> dict[str, str]:
    versions = {}
    root = Path(static_folder)
    for path in root.rglob("*"):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            versions[path.relative_to(root).as_posix()] = digest
    return versions


def init_app(app: Flask) -> None:
    """Register the shop's filters and globals on the Jinja environment."""
    versions = _static_versions(app.static_folder or "static")

    def static_url(filename: str) -> str:
        """Return a cache-busting URL for a static file."""
        return url_for("static", filename=filename, v=versions.get(filename))

    app.jinja_env.filters.update(
        idr=idr,
        markdown=render_markdown,
        date_long=date_long,
        in_language=in_language,
        local=local,
        lang_attr=lang_attr,
        country_name=country_name,
        number=format_decimal,
        phrases=phrases,
        month_short=month_short,
    )
    # `messages|selectattr(0, "startswith", "inline:")`: flashed messages shown in place.
    app.jinja_env.tests["startswith"] = lambda value, prefix: str(value).startswith(prefix)
    app.jinja_env.globals.update(
        price_range=price_range,
        price_bounds=price_bounds,
        delivery_estimate=delivery_estimate,
        product_availability=product_availability,
        untranslated=untranslated,
        language_name=language_name,
        zone_label=zone_label,
        approx=approx,
        language_alternates=language_alternates,
        language_versions=language_versions,
        approx_text=approx_text,
        shown_currency=shown_currency,
        rates_updated=rates_updated,
        currency_name=currency_name,
        order_line_names=order_line_names,
        order_moment=order_moment,
        tracking_link=carriers.tracking_link,
        approx_currencies=currency.CURRENCIES,
        media_url=media_url,
        srcset=srcset,
        smallest_width_at_least=smallest_width_at_least,
        gallery_widths=gallery_widths,
        largest_width=largest_width,
        static_url=static_url,
        current_locale=_locale,
        return_path=return_path,
    )

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": app.config["LANGUAGES"]}
