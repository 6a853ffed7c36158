"""Parts of every page that are the same for everyone in one language: header, menu, footer.

Each storefront page spends a third of its render on its frame: a hundred translated strings
and thirty-odd links in the header, the menu and the footer. They depend only on the
language, the currency shown (and its rates' date), which page is current (for
`aria-current`) and the host; so they are rendered once per process for each such key and
reused. What differs per request (the search box's words, the way back to the page) is a
placeholder filled in per request (shop.personal), like the CSRF token.

Templates mark a part with `{% call fragment("name", key...) %}…{% endcall %}`; the key
must name everything the part shows beyond language, currency and host. Templates and
translations change only with a restart, and nothing is kept in debug mode, where
templates reload.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from threading import Lock

from flask import Flask, current_app, request
from markupsafe import Markup

from shop.i18n import locale_code, select_currency

LIMIT = 2000  # parts kept per app; past it the store starts over
_lock = Lock()


def fragment(name: str, *key: Hashable, caller: Callable[[], str]) -> Markup:
    """The part `name` for this key, rendered by `caller` the first time only."""
    if current_app.debug or current_app.config.get("FRAGMENT_CACHE_DISABLED"):
        return Markup(caller())  # noqa: S704 - the template's own rendered HTML
    parts: dict[tuple[Hashable, ...], str] = current_app.extensions["fragments"]
    full = (name, locale_code(), select_currency(), request.host, *key)
    html = parts.get(full)
    if html is None:
        html = str(caller())
        with _lock:
            if len(parts) >= LIMIT:
                parts.clear()
            parts[full] = html
    return Markup(html)  # noqa: S704 - the template's own rendered HTML


def init_app(app: Flask) -> None:
    """Offer `fragment` to templates; keep the app's parts in the app."""
    app.extensions["fragments"] = {}
    app.jinja_env.globals["fragment"] = fragment
