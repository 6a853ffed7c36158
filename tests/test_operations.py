"""Running it like a service: readiness, request logs and ids, metrics behind a token."""

from __future__ import annotations

import io
import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from shop import create_app, request_log
from shop.services import counters
from tests.conftest import _test_config, build_app

METRICS_TOKEN = "m3tr1cs-t0ken-f0r-the-scraper-only"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ready_when_database_and_media_answer(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"ready": True, "failed": []}
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_names_redis_when_it_is_down(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    for app in build_app(tmp_path, REDIS_URL=url):
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_json() == {"ready": False, "failed": ["redis"]}


def test_not_ready_when_media_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    for app in build_app(tmp_path, MEDIA_ROOT=str(blocker / "media")):
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.get_json()["failed"] == ["media"]


def test_not_ready_names_the_database_when_it_is_gone(app: Flask, client: Any, monkeypatch) -> None:
    from shop.main import readiness

    def broken() -> bool:
        return False

    monkeypatch.setattr(readiness, "database_ok", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"ready": False, "failed": ["database"]}


def test_database_check_fails_on_an_unreachable_database(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "x.db"

    broken = create_app(_test_config(tmp_path, f"sqlite:///{missing}"))
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database"]


def test_readiness_is_never_rate_limited(client: Any) -> None:
    assert all(client.get("/readyz").status_code == 200 for _ in range(50))


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The JSON log lines the process writes while the test runs."""
    stream = io.StringIO()
    handler = request_log.configure_logging("json", stream)
    yield stream
    logging.getLogger().removeHandler(handler)
    logging.getLogger().setLevel(logging.WARNING)


def _entries(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_request_gets_a_json_log_line_with_its_id(client: Any, log_lines: Any) -> None:
    response = client.get(
        "/healthz?email=buyer@example.com", environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    request_id = response.headers["X-Request-ID"]
    [entry] = [e for e in _entries(log_lines) if e["logger"] == "shop.request"]
    assert entry["request_id"] == request_id
    assert entry["method"] == "GET" and entry["path"] == "/healthz"
    assert entry["status"] == 200 and entry["level"] == "INFO"
    assert entry["remote_addr"] == "10.1.2.3"
    assert isinstance(entry["duration_ms"], float)
    assert "buyer@example.com" not in log_lines.getvalue()


def test_a_valid_incoming_request_id_is_kept(client: Any, log_lines: Any) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "haproxy-7f3a9c01"})
    assert response.headers["X-Request-ID"] == "haproxy-7f3a9c01"
    assert _entries(log_lines)[-1]["request_id"] == "haproxy-7f3a9c01"


@pytest.mark.parametrize(
    "bad", ["short", "x" * 200, "<script>alert(1)</script>", "a b c d e f g h"]
)
def test_a_malformed_request_id_is_replaced(client: Any, bad: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert response.headers["X-Request-ID"] != bad
    assert len(response.headers["X-Request-ID"]) == 32


def test_lines_logged_by_a_view_carry_the_request_id(app: Flask, log_lines: Any) -> None:
    @app.get("/_logs_something")
    def logs_something() -> str:
        logging.getLogger("shop.somewhere").warning("stock is low")
        return "ok"

    response = app.test_client().get("/_logs_something")
    [entry] = [e for e in _entries(log_lines) if e["message"] == "stock is low"]
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert entry["level"] == "WARNING"


def test_remote_address_is_the_client_behind_the_proxy(tmp_path: Path, log_lines: Any) -> None:
    config = _test_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}") | {"PROXY_COUNT": 1}
    proxied = create_app(config)
    proxied.test_client().get(
        "/readyz", headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )  # fmt: skip
    assert _entries(log_lines)[-1]["remote_addr"] == "203.0.113.9"


def _metrics_app(tmp_path: Path, **overrides: Any) -> Iterator[Flask]:
    return build_app(tmp_path, METRICS_TOKEN=METRICS_TOKEN, **overrides)


def test_metrics_are_hidden_without_the_token(tmp_path: Path) -> None:
    for app in _metrics_app(tmp_path):
        client = app.test_client()
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
        assert client.get("/metrics", headers={"Authorization": METRICS_TOKEN}).status_code == 404


def test_metrics_are_off_when_no_token_is_configured(client: Any) -> None:
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_show_latency_by_endpoint_and_shop_counters(tmp_path: Path) -> None:
    for app in _metrics_app(tmp_path):
        client = app.test_client()
        client.get("/")
        client.get("/")
        counters.payment_event("paid")
        response = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        body = response.get_data(as_text=True)
        assert 'shop_http_http_request_duration_seconds_count{endpoint="main.home"' in body
        assert "shop_orders_placed_total" in body
        assert "shop_orders_paid_total" in body
        assert 'shop_payment_events_total{outcome="paid"}' in body
        assert "shop_refunds_total" in body
        assert "/metrics" not in body and "readyz" not in body


def test_many_apps_in_one_process_each_measure_their_requests(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / str(number)).mkdir()
        for app in _metrics_app(tmp_path / str(number)):
            assert app.test_client().get("/").status_code == 200


def test_the_home_page_is_still_served_from_the_page_cache(client: Any, count_queries: Any) -> None:
    client.get("/")
    before = count_queries.count
    assert client.get("/").status_code == 200
    assert count_queries.count - before <= 1  # the catalog version, nothing more


def test_access_tokens_in_paths_are_not_logged(client: Any, log_lines: Any) -> None:
    client.get("/orders/s3cret-order-access-token")
    entry = _entries(log_lines)[-1]
    assert entry["path"] == "/orders/<token>"
    assert "s3cret-order-access-token" not in log_lines.getvalue()


def _sample(name: str, **labels: str) -> float:
    return counters.REGISTRY.get_sample_value(name, labels or None) or 0.0


def test_placing_an_order_and_its_payment_are_counted(app: Flask) -> None:
    from shop.services.ordering import payments
    from tests import races
    from tests.factories import shop_with_stock

    product = shop_with_stock(stock=5)
    placed, paid = _sample("shop_orders_placed_total"), _sample("shop_orders_paid_total")
    events = _sample("shop_payment_events_total", outcome="paid")
    duplicates = _sample("shop_payment_events_total", outcome="duplicate")
    order_id = races.place(product.variants[0].id, 1, overdue=False)
    assert _sample("shop_orders_placed_total") == placed + 1
    event = races.paid_event(order_id)
    assert payments.handle_event(event, "stripe") == "paid"
    assert payments.handle_event(event, "stripe") == "duplicate"
    assert _sample("shop_orders_paid_total") == paid + 1
    assert _sample("shop_payment_events_total", outcome="paid") == events + 1
    assert _sample("shop_payment_events_total", outcome="duplicate") == duplicates + 1
