"""Small builders for catalog rows used by the tests."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from PIL import Image

from shop.extensions import db
from shop.models import Category, Product, ProductPhoto, ProductStatus, Variant, Workshop
from shop.services import clock
from shop.services.catalog.variants import refresh_price_range
from shop.services.media.images import process_image

_numbers = itertools.count(1)

# The shop's day when the run started; `conftest.shop_day` pins the app's calendar to it.
TODAY = clock.shop_today()


def make_category(slug: str = "tableware", name: str = "Tableware", **kw: Any) -> Category:
    """Add a category."""
    category = Category(slug=slug, name=name, **kw)
    db.session.add(category)
    db.session.flush()
    return category


def make_workshop(slug: str = "woodcraft", name: str = "Woodcraft workshop", **kw: Any) -> Workshop:
    """Add a workshop."""
    values = {"institution": "Lapas Kelas IIA Banyuwangi", "region": "East Java"} | kw
    workshop = Workshop(slug=slug, name=name, **values)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def make_product(
    name: str = "Teak bowl",
    *,
    category: Category,
    workshop: Workshop,
    prices: tuple[int, ...] = (100_000,),
    stock: int = 5,
    status: ProductStatus = ProductStatus.ACTIVE,
    age_days: int = 0,
    photos: int = 0,
    **kw: Any,
) -> Product:
    """Add a product with one variant per price."""
    n = next(_numbers)
    product = Product(
        slug=kw.pop("slug", f"{name.lower().replace(' ', '-')}-{n}"),
        name=name,
        category=category,
        workshop=workshop,
        status=status,
        created_at=datetime.now(UTC) - timedelta(days=age_days),
        **kw,
    )
    for i, price in enumerate(prices):
        product.variants.append(
            Variant(
                sku=f"SKU-{n}-{i}",
                option_label=f"Size {i + 1}",
                price_idr=price,
                stock=stock,
                weight_g=500,
                position=i,
            )
        )
    for i in range(photos):
        stored = process_image(png_bytes(color=(40 * i % 255, 90, 60)), media())
        product.photos.append(
            ProductPhoto(
                image_key=stored.key,
                widths=",".join(map(str, stored.widths)),
                width=stored.width,
                height=stored.height,
                alt_text=f"{name}, photo {i + 1}",
                position=i,
            )
        )
    refresh_price_range(product)
    db.session.add(product)
    db.session.flush()
    return product


def media() -> Any:
    """The app's media storage."""
    return current_app.extensions["media"]


def png_bytes(
    size: tuple[int, int] = (800, 600), color: tuple[int, int, int] = (200, 120, 40)
) -> bytes:
    """A plain PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def shop_with_stock(stock: int = 10, *, made_to_order: bool = False, price: int = 150_000):
    """A product with one variant in stock, and shipping zones installed."""
    from shop.services.ordering.shipping import install_default_zones

    install_default_zones()
    product = make_product(
        "Rattan basket",
        category=make_category("rattan", "Rattan"),
        workshop=make_workshop("cirebon", "Rattan weaving workshop"),
        prices=(price,),
        stock=stock,
        made_to_order=made_to_order,
        lead_time_days=14 if made_to_order else None,
    )
    db.session.commit()
    return product


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    import re

    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def shown_text(html_fragment: str) -> str:
    """What a reader sees of an HTML fragment: its text, without tags such as <wbr>."""
    import re

    return re.sub(r"<[^>]+>", "", html_fragment)


def card_titles(page: str) -> list[str]:
    """The product names on a listing's cards, as shown."""
    import re

    return [shown_text(t) for t in re.findall(r'<h3 class="card-title"[^>]*>(.*?)</h3>', page)]


def product_title(page: str) -> str:
    """The product page's heading as shown, with its lang attribute if any ("[en] Teak ...")."""
    import re

    found = re.search(r'<h1 id="product-title"( lang="([a-z-]+)")?>(.*?)</h1>', page, re.S)
    assert found is not None, "no product heading"
    return (f"[{found.group(2)}] " if found.group(2) else "") + shown_text(found.group(3))
