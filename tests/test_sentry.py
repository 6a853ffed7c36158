"""Error reports go to Sentry only when SENTRY_DSN is set, and never leave 127.0.0.1 here."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sentry_sdk

from shop import monitoring

ROOT = Path(__file__).resolve().parent.parent


class _Collector(BaseHTTPRequestHandler):
    """Take whatever the SDK posts and keep it, answering as Sentry does."""

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":  # sentry-sdk prefers brotli when the package is installed
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep the test output quiet."""


@pytest.fixture
def sentry_double() -> Iterator[ThreadingHTTPServer]:
    """A Sentry ingest endpoint on 127.0.0.1 recording every envelope it is sent."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_sentry_is_not_started_without_a_dsn(app: Any) -> None:
    assert monitoring.init_sentry(app) is False
    assert not sentry_sdk.get_client().is_active()


# Run in a child process: sentry_sdk.init patches Flask for the whole process, which the
# other tests must not inherit.
CHILD = textwrap.dedent(
    """
    import sys
    import sentry_sdk
    from shop import create_app
    from shop.extensions import db
    from tests.conftest import _test_config

    tmp, dsn = sys.argv[1], sys.argv[2]
    config = _test_config(__import__("pathlib").Path(tmp), f"sqlite:///{tmp}/s.db")
    config |= {"TESTING": False, "SENTRY_DSN": dsn, "SENTRY_RELEASE": "karya-binaan@1.2.3"}
    app = create_app(config)
    with app.app_context():
        db.create_all()

    @app.get("/_broken")
    def broken():
        raise RuntimeError("the kiln is on fire")

    response = app.test_client().get("/_broken")
    sentry_sdk.flush(timeout=5)
    print(response.status_code)
    """
)


def test_an_error_in_a_view_is_reported_to_the_dsn(
    tmp_path: Path, sentry_double: ThreadingHTTPServer
) -> None:
    host, port = sentry_double.server_address[:2]
    dsn = f"http://publickey@{host}:{port}/42"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.pop("SENTRY_DSN", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), dsn],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "500"
    bodies = [body for path, body in sentry_double.received if path.startswith("/api/42/")]
    report = b"".join(bodies)
    assert b"the kiln is on fire" in report
    assert b"karya-binaan@1.2.3" in report
