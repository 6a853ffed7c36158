"""Refunds: staff's, each keyed by its form's one-time token, and the provider's reports.

A staff refund is claimed first (a pending row, committed, counting against what is left),
then sent to the provider with the token as its idempotency key, then recorded. A form sent
twice finds its token and refunds nothing; two forms at once take turns on the order's row
and can never add up past what was paid. What the order shows as refunded is the larger of
the refunds made here and the total the provider last reported, so a refund reported by
both is counted once, whichever arrives first.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from shop.extensions import db
from shop.gateways.payments import PaymentError, PaymentGateway, Refund
from shop.models import Order, OrderRefund, OrderStatus, RefundStatus, User
from shop.services import counters
from shop.services.ordering import status as order_status
from shop.services.reporting import audit

S = OrderStatus
MAX_REASON = 500
MAX_ACTOR = 254
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

Actor = User | str  # the staff account, or its email address


class InvalidRefund(Exception):
    """A refund the order cannot take.

    `reason`: "not_paid", "no_payment", "amount", "reason" (none given or too long),
    "replayed" (this form was sent before) or "token" (no valid form token).
    """

    def __init__(self, reason: str, remaining_idr: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.remaining_idr = remaining_idr


@dataclass(frozen=True)
class _Claim:
    order_id: int
    refund_id: int
    payment_intent: str


def new_token() -> str:
    """A one-time token for one refund form."""
    return secrets.token_urlsafe(24)


def was_paid(order: Order) -> bool:
    """Whether the customer's money was taken (and so may be refunded)."""
    if order.status in order_status.PAID_STATES:
        return True
    return order.status in (S.CANCELLED, S.REFUNDED) and order.paid_at is not None


def pending_idr(order: Order) -> int:
    """Refunds sent to the provider and not yet answered."""
    return sum(r.amount_idr for r in order.refunds if r.status == RefundStatus.PENDING)


def refundable_idr(order: Order) -> int:
    """How much of the order's payment can still be refunded."""
    if not was_paid(order):
        return 0
    return max(order.total_idr - order.refunded_idr - pending_idr(order), 0)


def settle(order: Order, *, actor: str, detail: str = "") -> bool:
    """Bring the refunded total and the status up to date; say whether anything changed.

    The caller holds the order's lock and commits. A refund reported before the payment is
    remembered, and applied to the status when the payment arrives.
    """
    ours = sum(r.amount_idr for r in order.refunds if r.status == RefundStatus.SUCCEEDED)
    total = min(max(ours, order.provider_refunded_idr, order.refunded_idr), order.total_idr)
    added = total - order.refunded_idr
    order.refunded_idr = total
    note = f"Refunded {added} IDR ({total} IDR in total)" if added else f"Refunded {total} IDR"
    note += f", {detail}" if detail else ""
    if not was_paid(order):
        if added:
            order_status.note_only(order, actor=actor, note=note + ", before the payment arrived")
        return added > 0
    # Nothing new, unless the refunds came before the payment and the status must catch up.
    if not total or (not added and order.status not in (S.PAID, S.ON_HOLD)):
        return False
    to = S.REFUNDED if total >= order.total_idr else S.PARTIALLY_REFUNDED
    if order_status.can_move(order, to):
        order_status.move(order, to, actor=actor, note=note)
    elif added:  # e.g. a cancelled order keeps its status; the history says the money went back
        order_status.note_only(order, actor=actor, note=note)
    return True


def refund(
    order_id: int,
    amount_idr: int,
    *,
    token: str,
    reason: str,
    gateway: PaymentGateway,
    actor: Actor,
) -> Refund:
    """Refund part or all of an order's payment through the provider; commit.

    Raises InvalidRefund (nothing changed) or PaymentError (the provider refused or could not
    be reached: the claim is released and nothing is recorded as refunded).
    """
    reason = " ".join((reason or "").split())
    claim = _claim(order_id, amount_idr, token, reason, actor)
    try:
        done = gateway.refund(
            claim.payment_intent, amount_idr, idempotency_key=f"kb-refund-{token}"
        )
    except PaymentError:
        _finish(claim, None, actor)
        raise
    _finish(claim, done, actor)
    counters.REFUNDS.inc()
    return done


def _claim(order_id: int, amount_idr: int, token: str, reason: str, actor: Actor) -> _Claim:
    """Check the refund and hold its amount with a pending row; commit."""
    try:
        if not _TOKEN.fullmatch(token or ""):
            raise InvalidRefund("token")
        order = order_status.lock(order_id)
        if order is None or not was_paid(order):
            raise InvalidRefund("not_paid")
        if db.session.scalar(select(OrderRefund.id).where(OrderRefund.token == token)):
            raise InvalidRefund("replayed")
        if not order.payment_intent:
            raise InvalidRefund("no_payment")
        if not reason or len(reason) > MAX_REASON:
            raise InvalidRefund("reason")
        remaining = refundable_idr(order)
        if not 0 < amount_idr <= remaining:
            raise InvalidRefund("amount", remaining)
        row = OrderRefund(token=token, amount_idr=amount_idr, reason=reason, actor=_email(actor))
        order.refunds.append(row)
        db.session.flush()
        claim = _Claim(order.id, row.id, order.payment_intent)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return claim


def _finish(claim: _Claim, done: Refund | None, actor: Actor) -> None:
    """Record the provider's answer on the claim and the order; commit."""
    try:
        order = order_status.lock(claim.order_id)
        row = db.session.get(OrderRefund, claim.refund_id)
        if order is None or row is None:
            raise LookupError("refund claim vanished")
        row.completed_at = datetime.now(UTC)
        if done is None:
            row.status = RefundStatus.FAILED
        else:
            row.status = RefundStatus.SUCCEEDED
            row.provider_refund_id = done.id[:255]
            _record(order, row, done, actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _record(order: Order, row: OrderRefund, done: Refund, actor: Actor) -> None:
    before_status, before_total = order.status, order.refunded_idr
    settle(order, actor=_email(actor), detail=f"refund {done.id}: {row.reason}")
    if order.refunded_idr == before_total:  # the provider had reported it already
        order_status.note_only(order, actor=_email(actor), note=f"Refund {done.id}: {row.reason}")
    changes: dict[str, object] = {
        "amount_idr": row.amount_idr,
        "refunded_idr": [before_total, order.refunded_idr],
        "reason": row.reason,
        "refund": done.id,
    }
    if order.status != before_status:
        changes["status"] = [str(before_status), str(order.status)]
    label = order.number or f"#{order.id}"
    audit.record(actor, "order.refunded", target_type="order", target_id=order.id, label=label,
                 changes=changes)  # fmt: skip


def _email(actor: Actor) -> str:
    email = actor.email if isinstance(actor, User) else actor
    return email[:MAX_ACTOR]
