"""The catalog as CSV: the columns, how each cell is read, and the export.

One row per variant, the product's columns repeated on each of its rows. Cells are read with
the catalog's value rules (services.catalog_rules), so the import accepts what the product
editor accepts; services.catalog_import reads whole files with these.

Export guards text cells against spreadsheet formula injection with a leading apostrophe,
and import removes exactly that apostrophe again, so export → import changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.extensions import db
from shop.models import Product, ProductStatus, Variant
from shop.services.catalog import rules
from shop.services.catalog.rules import InvalidPrice, check_sku, check_slug, parse_rupiah

PRODUCT_COLUMNS = (
    "product_slug", "product_name", "category_slug", "workshop_slug", "status", "summary",
    "description_md", "materials", "care_notes", "made_to_order", "lead_time_days",
    "maker_share_pct", "featured", "hs_code", "origin_country",
)  # fmt: skip
VARIANT_COLUMNS = (
    "sku", "option_label", "price_idr", "stock", "weight_g", "length_mm", "width_mm",
    "height_mm", "variant_active", "net_weight_g",
)  # fmt: skip
COLUMNS = PRODUCT_COLUMNS + VARIANT_COLUMNS
# Columns added later (customs data): a file without them leaves those values as they are.
OPTIONAL_COLUMNS = frozenset({"hs_code", "origin_country", "net_weight_g"})

_EXPORT_BATCH = 200
_YES = frozenset({"yes", "y", "ya", "true", "1"})
_NO = frozenset({"no", "n", "tidak", "false", "0"})
# The rules' reasons for refusing a price, as the import reports them.
_PRICE_CODES = {"format": "rupiah", "decimals": "rupiah", "negative": "not_negative"}


# --- reading cells: one function per kind of value ------------------------------------------


class BadValue(ValueError):
    """A value the rules refuse: `code` says why, `params` fill in the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def slug_value(text: str, limit: int = rules.MAX_PRODUCT_SLUG) -> str:
    """A slug: lowercase letters, digits and hyphens (upper case is lowered)."""
    slug = text.strip().lower()
    problem = check_slug(slug, limit)
    if problem == "missing":
        raise BadValue("required")
    if problem is not None:
        raise BadValue("slug", max=limit)
    return slug


def sku_value(text: str) -> str:
    """A SKU as the product editor takes it: 1–64 of A–Z a–z 0–9 . _ -, no spaces."""
    sku = text.strip()
    problem = check_sku(sku)
    if problem == "missing":
        raise BadValue("required")
    if problem is not None:
        raise BadValue("sku", max=rules.MAX_SKU)
    return sku


def rupiah_value(text: str) -> int:
    """Whole rupiah, 0 or more: "150000", "150.000" and "Rp150.000" are all Rp150.000."""
    text = text.strip()
    if not text:
        raise BadValue("required")
    try:
        return parse_rupiah(text)
    except InvalidPrice as exc:
        if exc.reason == "too_large":
            raise BadValue("too_big", max=rules.MAX_PRICE_IDR) from None
        raise BadValue(_PRICE_CODES[exc.reason]) from None


def count_value(text: str, maximum: int) -> int:
    """A whole number from 0 to maximum (stock, weight, days)."""
    text = text.strip()
    if not text:
        raise BadValue("required")
    if re.fullmatch(r"-\s*\d+", text):
        raise BadValue("not_negative")
    if not re.fullmatch(r"\d{1,12}", text):
        raise BadValue("whole_number")
    number = int(text)
    if number > maximum:
        raise BadValue("too_big", max=maximum)
    return number


def optional_count_value(text: str, maximum: int) -> int | None:
    """Like count_value, but an empty cell means "not given"."""
    return count_value(text, maximum) if text.strip() else None


def percent_value(text: str) -> int | None:
    """A whole percentage from 0 to 100; empty means "not given"."""
    if not text.strip():
        return None
    try:
        return count_value(text, rules.MAX_MAKER_SHARE_PCT)
    except BadValue as exc:
        raise BadValue("percent") from exc


def yes_no_value(text: str, default: bool) -> bool:
    """yes/no (also ya/tidak, true/false, 1/0); empty means the default."""
    word = text.strip().lower()
    if not word:
        return default
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadValue("yes_no")


def status_value(text: str) -> ProductStatus:
    """draft, active or archived."""
    try:
        return ProductStatus(text.strip().lower())
    except ValueError:
        raise BadValue("status") from None


def line_value(text: str, limit: int, *, required: bool = False) -> str:
    """One line of text, trimmed, at most `limit` characters."""
    value = text.strip()
    if required and not value:
        raise BadValue("required")
    if len(value) > limit:
        raise BadValue("too_long", max=limit)
    return value


def block_value(text: str, limit: int = rules.MAX_DESCRIPTION) -> str:
    """Multi-line text (Markdown) kept as written, with Windows line ends made plain."""
    value = text.replace("\r\n", "\n")
    if len(value) > limit:
        raise BadValue("too_long", max=limit)
    return value


def hs_code_value(text: str) -> str:
    """An HS code of 6–10 digits, dots allowed ("4419.90"); empty means none given."""
    code = rules.clean_hs_code(text)
    if rules.check_hs_code(code):
        raise BadValue("hs_code")
    return code


def country_value(text: str) -> str:
    """An ISO country code ("ID"); empty means Indonesia, where the workshops are."""
    code = rules.clean_country(text) or rules.DEFAULT_ORIGIN
    if rules.check_country(code):
        raise BadValue("country")
    return code


Rules = dict[str, tuple[str, Callable[[str], Any]]]

# Column → (attribute it fills, rule that reads it).
PRODUCT_RULES: Rules = {
    "product_slug": ("slug", slug_value),
    "product_name": ("name", lambda t: line_value(t, rules.MAX_NAME, required=True)),
    "category_slug": ("category_slug", lambda t: slug_value(t, rules.MAX_CATEGORY_SLUG)),
    "workshop_slug": ("workshop_slug", lambda t: slug_value(t, rules.MAX_CATEGORY_SLUG)),
    "status": ("status", status_value),
    "summary": ("summary", lambda t: line_value(t, rules.MAX_SUMMARY)),
    "description_md": ("description_md", block_value),
    "materials": ("materials", lambda t: line_value(t, rules.MAX_MATERIALS)),
    "care_notes": ("care_notes", lambda t: block_value(t, rules.MAX_CARE_NOTES)),
    "made_to_order": ("made_to_order", lambda t: yes_no_value(t, False)),
    "lead_time_days": (
        "lead_time_days",
        lambda t: optional_count_value(t, rules.MAX_LEAD_TIME_DAYS),
    ),
    "maker_share_pct": ("maker_share_pct", percent_value),
    "featured": ("featured", lambda t: yes_no_value(t, False)),
    "hs_code": ("hs_code", hs_code_value),
    "origin_country": ("origin_country", country_value),
}
VARIANT_RULES: Rules = {
    "sku": ("sku", sku_value),
    "option_label": ("option_label", lambda t: line_value(t, rules.MAX_OPTION)),
    "price_idr": ("price_idr", rupiah_value),
    "stock": ("stock", lambda t: count_value(t, rules.MAX_STOCK)),
    "weight_g": ("weight_g", lambda t: count_value(t, rules.MAX_WEIGHT_G)),
    "length_mm": ("length_mm", lambda t: optional_count_value(t, rules.MAX_SIZE_MM)),
    "width_mm": ("width_mm", lambda t: optional_count_value(t, rules.MAX_SIZE_MM)),
    "height_mm": ("height_mm", lambda t: optional_count_value(t, rules.MAX_SIZE_MM)),
    "variant_active": ("is_active", lambda t: yes_no_value(t, True)),
    "net_weight_g": ("net_weight_g", lambda t: optional_count_value(t, rules.MAX_WEIGHT_G)),
}


# --- formula guard ------------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula; an apostrophe in front
# makes it text. Cells starting with an apostrophe get one too, so unguard is exact.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED_STARTS = (*_FORMULA_STARTS, "'")


def guard(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet program."""
    return "'" + text if text.startswith(_GUARDED_STARTS) else text


def unguard(text: str) -> str:
    """Undo `guard`: drop the apostrophe the export put in front of a cell."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_GUARDED_STARTS) else text


# --- export -------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, ProductStatus):
        return value.value
    return guard(value) if isinstance(value, str) else str(value)


def _product_cells(product: Product) -> list[str]:
    values = [
        product.slug, product.name, product.category.slug, product.workshop.slug, product.status,
        product.summary, product.description_md, product.materials, product.care_notes,
        product.made_to_order, product.lead_time_days, product.maker_share_pct, product.featured,
        product.hs_code, product.origin_country,
    ]  # fmt: skip
    return [_cell(value) for value in values]


def _variant_cells(variant: Variant) -> list[str]:
    values = [
        variant.sku, variant.option_label, variant.price_idr, variant.stock, variant.weight_g,
        variant.length_mm, variant.width_mm, variant.height_mm, variant.is_active,
        variant.net_weight_g,
    ]  # fmt: skip
    return [_cell(value) for value in values]


def export_rows() -> Iterator[list[str]]:
    """Yield the header, then one row per variant by product slug and variant position.

    A product without variants gets one row with empty variant columns, so it survives a
    round trip through a spreadsheet too.
    """
    yield list(COLUMNS)
    last_slug = ""
    while True:
        batch = db.session.scalars(
            select(Product)
            .where(Product.slug > last_slug)
            .order_by(Product.slug)
            .limit(_EXPORT_BATCH)
            .options(
                joinedload(Product.category),
                joinedload(Product.workshop),
                selectinload(Product.variants),
            )
        ).all()
        for product in batch:
            cells = _product_cells(product)
            for variant in product.variants:
                yield cells + _variant_cells(variant)
            if not product.variants:
                yield cells + [""] * len(VARIANT_COLUMNS)
        if len(batch) < _EXPORT_BATCH:
            return
        last_slug = batch[-1].slug
