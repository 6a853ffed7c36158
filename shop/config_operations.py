"""Settings for watching the shop in production: log format, metrics token, Sentry."""

from __future__ import annotations

import os

from shop.config_values import HOW_TO_MAKE_ONE, UnsafeConfiguration

LOG_FORMATS = ("text", "json")
MIN_METRICS_TOKEN = 24


def operations_settings(debug: bool) -> dict[str, object]:
    """Log format, the metrics token, Sentry: how the shop is watched in production."""
    log_format = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise UnsafeConfiguration(f"LOG_FORMAT must be text or json, not {log_format!r}.")
    token = os.environ.get("METRICS_TOKEN", "").strip()
    if token and len(token) < MIN_METRICS_TOKEN:
        raise UnsafeConfiguration(
            f"METRICS_TOKEN is too weak: use at least {MIN_METRICS_TOKEN} random characters. "
            f"{HOW_TO_MAKE_ONE}"
        )
    multiproc = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if multiproc and not os.path.isdir(multiproc):
        raise UnsafeConfiguration(
            f"PROMETHEUS_MULTIPROC_DIR must be an existing folder (emptied before gunicorn "
            f"starts), not {multiproc!r}."
        )
    return {
        "LOG_FORMAT": log_format,
        "METRICS_TOKEN": token,
        "SENTRY_DSN": os.environ.get("SENTRY_DSN", "").strip(),
        "SENTRY_RELEASE": os.environ.get("SENTRY_RELEASE", "").strip(),
        "SENTRY_ENVIRONMENT": os.environ.get("SENTRY_ENVIRONMENT", "").strip()
        or ("development" if debug else "production"),
    }
