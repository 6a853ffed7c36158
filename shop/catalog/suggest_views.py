"""Suggestions as the buyer types in the header search field, as JSON for static/js/suggest.js.

Without JavaScript nothing asks for these: the search form submits to /products as before.
"""

from __future__ import annotations

import json

from flask import Response, request, url_for
from flask_babel import get_locale, ngettext

from shop.catalog import bp
from shop.extensions import limiter
from shop.page_cache import cached_page, page_shows
from shop.services.catalog import cache_tags
from shop.services.catalog.suggest import Suggestion, suggestions

# One request per keystroke (the script waits for a pause in typing): a fast typist on a
# long query stays well under this; a script hammering the index does not.
SUGGEST_LIMIT = "120 per minute"
MAX_RAW_QUERY = 400  # beyond this the request is refused; below it, cut to the search limit
BROWSER_CACHE_SECONDS = 60


def _url(suggestion: Suggestion, locale: str) -> str:
    lang = None if locale == "en" else locale
    if suggestion.kind == "category":
        return url_for("catalog.product_list", category=suggestion.slug, lang=lang)
    return url_for("catalog.product_detail", slug=suggestion.slug, lang=lang)


@cached_page
def _suggestions_json() -> str:
    locale = str(get_locale())
    found = suggestions(request.args.get("q", ""), locale)
    page_shows([], *(cache_tags.product_tag(s.product_id) for s in found if s.product_id))
    count = len(found)
    message = (
        ngettext("%(num)d suggestion. Use the arrow keys to choose.",
                 "%(num)d suggestions. Use the arrow keys to choose.", count)
        if count
        else ""
    )  # fmt: skip
    items = [
        {"kind": s.kind, "label": s.label, "lang": s.lang, "url": _url(s, locale)} for s in found
    ]
    return json.dumps({"suggestions": items, "message": message}, ensure_ascii=False)


@bp.get("/search/suggest")
@limiter.limit(SUGGEST_LIMIT)
def search_suggest() -> Response:
    """List the products and categories matching what the buyer has typed so far."""
    raw = request.args.get("q", "")
    if len(raw) > MAX_RAW_QUERY:
        body = json.dumps({"error": "query too long", "suggestions": []})
        return Response(body, status=400, mimetype="application/json")
    response = Response(_suggestions_json(), mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = BROWSER_CACHE_SECONDS
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response
