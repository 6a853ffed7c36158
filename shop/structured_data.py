"""schema.org data for search engines, built from catalog objects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from flask import url_for

from shop.hosts import site_root
from shop.i18n import url_in_language
from shop.models import Product, Variant
from shop.services.catalog.text import localized
from shop.services.catalog.variants import availability as option_availability
from shop.services.text import plain_excerpt
from shop.templating import media_url, smallest_width_at_least


def _absolute(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def product_json_ld(product: Product, variants: list[Variant], locale: str) -> dict[str, Any]:
    """Describe a product as schema.org Product with an AggregateOffer in IDR, in the page's
    language where staff translated it."""

    def text(entry: Any, field: str) -> str:
        return localized(entry, field, locale)

    in_stock = any(option_availability(product, v) == "in_stock" for v in variants)
    made_to_order = any(option_availability(product, v) == "made_to_order" for v in variants)
    if in_stock:
        availability = "https://schema.org/InStock"
    elif made_to_order:
        availability = "https://schema.org/PreOrder"
    else:
        availability = "https://schema.org/OutOfStock"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": text(product, "name"),
        "description": plain_excerpt(
            text(product, "summary") or text(product, "description_md"), 300
        ),
        "sku": variants[0].sku if variants else None,
        "category": text(product.category, "name"),
        "material": text(product, "materials") or None,
        "brand": {"@type": "Brand", "name": "Karya Binaan"},
        "url": url_in_language(_absolute("catalog.product_detail", slug=product.slug), locale),
        "image": [
            urljoin(site_root(), media_url(p.image_key, smallest_width_at_least(p.widths, 1280)))
            for p in product.shown_photos
        ],
    }
    if variants:
        prices = [v.price_idr for v in variants]
        data["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": "IDR",
            "lowPrice": min(prices),
            "highPrice": max(prices),
            "offerCount": len(variants),
            "availability": availability,
        }
    return {k: v for k, v in data.items() if v is not None}
