"""Forwarded headers are trusted only from the proxies the shop is told about."""

from __future__ import annotations

from flask import request

from tests.conftest import build_app


def _seen_by(app, headers):
    app.add_url_rule("/_whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme}")
    return app.test_client().get("/_whoami", headers=headers).get_data(as_text=True)


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_by_default(app) -> None:
    assert _seen_by(app, FORWARDED) == "127.0.0.1 http"


def test_behind_one_proxy_the_visitors_address_and_scheme_are_used(tmp_path) -> None:
    for app in build_app(tmp_path, PROXY_COUNT=1):
        assert _seen_by(app, FORWARDED) == "203.0.113.9 https"
