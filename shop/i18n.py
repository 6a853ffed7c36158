"""Which language a visitor reads the shop in."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import flask_babel
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request
from flask.globals import _cv_app
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

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
    their browser's region: en-GB → GBP) or their language's; None for rupiah alone.

    Chosen once per request and language in force (a page asks for every price shown)."""
    state = _babel_state()
    kept = None if state is None else state.__dict__.get("kb_currency")
    if kept is not None and kept[0] is state.__dict__.get("babel_locale"):  # type: ignore[union-attr]
        return kept[1]
    code = _currency()
    state = _babel_state()
    if state is not None and state.__dict__.get("babel_locale") is not None:
        state.kb_currency = (state.babel_locale, code)
    return code


def locale_code() -> str:
    """The code of the language in force ("ja"), as `str(get_locale())`, kept like the
    catalog (translations)."""
    state = _babel_state()
    if state is not None:
        kept = state.__dict__.get("kb_locale_code")
        if kept is not None and kept[0] is state.__dict__.get("babel_locale"):
            return kept[1]
    code = str(flask_babel.get_locale() or "en")
    state = _babel_state()
    if state is not None and state.__dict__.get("babel_locale") is not None:
        state.kb_locale_code = (state.babel_locale, code)
    return code


def _currency() -> str | None:
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


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel's per-context state (the locale it chose), without its proxies' cost."""
    context = _cv_app.get(None)
    return None if context is None else context.g.__dict__.get("_flask_babel")


def translations() -> NullTranslations:
    """The current language's catalog, kept for as long as the same locale is in force.

    Flask-Babel looks the catalog up through five context-local lookups on every string; a
    page shows a hundred. The catalog is kept beside the locale Flask-Babel chose, and used
    only while that same locale object is in force (force_locale sets another: a mail in
    the buyer's language gets that language's catalog).
    """
    state = _babel_state()
    if state is not None:
        kept = state.__dict__.get("kb_translations")
        if kept is not None and kept[0] is state.__dict__.get("babel_locale"):
            return kept[1]
    catalog = flask_babel.get_translations()
    state = _babel_state()
    locale = None if state is None else state.__dict__.get("babel_locale")
    if locale is not None:
        state.kb_translations = (locale, catalog)
    return catalog


def install_fast_gettext(app: Flask) -> None:
    """Templates translate through `translations()` (Flask-Babel's own install, faster)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


@functools.lru_cache(maxsize=32)
def _form_catalog(locale: str) -> NullTranslations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class FormTranslations:
    """WTForms' own messages ("This field is required.") in the visitor's language.

    Flask-WTF reads and parses the language's catalog file again on every request that
    builds a form (a cart's add, a checkout, a payment: about a millisecond each); here
    each language's catalog is read once per process.
    """

    def gettext(self, string: str) -> str:
        return _form_catalog(locale_code()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _form_catalog(locale_code()).ungettext(singular, plural, n)


FORM_TRANSLATIONS = FormTranslations()


def _form_translations(meta: object, form: object) -> FormTranslations | None:
    if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
        return None
    return FORM_TRANSLATIONS


def install_form_translations() -> None:
    """Every form (all are Flask-WTF's) takes WTForms' messages from `FORM_TRANSLATIONS`."""
    FlaskForm.Meta.get_translations = _form_translations  # type: ignore[method-assign]
