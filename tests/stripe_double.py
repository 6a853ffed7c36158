"""A Stripe-compatible HTTP double on 127.0.0.1, plus helpers that sign webhooks the real way.

Point the real `stripe` library at it with `StripeClient(..., base_addresses={"api": double.url})`.
It speaks the part of the API the shop uses: Checkout Sessions (create, retrieve, list, expire),
Charges and Refunds, with Stripe's form encoding, list pagination, idempotency keys and error
bodies. Objects start from Stripe's published fixtures (tests/stripe_fixtures). Tests can also
play Stripe's side: a buyer paying, staff refunding in the dashboard, a slow or failing API.
Nothing here touches the internet.
"""

from __future__ import annotations

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

from tests.stripe_fixtures import (
    API_VERSION,
    JAPANESE_ADDRESS,
    address_object,
    charge_object,
    event_payload,
    fixture,
    list_object,
    redeliveries,
    refund_object,
    session_object,
    sign_payload,
)

__all__ = [
    "API_VERSION",
    "RecordedRequest",
    "address_object",
    "StripeDouble",
    "charge_object",
    "event_payload",
    "nest_form",
    "redeliveries",
    "session_object",
    "sign_payload",
]

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
class _Failure:
    status: int
    body: dict[str, Any]
    should_retry: bool | None


@dataclass
class _State:
    requests: list[RecordedRequest] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[str, str, dict[str, str], int, dict[str, Any]]] = field(
        default_factory=dict
    )
    failures: list[_Failure] = field(default_factory=list)
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


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _error(kind: str, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, "code": code}}


def _missing(kind: str, object_id: str) -> Response:
    message = f"No such {kind}: '{object_id}'"
    return 404, _error("invalid_request_error", message, "resource_missing")


def _page(items: list[dict[str, Any]], query: dict[str, Any], url: str, cap: int = 100) -> Response:
    """One page of a Stripe list: newest first, `created` filters, limit and starting_after."""
    limit = _int(query.get("limit"), 10)
    if not 1 <= limit <= 100:
        return 400, _error("invalid_request_error", "Invalid integer: limit", "parameter_invalid")
    limit = min(limit, cap)
    created = query.get("created")
    if isinstance(created, dict):
        bounds = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
        for op, value in created.items():
            if op in bounds:
                items = [i for i in items if bounds[op](i["created"], _int(value))]
    elif created is not None:
        items = [i for i in items if i["created"] == _int(created)]
    # Newest first; among equal timestamps the later-made object first, as Stripe does.
    items = sorted(reversed(items), key=lambda item: item["created"], reverse=True)
    after = query.get("starting_after")
    if after:
        ids = [item["id"] for item in items]
        if after not in ids:
            return _missing("object", after)
        items = items[ids.index(after) + 1 :]
    return 200, list_object(items[:limit], url, has_more=len(items) > limit)


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
            record.delayed = state.delays.pop(0) if state.delays else 0.0
        if record.delayed:
            # Stripe did the work but its answer is late, as when the network or API is slow.
            state.released.wait(record.delayed)
        raw = json.dumps(payload).encode()
        try:
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
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

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
        status, payload = _route(state, method, path, nest_form(form))
        if key and method == "POST" and status < 500:
            state.idempotent[key] = (method, path, form, status, payload)
        return status, payload, False, None


def _route(state: _State, method: str, path: str, params: dict[str, Any]) -> Response:
    if path == "/v1/checkout/sessions":
        if method == "POST":
            session = _new_session(state.next_id("cs"), params)
            state.sessions[session["id"]] = session
            return 200, session
        return _list_sessions(state, params)
    if match := _SESSION_PATH.fullmatch(path):
        session = state.sessions.get(match[1])
        if session is None:
            return _missing("checkout.session", match[1])
        if method == "POST" and match[2]:
            return _expire(session)
        return 200, session
    if path == "/v1/refunds" and method == "POST":
        return _refund(state, params)
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
    return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")


def _list_sessions(state: _State, params: dict[str, Any]) -> Response:
    sessions = list(state.sessions.values())
    for name in ("status", "payment_intent"):
        if params.get(name):
            sessions = [s for s in sessions if s.get(name) == params[name]]
    return _page(sessions, params, "/v1/checkout/sessions", state.page_cap)


def _expire(session: dict[str, Any]) -> Response:
    if session["status"] != "open":
        message = 'Only Checkout Sessions with a status in ["open"] can be expired.'
        return 400, _error("invalid_request_error", message)
    session.update(status="expired", url=None)
    return 200, session


def _refund(state: _State, params: dict[str, Any]) -> Response:
    """Refund a charge (found by charge or payment_intent), keeping its amount_refunded."""
    charge = state.charges.get(params.get("charge") or "") or next(
        (c for c in state.charges.values() if c["payment_intent"] == params.get("payment_intent")),
        None,
    )
    if charge is None:
        # A payment this double never saw (tests that start from a paid order): a lone refund.
        charge = charge_object(state.next_id("ch"), payment_intent=params.get("payment_intent"))
    remaining = charge["amount"] - charge["amount_refunded"]
    amount = _int(params.get("amount"), remaining)
    if remaining <= 0:
        message = f"Charge {charge['id']} has already been refunded."
        return 400, _error("invalid_request_error", message, "charge_already_refunded")
    if not 0 < amount <= remaining:
        message = f"Refund amount ({amount}) is greater than unrefunded amount ({remaining})."
        return 400, _error("invalid_request_error", message, "amount_too_large")
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
        _int(line.get("price_data", {}).get("unit_amount")) * _int(line.get("quantity"), 1)
        for line in lines
    )
    options = params.get("shipping_options") or []
    rate = options[0].get("shipping_rate_data", {}) if options else {}
    shipping = _int(rate.get("fixed_amount", {}).get("amount"))
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
        expires_at=_int(params.get("expires_at")),
        success_url=params.get("success_url"),
        cancel_url=params.get("cancel_url"),
        payment_intent=None,
        collected_information=None,
        created=int(time.time()),
    )
    return session


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
        """Stop serving, wake any delayed answer and close the listening socket."""
        self._state.released.set()
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
    def charges(self) -> dict[str, dict[str, Any]]:
        """Charges made by paid sessions, by id."""
        with self._state.lock:
            return dict(self._state.charges)

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

    def hang_next(self, seconds: float, *, times: int = 1) -> None:
        """Hold the answer to the next `times` requests for `seconds` (the work is still done)."""
        with self._state.lock:
            self._state.delays.extend([seconds] * times)

    def cap_pages(self, size: int) -> None:
        """Answer lists with at most `size` items a page, whatever limit was asked for."""
        with self._state.lock:
            self._state.page_cap = size

    def add_session(self, session: dict[str, Any]) -> dict[str, Any]:
        """Store a session made elsewhere (e.g. by session_object) as if Stripe had it."""
        with self._state.lock:
            self._state.sessions[session["id"]] = session
            return session

    def pay(
        self,
        session_id: str,
        *,
        name: str | None = "Aiko Tanaka",
        email: str = "aiko@example.jp",
        address: dict[str, Any] | None = None,
        customer_details: bool = True,
        legacy_shipping: bool = False,
    ) -> dict[str, Any]:
        """Play the buyer paying on the hosted page: the session completes and a charge exists."""
        with self._state.lock:
            session = self._state.sessions[session_id]
            intent = self._state.next_id("pi")
            filled = session_object(
                session_id, order_id=None, amount_total=session["amount_total"],
                currency=session["currency"], email=email, payment_intent=intent,
                address=address or JAPANESE_ADDRESS, name=name,
                legacy_shipping=legacy_shipping, customer_details=customer_details,
            )  # fmt: skip
            for key in ("customer_details", "collected_information", "shipping_details"):
                session[key] = filled.get(key)
            session.update(status="complete", payment_status="paid", payment_intent=intent)
            session["url"] = None
            charge = charge_object(
                self._state.next_id("ch"), order_id=None, amount=session["amount_total"],
                currency=session["currency"], payment_intent=intent,
            )  # fmt: skip
            charge["metadata"] = dict(session.get("metadata") or {})
            charge["billing_details"]["email"] = email
            self._state.charges[charge["id"]] = charge
            return session

    def expire(self, session_id: str) -> dict[str, Any]:
        """Let the session's payment window run out."""
        with self._state.lock:
            session = self._state.sessions[session_id]
            session.update(status="expired", url=None)
            return session

    def refund_in_dashboard(self, session_id: str, amount: int | None = None) -> dict[str, Any]:
        """Staff refund (part of) the session's payment in Stripe; return the updated charge."""
        with self._state.lock:
            intent = self._state.sessions[session_id]["payment_intent"]
            status, body = _refund(self._state, {"payment_intent": intent, "amount": amount})
            if status != 200:
                raise ValueError(body["error"]["message"])
            return self._state.charges[body["charge"]]

    def backdate(self, object_id: str, seconds: int) -> None:
        """Make a session, charge or refund look `seconds` older."""
        with self._state.lock:
            for store in (self._state.sessions, self._state.charges, self._state.refunds):
                if object_id in store:
                    store[object_id]["created"] -= seconds
