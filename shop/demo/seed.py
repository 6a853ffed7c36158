"""Load the demo catalog: the same rows and photo pipeline that staff will use."""

from __future__ import annotations

import multiprocessing
import os
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from shop.demo import drawings
from shop.demo.data import CATEGORIES, WORKSHOPS, DemoProduct
from shop.demo.liveries import livery_texts
from shop.demo.products import demo_products
from shop.demo.translations import (
    CATEGORY_TEXTS,
    LOCALES,
    PRODUCT_TEXTS,
    WORKSHOP_TEXTS,
    aircraft_texts,
)
from shop.extensions import db
from shop.media import MediaStorage
from shop.models import (
    Category,
    ExchangeRate,
    PriceTier,
    Product,
    ProductPhoto,
    ProductStatus,
    Variant,
    Workshop,
)
from shop.services import currency
from shop.services.catalog.text import TRANSLATION_MODELS, source_digest
from shop.services.catalog.variants import refresh_price_range
from shop.services.media.images import StoredImage, process_image

VIEW_NAMES = ("main view", "another angle", "close-up of the finish", "at home")


def _seed_of(slug: str) -> int:
    return zlib.crc32(slug.encode())


Recipe = tuple[str, str, int, tuple[str, str] | None]  # kind, slug, view, palette


def _draw_and_store(storage: MediaStorage, recipe: Recipe) -> StoredImage:
    kind, slug, view, palette = recipe
    data = drawings.draw(kind, seed=_seed_of(slug), view=view, palette=palette)
    return process_image(data, storage)


def _render_all(storage: MediaStorage, recipes: list[Recipe]) -> dict[Recipe, StoredImage]:
    """Draw and process photos on every core: drawing is the slow part of seeding."""
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(recipes) < 4:
        return {r: _draw_and_store(storage, r) for r in recipes}
    context = multiprocessing.get_context("spawn")  # no forked copies of the app's DB pool
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        stored = pool.map(partial(_draw_and_store, storage), recipes, chunksize=2)
        return dict(zip(recipes, stored, strict=True))


def _seed_categories() -> dict[str, Category]:
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    for position, (slug, name, description) in enumerate(CATEGORIES):
        if slug not in existing:
            existing[slug] = Category(
                slug=slug, name=name, description=description, position=position
            )
            db.session.add(existing[slug])
    return existing


def _translate(entry: Category | Workshop | Product, texts: dict[str, dict[str, str]]) -> None:
    """Give a catalog entry without translations the demo's, as staff would type them."""
    if entry.translations:
        return
    model = TRANSLATION_MODELS[type(entry)]
    digest = source_digest(entry)
    for locale, values in texts.items():
        entry.translations.append(
            model(locale=locale, source_digest=digest, updated_by="seed-demo", **values)
        )


def _product_texts(demo: DemoProduct) -> dict[str, dict[str, str]]:
    if demo.aircraft_type:
        return {locale: aircraft_texts(demo.aircraft_type, locale) for locale in LOCALES}
    return PRODUCT_TEXTS.get(demo.slug) or livery_texts(demo.slug)


def _workshop_recipe(row: dict) -> Recipe:
    return (row["kind"], row["slug"], 0, row["palette"])


def _seed_workshops(photos: dict[Recipe, StoredImage]) -> dict[str, Workshop]:
    existing = {w.slug: w for w in db.session.scalars(select(Workshop))}
    for row in WORKSHOPS:
        if row["slug"] in existing:
            continue
        image = photos[_workshop_recipe(row)]
        workshop = Workshop(
            slug=row["slug"],
            name=row["name"],
            institution=row["institution"],
            region=row["region"],
            summary=row["summary"],
            story=row["story"],
            photo_key=image.key,
            photo_widths=",".join(map(str, image.widths)),
            photo_alt=f"Workbenches and tools in the {row['name'].lower()}",
        )
        existing[row["slug"]] = workshop
        db.session.add(workshop)
    return existing


# Desk-sized aircraft models sell by the dozen to airlines: show volume prices on them.
DEMO_TIERS = ((10, 92), (50, 85), (200, 78))  # from N pieces, percent of the list price
DEMO_TIER_MAX_PRICE = 2_000_000


def _demo_tiers(demo: DemoProduct, price_idr: int) -> list[PriceTier]:
    if demo.category != "miniature-aircraft" or price_idr > DEMO_TIER_MAX_PRICE:
        return []
    return [
        PriceTier(min_quantity=n, unit_price_idr=price_idr * pct // 100 // 1000 * 1000)
        for n, pct in DEMO_TIERS
    ]


def _build_product(
    demo: DemoProduct, categories: dict[str, Category], workshops: dict[str, Workshop]
) -> Product:
    product = Product(
        slug=demo.slug,
        name=demo.name,
        summary=demo.summary,
        description_md=demo.description,
        category=categories[demo.category],
        workshop=workshops[demo.workshop],
        materials=demo.materials,
        care_notes=demo.care,
        status=ProductStatus.ACTIVE,
        made_to_order=demo.made_to_order,
        lead_time_days=demo.lead_time_days,
        maker_share_pct=demo.maker_share_pct,
        featured=demo.featured,
    )
    for position, v in enumerate(demo.variants):
        length, width, height = v.dims_mm
        product.variants.append(
            Variant(
                sku=v.sku,
                option_label=v.label,
                price_idr=v.price_idr,
                stock=v.stock,
                weight_g=v.weight_g,
                length_mm=length,
                width_mm=width,
                height_mm=height,
                position=position,
                price_tiers=_demo_tiers(demo, v.price_idr),
            )
        )
    refresh_price_range(product)
    return product


def _product_recipes(demo: DemoProduct) -> list[Recipe]:
    return [(demo.kind, demo.slug, view, demo.palette) for view in range(demo.photos)]


def _add_photos(product: Product, demo: DemoProduct, photos: dict[Recipe, StoredImage]) -> None:
    for view, recipe in enumerate(_product_recipes(demo)):
        image = photos[recipe]
        product.photos.append(
            ProductPhoto(
                image_key=image.key,
                widths=",".join(map(str, image.widths)),
                width=image.width,
                height=image.height,
                alt_text=f"{demo.name}, {VIEW_NAMES[view % len(VIEW_NAMES)]}",
                position=view,
            )
        )


def seed_demo(
    storage: MediaStorage,
    *,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Add the demo catalog, skipping anything already there; return products added."""
    existing = set(db.session.scalars(select(Product.slug)))
    existing_skus = set(db.session.scalars(select(Variant.sku)))
    existing_workshops = set(db.session.scalars(select(Workshop.slug)))
    new_products = [
        demo
        for demo in demo_products()[:limit]
        if demo.slug not in existing and not any(v.sku in existing_skus for v in demo.variants)
    ]
    recipes = [_workshop_recipe(w) for w in WORKSHOPS if w["slug"] not in existing_workshops]
    recipes += [r for demo in new_products for r in _product_recipes(demo)]
    photos = _render_all(storage, recipes)

    categories = _seed_categories()
    workshops = _seed_workshops(photos)
    for slug, texts in CATEGORY_TEXTS.items():
        _translate(categories[slug], texts)
    for slug, texts in WORKSHOP_TEXTS.items():
        _translate(workshops[slug], texts)
    added = 0
    for demo in new_products:
        product = _build_product(demo, categories, workshops)
        _translate(product, _product_texts(demo))
        _add_photos(product, demo, photos)
        db.session.add(product)
        added += 1
        if progress:
            progress(demo.name)
    db.session.commit()
    return added


def catalog_is_empty() -> bool:
    """Say whether the database has no products yet."""
    return not db.session.scalar(select(func.count(Product.id)))


DEMO_RATES = Path(__file__).with_name("rates.csv")


def seed_demo_rates() -> list[str]:
    """Set the demo exchange rates when no rate is set yet; return the currencies set."""
    if db.session.scalar(select(func.count(ExchangeRate.id))):
        return []
    wanted = currency.rates_from_csv(DEMO_RATES.read_text(encoding="utf-8"))
    return currency.set_rates(wanted, "seed-demo")
