"""Generate a large catalog quickly for benchmarks, reusing the demo photos."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from shop.extensions import db
from shop.models import (
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    ProductTranslation,
    Variant,
    Workshop,
)
from shop.services.catalog.search_index import reindex_products
from shop.services.catalog.version import bump_catalog_version

WORDS = (
    "teak mahogany sono rattan bamboo carved woven turned polished rustic classic "
    "heritage nusantara java bali lombok garden market serving display desk lobby"
).split()
NOUNS = "bowl plate tray basket stool chair lamp vase shelf model box board cup".split()
JA_WORDS = "チーク マホガニー 籐 竹 彫刻 手編み 素朴 伝統 ジャワ バリ 庭 市場".split()
JA_NOUNS = "ボウル 皿 トレイ かご スツール 椅子 ランプ 花瓶 棚 模型 箱".split()
BATCH = 1000


def seed_bulk(count: int, seed: int = 7) -> int:
    """Insert `count` active products with 1–4 variants and reused photos; return count."""
    rng = random.Random(seed)  # noqa: S311 - benchmark filler, not security
    categories = list(db.session.scalars(select(Category.id)))
    workshops = list(db.session.scalars(select(Workshop.id)))
    photos = list(db.session.scalars(select(ProductPhoto).order_by(ProductPhoto.id)))
    if not (categories and workshops and photos):
        raise RuntimeError("Seed the demo catalog first: flask --app app seed-demo")
    start = (db.session.scalar(select(func.max(Product.id))) or 0) + 1
    now = datetime.now(UTC)
    for offset in range(0, count, BATCH):
        ids = range(start + offset, start + min(offset + BATCH, count))
        products, variants, photo_rows, translations = [], [], [], []
        for pid in ids:
            prices = sorted(rng.randrange(50, 30_000) * 1000 for _ in range(rng.randint(1, 4)))
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(NOUNS)} {pid}"
            products.append(
                {
                    "id": pid,
                    "slug": f"bench-{pid}",
                    "name": name,
                    "summary": f"A {name.lower()} for benchmarks.",
                    "description_md": " ".join(rng.choices(WORDS, k=40)),
                    "category_id": rng.choice(categories),
                    "workshop_id": rng.choice(workshops),
                    "materials": "Teak",
                    "care_notes": "",
                    "status": ProductStatus.ACTIVE,
                    "made_to_order": rng.random() < 0.3,
                    "lead_time_days": 21,
                    "maker_share_pct": 30,
                    "featured": False,
                    "price_min_idr": prices[0],
                    "price_max_idr": prices[-1],
                    "created_at": now - timedelta(minutes=pid),
                    "updated_at": now,
                }
            )
            if pid % 2:  # half the catalog is translated into Japanese, like a real one
                translations.append(
                    {
                        "product_id": pid,
                        "locale": "ja",
                        "name": f"{rng.choice(JA_WORDS)}の{rng.choice(JA_NOUNS)} {pid}",
                        "summary": "ベンチマーク用の商品です。",
                        "description_md": "".join(rng.choices(JA_WORDS, k=40)),
                        "materials": "チーク",
                        "care_notes": "",
                        "source_digest": "",
                        "updated_at": now,
                        "updated_by": "seed-bench",
                    }
                )
            for position, price in enumerate(prices):
                variants.append(
                    {
                        "product_id": pid,
                        "sku": f"BENCH-{pid}-{position}",
                        "option_label": f"Option {position + 1}",
                        "price_idr": price,
                        "stock": rng.choice((0, 0, 1, 5, 20)),
                        "weight_g": rng.randint(100, 9000),
                        "is_active": True,
                        "position": position,
                    }
                )
            for position in range(rng.randint(1, 3)):
                photo = rng.choice(photos)
                photo_rows.append(
                    {
                        "product_id": pid,
                        "image_key": photo.image_key,
                        "widths": photo.widths,
                        "width": photo.width,
                        "height": photo.height,
                        "alt_text": f"{name}, photo {position + 1}",
                        "position": position,
                    }
                )
        db.session.execute(insert(Product), products)
        db.session.execute(insert(Variant), variants)
        db.session.execute(insert(ProductPhoto), photo_rows)
        if translations:
            db.session.execute(insert(ProductTranslation), translations)
        # Core inserts skip the ORM hooks that would do these.
        reindex_products(db.session.connection(), ids)
        bump_catalog_version()
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Ids were given explicitly, so move the sequences past them.
        for table in ("product", "variant", "product_photo"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        db.session.commit()
    return count
