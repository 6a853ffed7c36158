"""Stripe's JSON objects (checkout sessions, charges) reduced to the shop's PaymentEvents.

Shared by webhook parsing and reconciliation. Stripe may send any Unicode, long text, null or
missing optional fields: nothing here truncates or assumes a field is present.
"""

from __future__ import annotations

import re
from typing import Any

from shop.gateways.payments import Address, PaymentEvent

_ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")
_DIGITS = re.compile(r"[0-9]{1,18}")


def session_event(event_id: str, event_type: str, obj: dict[str, Any]) -> PaymentEvent:
    """Map a checkout.session object carried by a checkout.session.* event."""
    metadata = as_dict(obj.get("metadata"))
    details = as_dict(obj.get("customer_details"))
    # API versions from 2025-03 put the address under collected_information; older ones, and
    # events already queued when the version changed, carry the top-level shipping_details.
    shipping = as_dict(as_dict(obj.get("collected_information")).get("shipping_details"))
    shipping = shipping or as_dict(obj.get("shipping_details"))
    extra = {"order_number": v} if (v := as_str(metadata.get("order_number"))) else {}
    return PaymentEvent(
        id=event_id,
        type=event_type,
        session_id=as_str(obj.get("id")),
        order_id=order_id(metadata.get("order_id")) or order_id(obj.get("client_reference_id")),
        payment_status=as_str(obj.get("payment_status")),
        amount_minor=as_int(obj.get("amount_total")),
        currency=currency(obj.get("currency")),
        payment_intent=ref(obj.get("payment_intent")),
        email=as_str(details.get("email")) or as_str(obj.get("customer_email")),
        shipping_address=address(shipping, details),
        extra=extra,
    )


def charge_event(
    event_id: str, event_type: str, obj: dict[str, Any], *, fallback_order_id: int | None = None
) -> PaymentEvent:
    """Map a charge object carried by a charge.* event (amount_refunded is cumulative)."""
    extra = {"charge_id": v} if (v := as_str(obj.get("id"))) else {}
    return PaymentEvent(
        id=event_id,
        type=event_type,
        order_id=order_id(as_dict(obj.get("metadata")).get("order_id")) or fallback_order_id,
        amount_minor=as_int(obj.get("amount_refunded")),
        amount_captured_minor=as_int(obj.get("amount_captured")),
        currency=currency(obj.get("currency")),
        payment_intent=ref(obj.get("payment_intent")),
        extra=extra,
    )


def address(shipping: dict[str, Any], details: dict[str, Any]) -> Address | None:
    """Name and postal address from shipping details, or None when there are none.

    The buyer's name and country from customer_details fill in what the shipping block lacks.
    """
    if not shipping:
        return None
    postal = as_dict(shipping.get("address"))
    fields = {key: as_str(postal.get(key)) or "" for key in _ADDRESS_FIELDS}
    if not fields["country"]:
        fields["country"] = as_str(as_dict(details.get("address")).get("country")) or ""
    name = as_str(shipping.get("name")) or as_str(details.get("name")) or ""
    return Address(name=name, **fields)


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_str(value: Any) -> str | None:
    """The value if it is a non-empty string."""
    return value if isinstance(value, str) and value else None


def as_int(value: Any) -> int | None:
    """The value if it is an integer (not a bool)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def currency(value: Any) -> str | None:
    """An upper-case currency code."""
    return text.upper() if (text := as_str(value)) else None


def ref(value: Any) -> str | None:
    """An object id, whether the field holds the id or the expanded object."""
    return as_str(value.get("id")) if isinstance(value, dict) else as_str(value)


def order_id(value: Any) -> int | None:
    """A positive order id from metadata or client_reference_id, else None."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip()) or None
    if (number := as_int(value)) is not None and number > 0:
        return number
    return None
