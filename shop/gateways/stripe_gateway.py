"""Stripe Checkout behind the PaymentGateway interface, through the official `stripe` library."""

from __future__ import annotations

import json
import re
from typing import Any

import stripe

from shop.gateways.payments import (
    Address,
    CheckoutRequest,
    CheckoutSession,
    InvalidWebhook,
    PaymentError,
    PaymentEvent,
    Refund,
)
from shop.services.money import from_minor_units, to_minor_units

# Storefront languages Stripe Checkout also speaks; anything else lets Stripe choose.
_LOCALES = {"en": "en", "id": "id", "ja": "ja", "ko": "ko"}
_ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")
_DIGITS = re.compile(r"[0-9]{1,18}")


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
    ) -> None:
        """Build a client; api_base points it elsewhere (a test double), never used in prod."""
        self._webhook_secret = webhook_secret
        self._tolerance = webhook_tolerance
        # The library's default client (requests when installed), kept so close() can reach it.
        self._http = stripe.new_default_http_client()
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            max_network_retries=1,
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
            session = self._client.v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentError(_describe("could not open checkout", exc)) from exc
        # Since stripe 15 a StripeObject is no longer a dict: read fields from a plain copy.
        fields = session.to_dict()
        session_id, url = _str(fields.get("id")), _str(fields.get("url"))
        if not session_id or not url:
            raise PaymentError("Stripe returned a checkout session without id or url")
        return CheckoutSession(id=session_id, url=url)

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
        event_id, event_type = _str(event.get("id")), _str(event.get("type"))
        if not event_id or not event_type:
            raise InvalidWebhook("event without id or type")
        data = event.get("data")
        obj = data.get("object") if isinstance(data, dict) else None
        obj = obj if isinstance(obj, dict) else {}
        if event_type.startswith("checkout.session."):
            return _session_event(event_id, event_type, obj)
        if event_type == "charge.refunded":
            return _charge_event(event_id, event_type, obj)
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
        amount = _int(fields.get("amount"))
        whole = amount is not None and amount % 100 == 0
        return Refund(
            id=_str(fields.get("id")) or "",
            amount_idr=from_minor_units(amount, "IDR") if whole and amount else amount_idr,
            status=_str(fields.get("status")) or "pending",
        )


def _describe(action: str, exc: stripe.StripeError) -> str:
    """A short, secret-free description of a library error for logs and staff."""
    parts = [type(exc).__name__]
    if exc.http_status:
        parts.append(f"HTTP {exc.http_status}")
    if exc.code:
        parts.append(f"code {exc.code}")
    return f"Stripe {action} ({', '.join(parts)})"


def _session_event(event_id: str, event_type: str, obj: dict[str, Any]) -> PaymentEvent:
    """Map a checkout.session.* event."""
    metadata = _dict(obj.get("metadata"))
    details = _dict(obj.get("customer_details"))
    shipping = _dict(_dict(obj.get("collected_information")).get("shipping_details"))
    shipping = shipping or _dict(obj.get("shipping_details"))
    extra = {"order_number": v} if (v := _str(metadata.get("order_number"))) else {}
    return PaymentEvent(
        id=event_id,
        type=event_type,
        session_id=_str(obj.get("id")),
        order_id=_order_id(metadata.get("order_id")) or _order_id(obj.get("client_reference_id")),
        payment_status=_str(obj.get("payment_status")),
        amount_minor=_int(obj.get("amount_total")),
        currency=_currency(obj.get("currency")),
        payment_intent=_ref(obj.get("payment_intent")),
        email=_str(details.get("email")) or _str(obj.get("customer_email")),
        shipping_address=_address(shipping),
        extra=extra,
    )


def _charge_event(event_id: str, event_type: str, obj: dict[str, Any]) -> PaymentEvent:
    """Map a charge.refunded event."""
    extra = {"charge_id": v} if (v := _str(obj.get("id"))) else {}
    return PaymentEvent(
        id=event_id,
        type=event_type,
        order_id=_order_id(_dict(obj.get("metadata")).get("order_id")),
        amount_minor=_int(obj.get("amount_refunded")),
        amount_captured_minor=_int(obj.get("amount_captured")),
        currency=_currency(obj.get("currency")),
        payment_intent=_ref(obj.get("payment_intent")),
        extra=extra,
    )


def _address(shipping: dict[str, Any]) -> Address | None:
    """Name and postal address from shipping_details, or None when absent."""
    if not shipping:
        return None
    address = _dict(shipping.get("address"))
    fields = {key: _str(address.get(key)) or "" for key in _ADDRESS_FIELDS}
    return Address(name=_str(shipping.get("name")) or "", **fields)


def _dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    """The value if it is a non-empty string."""
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    """The value if it is an integer (not a bool)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _currency(value: Any) -> str | None:
    """An upper-case currency code."""
    return text.upper() if (text := _str(value)) else None


def _ref(value: Any) -> str | None:
    """An object id, whether the field holds the id or the expanded object."""
    return _str(value.get("id")) if isinstance(value, dict) else _str(value)


def _order_id(value: Any) -> int | None:
    """A positive order id from metadata or client_reference_id, else None."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip()) or None
    if (number := _int(value)) is not None and number > 0:
        return number
    return None
