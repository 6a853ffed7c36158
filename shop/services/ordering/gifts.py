"""Gifts: the buyer's message for the recipient and the optional gift wrap, kept on the cart.

The message is plain text: stored as typed (never as HTML), escaped wherever it is shown and
printed with its line breaks. Gift wrap is one fee per order, priced by the shop's setting,
never by anything the browser sends.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from shop.extensions import db
from shop.models import Cart

MAX_MESSAGE_LENGTH = 300
MAX_MESSAGE_LINES = 12
GIFT_WRAP_SKU = "GIFT-WRAP"
# Bidirectional overrides and isolates: they could make the printed text read differently.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class GiftRefused(Exception):
    """A gift choice the shop cannot take as it is; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "too_long", "too_many_lines", "wrap_unavailable"


@dataclass(frozen=True)
class GiftChoice:
    """What the buyer chose at checkout."""

    is_gift: bool
    message: str = ""
    wrap: bool = False


def clean_message(text: str | None) -> str:
    """The message as it will be printed: line breaks kept, invisible control characters
    (and bidi overrides that could reorder the printed text) dropped, ends trimmed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = ["".join(ch for ch in line if _printable(ch)).rstrip() for line in lines]
    return "\n".join(kept).strip()


def _printable(ch: str) -> bool:
    return ch not in _BIDI_CONTROLS and (ch == "\t" or unicodedata.category(ch) != "Cc")


def check(choice: GiftChoice, wrap_price_idr: int) -> GiftChoice:
    """Return the choice cleaned, or raise GiftRefused; not a gift drops message and wrap."""
    if not choice.is_gift:
        return GiftChoice(is_gift=False)
    message = clean_message(choice.message)
    if len(message) > MAX_MESSAGE_LENGTH:
        raise GiftRefused("too_long")
    if message.count("\n") >= MAX_MESSAGE_LINES:
        raise GiftRefused("too_many_lines")
    if choice.wrap and wrap_price_idr <= 0:
        raise GiftRefused("wrap_unavailable")
    return GiftChoice(is_gift=True, message=message, wrap=choice.wrap)


def set_gift(cart: Cart, choice: GiftChoice, wrap_price_idr: int) -> None:
    """Keep the buyer's gift choice with the cart; commit. A refused choice changes nothing."""
    checked = check(choice, wrap_price_idr)
    cart.is_gift = checked.is_gift
    cart.gift_message = checked.message
    cart.gift_wrap = checked.wrap
    db.session.commit()


def wrap_fee_idr(cart: Cart | None, wrap_price_idr: int) -> int:
    """What the cart's gift wrap costs (0 when it is not a wrapped gift)."""
    if cart is None or not (cart.is_gift and cart.gift_wrap):
        return 0
    return max(wrap_price_idr, 0)
