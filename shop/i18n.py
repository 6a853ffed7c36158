"""Which language a visitor reads the shop in."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, request

LANGUAGE_COOKIE = "lang"
LANGUAGE_PARAM = "lang"
DEFAULT_LANGUAGE = "en"
CURRENCY_COOKIE = "cur"
RUPIAH_ONLY = "IDR"


def select_locale() -> str:
    """Pick the visitor's language: their remembered choice, else their browser's.

    The back office speaks only the staff's languages: a Japanese choice made in the shop
    falls back to the browser's best staff language there.
    """
    languages = list(current_app.config["LANGUAGES"])
    if request.path.startswith("/admin"):
        languages = list(current_app.config["STAFF_LANGUAGES"])
    elif request.args.get(LANGUAGE_PARAM) in languages:
        # A page's address names its language (?lang=ja), so search engines index each one.
        return request.args[LANGUAGE_PARAM]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"


def select_currency() -> str | None:
    """The currency shown beside rupiah: the visitor's choice, else their country's (from
    their browser's region: en-GB → GBP) or their language's; None for rupiah alone."""
    from flask_babel import get_locale

    from shop.services import currency

    chosen = request.cookies.get(CURRENCY_COOKIE)
    if chosen == RUPIAH_ONLY:
        return None
    if chosen in currency.CURRENCIES:
        return chosen
    locale = str(get_locale())
    return currency.currency_for(locale, browser_country(locale, currency.CURRENCY_COUNTRIES))


def browser_country(locale: str, among: Collection[str]) -> str | None:
    """The country the visitor's language and browser region point to, among `among`."""
    from shop.services.ordering.destination import guess_country

    tags = [tag for tag, _quality in request.accept_languages]
    return guess_country(locale, tags, among)


def url_in_language(url: str, code: str) -> str:
    """The same address in another language: `?lang=` set, or dropped for English."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    if code != DEFAULT_LANGUAGE:
        query.append((LANGUAGE_PARAM, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def likely_country(shipped_to: Iterable[str] | None = None) -> str | None:
    """The destination the visitor's language and browser region suggest (ja → JP, en-GB →
    GB), among the countries the shop ships to (`shipped_to`, when the caller has them
    already); None when they don't tell."""
    from flask_babel import get_locale

    from shop.services.ordering.shipping import allowed_countries

    codes = allowed_countries() if shipped_to is None else shipped_to
    return browser_country(str(get_locale()), set(codes))
