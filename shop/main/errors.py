"""Error pages in the site's look (JSON for clients that ask for it), and a 503 when the
database can't be reached."""

from __future__ import annotations

import json
import sqlite3

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext
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


def wants_json() -> bool:
    """Whether the client asked for JSON rather than a page (webhooks always get JSON)."""
    if request.blueprint == "webhooks":
        return True
    accepted = request.accept_mimetypes
    return accepted.best_match(("text/html", "application/json")) == "application/json"


def error_message(code: int) -> str:
    """What went wrong, in a sentence for the visitor."""
    messages = {
        400: lambda: gettext("The request could not be understood. Nothing was changed."),
        401: lambda: gettext("Please sign in first."),
        403: lambda: gettext("You don't have access to this page"),
        404: lambda: gettext("We couldn't find that page"),
        405: lambda: gettext(
            "This address does not take that kind of request. Nothing was changed."
        ),
        413: lambda: gettext("What was sent is too large. Nothing was changed."),
        415: lambda: gettext("This address takes a web form, not JSON. Nothing was changed."),
        429: lambda: gettext("Too many requests. Please wait a minute and try again."),
    }
    return messages.get(code, lambda: gettext("Something about that request didn't work."))()


def json_error(code: int, message: str) -> Response:
    """An error as JSON: {"error": message, "status": code}."""
    response = jsonify(error=message, status=code)
    response.status_code = code
    return response


def _as_json(response: Response) -> Response:
    """Turn a 4xx page into JSON when the client asked for JSON.

    Areas may render their own error pages (the back office does); their HTML is replaced
    here, headers and cookies kept, so every 4xx honours the Accept header. Forms shown again
    with their errors (422) stay pages: they are meant for a browser.
    """
    code = response.status_code
    if 400 <= code < 500 and code != 422 and response.mimetype == "text/html" and wants_json():
        response.set_data(json.dumps({"error": error_message(code), "status": code}))
        response.mimetype = "application/json"
    return response


def register(app: Flask) -> None:
    """Render 4xx and 5xx errors with the shop's templates, or as JSON when asked."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[str, int, dict[str, str]] | Response:
        code = error.code or 500
        message = error_message(code)
        # The exception's own headers matter: Allow on a 405, Retry-After on a 429.
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        if wants_json():
            response = json_error(code, message)
            response.headers.update(headers)
            return response
        template = "errors/404.html" if code == 404 else "errors/error.html"
        return render_template(template, error=error, code=code, message=message), code, headers

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int] | Response:
        if wants_json():
            message = gettext(
                "This form has expired. Nothing was changed. Please reload the page and try again."
            )
            return json_error(400, message)
        return render_template("errors/csrf.html"), 400

    app.after_request(_as_json)

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
