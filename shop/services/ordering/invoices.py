"""Invoice numbers: KB-<year>-<nnnnn>, given once per paid order, without gaps in a year.

The number is taken in the same transaction as the order's move to paid (status.pay): the
year's counter row is incremented with one conditional UPDATE, which holds its row lock until
that transaction ends. Two payments at once take turns on the row, so each gets the next
number; a payment that rolls back gives its number back with everything else, so no number
is skipped. The year is the shop's calendar year (SHOP_TIMEZONE) on the day of payment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from shop.extensions import db
from shop.models import Order
from shop.services.clock import shop_day_of

PREFIX = "KB"


def format_number(year: int, sequence: int) -> str:
    """The printed number: KB-2026-00001."""
    return f"{PREFIX}-{year}-{sequence:05d}"


_NEXT = text(
    "INSERT INTO invoice_counter (year, last_number) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_number = invoice_counter.last_number + 1 "
    "RETURNING last_number"
)


def next_number(year: int) -> str:
    """Take the year's next number inside the caller's transaction (the row stays locked)."""
    # One statement: the year's row is made on its first invoice and counted on after; a
    # concurrent payment waits on the row's lock, then counts on from what was committed.
    sequence = db.session.execute(_NEXT, {"year": year}).scalar_one()
    return format_number(year, int(sequence))


def assign(order: Order, paid_at: datetime) -> None:
    """Give the order its invoice number unless it has one (a second payment keeps the first)."""
    if order.invoice_number:
        return
    order.invoice_number = next_number(shop_day_of(paid_at).year)
