"""Stock on hand changed by staff: atomic conditional updates, each recorded with its reason.

Orders take and return stock with conditional UPDATEs of their own (services.orders); staff
changes go through here so that they never overwrite what an order did meanwhile: we add or
take away a *difference* (`stock = stock + :delta WHERE stock + :delta >= 0`) instead of
writing the number a form showed. Every change leaves a StockAdjustment row.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from shop.extensions import db
from shop.models import Product, StockAdjustment, StockReason, User, Variant
from shop.services.catalog import stock_alerts
from shop.services.catalog.search import ResultPage, clamp_page
from shop.services.catalog.version import stock_moved
from shop.services.reporting import audit

MAX_NOTE = 300
MAX_CHANGE = 1_000_000
# Reasons staff pick by hand; EDITED and IMPORTED are written by the product form and CSV import.
MANUAL_REASONS = (
    StockReason.PRODUCED,
    StockReason.RECEIVED,
    StockReason.COUNT,
    StockReason.DAMAGED,
    StockReason.RETURNED,
    StockReason.OTHER,
)
_COUNT_RETRIES = 5


class StockError(Exception):
    """A stock change that cannot be made; nothing was changed."""


class WouldGoNegative(StockError):
    """Taking `delta` away would leave less than nothing; `current` is the stock right now."""

    def __init__(self, sku: str, current: int, delta: int) -> None:
        super().__init__(f"{sku}: {current} {delta:+d} < 0")
        self.sku = sku
        self.current = current
        self.delta = delta


class NothingToChange(StockError):
    """The change is zero, or the counted stock is what the shop already holds."""

    def __init__(self, current: int) -> None:
        super().__init__(f"stock is already {current}")
        self.current = current


class InvalidAdjustment(StockError):
    """The request itself is wrong: `field` ("change", "counted", "reason", "note") and `reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason  # "missing", "too_large", "negative", "not_allowed", "too_long"


def apply_delta(variant: Variant, delta: int) -> int | None:
    """Add `delta` to the variant's stock in one conditional UPDATE; the caller commits.

    Returns the stock afterwards, or None when the change would make it negative (then
    nothing changed). Stales the product's cached pages, since Core updates skip the ORM hook.
    """
    new_stock = db.session.execute(
        update(Variant)
        .where(Variant.id == variant.id, Variant.stock + delta >= 0)
        .values(stock=Variant.stock + delta)
        .returning(Variant.stock)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if new_stock is None:
        return None
    set_committed_value(variant, "stock", new_stock)
    stock_moved({variant.id: delta})
    _tell_waiting_buyers(variant, before=new_stock - delta, after=new_stock)
    return new_stock


def _tell_waiting_buyers(variant: Variant, *, before: int, after: int) -> None:
    """Back in stock (0 → more): queue the alerts' mails in this same transaction."""
    if before <= 0 < after:
        stock_alerts.restocked(variant.id)


def current_stock(variant: Variant) -> int:
    """The variant's stock as the database holds it now (not as this session last saw it)."""
    return db.session.scalar(select(Variant.stock).where(Variant.id == variant.id)) or 0


def change(
    variant: Variant, delta: int, reason: StockReason, actor: audit.Actor, note: str = ""
) -> StockAdjustment:
    """Apply `delta` and record it; raise WouldGoNegative instead. The caller commits.

    For code that changes stock as part of a larger transaction (product form, CSV import).
    """
    if delta == 0:
        raise NothingToChange(current_stock(variant))
    after = apply_delta(variant, delta)
    if after is None:
        raise WouldGoNegative(variant.sku, current_stock(variant), delta)
    return record(variant, delta, after, reason, actor, note)


def record(
    variant: Variant,
    delta: int,
    stock_after: int,
    reason: StockReason,
    actor: audit.Actor,
    note: str = "",
) -> StockAdjustment:
    """Add a StockAdjustment row for a change already made; the caller commits."""
    actor_id, email = (actor.id, actor.email) if isinstance(actor, User) else (None, actor)
    adjustment = StockAdjustment(
        variant_id=variant.id,
        sku=variant.sku,
        delta=delta,
        stock_after=stock_after,
        reason=reason,
        note=note[:MAX_NOTE],
        actor_id=actor_id,
        actor_email=email or audit.SYSTEM,
    )
    db.session.add(adjustment)
    return adjustment


def _check_request(delta: int | None, counted: int | None, reason: StockReason, note: str) -> None:
    if (delta is None) == (counted is None):
        raise InvalidAdjustment("change", "missing")
    if delta is not None and abs(delta) > MAX_CHANGE:
        raise InvalidAdjustment("change", "too_large")
    if counted is not None and counted < 0:
        raise InvalidAdjustment("counted", "negative")
    if counted is not None and counted > MAX_CHANGE:
        raise InvalidAdjustment("counted", "too_large")
    if reason not in MANUAL_REASONS:
        raise InvalidAdjustment("reason", "not_allowed")
    if reason == StockReason.OTHER and not note:
        raise InvalidAdjustment("note", "missing")
    if len(note) > MAX_NOTE:
        raise InvalidAdjustment("note", "too_long")


def _set_counted(variant: Variant, counted: int) -> tuple[int, int]:
    """Set the stock to `counted` unless an order moved it between reading and writing."""
    for _ in range(_COUNT_RETRIES):
        seen = current_stock(variant)
        if seen == counted:
            raise NothingToChange(seen)
        written = db.session.execute(
            update(Variant)
            .where(Variant.id == variant.id, Variant.stock == seen)
            .values(stock=counted)
            .execution_options(synchronize_session=False)
        ).rowcount
        if written == 1:
            set_committed_value(variant, "stock", counted)
            stock_moved({variant.id: counted - seen})
            _tell_waiting_buyers(variant, before=seen, after=counted)
            return counted - seen, counted
    raise StockError("the stock kept changing while it was being counted")


def adjust(
    variant: Variant,
    *,
    delta: int | None = None,
    counted: int | None = None,
    reason: StockReason,
    note: str = "",
    actor: audit.Actor,
) -> StockAdjustment:
    """Change a variant's stock by `delta`, or set it to the `counted` number; commit.

    Records the adjustment and an audit entry. Raises WouldGoNegative, NothingToChange or
    InvalidAdjustment, leaving the database as it was.
    """
    note = (note or "").strip()
    _check_request(delta, counted, reason, note)
    try:
        if counted is not None:
            delta, after = _set_counted(variant, counted)
            adjustment = record(variant, delta, after, reason, actor, note)
        else:
            adjustment = change(variant, delta or 0, reason, actor, note)
        audit.record(
            actor,
            "stock.adjusted",
            target_type="variant",
            target_id=variant.id,
            label=f"{variant.product.name} — {variant.sku}",
            changes={
                "stock": [adjustment.stock_after - adjustment.delta, adjustment.stock_after],
                "reason": reason.value,
                "note": note,
            },
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return adjustment


HistoryPage = ResultPage[StockAdjustment]


def history(product: Product, page: int, per_page: int) -> HistoryPage:
    """The adjustments of the product's variants, newest first; the page is clamped."""
    ids = select(Variant.id).where(Variant.product_id == product.id)
    mine = StockAdjustment.variant_id.in_(ids)
    total = db.session.scalar(select(func.count()).select_from(StockAdjustment).where(mine)) or 0
    page = clamp_page(page, total, per_page)
    items = db.session.scalars(
        select(StockAdjustment)
        .where(mine)
        .order_by(StockAdjustment.created_at.desc(), StockAdjustment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return HistoryPage(list(items), total, page, per_page)
