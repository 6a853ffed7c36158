"""Discount codes in the back office: staff create, edit and pause them and see their use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop.database import begin_write
from shop.extensions import db
from shop.models import Category, DiscountCode, DiscountKind, Order
from shop.models.discounts import MAX_CODE_LENGTH
from shop.services.clock import shop_timezone
from shop.services.ordering.discounts import aware, normalize
from shop.services.ordering.status import PAID_STATES
from shop.services.reporting import audit

_CODE = re.compile(rf"[A-Z0-9_-]{{3,{MAX_CODE_LENGTH}}}")
_AUDITED = (
    "code", "description", "kind", "percent_off", "amount_off_idr", "min_subtotal_idr",
    "starts_at", "ends_at", "max_uses", "max_uses_per_email", "paused",
)  # fmt: skip


class CodeError(Exception):
    """A code staff cannot save: `field` names the input, `reason` what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason  # "format", "taken", "range", "order"


@dataclass
class CodeInput:
    """What staff typed for a code; days are the shop's calendar days, both included."""

    code: str
    kind: DiscountKind
    value: int  # percent (1–100) or rupiah
    description: str = ""
    min_subtotal_idr: int = 0
    first_day: date | None = None
    last_day: date | None = None
    max_uses: int | None = None
    max_uses_per_email: int | None = None
    category_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CodeUse:
    """A code with how often it was used and what it gave away."""

    code: DiscountCode
    paid_orders: int
    discount_given_idr: int  # on orders paid (refunds not taken off)


def _start(day: date | None) -> datetime | None:
    """Midnight at the start of a shop day, in UTC (SQLite keeps no time zone)."""
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=shop_timezone()).astimezone(UTC)


def first_day(code: DiscountCode) -> date | None:
    """The first shop day the code is valid on, if it has one."""
    starts = aware(code.starts_at)
    return starts.astimezone(shop_timezone()).date() if starts else None


def last_day(code: DiscountCode) -> date | None:
    """The last shop day the code is valid on, if it has one."""
    ends = aware(code.ends_at)
    if ends is None:
        return None
    return (ends.astimezone(shop_timezone()) - timedelta(microseconds=1)).date()


def _check(data: CodeInput) -> str:
    code = normalize(data.code)
    if not _CODE.fullmatch(code):
        raise CodeError("code", "format")
    if data.kind == DiscountKind.PERCENT and not 1 <= data.value <= 100:
        raise CodeError("value", "range")
    if data.kind == DiscountKind.FIXED and data.value < 1:
        raise CodeError("value", "range")
    if data.first_day and data.last_day and data.last_day < data.first_day:
        raise CodeError("last_day", "order")
    return code


def _fill(discount: DiscountCode, data: CodeInput, code: str) -> None:
    discount.code, discount.kind = code, data.kind
    discount.description = data.description.strip()[:200]
    discount.percent_off = data.value if data.kind == DiscountKind.PERCENT else None
    discount.amount_off_idr = data.value if data.kind == DiscountKind.FIXED else None
    discount.min_subtotal_idr = data.min_subtotal_idr
    discount.starts_at = _start(data.first_day)
    discount.ends_at = _start(data.last_day + timedelta(days=1)) if data.last_day else None
    discount.max_uses, discount.max_uses_per_email = data.max_uses, data.max_uses_per_email
    ids = set(data.category_ids)
    discount.categories = (
        list(db.session.scalars(select(Category).where(Category.id.in_(ids)))) if ids else []
    )


def save_code(code_id: int | None, data: CodeInput, actor: audit.Actor) -> DiscountCode:
    """Create a code (no id) or change one; commit. Raise CodeError, saving nothing."""
    code = _check(data)
    try:
        begin_write(db.session)
        discount = DiscountCode(uses=0, paused=False) if code_id is None else lock_for_edit(code_id)
        before = audit.snapshot(discount, _AUDITED) if code_id else dict.fromkeys(_AUDITED)
        _fill(discount, data, code)
        db.session.add(discount)
        db.session.flush()
        action = "discount_code.created" if code_id is None else "discount_code.updated"
        audit.record(actor, action, target_type="discount_code", target_id=discount.id,
                     label=discount.code,
                     changes=audit.diff(before, audit.snapshot(discount, _AUDITED)))  # fmt: skip
        db.session.commit()
    except IntegrityError as error:  # another code has this name (maybe saved a moment ago)
        db.session.rollback()
        raise CodeError("code", "taken") from error
    except Exception:
        db.session.rollback()
        raise
    return discount


class CodeNotFound(Exception):
    """No discount code with that id."""


def lock_for_edit(code_id: int) -> DiscountCode:
    """The code, its row locked against a checkout taking a use meanwhile."""
    discount = db.session.scalar(
        select(DiscountCode).where(DiscountCode.id == code_id).with_for_update()
    )
    if discount is None:
        raise CodeNotFound(code_id)
    return discount


def set_paused(code_id: int, paused: bool, actor: audit.Actor) -> DiscountCode:
    """Pause a code (buyers can no longer use it) or let it be used again; commit."""
    try:
        begin_write(db.session)
        discount = lock_for_edit(code_id)
        if discount.paused != paused:
            audit.record(actor, "discount_code.paused" if paused else "discount_code.resumed",
                         target_type="discount_code", target_id=discount.id,
                         label=discount.code,
                         changes={"paused": [discount.paused, paused]})  # fmt: skip
            discount.paused = paused
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return discount


def list_codes() -> list[CodeUse]:
    """Every code, newest first, with its paid orders and the discount they were given."""
    sums = (
        select(
            Order.discount_code_id.label("code_id"),
            func.count(Order.id).label("orders"),
            func.coalesce(func.sum(Order.discount_idr), 0).label("given"),
        )
        .where(Order.discount_code_id.is_not(None), Order.status.in_(PAID_STATES))
        .group_by(Order.discount_code_id)
        .subquery()
    )
    rows = db.session.execute(
        select(DiscountCode, sums.c.orders, sums.c.given)
        .outerjoin(sums, sums.c.code_id == DiscountCode.id)
        .order_by(DiscountCode.created_at.desc(), DiscountCode.id.desc())
    )
    return [CodeUse(code, int(orders or 0), int(given or 0)) for code, orders, given in rows]


def get_code(code_id: int) -> DiscountCode | None:
    """The code with this id, or None."""
    return db.session.get(DiscountCode, code_id)
