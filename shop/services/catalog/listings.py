"""Listings in the back office: create and edit products with their variants, publish,
archive and delete them.

What staff send and what can be wrong with it (drafts, problems, `check_draft`) is in
catalog.drafts. Everything that writes runs in one transaction: a refused save raises
ListingInvalid with every problem found and leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.models import (
    Category,
    OrderLine,
    Product,
    ProductStatus,
    StockReason,
    Variant,
    Workshop,
)
from shop.models.catalog import utcnow
from shop.services.catalog import pricing, rules
from shop.services.catalog.drafts import (
    DEFAULT_MAKER_SHARE,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    ListingInvalid,
    Problem,
    ProductDraft,
    SaveResult,
    VariantDraft,
    check_draft,
    default_maker_share_pct,
)
from shop.services.catalog.rules import slugify
from shop.services.ordering import stock as stock_service
from shop.services.reporting import audit


def _unique_slug(base: str, product: Product | None) -> str:
    """`base`, or `base-2`, `base-3`… whichever no other product uses."""
    base = base or "product"
    others = Product.id != (product.id if product else -1)
    taken = set(
        db.session.scalars(
            select(Product.slug).where(
                others, or_(Product.slug == base, Product.slug.like(f"{base}-%"))
            )
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base[: rules.MAX_PRODUCT_SLUG - 8]}-{n}" in taken:
        n += 1
    return f"{base[: rules.MAX_PRODUCT_SLUG - 8]}-{n}"


def _set_fields(product: Product, draft: ProductDraft) -> None:
    product.name = draft.name.strip()
    product.slug = draft.slug or _unique_slug(slugify(draft.name), product)
    product.summary = draft.summary.strip()
    product.description_md = draft.description_md
    product.category_id = draft.category_id
    product.workshop_id = draft.workshop_id
    product.materials = draft.materials.strip()
    product.care_notes = draft.care_notes
    product.made_to_order = draft.made_to_order
    product.lead_time_days = draft.lead_time_days
    product.featured = draft.featured
    product.hs_code = rules.clean_hs_code(draft.hs_code)
    product.origin_country = rules.clean_country(draft.origin_country)
    if draft.maker_share_pct is not None:
        product.maker_share_pct = draft.maker_share_pct


def _set_variant(variant: Variant, row: VariantDraft, position: int) -> None:
    variant.sku = row.sku
    variant.option_label = row.option_label.strip()
    variant.price_idr = row.price_idr
    variant.weight_g = row.weight_g
    variant.net_weight_g = row.net_weight_g
    variant.length_mm, variant.width_mm, variant.height_mm = (
        row.length_mm, row.width_mm, row.height_mm,
    )  # fmt: skip
    variant.is_active = row.is_active
    variant.position = position


def ordered_variant_ids(variant_ids: list[int]) -> set[int]:
    """Which of these variants appear in any order line."""
    if not variant_ids:
        return set()
    query = select(OrderLine.variant_id).where(OrderLine.variant_id.in_(variant_ids)).distinct()
    return {vid for vid in db.session.scalars(query) if vid is not None}


def _snapshot(product: Product) -> dict[str, Any]:
    return audit.snapshot(product, PRODUCT_FIELDS)


def audit_product(
    actor: audit.Actor, action: str, product: Product, changes: dict[str, Any]
) -> None:
    audit.record(
        actor, action, target_type="product", target_id=product.id, label=product.name,
        changes=changes,
    )  # fmt: skip


def _label(product: Product, variant: Variant) -> str:
    return f"{product.name} — {variant.sku}"


def _audit_variant(
    actor: audit.Actor, action: str, product: Product, variant: Variant, changes: dict[str, Any]
) -> None:
    label = _label(product, variant)
    audit.record(
        actor, action, target_type="variant", target_id=variant.id, label=label, changes=changes
    )


def _change_stock(i: int, variant: Variant, row: VariantDraft, actor: audit.Actor) -> list[Any]:
    """Apply the difference staff made to the stock they saw; [before, after] or []."""
    loaded = row.stock_loaded if row.stock_loaded is not None else variant.stock
    delta = row.stock - loaded
    if delta == 0:
        return []
    try:
        adjustment = stock_service.change(variant, delta, StockReason.EDITED, actor)
    except stock_service.WouldGoNegative as exc:
        problem = Problem("stock", "went_negative", i, {"current": exc.current})
        raise ListingInvalid([problem]) from exc
    return [adjustment.stock_after - delta, adjustment.stock_after]


def _remove_variant(
    product: Product, variant: Variant, ordered: set[int], result: SaveResult, actor: audit.Actor
) -> bool:
    """Delete the variant, or switch it off if it was ever ordered; True if it stays."""
    if variant.id in ordered:
        if variant.is_active:
            result.changed = True
            variant.is_active = False
            changes = {"is_active": [True, False]}
            _audit_variant(actor, "variant.deactivated", product, variant, changes)
        result.deactivated.append(variant.sku)
        return True
    result.changed = True
    gone = audit.diff(audit.snapshot(variant, VARIANT_FIELDS), {})
    _audit_variant(actor, "variant.removed", product, variant, gone)
    result.removed.append(variant.sku)
    product.variants.remove(variant)
    return False


def _change_tiers(variant: Variant, row: VariantDraft) -> dict[str, Any]:
    """Set the variant's volume prices from the row; {"price_tiers": [old, new]} or {}."""
    if row.tiers is None:
        return {}
    before = pricing.describe_tiers(variant)
    pricing.replace_tiers(variant, row.tiers)
    return audit.diff({"price_tiers": before}, {"price_tiers": pricing.describe_tiers(variant)})


def _save_variants(product: Product, draft: ProductDraft, actor: audit.Actor) -> SaveResult:
    result = SaveResult(product)
    existing = {v.id: v for v in product.variants}
    ordered = ordered_variant_ids([r.id for r in draft.variants if r.id and r.remove])
    position = 0
    for i, row in enumerate(draft.variants):
        variant = existing.get(row.id) if row.id else None
        if row.remove:
            if variant is not None and _remove_variant(product, variant, ordered, result, actor):
                variant.position = position
                position += 1
            continue
        if variant is None:
            variant = Variant(stock=row.stock)
            _set_variant(variant, row, position)
            product.variants.append(variant)
            db.session.flush()
            if row.stock:
                stock_service.record(variant, row.stock, row.stock, StockReason.EDITED, actor)
            changes = audit.diff({}, audit.snapshot(variant, (*VARIANT_FIELDS, "stock")))
            changes |= _change_tiers(variant, row)
            _audit_variant(actor, "variant.added", product, variant, changes)
            result.changed = True
        else:
            before = audit.snapshot(variant, VARIANT_FIELDS)
            _set_variant(variant, row, position)
            changes = audit.diff(before, audit.snapshot(variant, VARIANT_FIELDS))
            changes |= _change_tiers(variant, row)
            stock_change = _change_stock(i, variant, row, actor)
            if stock_change:
                changes["stock"] = stock_change
            if changes:
                _audit_variant(actor, "variant.updated", product, variant, changes)
                result.changed = True
        position += 1
    return result


@contextmanager
def saving() -> Iterator[None]:
    """Commit what the block did or roll all of it back.

    A slug or SKU that someone else took since the checks ran becomes a Problem.
    """
    try:
        yield
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise ListingInvalid([Problem("form", "conflict")]) from exc
    except Exception:
        db.session.rollback()
        raise


def create_product(draft: ProductDraft, actor: audit.Actor, *, today: date) -> SaveResult:
    """Create a draft product with its variants; commit. Raise ListingInvalid instead."""
    default_share = default_maker_share_pct(today)
    problems = check_draft(draft, None, actor, default_share)
    if problems:
        raise ListingInvalid(problems)
    with saving():
        product = Product(status=ProductStatus.DRAFT, maker_share_pct=default_share)
        _set_fields(product, draft)
        db.session.add(product)
        db.session.flush()
        audit_product(actor, "product.created", product, audit.diff({}, _snapshot(product)))
        result = _save_variants(product, draft, actor)
    return result


def update_product(product: Product, draft: ProductDraft, actor: audit.Actor) -> SaveResult:
    """Save the edited product and its variant rows in one go; commit or change nothing.

    Stock is changed by the difference between the stock the form showed and the number
    entered, so pieces ordered while the form was open stay reserved.
    """
    problems = check_draft(draft, product, actor, DEFAULT_MAKER_SHARE)
    if problems:
        raise ListingInvalid(problems)
    with saving():
        before = _snapshot(product)
        _set_fields(product, draft)
        result = _save_variants(product, draft, actor)
        changes = audit.diff(before, _snapshot(product))
        if changes:
            audit_product(actor, "product.updated", product, changes)
        if changes or result.changed:
            product.updated_at = utcnow()
    return result


# -- Status and deletion ----------------------------------------------------------------

# -- Choices and lookups ---------------------------------------------------------------


def categories() -> list[Category]:
    """Every category, in display order (for the form's and the filters' choices)."""
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def workshops() -> list[Workshop]:
    """Every workshop by name."""
    return list(db.session.scalars(select(Workshop).order_by(Workshop.name)))


def find_product(product_id: int) -> Product | None:
    """The product with its variants and their volume prices, or None."""
    tiers = selectinload(Product.variants).selectinload(Variant.price_tiers)
    return db.session.get(Product, product_id, options=[tiers])
