"""Stripe objects for tests, built from Stripe's published fixtures (see README.md here).

Each builder copies a fixture and overrides only what the shop reads, so everything else keeps
the shape Stripe sends, nulls included. Webhook bodies are signed the way Stripe signs them.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

API_VERSION = "2026-10-28.endive"
# Stripe adds a v0 signature made with another key to test-mode events; v1 is the only scheme
# a receiver may trust.
V0_SECRET = "whsec_v0_scheme_that_must_be_ignored"
_HERE = Path(__file__).parent
_event_ids = itertools.count(1)

JAPANESE_ADDRESS = {
    "line1": "1-2-3 Shibuya",
    "line2": "Apt 4",
    "city": "Tokyo",
    "state": "Tokyo",
    "postal_code": "150-0002",
    "country": "JP",
}


@cache
def _fixture(name: str) -> dict[str, Any]:
    return json.loads((_HERE / f"{name}.json").read_text(encoding="utf-8"))


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of one saved Stripe fixture: checkout_session, charge, refund, event, list."""
    return copy.deepcopy(_fixture(name))


def list_object(data: list[dict[str, Any]], url: str, has_more: bool = False) -> dict[str, Any]:
    """A Stripe list object around these items."""
    return fixture("list") | {"data": data, "url": url, "has_more": has_more}


def address_object(**fields: str | None) -> dict[str, str | None]:
    """A Stripe address: every key present, null where unknown."""
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {key: fields.get(key) for key in keys}


def session_object(
    session_id: str = "cs_test_1",
    *,
    order_id: int | None = 1,
    amount_total: int = 10_000_000,
    currency: str = "idr",
    payment_status: str = "paid",
    status: str = "complete",
    email: str = "buyer@example.com",
    payment_intent: str | None = "pi_test_1",
    address: dict[str, Any] | None = None,
    name: str | None = "Aiko Tanaka",
    legacy_shipping: bool = False,
    customer_details: bool = True,
    shipping: bool = True,
) -> dict[str, Any]:
    """A checkout.session object as a webhook carries it, with a shipping address."""
    address = address_object(**(address or JAPANESE_ADDRESS))
    obj = fixture("checkout_session")
    obj.update(
        id=session_id,
        url=None if status != "open" else f"https://checkout.stripe.test/c/pay/{session_id}",
        status=status,
        payment_status=payment_status,
        amount_subtotal=amount_total,
        amount_total=amount_total,
        currency=currency,
        client_reference_id=str(order_id) if order_id is not None else None,
        metadata={"order_id": str(order_id)} if order_id is not None else {},
        customer_email=email,
        payment_intent=payment_intent,
        created=int(time.time()),
        shipping_details=None,
    )
    details = obj["customer_details"]
    details.update(email=email, name=name, address=copy.deepcopy(address))
    if not customer_details:
        obj["customer_details"] = None
    ship = {"address": address, "name": name} if shipping else None
    if legacy_shipping:
        obj["shipping_details"] = ship
    else:
        obj["collected_information"] = {"shipping_details": ship}
    return obj


def charge_object(
    charge_id: str = "ch_test_1",
    *,
    order_id: int | None = 1,
    amount: int = 10_000_000,
    amount_refunded: int = 0,
    currency: str = "idr",
    payment_intent: str = "pi_test_1",
) -> dict[str, Any]:
    """A charge object as charge.* events carry it."""
    obj = fixture("charge")
    obj.update(
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        amount_refunded=amount_refunded,
        captured=True,
        currency=currency,
        payment_intent=payment_intent,
        refunded=amount_refunded >= amount,
        metadata={"order_id": str(order_id)} if order_id is not None else {},
        created=int(time.time()),
        refunds=list_object([], f"/v1/charges/{charge_id}/refunds"),
    )
    return obj


def refund_object(refund_id: str, charge: dict[str, Any], amount: int) -> dict[str, Any]:
    """A succeeded refund of part of this charge."""
    obj = fixture("refund")
    obj.update(
        id=refund_id,
        amount=amount,
        charge=charge["id"],
        currency=charge["currency"],
        payment_intent=charge["payment_intent"],
        created=int(time.time()),
    )
    return obj


def event_payload(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> bytes:
    """The raw body of a snapshot event as Stripe posts it to a webhook endpoint."""
    event = fixture("event")
    event.update(
        id=event_id or f"evt_test_{next(_event_ids)}",
        api_version=API_VERSION,
        created=int(time.time()),
        data={"object": obj},
        pending_webhooks=1,
        type=event_type,
    )
    return json.dumps(event, ensure_ascii=False).encode()


def _hmac(secret: str, timestamp: int, payload: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def sign_payload(
    payload: bytes,
    secret: str | Sequence[str],
    timestamp: int | None = None,
    *,
    v0_secret: str | None = V0_SECRET,
) -> str:
    """A Stripe-Signature header: `t=<ts>,v1=<HMAC-SHA256 of "<ts>.<body>">[,v1=…],v0=…`.

    Several secrets give several v1 values, as while a signing secret is being rolled.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    secrets = [secret] if isinstance(secret, str) else list(secret)
    parts = [f"t={ts}", *(f"v1={_hmac(key, ts, payload)}" for key in secrets)]
    if v0_secret is not None:
        parts.append(f"v0={_hmac(v0_secret, ts, payload)}")
    return ",".join(parts)


def redeliveries(payload: bytes, secret: str, times: int = 3, every: int = 60) -> list[str]:
    """Signature headers for the same event delivered `times` times, as Stripe retries it."""
    start = int(time.time()) - every * (times - 1)
    return [sign_payload(payload, secret, start + every * n) for n in range(times)]
