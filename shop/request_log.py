"""One log line per request, and a request id on every line logged while it runs.

The id comes from a well-formed incoming X-Request-ID (the load balancer's) or is made
here, and goes back in the response header, so one request can be followed from HAProxy to
the app to Sentry. Request lines carry the method, path, status, duration and address only:
never the query string, a form, an email or an address.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_app_context, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

HEADER = "X-Request-ID"
# What a load balancer or another service may hand us: short, and safe in a log and a header.
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# URL parts that grant access (order, quote and reset links, payment sessions): a log reader
# must not be able to open a buyer's order from it.
SECRET_URL_PARTS = ("token", "session_id")
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "remote_addr")
logger = logging.getLogger("shop.request")


def request_id() -> str:
    """The current request's id; in a background job, the id of the request that queued it."""
    if has_request_context():
        return g.get("request_id", "-")
    if has_app_context():
        return g.get("job_request_id", "-")
    return "-"


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request being served when it was logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` to the record; never drop it."""
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Render time, level, logger, message, request id and any request fields."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def configure_logging(log_format: str, stream: object = None) -> logging.Handler:
    """Send the process's log lines to stderr as JSON or text, replacing a previous setup."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "shop_handler", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.shop_handler = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    # JSON: the request lines too (INFO). Text (development): warnings and errors, as before.
    root.setLevel(logging.INFO if log_format == "json" else logging.WARNING)
    return handler


def _start() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def logged_path() -> str:
    """The request path with any access token in it replaced by its name."""
    path = request.path
    for name in SECRET_URL_PARTS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), f"<{name}>")
    return path


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    if not logger.isEnabledFor(logging.INFO):
        return response
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    path = logged_path()
    logger.info(
        "%s %s %s", request.method, path, response.status_code,
        extra={
            "method": request.method, "path": path, "status": response.status_code,
            "duration_ms": duration, "remote_addr": request.remote_addr,
        },
    )  # fmt: skip
    return response


def init_app(app: Flask) -> None:
    """Give requests an id, log each one, and set up the log format LOG_FORMAT names."""
    if app.config.get("LOG_FORMAT"):
        configure_logging(app.config["LOG_FORMAT"])
        # Flask's own handler would print errors a second time, in its own format.
        app.logger.removeHandler(default_handler)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
