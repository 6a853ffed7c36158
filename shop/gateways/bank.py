"""Refunds of orders paid by bank transfer: staff send the money from the shop's account.

There is no provider to ask: the refund form records what staff transfer back, with the same
claim, one-time token and history as a card refund.
"""

from __future__ import annotations

from shop.gateways.payments import Refund


class BankTransferRefunds:
    """The refund side of a payment gateway, for money that came in by bank transfer."""

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Record a refund staff send by bank transfer; the form's token names it."""
        return Refund(id=f"bank-{idempotency_key}"[:255], amount_idr=amount_idr,
                      status="succeeded")  # fmt: skip
