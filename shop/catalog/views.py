"""Views for browsing the catalog."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale

from shop.catalog import bp
from shop.catalog.forms import default_sort, parse_listing
from shop.converters import page_number
from shop.page_cache import cached_page, page_shows
from shop.services.catalog import cache_tags, directory, lead_times, pricing
from shop.services.catalog import products as catalog
from shop.services.catalog.products import ListingFilters
from shop.services.catalog.variants import active_variants, availability
from shop.services.ordering import shipping
from shop.services.ordering.cart import MAX_LINE_QUANTITY
from shop.services.text import plain_excerpt
from shop.structured_data import product_json_ld
from shop.templating import local


def _locale() -> str:
    return str(get_locale())


def listing_args(filters: ListingFilters, **changes: Any) -> dict[str, Any]:
    """Return the query-string arguments for the listing, leaving out defaults."""
    values = {
        "q": filters.q,
        "category": filters.category,
        "workshop": filters.workshop,
        "min_price": filters.min_price,
        "max_price": filters.max_price,
        "available": 1 if filters.available else None,
        "sort": None if filters.sort == default_sort(filters.q) else filters.sort,
        "page": filters.page if filters.page > 1 else None,
    }
    values.update(changes)
    if values.get("page") == 1:
        values["page"] = None
    return {k: v for k, v in values.items() if v not in (None, "")}


@bp.get("/products")
@cached_page
def product_list() -> str:
    """Show the product grid with filters, sorting, search and pages."""
    filters = parse_listing(request.args)
    per_page = current_app.config["PRODUCTS_PER_PAGE"]
    results = catalog.search_products(filters, per_page, _locale(), cards=True)
    filters = catalog.with_page(filters, results.page)
    categories = directory.categories_with_counts(_locale())
    workshops = directory.workshops_with_counts(_locale())
    page_shows(results.items, *cache_tags.listing_tags(filters))
    return render_template(
        "catalog/list.html",
        filters=filters,
        results=results,
        categories=categories,
        workshops=workshops,
        current_category=next((c for c, _ in categories if c.slug == filters.category), None),
        current_workshop=next((w for w, _ in workshops if w.slug == filters.workshop), None),
        listing_url=lambda **changes: url_for(
            "catalog.product_list", **listing_args(filters, **changes)
        ),
        page_url=lambda p: url_for("catalog.product_list", **listing_args(filters, page=p)),
        canonical_args=listing_args(filters),
    )


@bp.get("/products/<slug>")
@cached_page
def product_detail(slug: str) -> str:
    """Show one product with its photos, variants, volume prices, workshop and maker share."""
    locale = _locale()
    product = catalog.get_product(slug, locale)
    if product is None:
        abort(404)
    page_shows([product])
    variants = active_variants(product)
    volume_prices = [(v, pricing.tier_table(v)) for v in variants if v.price_tiers]
    wanted = request.args.get("variant", "")
    selected = next((v for v in variants if v.sku == wanted), None)
    if selected is None:
        selected = next(
            (v for v in variants if availability(product, v) != "sold_out"),
            variants[0] if variants else None,
        )
    return render_template(
        "catalog/detail.html",
        product=product,
        variants=variants,
        selected=selected,
        availability=availability,
        sold_out=[v for v in variants if availability(product, v) == "sold_out"],
        volume_prices=volume_prices,
        volume_bands=pricing.shared_bands([bands for _, bands in volume_prices]),
        max_quantity=MAX_LINE_QUANTITY,
        shipping_zones=shipping.zone_fees(selected.weight_g or 0) if selected else [],
        # One piece of the option shown: made first when none is on the shelf.
        lead_days=lead_times.line_lead_days(product, selected, 1) if selected else 0,
        description=plain_excerpt(local(product, "summary") or local(product, "description_md")),
        json_ld=product_json_ld(product, variants, locale),
    )


@bp.get("/workshops")
@cached_page
def workshop_list() -> str:
    """Show every workshop the shop sells for."""
    return render_template(
        "catalog/workshops.html", workshops=directory.workshops_with_counts(_locale())
    )


@bp.get("/workshops/<slug>")
@cached_page
def workshop_detail(slug: str) -> str:
    """Show a workshop, its story and its products."""
    workshop = directory.get_workshop(slug, _locale())
    if workshop is None:
        abort(404)
    page = request.args.get("page", default=1, type=page_number)
    results = catalog.workshop_products(
        workshop,
        max(1, min(page, 1_000_000)),
        current_app.config["PRODUCTS_PER_PAGE"],
        _locale(),
    )
    page_shows(results.items)
    return render_template(
        "catalog/workshop.html",
        workshop=workshop,
        results=results,
        page_url=lambda p: url_for("catalog.workshop_detail", slug=slug, page=p),
    )
