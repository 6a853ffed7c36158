"""Staff's answers to a quote request: offers (first and revised) and production progress.

Each action is checked, audited and committed here; a refusal (QuoteError or
InvalidQuoteTransition) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shop.extensions import db
from shop.gateways.payments import PaymentError, PaymentGateway
from shop.models import OrderStatus, QuoteOffer, QuoteRequest, QuoteStatus
from shop.services import clock
from shop.services.ordering import status as order_status
from shop.services.quotes import payments as quote_payments
from shop.services.quotes import status as flow
from shop.services.quotes.requests import (
    MAX_NOTES,
    MAX_QUANTITY,
    MIN_QUANTITY,
    QuoteError,
    audit_quote,
)
from shop.services.reporting import audit

Q = QuoteStatus
MAX_UNIT_PRICE_IDR = 10_000_000_000  # ten billion rupiah a piece is beyond any model
MAX_LEAD_DAYS = 730
MAX_PROGRESS = 300


@dataclass(frozen=True)
class OfferDetails:
    """What staff typed into the quote they send."""

    unit_price_idr: int
    quantity: int
    shipping_idr: int
    lead_time_days: int
    valid_until: date
    notes: str = ""


def _check_offer(offer: OfferDetails, today: date) -> None:
    if not 0 < offer.unit_price_idr <= MAX_UNIT_PRICE_IDR:
        raise QuoteError("price_range", "unit_price_idr")
    if not MIN_QUANTITY <= offer.quantity <= MAX_QUANTITY:
        raise QuoteError("quantity_range", "quantity", min=MIN_QUANTITY, max=MAX_QUANTITY)
    if not 0 <= offer.shipping_idr <= MAX_UNIT_PRICE_IDR:
        raise QuoteError("shipping_range", "shipping_idr")
    if not 0 < offer.lead_time_days <= MAX_LEAD_DAYS:
        raise QuoteError("lead_range", "lead_time_days", max=MAX_LEAD_DAYS)
    if offer.valid_until < today:
        raise QuoteError("valid_past", "valid_until")
    if offer.valid_until > today + timedelta(days=366):
        raise QuoteError("valid_far", "valid_until")
    if len(offer.notes) > MAX_NOTES:
        raise QuoteError("notes_long", "notes", max=MAX_NOTES)


def send_offer(
    quote: QuoteRequest,
    offer: OfferDetails,
    *,
    actor: audit.Actor,
    gateway: PaymentGateway | None = None,
    today: date | None = None,
) -> QuoteOffer:
    """Send a new offer (the first, or a revision replacing the one shown); audit; commit.

    A revision of an accepted but unpaid quote withdraws its payment (closing the provider's
    page through `gateway`): the buyer must accept the new terms first.
    """
    _check_offer(offer, today or clock.shop_today())
    flow.lock(quote.id)  # the buyer accepting or paying meanwhile waits, then sees the revision
    if not flow.can_move(quote, Q.ANSWERED):
        raise flow.InvalidQuoteTransition(quote.status, Q.ANSWERED)
    version = (quote.current_offer.version + 1) if quote.current_offer else 1
    audit_quote(actor, "quote.offer_sent", quote, {
        "status": [str(quote.status), str(Q.ANSWERED)], "version": version,
        "unit_price_idr": offer.unit_price_idr, "quantity": offer.quantity,
        "shipping_idr": offer.shipping_idr, "lead_time_days": offer.lead_time_days,
        "valid_until": offer.valid_until.isoformat(),
    })  # fmt: skip
    sent = QuoteOffer(
        version=version,
        unit_price_idr=offer.unit_price_idr,
        quantity=offer.quantity,
        shipping_idr=offer.shipping_idr,
        lead_time_days=offer.lead_time_days,
        valid_until=offer.valid_until,
        notes=offer.notes.strip(),
        created_by=audit.actor_email(actor)[:254],
    )
    quote.offers.append(sent)
    withdrawn = _withdraw_unpaid_order(quote, gateway)
    note = f"Quote version {version} sent" if version == 1 else f"Quote revised (version {version})"
    if withdrawn:
        note += "; the unpaid payment page was withdrawn"
    flow.move(quote, Q.ANSWERED, actor=audit.actor_email(actor), note=note)
    db.session.commit()
    return sent


def _withdraw_unpaid_order(quote: QuoteRequest, gateway: PaymentGateway | None) -> bool:
    order = quote_payments.order_of(quote)
    if order is None or order.status != OrderStatus.PENDING_PAYMENT:
        return False
    try:
        order_status.move(order, OrderStatus.CANCELLED, actor="system", note="Quote revised")
    except order_status.TransitionLost:
        return False  # paid a moment ago: the quote notes it and staff settle it
    if gateway is not None and order.payment_session_id:
        try:
            gateway.expire_checkout(order.payment_session_id)
        except PaymentError:
            # A payment that still arrives is recorded on the order and noted on the quote.
            pass
    return True


def mark_in_production(quote: QuoteRequest, note: str, *, actor: audit.Actor) -> None:
    """Record production progress the buyer will see; audit; commit."""
    text = " ".join((note or "").split())
    if not text:
        raise QuoteError("progress_empty", "note")
    if len(text) > MAX_PROGRESS:
        raise QuoteError("progress_long", "note", max=MAX_PROGRESS)
    flow.lock(quote.id)
    if not flow.can_move(quote, Q.IN_PRODUCTION):
        raise flow.InvalidQuoteTransition(quote.status, Q.IN_PRODUCTION)
    audit_quote(actor, "quote.progress", quote,
           {"status": [str(quote.status), str(Q.IN_PRODUCTION)], "note": text})  # fmt: skip
    flow.move(quote, Q.IN_PRODUCTION, actor=audit.actor_email(actor), note=text)
    quote.production_note = text
    db.session.commit()
