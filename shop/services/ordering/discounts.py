"""Discount codes at the till: whether a code applies to a cart, what it takes off, its uses.

The server decides everything: the buyer only types the code. A use is taken when the order
is placed (the code's row locked, then `uses = uses + 1 WHERE uses < max_uses`), and given
back in the same transaction as the status move when the order lapses unpaid (see `status`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, update

from shop.extensions import db
from shop.models import DiscountCode, DiscountKind, Order
from shop.models.discounts import MAX_CODE_LENGTH


class DiscountRefused(Exception):
    """A code that cannot be used for this cart now; `reason` says why, for the buyer.

    Reasons: "unknown", "paused", "not_started", "expired", "used_up", "used_by_you",
    "below_minimum" (with `minimum_idr`), "not_applicable" (no line in its categories).
    """

    def __init__(self, reason: str, minimum_idr: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.minimum_idr = minimum_idr


@dataclass(frozen=True)
class PricedLine:
    """What the discount needs to know of a line: its category and its total."""

    category_id: int | None
    total_idr: int


@dataclass(frozen=True)
class AppliedDiscount:
    """A code applied to a cart: the amount off and each line's part of it."""

    code: DiscountCode
    amount_idr: int
    line_amounts: tuple[int, ...]  # one per priced line, in the cart's order

    @property
    def label(self) -> str:
        """The code as buyers see it on every page, mail and receipt."""
        return self.code.code


def normalize(text: str | None) -> str:
    """The code as stored: upper case, without spaces ("spring 10" → "SPRING10")."""
    return "".join((text or "").split()).upper()


def find(text: str | None) -> DiscountCode | None:
    """The code the buyer typed, in any case, or None."""
    code = normalize(text)
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return db.session.scalar(select(DiscountCode).where(DiscountCode.code == code))


def aware(moment: datetime | None) -> datetime | None:
    """The moment as an aware datetime (SQLite hands back naive UTC)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def check_open(code: DiscountCode, now: datetime | None = None) -> None:
    """Raise DiscountRefused unless the code may be used at this moment by anyone."""
    now = now or datetime.now(UTC)
    if code.paused:
        raise DiscountRefused("paused")
    starts, ends = aware(code.starts_at), aware(code.ends_at)
    if starts is not None and now < starts:
        raise DiscountRefused("not_started")
    if ends is not None and now >= ends:
        raise DiscountRefused("expired")
    if code.max_uses is not None and code.uses >= code.max_uses:
        raise DiscountRefused("used_up")


def spread(amount_idr: int, totals: Sequence[int]) -> list[int]:
    """Share `amount_idr` among lines in proportion to their totals, to the rupiah.

    Rupiah left over by flooring go to the lines with the largest fractions, so the parts
    always add up to the amount; with an amount at most the lines' sum (as `price` gives),
    no line gets more than its total.
    """
    whole = sum(totals)
    if not whole or not amount_idr:
        return [0] * len(totals)
    parts = [amount_idr * total // whole for total in totals]
    order = sorted(range(len(totals)), key=lambda i: (-(amount_idr * totals[i] % whole), i))
    for i in order[: amount_idr - sum(parts)]:
        parts[i] += 1
    return parts


def price(code: DiscountCode, lines: Sequence[PricedLine], subtotal_idr: int) -> AppliedDiscount:
    """What the code takes off these lines; raise DiscountRefused when it does not apply.

    The minimum order is the whole subtotal; a code limited to categories takes off only
    lines in them (a fixed amount at most their total).
    """
    if subtotal_idr < code.min_subtotal_idr:
        raise DiscountRefused("below_minimum", code.min_subtotal_idr)
    allowed = {category.id for category in code.categories}
    eligible = [
        line.total_idr if not allowed or line.category_id in allowed else 0 for line in lines
    ]
    base = sum(eligible)
    if base <= 0:
        raise DiscountRefused("not_applicable")
    if code.kind == DiscountKind.PERCENT:
        amount = base * (code.percent_off or 0) // 100
    else:
        amount = min(code.amount_off_idr or 0, base)
    return AppliedDiscount(code, amount, tuple(spread(amount, eligible)))


def evaluate(
    text: str | None, lines: Sequence[PricedLine], subtotal_idr: int, now: datetime | None = None
) -> AppliedDiscount:
    """Find the code and price it for the cart; raise DiscountRefused with the reason."""
    code = find(text)
    if code is None:
        raise DiscountRefused("unknown")
    check_open(code, now)
    return price(code, lines, subtotal_idr)


def try_code(
    text: str | None, lines: Sequence[PricedLine], subtotal_idr: int
) -> tuple[AppliedDiscount | None, DiscountRefused | None]:
    """The cart's code priced for its lines, or why it does not apply (both None: no code)."""
    if not text or not lines:
        return None, None
    try:
        return evaluate(text, lines, subtotal_idr), None
    except DiscountRefused as refused:
        return None, refused


def lock(code_id: int) -> DiscountCode | None:
    """The code's row, locked for this transaction and re-read (the caller began writing)."""
    return db.session.scalar(
        select(DiscountCode)
        .where(DiscountCode.id == code_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def uses_by(code_id: int, email: str) -> int:
    """How many orders from this email hold a use of the code."""
    return int(
        db.session.scalar(
            select(func.count(Order.id)).where(
                Order.discount_code_id == code_id,
                Order.discount_use_held.is_(True),
                func.lower(Order.email) == email.strip().lower(),
            )
        )
        or 0
    )


def take_use(order: Order, code: DiscountCode) -> None:
    """Take one use of the (locked) code for the order; raise DiscountRefused if none is left.

    The conditional UPDATE is the guard: even without the lock, two orders can never both
    take the last use.
    """
    if code.max_uses_per_email is not None and uses_by(code.id, order.email) >= (
        code.max_uses_per_email
    ):
        raise DiscountRefused("used_by_you")
    taken = db.session.execute(
        update(DiscountCode)
        .where(
            DiscountCode.id == code.id,
            or_(DiscountCode.max_uses.is_(None), DiscountCode.uses < DiscountCode.max_uses),
        )
        .values(uses=DiscountCode.uses + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise DiscountRefused("used_up")
    order.discount_use_held = True


def give_back(order: Order) -> None:
    """Return the order's use of its code (it lapsed unpaid); the caller commits."""
    if not order.discount_use_held:
        return
    if order.discount_code_id is not None:
        db.session.execute(
            update(DiscountCode)
            .where(DiscountCode.id == order.discount_code_id, DiscountCode.uses > 0)
            .values(uses=DiscountCode.uses - 1)
            .execution_options(synchronize_session=False)
        )
    order.discount_use_held = False


def take_again(order: Order) -> bool:
    """A lapsed order was paid after all: it holds its use again, limit or not (the buyer
    paid the discounted price). False when that went past the code's limit."""
    if order.discount_use_held or order.discount_code_id is None:
        return True
    within = db.session.execute(
        update(DiscountCode)
        .where(DiscountCode.id == order.discount_code_id)
        .values(uses=DiscountCode.uses + 1)
        .returning(DiscountCode.uses, DiscountCode.max_uses)
        .execution_options(synchronize_session=False)
    ).first()
    order.discount_use_held = True
    return within is None or within.max_uses is None or within.uses <= within.max_uses
