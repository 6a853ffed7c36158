"""A Stripe-compatible HTTP double on 127.0.0.1, plus helpers that sign webhooks the real way.

Point the real `stripe` library at it with `StripeClient(..., base_addresses={"api": double.url})`.
It speaks the part of the API the shop uses: Checkout Sessions (create with a coupon's
discount, retrieve, list, expire), Coupons, Charges and Refunds, with Stripe's form encoding,
list pagination, idempotency keys and error bodies. Objects start from Stripe's published
fixtures (tests/stripe_fixtures). Tests can also play Stripe's side: a buyer paying, staff
refunding in the dashboard, a slow or failing API.
Nothing here touches the internet.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.stripe_fixtures import (
    API_VERSION,
    JAPANESE_ADDRESS,
    address_object,
    charge_object,
    coupons,
    event_payload,
    redeliveries,
    session_object,
    sign_payload,
)
from tests.stripe_fixtures.api import (
    Failure,
    RecordedRequest,
    State,
    as_int,
    error,
    nest_form,
    refund,
    route,
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
        state: State = self.server.state  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        length = as_int(self.headers.get("Content-Length"))
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
        self, state: State, method: str, path: str, form: dict[str, str], key: str | None
    ) -> tuple[int, dict[str, Any], bool, bool | None]:
        """Status, body, whether it was replayed, and the Stripe-Should-Retry advice."""
        if not self.headers.get("Authorization", "").startswith("Bearer sk_"):
            return 401, error("invalid_request_error", "Invalid API Key provided"), False, None
        if state.failures:
            failure = state.failures.pop(0)
            return failure.status, failure.body, False, failure.should_retry
        if key and method == "POST" and key in state.idempotent:
            old_method, old_path, old_form, status, payload = state.idempotent[key]
            if (old_method, old_path, old_form) != (method, path, form):
                message = "Keys for idempotent requests can only be used with the same parameters"
                return 400, error("idempotency_error", message), False, False
            return status, payload, True, None
        status, payload = route(state, method, path, nest_form(form))
        if key and method == "POST" and status < 500:
            state.idempotent[key] = (method, path, form, status, payload)
        return status, payload, False, None


class StripeDouble:
    """A threaded HTTP server on 127.0.0.1 that answers like the Stripe API."""

    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._state = State()

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
    def coupons(self) -> dict[str, dict[str, Any]]:
        """Coupons created so far, by id."""
        with self._state.lock:
            return dict(self._state.coupons)

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
        body = error_json or error("api_error", "Something went wrong on Stripe's end.")
        with self._state.lock:
            self._state.failures.extend(Failure(status, body, should_retry) for _ in range(times))

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
            coupons.redeem(self._state.coupons, session)
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
            status, body = refund(self._state, {"payment_intent": intent, "amount": amount})
            if status != 200:
                raise ValueError(body["error"]["message"])
            return self._state.charges[body["charge"]]

    def backdate(self, object_id: str, seconds: int) -> None:
        """Make a session, charge or refund look `seconds` older."""
        with self._state.lock:
            for store in (self._state.sessions, self._state.charges, self._state.refunds):
                if object_id in store:
                    store[object_id]["created"] -= seconds
