"""A Stripe-compatible HTTP double on 127.0.0.1, plus helpers that sign webhooks the real way.

Point the real `stripe` library at it with `StripeClient(..., base_addresses={"api": double.url})`.
It speaks the small part of the API the shop uses: Checkout Sessions and Refunds, with
Stripe's form encoding, idempotency keys and error bodies. Nothing here touches the internet.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2026-10-28.endive"
_KEY_PART = re.compile(r"\[([^\]]*)\]")


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


@dataclass
class _Failure:
    status: int
    body: dict[str, Any]
    should_retry: bool | None


@dataclass
class _State:
    requests: list[RecordedRequest] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[str, str, dict[str, str], int, dict[str, Any]]] = field(
        default_factory=dict
    )
    failures: list[_Failure] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


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


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error(kind: str, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "code": code}}


class _Handler(BaseHTTPRequestHandler):
    server_version = "stripe-double/1.0"
    protocol_version = "HTTP/1.0"  # one request per connection: nothing lingers after stop()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        state: _State = self.server.state  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        length = _int(self.headers.get("Content-Length"))
        body = self.rfile.read(length).decode() if length else ""
        form = dict(parse_qsl(body or url.query, keep_blank_values=True))
        headers = {name: value for name, value in self.headers.items()}
        key = self.headers.get("Idempotency-Key")
        record = RecordedRequest(method, url.path, headers, form, nest_form(form), key)
        with state.lock:
            state.requests.append(record)
            status, payload, replayed, retry = self._respond(state, method, url.path, form, key)
            record.status, record.replayed = status, replayed
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Request-Id", f"req_test_{len(state.requests)}")
        if key:
            self.send_header("Idempotency-Key", key)
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        if retry is not None:
            self.send_header("Stripe-Should-Retry", "true" if retry else "false")
        self.end_headers()
        self.wfile.write(raw)

    def _respond(
        self, state: _State, method: str, path: str, form: dict[str, str], key: str | None
    ) -> tuple[int, dict[str, Any], bool, bool | None]:
        """Status, body, whether it was replayed, and the Stripe-Should-Retry advice."""
        if not self.headers.get("Authorization", "").startswith("Bearer sk_"):
            return 401, _error("invalid_request_error", "Invalid API Key provided"), False, None
        if state.failures:
            failure = state.failures.pop(0)
            return failure.status, failure.body, False, failure.should_retry
        if key and method == "POST" and key in state.idempotent:
            old_method, old_path, old_form, status, payload = state.idempotent[key]
            if (old_method, old_path, old_form) != (method, path, form):
                message = "Keys for idempotent requests can only be used with the same parameters"
                return 400, _error("idempotency_error", message), False, False
            return status, payload, True, None
        status, payload = self._route(state, method, path, form)
        if key and method == "POST" and status < 500:
            state.idempotent[key] = (method, path, form, status, payload)
        return status, payload, False, None

    def _route(
        self, state: _State, method: str, path: str, form: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        n = next(state.counter)
        if method == "POST" and path == "/v1/checkout/sessions":
            session = _new_session(f"cs_test_{n}", nest_form(form))
            state.sessions[session["id"]] = session
            return 200, session
        if (
            method == "POST"
            and path.startswith("/v1/checkout/sessions/")
            and path.endswith("/expire")
        ):
            session = state.sessions.get(path.split("/")[4])
            if session is None:
                return 404, _error("invalid_request_error", "No such checkout.session")
            if session["status"] != "open":
                return 400, _error(
                    "invalid_request_error",
                    'Only Checkout Sessions with a status in ["open"] can be expired.',
                )
            session["status"] = "expired"
            return 200, session
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session_id = path.rsplit("/", 1)[1]
            if session_id in state.sessions:
                return 200, state.sessions[session_id]
            return 404, _error(
                "invalid_request_error",
                f"No such checkout.session: '{session_id}'",
                "resource_missing",
            )
        if method == "POST" and path == "/v1/refunds":
            refund = {
                "id": f"re_test_{n}",
                "object": "refund",
                "amount": _int(form.get("amount")),
                "currency": "idr",
                "payment_intent": form.get("payment_intent"),
                "charge": f"ch_test_{n}",
                "status": "succeeded",
                "metadata": {},
                "created": int(time.time()),
            }
            state.refunds[refund["id"]] = refund
            return 200, refund
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")


def _new_session(session_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """A checkout.session object built from the create parameters, as Stripe would return it."""
    lines = params.get("line_items") or []
    subtotal = sum(
        _int(line.get("price_data", {}).get("unit_amount")) * _int(line.get("quantity"), 1)
        for line in lines
    )
    options = params.get("shipping_options") or []
    rate = options[0].get("shipping_rate_data", {}) if options else {}
    shipping = _int(rate.get("fixed_amount", {}).get("amount"))
    currency = lines[0].get("price_data", {}).get("currency", "idr") if lines else "idr"
    return {
        "id": session_id,
        "object": "checkout.session",
        "url": f"https://checkout.stripe.test/c/pay/{session_id}",
        "mode": params.get("mode", "payment"),
        "status": "open",
        "payment_status": "unpaid",
        "amount_subtotal": subtotal,
        "amount_total": subtotal + shipping,
        "currency": currency,
        "client_reference_id": params.get("client_reference_id"),
        "customer_email": params.get("customer_email"),
        "locale": params.get("locale"),
        "metadata": params.get("metadata", {}),
        "expires_at": _int(params.get("expires_at")),
        "success_url": params.get("success_url"),
        "cancel_url": params.get("cancel_url"),
        "payment_intent": None,
        "livemode": False,
        "created": int(time.time()),
    }


class StripeDouble:
    """A threaded HTTP server on 127.0.0.1 that answers like the Stripe API."""

    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._state = _State()

    def start(self) -> StripeDouble:
        """Listen on a free port in a daemon thread."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.state = self._state  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> StripeDouble:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base address to give the library, e.g. "http://127.0.0.1:54321"."""
        if self._server is None:
            raise RuntimeError("StripeDouble is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in order (failed and replayed ones included)."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def sessions(self) -> dict[str, dict[str, Any]]:
        """Checkout sessions created so far, by id."""
        with self._state.lock:
            return dict(self._state.sessions)

    @property
    def refunds(self) -> dict[str, dict[str, Any]]:
        """Refunds created so far, by id."""
        with self._state.lock:
            return dict(self._state.refunds)

    def fail_next(
        self,
        status: int,
        error_json: dict[str, Any] | None = None,
        *,
        should_retry: bool | None = False,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests with this status and Stripe error body.

        should_retry sets the Stripe-Should-Retry header (None omits it; the library then
        retries 409 and 5xx answers after a back-off of at least 0.5 s).
        """
        body = error_json or _error("api_error", "Something went wrong on Stripe's end.")
        with self._state.lock:
            self._state.failures.extend(_Failure(status, body, should_retry) for _ in range(times))


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header: t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<payload>">."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def event_payload(event_type: str, obj: dict[str, Any], event_id: str | None = None) -> bytes:
    """The raw body of a snapshot event as Stripe posts it to a webhook endpoint."""
    event = {
        "id": event_id or f"evt_test_{next(_event_ids)}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    return json.dumps(event).encode()


_event_ids = itertools.count(1)


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
    address: dict[str, str] | None = None,
    name: str = "Aiko Tanaka",
    legacy_shipping: bool = False,
) -> dict[str, Any]:
    """A checkout.session object as a webhook carries it, with a shipping address."""
    address = address or {
        "line1": "1-2-3 Shibuya",
        "line2": "Apt 4",
        "city": "Tokyo",
        "state": "Tokyo",
        "postal_code": "150-0002",
        "country": "JP",
    }
    shipping = {"name": name, "address": address}
    obj: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        "mode": "payment",
        "status": status,
        "payment_status": payment_status,
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "currency": currency,
        "client_reference_id": str(order_id) if order_id is not None else None,
        "metadata": {"order_id": str(order_id)} if order_id is not None else {},
        "customer_email": email,
        "customer_details": {"email": email, "name": name, "address": address},
        "payment_intent": payment_intent,
        "livemode": False,
        "created": int(time.time()),
    }
    if legacy_shipping:
        obj["shipping_details"] = shipping
    else:
        obj["collected_information"] = {"shipping_details": shipping}
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
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "captured": True,
        "currency": currency,
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": amount_refunded >= amount,
        "status": "succeeded",
        "metadata": {"order_id": str(order_id)} if order_id is not None else {},
        "livemode": False,
        "created": int(time.time()),
    }
