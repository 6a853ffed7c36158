"""schema.org data for search engines, built from catalog objects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from flask import request, url_for

from shop.models import Product, Variant
from shop.services import catalog
from shop.services.text import plain_excerpt
from shop.templating import media_url, smallest_width_at_least


def _absolute(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def product_json_ld(product: Product, variants: list[Variant]) -> dict[str, Any]:
    """Describe a product as schema.org Product with an AggregateOffer in IDR."""
    in_stock = any(catalog.availability(product, v) == "in_stock" for v in variants)
    made_to_order = any(catalog.availability(product, v) == "made_to_order" for v in variants)
    if in_stock:
        availability = "https://schema.org/InStock"
    elif made_to_order:
        availability = "https://schema.org/PreOrder"
    else:
        availability = "https://schema.org/OutOfStock"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": plain_excerpt(product.summary or product.description_md, 300),
        "sku": variants[0].sku if variants else None,
        "category": product.category.name,
        "material": product.materials or None,
        "brand": {"@type": "Brand", "name": "Karya Binaan"},
        "url": _absolute("catalog.product_detail", slug=product.slug),
        "image": [
            urljoin(
                request.host_url, media_url(p.image_key, smallest_width_at_least(p.widths, 1280))
            )
            for p in product.photos
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
