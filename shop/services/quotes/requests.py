"""Display-model quotes: a buyer's request, the staff's offers, acceptance and payment.

The request and each offer are checked here; views only translate the errors raised. An
accepted offer is paid through an ordinary order (one line, made to order), so payment,
shipping and refunds work exactly as for cart orders; `follow_order` keeps the quote's
state in step with that order.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, or_, select

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import (
    Category,
    Customer,
    Order,
    Product,
    ProductStatus,
    QuoteMessage,
    QuoteOffer,
    QuoteRequest,
    QuoteStatus,
    Variant,
)
from shop.services import clock
from shop.services.ordering import shipping
from shop.services.ordering.status import PAID_STATES
from shop.services.quotes import acceptance
from shop.services.quotes import files as quote_files
from shop.services.quotes import status as flow
from shop.services.reporting import audit

Q = QuoteStatus
MIN_QUANTITY = 1
MAX_QUANTITY = 5000
MAX_AHEAD = timedelta(days=3 * 366)  # a wanted-by date further out is a typo
MAX_MESSAGE = 2000
MAX_NOTES = 2000
DEFAULT_MAKER_SHARE = 30
ORDER_PAID = PAID_STATES  # the paying order's states in which the quote counts as paid


class QuoteError(Exception):
    """A reason a quote action cannot be done; `field` names the form input when there is one."""

    def __init__(self, key: str, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


@dataclass(frozen=True)
class RequestDetails:
    """What the buyer typed into the quote form."""

    organisation: str
    contact_name: str
    email: str
    phone: str
    country: str
    aircraft_type: str
    livery: str
    scale: str
    quantity: int
    wanted_by: date
    finish_notes: str = ""


# --- The buyer's request -------------------------------------------------------------------


def _check_request(details: RequestDetails, today: date) -> None:
    if not MIN_QUANTITY <= details.quantity <= MAX_QUANTITY:
        raise QuoteError("quantity_range", "quantity", min=MIN_QUANTITY, max=MAX_QUANTITY)
    if details.wanted_by <= today:
        raise QuoteError("date_past", "wanted_by")
    if details.wanted_by > today + MAX_AHEAD:
        raise QuoteError("date_far", "wanted_by")
    if details.country.upper() not in set(shipping.allowed_countries()):
        raise QuoteError("country", "country")


def create_request(
    details: RequestDetails,
    uploads: Sequence[quote_files.Upload],
    storage: MediaStorage,
    *,
    locale: str,
    customer_id: int | None = None,
    product_id: int | None = None,
    today: date | None = None,
) -> QuoteRequest:
    """Check the request and its files, keep them and return the new request; commit.

    Nothing is written unless the request and every file are acceptable.
    """
    _check_request(details, today or clock.shop_today())
    if len(uploads) > quote_files.MAX_FILES:
        raise QuoteError("too_many_files", "files", max=quote_files.MAX_FILES)
    # Every file is checked before the request is saved; one refused file, or a failed save,
    # deletes the files this request already stored.
    with quote_files.all_or_nothing(storage) as staged:
        stored = [quote_files.store(upload, staged) for upload in uploads]
        quote = QuoteRequest(
            token=secrets.token_urlsafe(32), organisation=details.organisation.strip(),
            contact_name=details.contact_name.strip(), email=details.email.strip().lower(),
            phone=details.phone.strip(), country=details.country.upper(),
            aircraft_type=details.aircraft_type.strip(), livery=details.livery.strip(),
            scale=details.scale.strip(), quantity=details.quantity, wanted_by=details.wanted_by,
            finish_notes=details.finish_notes.strip(), locale=locale, customer_id=customer_id,
            product_id=product_id, files=stored, status=Q.NEW,
        )  # fmt: skip
        flow.note_only(quote, actor="buyer", note="Request sent", to=Q.NEW)
        db.session.add(quote)
        try:
            db.session.flush()
            quote.number = f"Q-{quote.created_at:%y%m}-{quote.id:05d}"
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return quote


def find_by_token(token: str) -> QuoteRequest | None:
    """The request with this private token, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(QuoteRequest).where(QuoteRequest.token == token))


def find(quote_id: int) -> QuoteRequest | None:
    """The request with this id (for staff), or None."""
    if not 0 < quote_id < 2**31:
        return None
    return db.session.get(QuoteRequest, quote_id)


def for_customer(customer: Customer, limit: int = 50) -> list[QuoteRequest]:
    """The customer's requests, newest first: sent signed in, or (once the account's address
    is confirmed) sent from that address before signing in."""
    mine = QuoteRequest.customer_id == customer.id
    if customer.email_confirmed_at is not None:
        mine = or_(mine, QuoteRequest.email == customer.email)
    query = select(QuoteRequest).where(mine).order_by(QuoteRequest.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def quote_for_order(order: Order) -> QuoteRequest | None:
    """The request an order pays for, or None for a cart order."""
    return db.session.scalar(_BY_ORDER, {"order_id": order.id})


_BY_ORDER = select(QuoteRequest).where(QuoteRequest.order_id == bindparam("order_id"))


def aircraft_suggestions(limit: int = 60) -> list[str]:
    """Names of the aircraft models on sale, for the aircraft type input's suggestions."""
    query = (
        select(Product.name)
        .join(Category, Product.category_id == Category.id)
        .where(Product.status == ProductStatus.ACTIVE, Category.slug.contains("aircraft"))
        .order_by(Product.name)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def scale_suggestions(product: Product | None) -> list[str]:
    """The scales a model is made in ("1:100"), from its variants' option labels."""
    if product is None:
        return []
    labels = db.session.scalars(
        select(Variant.option_label).where(Variant.product_id == product.id, Variant.is_active)
    )
    return [label for label in labels if label.startswith("1:")]


def audit_quote(actor: audit.Actor, action: str, quote: QuoteRequest, changes: dict) -> None:
    """Add an audit entry about the quote; the caller commits it with the change."""
    label = quote.number or f"#{quote.id}"
    audit.record(actor, action, target_type="quote", target_id=quote.id, label=label,
                 changes=changes)  # fmt: skip


# --- Messages ------------------------------------------------------------------------------


def add_message(
    quote: QuoteRequest, body: str, *, author: audit.Actor, from_staff: bool
) -> QuoteMessage:
    """Add a message to the request's thread (staff messages are audited); commit."""
    text = (body or "").strip()
    if not text:
        raise QuoteError("message_empty", "body")
    if len(text) > MAX_MESSAGE:
        raise QuoteError("message_long", "body", max=MAX_MESSAGE)
    if from_staff:
        audit_quote(author, "quote.message_sent", quote, {"message": text[:200]})
    author = audit.actor_email(author)
    message = QuoteMessage(body=text, author=author[:254], from_staff=from_staff)
    quote.messages.append(message)
    quote.updated_at = datetime.now(UTC)
    db.session.commit()
    return message


# --- The buyer's answer --------------------------------------------------------------------


def is_expired(quote: QuoteRequest, today: date | None = None) -> bool:
    """Whether the offer shown has passed its validity date without being paid."""
    offer = quote.current_offer
    if offer is None or quote.status not in (Q.ANSWERED, Q.ACCEPTED):
        return quote.status == Q.EXPIRED
    return offer.valid_until < (today or clock.shop_today())


def _current(quote: QuoteRequest, version: int, today: date) -> QuoteOffer:
    offer = quote.current_offer
    if quote.status == Q.EXPIRED or (offer is not None and is_expired(quote, today)):
        if quote.status != Q.EXPIRED and flow.can_move(quote, Q.EXPIRED):
            flow.move(quote, Q.EXPIRED, actor="system", note="Offer no longer valid")
            db.session.commit()
        raise QuoteError("expired")
    if offer is None:
        raise QuoteError("no_offer")
    if offer.version != version:
        raise QuoteError("revised")
    return offer


def current_offer_for_payment(quote: QuoteRequest, today: date) -> QuoteOffer:
    """The offer an accepted quote is paid at, if it is still valid (else QuoteError)."""
    return _current(quote, quote.current_offer.version if quote.current_offer else 0, today)


def accept(
    quote: QuoteRequest,
    version: int,
    *,
    details: acceptance.BuyerDetails | None = None,
    today: date | None = None,
) -> QuoteOffer:
    """Accept the offer the buyer read (its version), if it is still the valid one; commit.

    `details` (company, tax id, delivery address) are kept with the acceptance. The quote is
    locked first: a revision or the expiry sweep at the same moment is either seen here (the
    version is refused) or waits and sees the acceptance.
    """
    try:
        flow.lock(quote.id)
        offer = _current(quote, version, today or clock.shop_today())
        if details is not None and quote.status in (Q.ANSWERED, Q.ACCEPTED):
            acceptance.store(quote, details)
        if quote.status != Q.ACCEPTED:
            if not flow.can_move(quote, Q.ACCEPTED):
                raise QuoteError("not_open")
            note = f"Quote version {offer.version} accepted"
            flow.move(quote, Q.ACCEPTED, actor="buyer", note=note)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return offer


def decline(quote: QuoteRequest, reason: str = "") -> None:
    """Turn the request down (buyer's side); commit."""
    try:
        flow.lock(quote.id)
        if not flow.can_move(quote, Q.DECLINED):
            raise QuoteError("not_open")
        note = "Declined by the buyer" + (f": {reason.strip()[:300]}" if reason.strip() else "")
        flow.move(quote, Q.DECLINED, actor="buyer", note=note)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def expire_overdue(today: date | None = None) -> int:
    """Mark offers past their validity (answered or accepted, unpaid) expired; commit.

    Each quote is re-read under its lock: one accepted, paid or revised meanwhile (or expired
    by a sweep running at the same time) is left as it is now.
    """
    today = today or clock.shop_today()
    waiting = db.session.scalars(
        select(QuoteRequest.id).where(QuoteRequest.status.in_([Q.ANSWERED, Q.ACCEPTED]))
    ).all()
    expired = 0
    for quote_id in waiting:
        quote = flow.lock(quote_id)
        if quote is not None and quote.status in (Q.ANSWERED, Q.ACCEPTED):
            if is_expired(quote, today) and not _money_arrived(quote):
                flow.move(quote, Q.EXPIRED, actor="system", note="Offer no longer valid")
                expired += 1
        db.session.commit()
    return expired


def _money_arrived(quote: QuoteRequest) -> bool:
    """Whether a bank transfer arrived for the quote's order: the balance stays payable."""
    order = db.session.get(Order, quote.order_id) if quote.order_id else None
    return bool(order is not None and order.bank_received_idr)
