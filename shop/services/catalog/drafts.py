"""What staff send for a product and its options (drafts), and everything wrong with it.

The value rules (slugs, SKUs, limits) are those of catalog.rules, shared with the CSV import.
`check_draft` finds every problem at once, reading but never writing; catalog.listings saves
a draft only when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from shop.extensions import db
from shop.models import Category, Product, RevenueSplitRate, User, Variant, Workshop
from shop.services.catalog import pricing, rules
from shop.services.catalog.rules import check_range, check_sku, check_slug
from shop.services.ordering.cart import MAX_LINE_QUANTITY
from shop.services.reporting import audit

DEFAULT_MAKER_SHARE = 30

PRODUCT_FIELDS = (
    "name", "slug", "summary", "description_md", "category_id", "workshop_id", "materials",
    "care_notes", "made_to_order", "lead_time_days", "featured", "maker_share_pct", "status",
    "hs_code", "origin_country",
)  # fmt: skip
VARIANT_FIELDS = (
    "sku", "option_label", "price_idr", "weight_g", "length_mm", "width_mm", "height_mm",
    "is_active", "net_weight_g",
)  # fmt: skip


# -- What a form sends ------------------------------------------------------------------


@dataclass
class VariantDraft:
    """One row of the variant table as staff filled it in."""

    id: int | None
    sku: str
    option_label: str
    price_idr: int
    stock: int
    stock_loaded: int | None = None  # the stock the form showed when it was opened
    weight_g: int = 0
    net_weight_g: int | None = None  # customs: the piece alone, unpacked
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    is_active: bool = True
    remove: bool = False
    tiers: list[pricing.Tier] | None = None  # volume prices; None leaves them as they are


@dataclass
class ProductDraft:
    """A product as staff filled in its form; `maker_share_pct` None keeps the current one."""

    name: str
    category_id: int
    workshop_id: int
    variants: list[VariantDraft]
    slug: str = ""
    summary: str = ""
    description_md: str = ""
    materials: str = ""
    care_notes: str = ""
    made_to_order: bool = False
    lead_time_days: int | None = None
    featured: bool = False
    maker_share_pct: int | None = None
    hs_code: str = ""
    origin_country: str = rules.DEFAULT_ORIGIN


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a draft: which field (and variant row), and a message key."""

    field: str
    key: str
    row: int | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False)


class ListingInvalid(Exception):
    """The draft cannot be saved; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}[{p.row}]:{p.key}" for p in problems))
        self.problems = problems


@dataclass
class SaveResult:
    """What a save did beyond the obvious: variants kept but switched off, or deleted."""

    product: Product
    deactivated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: bool = False


# -- Checking a draft -------------------------------------------------------------------


def default_maker_share_pct(today: date) -> int:
    """The maker share a new product starts with: the rate in force today, else 30 %."""
    share = db.session.scalar(
        select(RevenueSplitRate.default_maker_share_pct)
        .where(RevenueSplitRate.effective_from <= today)
        .order_by(RevenueSplitRate.effective_from.desc())
        .limit(1)
    )
    return DEFAULT_MAKER_SHARE if share is None else share


def may_set_maker_share(actor: audit.Actor) -> bool:
    """Only admins decide what share of the price the makers are paid."""
    return isinstance(actor, User) and actor.is_admin


def _text_problems(draft: ProductDraft) -> list[Problem]:
    problems = [
        Problem(name, "too_long", params={"max": limit})
        for name, limit in rules.PRODUCT_TEXT_LIMITS.items()
        if len(getattr(draft, name)) > limit
    ]
    if not draft.name.strip():
        problems.append(Problem("name", "missing"))
    return problems


def _product_problems(draft: ProductDraft, product: Product | None) -> list[Problem]:
    problems = _text_problems(draft)
    if draft.slug:
        reason = check_slug(draft.slug)
        if reason:
            problems.append(Problem("slug", reason, params={"max": rules.MAX_PRODUCT_SLUG}))
        elif db.session.scalar(
            select(Product.id).where(
                Product.slug == draft.slug, Product.id != (product.id if product else -1)
            )
        ):
            problems.append(Problem("slug", "duplicate"))
    if db.session.get(Category, draft.category_id) is None:
        problems.append(Problem("category_id", "missing"))
    if db.session.get(Workshop, draft.workshop_id) is None:
        problems.append(Problem("workshop_id", "missing"))
    reason = check_range(draft.lead_time_days, rules.MAX_LEAD_TIME_DAYS)
    if reason:
        problems.append(Problem("lead_time_days", reason, params={"max": rules.MAX_LEAD_TIME_DAYS}))
    if check_range(draft.maker_share_pct, rules.MAX_MAKER_SHARE_PCT):
        problems.append(Problem("maker_share_pct", "range"))
    if rules.check_hs_code(rules.clean_hs_code(draft.hs_code)):
        problems.append(Problem("hs_code", "format"))
    reason = rules.check_country(rules.clean_country(draft.origin_country))
    if reason:
        problems.append(Problem("origin_country", reason))
    return problems


def _row_problems(i: int, row: VariantDraft) -> list[Problem]:
    problems = []
    reason = check_sku(row.sku)
    if reason:
        problems.append(Problem("sku", reason, i, {"max": rules.MAX_SKU}))
    if not row.option_label.strip():
        problems.append(Problem("option_label", "missing", i))
    elif len(row.option_label) > rules.MAX_OPTION:
        problems.append(Problem("option_label", "too_long", i, {"max": rules.MAX_OPTION}))
    for name, limit in rules.VARIANT_NUMBER_LIMITS.items():
        reason = check_range(getattr(row, name), limit)
        if reason:
            problems.append(Problem(name, reason, i, {"max": limit}))
    if row.tiers:
        problems += [
            Problem("tiers", p.key, i, {"tier": p.index, "part": p.part, **p.params})
            for p in pricing.check_tiers(row.price_idr, row.tiers, MAX_LINE_QUANTITY)
        ]
    return problems


def _variant_problems(draft: ProductDraft, product: Product | None) -> list[Problem]:
    own = {v.id for v in product.variants} if product else set()
    problems = [
        Problem("variants", "unknown", i)
        for i, r in enumerate(draft.variants)
        if r.id and r.id not in own
    ]
    rows = [(i, r) for i, r in enumerate(draft.variants) if not r.remove]
    if not rows:
        problems.append(Problem("variants", "none"))
    seen: dict[str, int] = {}
    for i, row in rows:
        problems += _row_problems(i, row)
        if row.sku in seen:
            problems.append(Problem("sku", "repeated", i, {"sku": row.sku}))
        seen.setdefault(row.sku, i)
    if seen:
        taken = db.session.execute(select(Variant.sku, Variant.id).where(Variant.sku.in_(seen)))
        ids = {sku: vid for sku, vid in taken}
        for i, row in rows:
            if row.sku in ids and ids[row.sku] != row.id:
                problems.append(Problem("sku", "duplicate", i, {"sku": row.sku}))
    return problems


def check_draft(
    draft: ProductDraft, product: Product | None, actor: audit.Actor, default_share: int
) -> list[Problem]:
    """Every problem with saving `draft` over `product` (None for a new one), in form order."""
    problems = _product_problems(draft, product) + _variant_problems(draft, product)
    current = product.maker_share_pct if product else default_share
    wanted = draft.maker_share_pct
    if wanted is not None and wanted != current and not may_set_maker_share(actor):
        problems.append(Problem("maker_share_pct", "only_admin"))
    return problems


# -- Saving -----------------------------------------------------------------------------
