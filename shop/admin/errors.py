"""Error pages inside the back office, in its own layout and words."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from shop.admin import bp


def _page(code: int, title: str, message: str) -> tuple[str, int]:
    return render_template("admin/error.html", code=code, title=title, message=message), code


@bp.errorhandler(403)
def forbidden(error: HTTPException) -> tuple[str, int]:
    """Say that this page needs another role."""
    return _page(
        403,
        gettext("You don't have access to this page"),
        gettext("Your account can't open this page. Ask an admin if you need it."),
    )


@bp.errorhandler(404)
def not_found(error: HTTPException) -> tuple[str, int]:
    """Say that the record or page does not exist."""
    return _page(
        404,
        gettext("Not found"),
        gettext("This page or record doesn't exist. It may have been removed."),
    )


@bp.errorhandler(429)
def too_many_requests(error: HTTPException) -> tuple[str, int]:
    """Explain the sign-in limit instead of a bare 429."""
    return _page(
        429,
        gettext("Too many sign-in attempts"),
        gettext(
            "For your account's safety, signing in is paused for a while after several "
            "failed attempts. Please wait a minute and try again."
        ),
    )


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int]:
    """Say that the form was stale or forged and nothing happened."""
    return _page(
        400,
        gettext("This form has expired"),
        gettext("Nothing was changed. Please go back, reload the page and try again."),
    )
