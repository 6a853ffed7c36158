"""Coupons in the Stripe double: created by the shop per order, applied to a Checkout Session.

Shaped like Stripe's coupon object (API reference, "The Coupon object"); a session created with
`discounts=[{"coupon": id}]` takes the coupon's amount off its line items (never the shipping,
as Stripe does), shows it in `total_details.amount_discount`, and counts the redemption when
the buyer pays.
"""

from __future__ import annotations

import time
from typing import Any

Response = tuple[int, dict[str, Any]]
_DURATIONS = ("once", "repeating", "forever")


def _error(message: str, param: str | None = None, code: str = "parameter_invalid") -> Response:
    body = {"type": "invalid_request_error", "message": message, "code": code}
    if param:
        body["param"] = param
    return 400, {"error": body}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def create(coupons: dict[str, dict[str, Any]], coupon_id: str, params: dict[str, Any]) -> Response:
    """POST /v1/coupons, with Stripe's checks on amount_off, currency and duration."""
    amount_off, percent_off = _int(params.get("amount_off")), params.get("percent_off")
    if amount_off is None and percent_off is None:
        return _error("You must pass either amount_off or percent_off.")
    if amount_off is not None and not params.get("currency"):
        return _error("You must pass currency when passing amount_off.", "currency")
    if amount_off is not None and amount_off < 1:
        return _error("Invalid positive integer", "amount_off")
    duration = params.get("duration", "once")
    if duration not in _DURATIONS:
        return _error(f"Invalid duration: must be one of {', '.join(_DURATIONS)}", "duration")
    name = params.get("name")
    if name is not None and len(name) > 40:
        return _error("Invalid string: must be at most 40 characters", "name")
    coupon_id = params.get("id") or coupon_id
    if coupon_id in coupons:
        return _error("Coupon already exists.", "id", "resource_already_exists")
    coupon = {
        "id": coupon_id, "object": "coupon", "amount_off": amount_off,
        "created": int(time.time()), "currency": params.get("currency"), "duration": duration,
        "duration_in_months": None, "livemode": False,
        "max_redemptions": _int(params.get("max_redemptions")),
        "metadata": params.get("metadata") or {}, "name": name,
        "percent_off": float(percent_off) if percent_off is not None else None,
        "redeem_by": _int(params.get("redeem_by")), "times_redeemed": 0, "valid": True,
    }  # fmt: skip
    coupons[coupon_id] = coupon
    return 200, coupon


def discount_for(
    coupons: dict[str, dict[str, Any]], params: dict[str, Any], subtotal: int, currency: str
) -> tuple[Response | None, int, list[dict[str, Any]]]:
    """The session's discount: (an error answer or None, amount off, the session's discounts)."""
    discounts = params.get("discounts") or []
    if not discounts:
        return None, 0, []
    if params.get("allow_promotion_codes"):
        message = "You may only specify one of these parameters: allow_promotion_codes, discounts."
        return _error(message), 0, []
    if len(discounts) > 1:
        return _error("You may only specify one discount.", "discounts"), 0, []
    coupon_id = discounts[0].get("coupon") if isinstance(discounts[0], dict) else None
    coupon = coupons.get(coupon_id or "")
    if coupon is None:
        message = f"No such coupon: '{coupon_id}'"
        return _error(message, "discounts[0][coupon]", "resource_missing"), 0, []
    if not coupon["valid"]:
        return _error(f"Coupon {coupon_id} is no longer valid.", "discounts[0][coupon]"), 0, []
    if coupon["amount_off"] is not None:
        if coupon["currency"] != currency:
            message = f"Coupon {coupon_id} is in {coupon['currency']}, the session in {currency}."
            return _error(message, "discounts[0][coupon]"), 0, []
        amount = min(coupon["amount_off"], subtotal)
    else:
        amount = int(subtotal * coupon["percent_off"] / 100)
    return None, amount, [{"coupon": coupon_id, "promotion_code": None}]


def redeem(coupons: dict[str, dict[str, Any]], session: dict[str, Any]) -> None:
    """Count the redemption of a paid session's coupon; a coupon at its limit is no longer valid."""
    for discount in session.get("discounts") or []:
        coupon = coupons.get(discount.get("coupon") or "")
        if coupon is not None:
            coupon["times_redeemed"] += 1
            limit = coupon["max_redemptions"]
            coupon["valid"] = limit is None or coupon["times_redeemed"] < limit
