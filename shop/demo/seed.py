"""Load the demo catalog: the same rows and photo pipeline that staff will use."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from sqlalchemy import func, select

from shop.demo import drawings
from shop.demo.data import CATEGORIES, WORKSHOPS, DemoProduct
from shop.demo.products import demo_products
from shop.extensions import db
from shop.media import MediaStorage
from shop.models import Category, Product, ProductPhoto, ProductStatus, Variant, Workshop
from shop.services.catalog import refresh_price_range
from shop.services.images import StoredImage, process_image

VIEW_NAMES = ("main view", "another angle", "close-up of the finish", "at home")


def _seed_of(slug: str) -> int:
    return zlib.crc32(slug.encode())


def _draw_and_store(
    storage: MediaStorage, kind: str, slug: str, view: int, palette: tuple[str, str] | None
) -> StoredImage:
    data = drawings.draw(kind, seed=_seed_of(slug), view=view, palette=palette)
    return process_image(data, storage)


def _seed_categories() -> dict[str, Category]:
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    for position, (slug, name, description) in enumerate(CATEGORIES):
        if slug not in existing:
            existing[slug] = Category(
                slug=slug, name=name, description=description, position=position
            )
            db.session.add(existing[slug])
    return existing


def _seed_workshops(storage: MediaStorage) -> dict[str, Workshop]:
    existing = {w.slug: w for w in db.session.scalars(select(Workshop))}
    for row in WORKSHOPS:
        if row["slug"] in existing:
            continue
        image = _draw_and_store(storage, row["kind"], row["slug"], 0, row["palette"])
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
            )
        )
    refresh_price_range(product)
    return product


def _add_photos(product: Product, demo: DemoProduct, storage: MediaStorage) -> None:
    for view in range(demo.photos):
        image = _draw_and_store(storage, demo.kind, demo.slug, view, demo.palette)
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
    categories = _seed_categories()
    workshops = _seed_workshops(storage)
    existing = set(db.session.scalars(select(Product.slug)))
    existing_skus = set(db.session.scalars(select(Variant.sku)))
    added = 0
    for demo in demo_products()[:limit]:
        if demo.slug in existing or any(v.sku in existing_skus for v in demo.variants):
            continue
        product = _build_product(demo, categories, workshops)
        _add_photos(product, demo, storage)
        db.session.add(product)
        added += 1
        if progress:
            progress(demo.name)
    db.session.commit()
    return added


def catalog_is_empty() -> bool:
    """Say whether the database has no products yet."""
    return not db.session.scalar(select(func.count(Product.id)))
