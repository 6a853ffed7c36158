"""The reminder a buyer paying a quote by bank transfer gets a few days before its deadline.

It goes once per quote, to quotes accepted and still owing money whose offer ends within
`REMINDER_DAYS` (in the shop's calendar). The quote is locked and its reminder day written in
the same transaction as the queued mail, so two sweeps at once send it once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from shop.config_documents import ShopDetails
from shop.extensions import db
from shop.gateways.mail import Mailer
from shop.models import Order, OrderStatus, QuoteRequest, QuoteStatus
from shop.services import clock
from shop.services.ordering import bank_mail, bank_transfers
from shop.services.quotes import status as flow

REMINDER_DAYS = 3


def _owing(quote: QuoteRequest, today: date) -> Order | None:
    """The quote's order if a reminder is due for it today, else None."""
    offer = quote.current_offer
    if quote.status != QuoteStatus.ACCEPTED or quote.payment_reminder_sent_on or offer is None:
        return None
    if not today <= offer.valid_until <= today + timedelta(days=REMINDER_DAYS):
        return None
    order = db.session.get(Order, quote.order_id) if quote.order_id else None
    if order is None or order.status != OrderStatus.PENDING_PAYMENT:
        return None
    if not bank_transfers.takes_transfers(order) or not bank_transfers.balance(order).due_idr:
        return None
    return order


def send_due(
    mailer: Mailer,
    shop: ShopDetails,
    order_url: Callable[[Order], str],
    today: date | None = None,
) -> int:
    """Queue every reminder due today; return how many went."""
    today = today or clock.shop_today()
    candidates = db.session.scalars(
        select(QuoteRequest.id).where(
            QuoteRequest.status == QuoteStatus.ACCEPTED,
            QuoteRequest.payment_reminder_sent_on.is_(None),
            QuoteRequest.order_id.is_not(None),
        )
    ).all()
    db.session.rollback()  # end the read: each quote is then taken in its own transaction
    sent = 0
    for quote_id in candidates:
        try:
            quote = flow.lock(quote_id)
            order = _owing(quote, today) if quote is not None else None
            if order is None:
                db.session.rollback()
                continue
            quote.payment_reminder_sent_on = today
            db.session.flush()  # the mail below joins this transaction
            bank_mail.send(mailer, order, "reminder", shop=shop, order_url=order_url(order),
                           due_on=quote.current_offer.valid_until)  # fmt: skip
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        sent += 1
    return sent
