"""A payment gateway for demos and offline development: no money moves.

It stands in for Stripe's hosted page with a local one (`/demo-pay/<session>`), and its Pay
button feeds the same event handling that Stripe's webhooks do.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import datetime

from shop.gateways.payments import (
    Address,
    CheckoutRequest,
    CheckoutSession,
    InvalidWebhook,
    PaymentEvent,
    Refund,
    SessionHistory,
)
from shop.services.money import to_minor_units


class DemoGateway:
    """The offline stand-in for Stripe Checkout."""

    name = "demo"

    def __init__(self, pay_url_for: Callable[[str], str]) -> None:
        self._pay_url_for = pay_url_for

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a local demo payment page for the order."""
        session_id = "demo_cs_" + secrets.token_urlsafe(18)
        return CheckoutSession(id=session_id, url=self._pay_url_for(session_id))

    def parse_webhook(self, payload: bytes, signature: str | None) -> PaymentEvent:
        """The demo gateway sends no webhooks: refuse anything that claims to be one."""
        raise InvalidWebhook("the demo gateway has no webhooks")

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Pretend to refund: nothing was charged."""
        return Refund(id="demo_re_" + secrets.token_urlsafe(12), amount_idr=amount_idr,
                      status="succeeded")  # fmt: skip

    def expire_checkout(self, session_id: str) -> None:
        """Nothing to close: the demo page pays only orders that still await payment."""

    def session_history(self, since: datetime) -> Iterator[SessionHistory]:
        """No provider keeps a history of demo payments: there is nothing to reconcile."""
        return iter(())

    @staticmethod
    def paid_event(
        *, session_id: str, order_id: int, total_idr: int, email: str, address: Address
    ) -> PaymentEvent:
        """The event Stripe would send when the buyer pays."""
        return PaymentEvent(
            id="demo_evt_" + secrets.token_urlsafe(12),
            type="checkout.session.completed",
            session_id=session_id,
            order_id=order_id,
            payment_status="paid",
            amount_minor=to_minor_units(total_idr, "IDR"),
            currency="IDR",
            payment_intent="demo_pi_" + secrets.token_urlsafe(12),
            email=email,
            shipping_address=address,
        )
