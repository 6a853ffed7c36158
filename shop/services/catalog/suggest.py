"""Suggestions while a buyer types in the search field: products and categories.

The products come from the same index, synonyms and spelling corrections as the search page
(a query's last, unfinished word is matched as a prefix there already), so a suggestion
never promises something the search page would not list. Names are in the buyer's language,
or in English where staff have not translated them yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from shop.services.catalog.directory import categories_with_counts
from shop.services.catalog.products import (
    MAX_QUERY_LENGTH,
    ListingFilters,
    search_products,
)
from shop.services.catalog.search_text import query_tokens, segments
from shop.services.catalog.text import localized

MAX_PRODUCTS = 6
MAX_CATEGORIES = 2


@dataclass(frozen=True)
class Suggestion:
    """One line of the suggestion list: what it says, in which language, and where it leads."""

    kind: str  # "product" or "category"
    label: str
    lang: str
    slug: str
    product_id: int | None = None  # products only: the page cache forgets it when it changes


def clean_query(raw: str) -> str:
    """What a buyer typed, without control characters and extra spaces, cut to the search
    page's limit (the same cleaning as the listing's ?q=)."""
    text = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _names_match(tokens: list[str], *names: str) -> bool:
    """Whether every typed token begins a word (or, in CJK, appears) in one of the names."""
    words = [w for name in names for w in segments(name)]
    return all(any(w.startswith(t) or t in w for w in words) for t in tokens)


def suggestions(query: str, locale: str) -> list[Suggestion]:
    """The products (best first) and categories a buyer typing `query` most likely means."""
    query = clean_query(query)
    if not query_tokens(query):
        return []
    page = search_products(ListingFilters(q=query, sort="relevance"), MAX_PRODUCTS, locale)
    found: list[Suggestion] = []
    for product in page.items:
        name = localized(product, "name", locale)
        found.append(Suggestion("product", str(name), name.lang, product.slug, product.id))
    tokens = query_tokens(query)
    shown_categories = {p.category.slug for p in page.items}
    categories = []
    for category, count in categories_with_counts(locale):
        name = localized(category, "name", locale)
        named = _names_match(tokens, name, category.name)
        if count and (named or category.slug in shown_categories):
            categories.append(
                (not named, Suggestion("category", str(name), name.lang, category.slug))
            )
    categories.sort(key=lambda pair: pair[0])  # named by the query first, stable otherwise
    return found + [s for _, s in categories[:MAX_CATEGORIES]]
