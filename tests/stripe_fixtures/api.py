"""The Stripe API resources the double serves: sessions, charges, refunds, lists, errors.

Kept apart from the HTTP server in tests/stripe_double.py; objects come from the fixtures here.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.stripe_fixtures import (
    charge_object,
    coupons,
    fixture,
    list_object,
    refund_object,
)

_KEY_PART = re.compile(r"\[([^\]]*)\]")
_SESSION_PATH = re.compile(r"/v1/checkout/sessions/([^/]+)(/expire)?")
Response = tuple[int, dict[str, Any]]


@dataclass
class RecordedRequest:
    """One request as the double received it."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]
    nested: dict[str, Any]
    idempotency_key: str | None
    status: int = 0
    replayed: bool = False
    delayed: float = 0.0


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    should_retry: bool | None


@dataclass
class State:
    requests: list[RecordedRequest] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    coupons: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[str, str, dict[str, str], int, dict[str, Any]]] = field(
        default_factory=dict
    )
    failures: list[Failure] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    page_cap: int = 100  # Stripe's largest page; tests lower it to see pagination
    released: threading.Event = field(default_factory=threading.Event)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self.counter)}"


def nest_form(form: dict[str, str]) -> dict[str, Any]:
    """Turn Stripe form keys (`a[b][0][c]`) into nested dicts, with indexed dicts as lists."""
    root: dict[str, Any] = {}
    for key, value in form.items():
        head = key.split("[", 1)[0]
        parts = [head, *_KEY_PART.findall(key[len(head) :])]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def as_int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def error(kind: str, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "code": code}}


def _missing(kind: str, object_id: str) -> Response:
    message = f"No such {kind}: '{object_id}'"
    return 404, error("invalid_request_error", message, "resource_missing")


def _page(items: list[dict[str, Any]], query: dict[str, Any], url: str, cap: int = 100) -> Response:
    """One page of a Stripe list: newest first, `created` filters, limit and starting_after."""
    limit = as_int(query.get("limit"), 10)
    if not 1 <= limit <= 100:
        return 400, error("invalid_request_error", "Invalid integer: limit", "parameter_invalid")
    limit = min(limit, cap)
    created = query.get("created")
    if isinstance(created, dict):
        bounds = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
        for op, value in created.items():
            if op in bounds:
                items = [i for i in items if bounds[op](i["created"], as_int(value))]
    elif created is not None:
        items = [i for i in items if i["created"] == as_int(created)]
    # Newest first; among equal timestamps the later-made object first, as Stripe does.
    items = sorted(reversed(items), key=lambda item: item["created"], reverse=True)
    after = query.get("starting_after")
    if after:
        ids = [item["id"] for item in items]
        if after not in ids:
            return _missing("object", after)
        items = items[ids.index(after) + 1 :]
    return 200, list_object(items[:limit], url, has_more=len(items) > limit)


def route(state: State, method: str, path: str, params: dict[str, Any]) -> Response:
    if path == "/v1/checkout/sessions":
        if method == "POST":
            session = _new_session(state.next_id("cs"), params)
            refused, off, discounts = coupons.discount_for(
                state.coupons, params, session["amount_subtotal"], session["currency"]
            )
            if refused is not None:
                return refused
            _discount(session, off, discounts)
            state.sessions[session["id"]] = session
            return 200, session
        return _list_sessions(state, params)
    if path == "/v1/coupons" and method == "POST":
        return coupons.create(state.coupons, state.next_id("coupon"), params)
    if path.startswith("/v1/coupons/") and method == "GET":
        coupon_id = path.rsplit("/", 1)[1]
        coupon = state.coupons.get(coupon_id)
        return (200, coupon) if coupon else _missing("coupon", coupon_id)
    if match := _SESSION_PATH.fullmatch(path):
        session = state.sessions.get(match[1])
        if session is None:
            return _missing("checkout.session", match[1])
        if method == "POST" and match[2]:
            return _expire(session)
        return 200, session
    if path == "/v1/refunds" and method == "POST":
        return refund(state, params)
    if path in ("/v1/refunds", "/v1/charges"):
        kind = path.rsplit("/", 1)[1]
        items = list((state.refunds if kind == "refunds" else state.charges).values())
        for name in ("charge", "payment_intent"):
            if params.get(name):
                items = [item for item in items if item.get(name) == params[name]]
        return _page(items, params, path, state.page_cap)
    if path.startswith("/v1/charges/") and method == "GET":
        charge_id = path.rsplit("/", 1)[1]
        charge = state.charges.get(charge_id)
        return (200, charge) if charge else _missing("charge", charge_id)
    return 404, error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")


def _discount(session: dict[str, Any], off: int, discounts: list[dict[str, Any]]) -> None:
    """Take a coupon's amount off the session's total, as total_details reports it."""
    shipping = session["amount_total"] - session["amount_subtotal"]
    session["amount_total"] = session["amount_subtotal"] - off + shipping
    session["discounts"] = discounts
    session["total_details"] = {"amount_discount": off, "amount_shipping": shipping,
                                "amount_tax": 0}  # fmt: skip


def _list_sessions(state: State, params: dict[str, Any]) -> Response:
    sessions = list(state.sessions.values())
    for name in ("status", "payment_intent"):
        if params.get(name):
            sessions = [s for s in sessions if s.get(name) == params[name]]
    return _page(sessions, params, "/v1/checkout/sessions", state.page_cap)


def _expire(session: dict[str, Any]) -> Response:
    if session["status"] != "open":
        message = 'Only Checkout Sessions with a status in ["open"] can be expired.'
        return 400, error("invalid_request_error", message)
    session.update(status="expired", url=None)
    return 200, session


def refund(state: State, params: dict[str, Any]) -> Response:
    """Refund a charge (found by charge or payment_intent), keeping its amount_refunded."""
    charge = state.charges.get(params.get("charge") or "") or next(
        (c for c in state.charges.values() if c["payment_intent"] == params.get("payment_intent")),
        None,
    )
    if charge is None:
        # A payment this double never saw (tests that start from a paid order): a lone refund.
        charge = charge_object(state.next_id("ch"), payment_intent=params.get("payment_intent"))
    remaining = charge["amount"] - charge["amount_refunded"]
    amount = as_int(params.get("amount"), remaining)
    if remaining <= 0:
        message = f"Charge {charge['id']} has already been refunded."
        return 400, error("invalid_request_error", message, "charge_already_refunded")
    if not 0 < amount <= remaining:
        message = f"Refund amount ({amount}) is greater than unrefunded amount ({remaining})."
        return 400, error("invalid_request_error", message, "amount_too_large")
    refund = refund_object(state.next_id("re"), charge, amount)
    refund["metadata"] = params.get("metadata") or {}
    state.refunds[refund["id"]] = refund
    if charge["id"] in state.charges:
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        charge["refunds"]["data"].insert(0, refund)
    return 200, refund


def _new_session(session_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """A checkout.session object built from the create parameters, as Stripe would return it."""
    lines = params.get("line_items") or []
    subtotal = sum(
        as_int(line.get("price_data", {}).get("unit_amount")) * as_int(line.get("quantity"), 1)
        for line in lines
    )
    options = params.get("shipping_options") or []
    rate = options[0].get("shipping_rate_data", {}) if options else {}
    shipping = as_int(rate.get("fixed_amount", {}).get("amount"))
    currency = lines[0].get("price_data", {}).get("currency", "idr") if lines else "idr"
    session = fixture("checkout_session")
    session.update(
        id=session_id,
        url=f"https://checkout.stripe.test/c/pay/{session_id}",
        mode=params.get("mode", "payment"),
        status="open",
        payment_status="unpaid",
        amount_subtotal=subtotal,
        amount_total=subtotal + shipping,
        currency=currency,
        client_reference_id=params.get("client_reference_id"),
        customer_email=params.get("customer_email"),
        customer_details=None,
        locale=params.get("locale"),
        metadata=params.get("metadata", {}),
        expires_at=as_int(params.get("expires_at")),
        success_url=params.get("success_url"),
        cancel_url=params.get("cancel_url"),
        payment_intent=None,
        collected_information=None,
        created=int(time.time()),
    )
    return session
