"""A database that can't be reached answers 503 with Retry-After, and the shop recovers."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from shop import create_app
from shop.config import normalise_database_url
from shop.extensions import db
from tests.conftest import POSTGRES_URL, build_app
from tests.factories import csrf_from, shop_with_stock

WEBHOOK_SECRET = "whsec_outage_test"
STRIPE = {
    "STRIPE_SECRET_KEY": "sk_test_outage",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "STRIPE_API_BASE": "http://127.0.0.1:9",  # never called here; never the internet
}
DOWN = "reach our database for a moment"


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; stop() also cuts every live connection."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._acceptor: threading.Thread | None = None
        self._lock = threading.Lock()
        self.forward = True  # False: accept connections but never answer (a hung server)

    def start(self) -> None:
        """Listen (on the same port as before, if started before) and forward in threads."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        """Stop listening and sever every connection, as a crashed database server would."""
        listener, self._listener = self._listener, None
        if listener is not None and self._acceptor is not None:
            self._acceptor.join()  # sees the flag within its 0.1 s accept timeout
            listener.close()
        with self._lock:
            live, self._sockets = self._sockets, set()
        for sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the other side
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.add(client)
            if not self.forward:
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # the other half was cut
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def signed_event(event_id: str) -> tuple[bytes, dict[str, str]]:
    """A Stripe event signed with the real scheme (HMAC-SHA256 over "timestamp.body")."""
    event = {"id": event_id, "object": "event", "type": "customer.created",
             "data": {"object": {"id": "cus_1", "object": "customer"}}}  # fmt: skip
    body = json.dumps(event).encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    headers = {"Stripe-Signature": f"t={timestamp},v1={digest.hexdigest()}",
               "Content-Type": "application/json"}  # fmt: skip
    return body, headers


def assert_unavailable(response, *, html: bool = True, says: str = DOWN) -> None:
    """A 503 that asks to come back, with no traceback and the session cookie left alone."""
    body = response.get_data(as_text=True)
    assert response.status_code == 503, body[:500]
    assert response.headers["Retry-After"] == "30"
    assert "Traceback" not in body and "OperationalError" not in body
    cleared = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=;")]
    assert not cleared, cleared
    if html:
        assert says in body


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    url = make_url(normalise_database_url(POSTGRES_URL or "postgresql://127.0.0.1"))
    server = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proxied_app(tmp_path: Path, postgres_schema_ready: bool, proxy: TcpProxy) -> Iterator[Flask]:
    if not POSTGRES_URL:
        pytest.skip("severs live PostgreSQL connections: set TEST_DATABASE_URL")
    url = make_url(normalise_database_url(POSTGRES_URL)).set(host="127.0.0.1", port=proxy.port)
    yield from build_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
        DATABASE_CONNECT_TIMEOUT=2,
        **STRIPE,
    )


def test_postgresql_outage_answers_503_and_the_shop_recovers(proxied_app, proxy) -> None:
    product = shop_with_stock(stock=5)
    page = f"/products/{product.slug}"
    client = proxied_app.test_client()
    token = csrf_from(client.get(page).get_data(as_text=True))
    added = client.post("/cart/add", data={"variant": product.variants[0].sku, "quantity": "1",
                                            "csrf_token": token})  # fmt: skip
    assert added.status_code == 303
    assert client.post("/stripe/webhook", data=signed_event("evt_before")[0],
                       headers=signed_event("evt_before")[1]).status_code == 200  # fmt: skip

    proxy.stop()  # the database server goes away, mid-life of the pooled connections
    assert_unavailable(client.get(page))
    assert_unavailable(client.get("/cart"))
    body, headers = signed_event("evt_during")
    assert_unavailable(client.post("/stripe/webhook", data=body, headers=headers), html=False)

    # A server that takes the connection but never answers: given up on, not waited for.
    proxy.forward = False
    proxy.start()
    started = time.monotonic()
    assert_unavailable(client.get(page))
    assert time.monotonic() - started < 10
    proxy.stop()

    proxy.forward = True
    proxy.start()  # the database is back, on the same address
    assert client.get(page).status_code == 200
    cart = client.get("/cart").get_data(as_text=True)
    assert product.name in cart  # the buyer's cart survived the outage
    # Stripe sends the event again, and this time it is taken.
    assert client.post("/stripe/webhook", data=body, headers=headers).status_code == 200


def test_a_database_restarted_between_requests_costs_no_request(proxied_app, proxy) -> None:
    # Pooled connections are not pinged before each use (a round trip per request): their
    # sockets are checked instead. A connection the server closed is replaced, unseen.
    product = shop_with_stock(stock=5)
    page = f"/products/{product.slug}"
    client = proxied_app.test_client()
    assert client.get(page).status_code == 200

    proxy.stop()  # every pooled connection severed…
    proxy.start()  # …and the server back at once, as after a quick restart
    assert client.get(page).status_code == 200


def test_backends_the_server_ended_are_replaced_unseen(app) -> None:
    # The server ending its backends itself, as a restart or an administrator does: it says
    # so on each connection (FATAL 57P01) before closing it.
    if not POSTGRES_URL:
        pytest.skip("ends live PostgreSQL backends: set TEST_DATABASE_URL")
    product = shop_with_stock(stock=5)
    page = f"/products/{product.slug}"
    client = app.test_client()
    assert client.get(page).status_code == 200
    url = make_url(POSTGRES_URL).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert ended is not None and ended[0] >= 1
    assert client.get(page).status_code == 200
    assert client.get("/cart").status_code == 200


def _unreachable_sqlite_app(tmp_path: Path, **overrides: object) -> Flask:
    """An app whose SQLite file is in a folder that does not exist."""
    return create_app({
        "TESTING": True,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'no-such-folder' / 'shop.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MEDIA_URL": "/media/",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        **overrides,
    })  # fmt: skip


def test_an_sqlite_file_that_cannot_be_opened_answers_503_in_the_visitors_language(
    tmp_path,
) -> None:
    app = _unreachable_sqlite_app(tmp_path)
    client = app.test_client()
    with client.session_transaction() as session:
        session["cart"] = "the-buyers-cart-token"
    for path in ("/", "/products/teak-bowl", "/cart"):
        assert_unavailable(client.get(path))
    with client.session_transaction() as session:
        assert session["cart"] == "the-buyers-cart-token"  # the cart is still the buyer's
    japanese = client.get("/products", headers={"Accept-Language": "ja"})
    assert_unavailable(japanese, says="ただいまデータベースに接続できません")
    assert '<html lang="ja">' in japanese.get_data(as_text=True)
    # The demo gateway is on here: the outage page says so too.
    assert "no real payments are taken" in client.get("/").get_data(as_text=True)


def test_the_webhook_gets_a_503_so_stripe_sends_it_again(tmp_path) -> None:
    client = _unreachable_sqlite_app(tmp_path, **STRIPE).test_client()
    body, headers = signed_event("evt_sqlite")
    response = client.post("/stripe/webhook", data=body, headers=headers)
    assert_unavailable(response, html=False)
    assert response.get_json() == {"error": "database unavailable, retry later"}


def test_a_rollback_that_fails_too_still_answers_503(tmp_path, monkeypatch) -> None:
    app = _unreachable_sqlite_app(tmp_path)

    def broken_rollback() -> None:
        raise OperationalError("ROLLBACK", {}, Exception("connection already closed"))

    with app.app_context():
        monkeypatch.setattr(db.session, "rollback", broken_rollback)
        assert_unavailable(app.test_client().get("/"))


def test_a_missing_table_is_a_bug_not_an_outage(tmp_path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    app = _unreachable_sqlite_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'x.db'}")
    with pytest.raises(OperationalError, match="no such table"):
        app.test_client().get("/")  # TESTING: the 500 it would be surfaces here


def test_a_database_lost_while_filling_in_the_page_still_answers_503(
    tmp_path, postgres_schema_ready, monkeypatch
) -> None:
    # As a server runs (exceptions not propagated): the cart count is filled in after the
    # view, in an after_request hook, where Flask hands the failure to the 500 handler.
    for app in build_app(tmp_path, PROPAGATE_EXCEPTIONS=False):
        from shop import personal

        def lost(*args: object) -> int:
            raise OperationalError("SELECT", {}, Exception("server closed the connection"))

        monkeypatch.setattr(personal.carts, "count_items", lost)
        assert_unavailable(app.test_client().get("/cart"))
