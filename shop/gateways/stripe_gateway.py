"""Stripe Checkout behind the PaymentGateway interface, through the official `stripe` library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import stripe

from shop.gateways.payments import (
    CheckoutDiscount,
    CheckoutRequest,
    CheckoutSession,
    InvalidWebhook,
    PaymentError,
    PaymentEvent,
    ProviderUnreachable,
    Refund,
    SessionHistory,
)
from shop.gateways.stripe_objects import as_int, as_str, charge_event, session_event
from shop.services.money import from_minor_units, to_minor_units

# Storefront languages Stripe Checkout also speaks; anything else lets Stripe choose.
_LOCALES = {"en": "en", "id": "id", "ja": "ja", "ko": "ko"}
# A buyer waits for create_checkout: with one network retry and the library's 0.5 s back-off,
# the worst case is 2 * (connect + read) + 0.5 = 14.5 s, even if Stripe accepts no connection
# or answers nothing. A late answer is not lost: the retry carries the same idempotency key,
# so Stripe replays the session it made instead of making a second one.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 2.0
NETWORK_RETRIES = 1


class StripeGateway:
    """Hosted Stripe Checkout, webhooks verified with the endpoint's signing secret."""

    name = "stripe"

    def __init__(
        self,
        secret_key: str,
        webhook_secret: str,
        *,
        api_base: str | None = None,
        webhook_tolerance: int = 300,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        """Build a client; api_base points it elsewhere (a test double), never used in prod."""
        if not (0 < connect_timeout <= 120 and 0 < read_timeout <= 120):
            raise ValueError("Stripe timeouts must be positive numbers of seconds")
        self._webhook_secret = webhook_secret
        self._tolerance = webhook_tolerance
        # The library's requests-based client with (connect, read) timeouts instead of its 80 s
        # default; kept so close() can reach it.
        self._http = stripe.RequestsClient(timeout=(connect_timeout, read_timeout))
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            max_network_retries=NETWORK_RETRIES,
            http_client=self._http,
        )

    def close(self) -> None:
        """Close the HTTP connections the client holds for the calling thread."""
        self._http.close()

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a Checkout Session with server-computed prices; raise PaymentError on failure."""
        currency = request.currency.lower()
        line_items = [
            {
                "price_data": {
                    "currency": currency,
                    "unit_amount": to_minor_units(line.unit_amount_idr, request.currency),
                    "product_data": {"name": line.name, "metadata": {"sku": line.sku}},
                },
                "quantity": line.quantity,
            }
            for line in request.lines
        ]
        order_meta = {"order_id": str(request.order_id), "order_number": request.order_number}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": line_items,
            "shipping_address_collection": {"allowed_countries": list(request.allowed_countries)},
            "shipping_options": [{"shipping_rate_data": self._shipping_rate(request)}],
            "metadata": order_meta,
            "client_reference_id": str(request.order_id),
            "customer_email": request.email,
            "locale": _LOCALES.get(request.locale, "auto"),
            "expires_at": int(request.expires_at.timestamp()),
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "payment_intent_data": {"metadata": dict(order_meta)},
        }
        try:
            if request.discount is not None:
                params["discounts"] = [{"coupon": self._coupon(request, request.discount)}]
            session = self._client.v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _payment_error("could not open checkout", exc) from exc
        # Since stripe 15 a StripeObject is no longer a dict: read fields from a plain copy.
        fields = session.to_dict()
        session_id, url = as_str(fields.get("id")), as_str(fields.get("url"))
        if not session_id or not url:
            raise PaymentError("Stripe returned a checkout session without id or url")
        return CheckoutSession(id=session_id, url=url)

    def _coupon(self, request: CheckoutRequest, discount: CheckoutDiscount) -> str:
        """Create the order's own coupon: the discount's amount off, once, for this session.

        Stripe Checkout takes a discount as a coupon (`discounts=[{"coupon": id}]`), shown by
        its name on the payment page and the receipt. A coupon per order carries the exact
        rupiah the shop computed (a percentage would be rounded by Stripe, and a category
        limit could not be expressed for ad-hoc prices); `max_redemptions=1` keeps it from
        being used again. The idempotency key makes a retried checkout reuse it.
        """
        coupon = self._client.v1.coupons.create(
            {
                "amount_off": to_minor_units(discount.amount_idr, request.currency),
                "currency": request.currency.lower(),
                "duration": "once",
                "max_redemptions": 1,
                "name": discount.code[:40],
                "metadata": {
                    "order_id": str(request.order_id),
                    "order_number": request.order_number,
                },
            },  # fmt: skip
            options={"idempotency_key": request.idempotency_key + "-coupon"},
        )
        coupon_id = as_str(coupon.to_dict().get("id"))
        if not coupon_id:
            raise PaymentError("Stripe returned a coupon without id")
        return coupon_id

    @staticmethod
    def _shipping_rate(request: CheckoutRequest) -> dict[str, Any]:
        """The fixed shipping fee as Stripe shipping_rate_data."""
        option = request.shipping
        rate: dict[str, Any] = {
            "type": "fixed_amount",
            "fixed_amount": {
                "amount": to_minor_units(option.amount_idr, request.currency),
                "currency": request.currency.lower(),
            },
            "display_name": option.label,
        }
        estimate = {
            bound: {"unit": "business_day", "value": days}
            for bound, days in (("minimum", option.min_days), ("maximum", option.max_days))
            if days is not None
        }
        if estimate:
            rate["delivery_estimate"] = estimate
        return rate

    def parse_webhook(self, payload: bytes, signature: str | None) -> PaymentEvent:
        """Verify the signature on the raw body, then reduce the event to a PaymentEvent."""
        if not signature:
            raise InvalidWebhook("missing Stripe-Signature header")
        try:
            stripe.WebhookSignature.verify_header(
                payload, signature, self._webhook_secret, self._tolerance
            )
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook("bad or stale signature") from exc
        except UnicodeDecodeError as exc:
            raise InvalidWebhook("body is not UTF-8") from exc
        try:
            event = json.loads(payload)
        except ValueError as exc:
            raise InvalidWebhook("body is not JSON") from exc
        if not isinstance(event, dict):
            raise InvalidWebhook("body is not a JSON object")
        event_id, event_type = as_str(event.get("id")), as_str(event.get("type"))
        if not event_id or not event_type:
            raise InvalidWebhook("event without id or type")
        data = event.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        obj = obj if isinstance(obj, dict) else {}
        if event_type.startswith("checkout.session."):
            return session_event(event_id, event_type, obj)
        if event_type == "charge.refunded":
            return charge_event(event_id, event_type, obj)
        return PaymentEvent(id=event_id, type=event_type)

    def expire_checkout(self, session_id: str) -> None:
        """Expire an open Checkout Session; raise PaymentError (e.g. it was paid meanwhile)."""
        try:
            self._client.v1.checkout.sessions.expire(session_id)
        except stripe.StripeError as exc:
            raise PaymentError(_describe("refused to close the payment page", exc)) from exc

    def refund(self, payment_intent: str, amount_idr: int, idempotency_key: str) -> Refund:
        """Refund part or all of a payment in rupiah; raise PaymentError on failure."""
        try:
            refund = self._client.v1.refunds.create(
                {"payment_intent": payment_intent, "amount": to_minor_units(amount_idr, "IDR")},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentError(_describe("refused the refund", exc)) from exc
        fields = refund.to_dict()
        amount = as_int(fields.get("amount"))
        whole = amount is not None and amount % 100 == 0
        return Refund(
            id=as_str(fields.get("id")) or "",
            amount_idr=from_minor_units(amount, "IDR") if whole and amount else amount_idr,
            status=as_str(fields.get("status")) or "pending",
        )

    def session_history(self, since: datetime) -> Iterator[SessionHistory]:
        """Every Checkout Session created since then (all pages), with the events it implies.

        A paid session gives checkout.session.completed and, when its charge was refunded,
        charge.refunded with the cumulative amount; an expired one checkout.session.expired.
        Event ids are derived ("reconcile:<session>", "reconcile:<charge>:<amount>"), so
        applying them again is recognised as a duplicate.
        """
        params = {"created": {"gte": int(since.timestamp())}, "limit": 100}
        try:
            page = self._client.v1.checkout.sessions.list(params)  # type: ignore[arg-type]
            for session in page.auto_paging_iter():
                yield self._history(session.to_dict())
        except stripe.StripeError as exc:
            raise PaymentError(_describe("could not list checkout sessions", exc)) from exc

    def _history(self, fields: dict[str, Any]) -> SessionHistory:
        """The events one listed session implies (its refunds fetched from its charges)."""
        session_id = as_str(fields.get("id")) or ""
        status = as_str(fields.get("status")) or ""
        events: list[PaymentEvent] = []
        if status == "expired":
            events.append(session_event(f"reconcile:{session_id}", "checkout.session.expired",
                                        fields))  # fmt: skip
        elif status == "complete" and fields.get("payment_status") == "paid":
            paid = session_event(f"reconcile:{session_id}", "checkout.session.completed", fields)
            events.append(paid)
            if paid.payment_intent:
                events.extend(self._refund_events(paid))
        return SessionHistory(session_id=session_id, status=status, events=tuple(events))

    def _refund_events(self, paid: PaymentEvent) -> list[PaymentEvent]:
        """charge.refunded events for the refunded charges of a paid session's payment."""
        charges = self._client.v1.charges.list({"payment_intent": paid.payment_intent or "",
                                                "limit": 100})  # fmt: skip
        events = []
        for charge in charges.auto_paging_iter():
            fields = charge.to_dict()
            refunded = as_int(fields.get("amount_refunded")) or 0
            if refunded > 0 and (charge_id := as_str(fields.get("id"))):
                event_id = f"reconcile:{charge_id}:{refunded}"
                events.append(charge_event(event_id, "charge.refunded", fields,
                                           fallback_order_id=paid.order_id))  # fmt: skip
        return events


def _payment_error(action: str, exc: stripe.StripeError) -> PaymentError:
    """PaymentError for a refusal; ProviderUnreachable when Stripe timed out or failed itself."""
    unreachable = isinstance(exc, stripe.APIConnectionError) or (exc.http_status or 0) >= 500
    return (ProviderUnreachable if unreachable else PaymentError)(_describe(action, exc))


def _describe(action: str, exc: stripe.StripeError) -> str:
    """A short, secret-free description of a library error for logs and staff."""
    parts = [type(exc).__name__]
    if exc.http_status:
        parts.append(f"HTTP {exc.http_status}")
    if exc.code:
        parts.append(f"code {exc.code}")
    return f"Stripe {action} ({', '.join(parts)})"
