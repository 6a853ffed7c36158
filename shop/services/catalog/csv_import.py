"""Importing the catalog CSV: all or nothing, with a row-by-row report.

Every row is read and checked against the value rules (services.catalog_csv), against the
other rows of the file and against the database before anything is written; one wrong cell
anywhere and the import writes nothing, reporting every problem as (row, column, code).
Rows are matched to products by product_slug and to variants by sku; variants the file
does not mention are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.models import (
    Category,
    Product,
    StockAdjustment,
    StockReason,
    User,
    Variant,
    Workshop,
)
from shop.services import clock
from shop.services.catalog import stock_alerts
from shop.services.catalog.csv_export import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    PRODUCT_RULES,
    VARIANT_COLUMNS,
    VARIANT_RULES,
    BadValue,
    Rules,
    unguard,
)
from shop.services.catalog.drafts import default_maker_share_pct
from shop.services.catalog.variants import refresh_price_range
from shop.services.reporting import audit

MAX_ROWS = 5_000
MAX_BYTES = 8 * 1024 * 1024
MAX_REPORTED_ERRORS = 500
_LOOKUP_CHUNK = 500
BOM = "\ufeff"


# --- reading the file -------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file can't be taken as a catalog CSV at all: `code` says why, `params` the details.

    Codes: "empty", "too_big" (max_mb), "not_utf8", "too_many_rows" (max), "malformed" (row),
    "conflict" (the database changed under the import; nothing was written).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RowError:
    """One problem in the file: spreadsheet row number (the header is row 1), column, code."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    """What an import found or did; nothing was written when `errors` is not empty."""

    file_name: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    stock_adjustments: int = 0
    variants_not_in_file: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file passed every check."""
        return self.error_count == 0

    @property
    def changes(self) -> int:
        """How many products and variants the import creates or changes."""
        return (
            self.products_created + self.products_updated
            + self.variants_created + self.variants_updated
        )  # fmt: skip


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused("too_big", max_mb=MAX_BYTES // (1024 * 1024))
    try:
        text = data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError:
        raise ImportRefused("not_utf8") from None
    if not text.strip():
        raise ImportRefused("empty")
    return text


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) of the header and every non-blank row."""
    header_line = text.split("\n", 1)[0]
    # Excel set to Indonesian (and most of Europe) separates cells with semicolons.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - used after the loop
            if number > 1 and not any(cell.strip() for cell in cells):
                continue
            records.append((number, cells))
            if len(records) > MAX_ROWS + 1:
                raise ImportRefused("too_many_rows", max=MAX_ROWS)
    except csv.Error:
        raise ImportRefused("malformed", row=number + 1) from None
    return records


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Each known column's position, and what is wrong with the header row."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        name = unguard(cell).strip().lower()
        if not name:
            continue  # spreadsheets like to add empty columns at the end
        if name in index:
            errors.append(RowError(1, name, "duplicate_column"))
        elif name not in COLUMNS:
            errors.append(RowError(1, name, "unknown_column"))
        else:
            index[name] = position
    errors += [
        RowError(1, name, "missing_column")
        for name in COLUMNS
        if name not in index and name not in OPTIONAL_COLUMNS
    ]
    return index, errors


# --- checking the rows --------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    product: dict[str, Any]  # attribute → value, for the cells that passed their rule
    variant: dict[str, Any] | None  # None when every variant cell is empty


@dataclass
class _Group:
    """The rows of one product, checked against its first row."""

    slug: str
    first: _Row
    rows: list[_Row] = field(default_factory=list)


def _read_cells(
    rules: Rules,
    raw: dict[str, str],
    number: int,
    errors: list[RowError],
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, (attribute, rule) in rules.items():
        if column not in raw:
            continue  # an optional column the file leaves out: the value stays as it is
        try:
            values[attribute] = rule(raw[column])
        except BadValue as exc:
            errors.append(RowError(number, column, exc.code, exc.params))
    return values


def _parse_row(
    number: int, cells: list[str], index: dict[str, int], width: int, errors: list[RowError]
) -> _Row | None:
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        errors.append(RowError(number, "", "cell_count", {"found": len(cells), "expected": width}))
        return None
    raw = {column: unguard(cells[position]) for column, position in index.items()}
    product = _read_cells(PRODUCT_RULES, raw, number, errors)
    variant = None
    if any(raw.get(column, "").strip() for column in VARIANT_COLUMNS):
        variant = _read_cells(VARIANT_RULES, raw, number, errors)
    return _Row(number, product, variant)


_COLUMN_OF = {attribute: column for column, (attribute, _) in PRODUCT_RULES.items()}


def _group(rows: Iterable[_Row], errors: list[RowError]) -> dict[str, _Group]:
    """Rows by product; later rows must repeat the first row's product columns."""
    groups: dict[str, _Group] = {}
    for row in rows:
        slug = row.product.get("slug")
        if slug is None:
            continue
        group = groups.setdefault(slug, _Group(slug, row))
        group.rows.append(row)
        for attribute, value in row.product.items():
            first = group.first.product.get(attribute, value)
            if first != value:
                errors.append(
                    RowError(
                        row.number, _COLUMN_OF[attribute], "conflict", {"row": group.first.number}
                    )
                )
    return groups


def _check_skus(rows: Iterable[_Row], owners: dict[str, str], errors: list[RowError]) -> None:
    """A SKU once per file, and never one that belongs to another product."""
    seen: dict[str, int] = {}
    for row in rows:
        sku = (row.variant or {}).get("sku")
        if sku is None:
            continue
        if sku in seen:
            errors.append(RowError(row.number, "sku", "duplicate_sku", {"row": seen[sku]}))
            continue
        seen[sku] = row.number
        owner = owners.get(sku)
        if owner is not None and owner != row.product.get("slug", owner):
            errors.append(RowError(row.number, "sku", "sku_taken", {"product": owner}))


def _check_references(
    rows: Iterable[_Row], categories: dict[str, int], workshops: dict[str, int],
    errors: list[RowError],
) -> None:  # fmt: skip
    for row in rows:
        for column, known in (("category_slug", categories), ("workshop_slug", workshops)):
            slug = row.product.get(column)
            if slug is not None and slug not in known:
                code = "unknown_category" if column == "category_slug" else "unknown_workshop"
                errors.append(RowError(row.number, column, code, {"value": slug}))


def _check_maker_share(
    groups: dict[str, _Group], products: dict[str, Product], default: int, errors: list[RowError]
) -> None:
    """Only admins may set a maker share other than the product's current one (or default)."""
    for slug, group in groups.items():
        wanted = group.first.product.get("maker_share_pct")
        current = products[slug].maker_share_pct if slug in products else default
        if wanted is not None and wanted != current:
            errors.append(RowError(group.first.number, "maker_share_pct", "maker_share_admin_only"))


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _LOOKUP_CHUNK):
        yield values[start : start + _LOOKUP_CHUNK]


def _existing_products(slugs: list[str]) -> dict[str, Product]:
    found: dict[str, Product] = {}
    for chunk in _chunks(slugs):
        query = select(Product).where(Product.slug.in_(chunk))
        for product in db.session.scalars(query.options(selectinload(Product.variants))):
            found[product.slug] = product
    return found


def _sku_owners(skus: list[str]) -> dict[str, str]:
    """Which product (by slug) each SKU already belongs to."""
    owners: dict[str, str] = {}
    for chunk in _chunks(skus):
        query = select(Variant.sku, Product.slug).join(Product).where(Variant.sku.in_(chunk))
        owners.update({sku: slug for sku, slug in db.session.execute(query)})
    return owners


# --- planning and writing -----------------------------------------------------------------------


@dataclass
class _Change:
    """Attributes to set on a product or variant; `target` None means create it."""

    target: Any
    values: dict[str, Any]
    variants: list[_Change] = field(default_factory=list)


def _changed(target: Any, values: dict[str, Any]) -> dict[str, Any]:
    if target is None:
        return values
    return {name: value for name, value in values.items() if getattr(target, name) != value}


def _plan(
    groups: dict[str, _Group],
    products: dict[str, Product],
    references: tuple[dict[str, int], dict[str, int]],
    default_share: int,
    report: ImportReport,
) -> list[_Change]:
    """Compare the file with the database: what to create and change, counted in the report."""
    categories, workshops = references
    plans = []
    for slug, group in groups.items():
        product = products.get(slug)
        values = dict(group.first.product)
        values["category_id"] = categories[values.pop("category_slug")]
        values["workshop_id"] = workshops[values.pop("workshop_slug")]
        if values["maker_share_pct"] is None:  # keep the current share, or start at the default
            values["maker_share_pct"] = product.maker_share_pct if product else default_share
        plan = _Change(product, _changed(product, values))
        report.products_created += product is None
        report.products_updated += product is not None and bool(plan.values)
        by_sku = {variant.sku: variant for variant in product.variants} if product else {}
        in_file = set()
        for row in group.rows:
            if row.variant is None:
                continue
            variant = by_sku.get(row.variant["sku"])
            in_file.add(row.variant["sku"])
            change = _Change(variant, _changed(variant, row.variant))
            plan.variants.append(change)
            report.variants_created += variant is None
            report.variants_updated += variant is not None and bool(change.values)
            old_stock = variant.stock if variant is not None else 0
            report.stock_adjustments += row.variant["stock"] != old_stock
        report.variants_not_in_file += len(set(by_sku) - in_file)
        plans.append(plan)
    return plans


def _actor_fields(actor: User | str | None) -> tuple[int | None, str]:
    if isinstance(actor, User):
        return actor.id, actor.email
    return None, actor or audit.SYSTEM


def _write_variants(
    product: Product, plan: _Change, adjust: Callable[[Variant, int], None]
) -> None:
    position = max((variant.position for variant in product.variants), default=-1) + 1
    for change in plan.variants:
        variant = change.target
        old_stock = variant.stock if variant is not None else 0
        if variant is None:
            variant = Variant(position=position)
            position += 1
            product.variants.append(variant)
        for name, value in change.values.items():
            setattr(variant, name, value)
        if variant.stock != old_stock:
            adjust(variant, variant.stock - old_stock)


def _write(plans: list[_Change], actor: User | str | None, report: ImportReport) -> None:
    """Apply the plans, record stock adjustments and the audit entry, and commit."""
    actor_id, actor_email = _actor_fields(actor)

    def adjust(variant: Variant, delta: int) -> None:
        if variant.id is not None and variant.stock - delta <= 0 < variant.stock:
            stock_alerts.restocked(variant.id)  # back in stock: tell who asked, same commit
        db.session.add(
            StockAdjustment(
                variant=variant,
                sku=variant.sku,
                delta=delta,
                stock_after=variant.stock,
                reason=StockReason.IMPORTED,
                note=report.file_name[:300],
                actor_id=actor_id,
                actor_email=actor_email,
            )  # fmt: skip
        )

    try:
        for plan in plans:
            product = plan.target
            if product is None:
                product = Product()
                db.session.add(product)
            for name, value in plan.values.items():
                setattr(product, name, value)
            _write_variants(product, plan, adjust)
            refresh_price_range(product)
        audit.record(
            actor, "catalog.imported", target_type="catalog", label=report.file_name,
            changes={
                "file": report.file_name, "rows": report.rows,
                "products_created": report.products_created,
                "products_updated": report.products_updated,
                "variants_created": report.variants_created,
                "variants_updated": report.variants_updated,
                "stock_adjustments": report.stock_adjustments,
            },
        )  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ImportRefused("conflict") from None
    except Exception:
        db.session.rollback()
        raise
    report.written = True


def _report_errors(report: ImportReport, errors: list[RowError]) -> list[_Change]:
    order = {column: i for i, column in enumerate(COLUMNS)}
    errors.sort(key=lambda error: (error.row, order.get(error.column, -1)))
    report.errors, report.error_count = errors[:MAX_REPORTED_ERRORS], len(errors)
    return []


def _check(text: str, allow_maker_share: bool, report: ImportReport) -> list[_Change]:
    """Read and check every row; fill the report's errors or counts; return the plans."""
    records = _records(text)
    report.rows = len(records) - 1
    index, errors = _header(records[0][1])
    if errors:  # rows can't be read against a wrong header
        return _report_errors(report, errors)
    width = max(index.values()) + 1
    rows = [row for n, cells in records[1:] if (row := _parse_row(n, cells, index, width, errors))]
    groups = _group(rows, errors)
    categories = {slug: id_ for slug, id_ in db.session.execute(select(Category.slug, Category.id))}
    workshops = {slug: id_ for slug, id_ in db.session.execute(select(Workshop.slug, Workshop.id))}
    _check_references(rows, categories, workshops, errors)
    skus = [row.variant["sku"] for row in rows if row.variant and "sku" in row.variant]
    _check_skus(rows, _sku_owners(sorted(set(skus))), errors)
    products = _existing_products(list(groups))
    default_share = default_maker_share_pct(clock.shop_today())
    if not allow_maker_share:
        _check_maker_share(groups, products, default_share, errors)
    if errors:
        return _report_errors(report, errors)
    return _plan(groups, products, (categories, workshops), default_share, report)


def import_catalog(
    data: bytes,
    *,
    actor: User | str | None,
    file_name: str = "",
    allow_maker_share: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Check a catalog CSV and, if every row is right and this is no dry run, import it.

    Raises ImportRefused when the file can't be read at all; otherwise the report lists the
    problems (nothing written) or what was (or, on a dry run, would be) created and changed.
    """
    report = ImportReport(file_name=file_name[:200])
    plans = _check(_decode(data), allow_maker_share, report)
    if report.ok and not dry_run and report.changes:
        _write(plans, actor, report)
    return report
