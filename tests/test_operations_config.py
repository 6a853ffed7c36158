"""Operations settings from the environment, and gunicorn started with deploy/gunicorn.conf.py."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from shop.config import from_environment
from shop.config_values import UnsafeConfiguration

ROOT = Path(__file__).resolve().parent.parent

OPERATIONS = ("LOG_FORMAT", "METRICS_TOKEN", "PROMETHEUS_MULTIPROC_DIR", "SENTRY_DSN",
              "SENTRY_RELEASE", "SENTRY_ENVIRONMENT")  # fmt: skip


@pytest.fixture
def debug_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Debug mode, with none of the operations settings set."""
    monkeypatch.setenv("FLASK_DEBUG", "1")
    for name in OPERATIONS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_text_logs_and_nothing_exported(debug_env, tmp_path: Path) -> None:
    settings = from_environment(str(tmp_path))
    assert settings["LOG_FORMAT"] == "text"
    assert settings["METRICS_TOKEN"] == ""
    assert settings["SENTRY_DSN"] == ""
    assert settings["SENTRY_ENVIRONMENT"] == "development"


def test_operations_settings_are_read(debug_env, tmp_path: Path) -> None:
    token = secrets.token_urlsafe(32)
    debug_env.setenv("LOG_FORMAT", "JSON")
    debug_env.setenv("METRICS_TOKEN", token)
    debug_env.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    debug_env.setenv("SENTRY_DSN", "https://key@sentry.invalid/1")
    debug_env.setenv("SENTRY_RELEASE", "karya-binaan@abc123")
    settings = from_environment(str(tmp_path))
    assert settings["LOG_FORMAT"] == "json"
    assert settings["METRICS_TOKEN"] == token
    assert settings["SENTRY_RELEASE"] == "karya-binaan@abc123"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json"),
        ("METRICS_TOKEN", "short", "METRICS_TOKEN is too weak"),
        ("PROMETHEUS_MULTIPROC_DIR", "/no/such/folder", "PROMETHEUS_MULTIPROC_DIR must be"),
        ("MAIL_MAX_ATTEMPTS", "0", "MAIL_MAX_ATTEMPTS must be at least 1, not 0"),
        ("MAIL_RETRY_SECONDS", "soon", "MAIL_RETRY_SECONDS must be a whole number, not 'soon'"),
        ("PHOTO_JOB_MIN_PIXELS", "-5", "PHOTO_JOB_MIN_PIXELS must be at least 1, not -5"),
    ],
)
def test_bad_operations_settings_are_refused_by_name(
    debug_env, tmp_path: Path, name: str, value: str, message: str
) -> None:
    debug_env.setenv(name, value)
    with pytest.raises(UnsafeConfiguration, match=message):
        from_environment(str(tmp_path))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str = "") -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_gunicorn_serves_readyz_and_stops_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    token = secrets.token_urlsafe(32)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env |= {
        "FLASK_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"), "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics), "METRICS_TOKEN": token,
    }  # fmt: skip
    for name in ("SENTRY_DSN", "REDIS_URL", "TEST_DATABASE_URL"):
        env.pop(name, None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "app:app"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        status = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and status is None:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                time.sleep(0.2)
        assert status == 200
        status, body = _get(f"http://127.0.0.1:{port}/metrics", token)
        assert status == 200
        assert any(metrics.iterdir()), "workers write their numbers to the multiprocess folder"
        assert "shop_orders_placed_total" in body
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert '"path": "/readyz"' in output  # the app's own request line, as JSON
