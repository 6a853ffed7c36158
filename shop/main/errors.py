"""Error pages in the site's look, and a 503 when the database can't be reached."""

from __future__ import annotations

import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from shop.extensions import db

RETRY_AFTER_SECONDS = 30
# SQLite reports these as OperationalError, as it does a typo in SQL or a missing table:
# only these mean "the database can't be used right now" rather than a bug.
SQLITE_UNAVAILABLE = ("unable to open database", "database is locked", "disk i/o error")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error means the database can't be reached or used for a moment."""
    if isinstance(error, sa_exc.TimeoutError):  # every pooled connection busy
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error.orig, sqlite3.Error):
            message = str(error.orig).lower()
            return any(text in message for text in SQLITE_UNAVAILABLE)
        return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a requirement
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def _forget_failed_transaction() -> None:
    """Roll the session back; a connection that is already gone must not fail the page."""
    try:
        db.session.rollback()
    except Exception:  # the database is the thing that failed: never let that become a 500
        db.session.remove()


def database_unavailable_response() -> Response:
    """Answer 503 with Retry-After: a page in the visitor's language, or JSON for webhooks."""
    _forget_failed_transaction()
    if request.blueprint == "webhooks":
        response = jsonify(error="database unavailable, retry later")
    else:
        response = Response(render_template("errors/503.html"), mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Render 4xx and 5xx errors with the shop's templates."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = "errors/404.html" if code == 404 else "errors/error.html"
        return render_template(template, error=error, code=code), code

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def _database_error(error: sa_exc.SQLAlchemyError) -> Response:
        if not database_unavailable(error):
            raise error  # a bug, not an outage: the usual 500, logged
        app.logger.warning("database unavailable: %s", error)
        return database_unavailable_response()

    @app.errorhandler(500)
    def _server_error(error: InternalServerError) -> tuple[str, int] | Response:
        # Also reached when the database fails after the view (say, filling the cart count).
        if database_unavailable(getattr(error, "original_exception", None)):
            return database_unavailable_response()
        _forget_failed_transaction()
        return render_template("errors/500.html"), 500
