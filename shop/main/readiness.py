"""What /readyz checks: each dependency a request may need, each with a short timeout."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import text

from shop.extensions import db

# A load balancer probes every few seconds; a dependency slower than this counts as down.
REDIS_TIMEOUT_SECONDS = 1.0


def database_ok() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return False


def _redis(app: Flask) -> Any:
    client = app.extensions.get("readiness_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(
            app.config["REDIS_URL"],
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        app.extensions["readiness_redis"] = client
    return client


def redis_ok(app: Flask) -> bool:
    """Whether Redis answers a PING (True when no REDIS_URL is configured)."""
    if not app.config.get("REDIS_URL"):
        return True
    try:
        return bool(_redis(app).ping())
    except Exception:  # noqa: BLE001 - refused, timed out, wrong password: all "down"
        return False


def media_ok(app: Flask) -> bool:
    """Whether the media folder exists (made if missing) and this process may write into it."""
    root = app.config["MEDIA_ROOT"]
    try:
        os.makedirs(root, exist_ok=True)
    except OSError:
        return False
    return os.access(root, os.W_OK | os.X_OK)


def failed_checks(app: Flask) -> list[str]:
    """The names of the dependencies that are down, in a fixed order; empty when ready."""
    checks = {
        "database": database_ok,
        "redis": lambda: redis_ok(app),
        "media": lambda: media_ok(app),
    }
    return [name for name, check in checks.items() if not check()]
