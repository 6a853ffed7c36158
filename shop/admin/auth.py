"""Signing in to and out of the back office."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.forms import LoginForm
from shop.extensions import limiter
from shop.redirects import local_path
from shop.services.accounts import staff as users


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed_attempt(response: Response) -> bool:
    """Count the sign-in POSTs that came back to the form: a wrong email or password.

    A success (303) and the redirect of someone already signed in are not guesses.
    """
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_attempt)
def login() -> str | Response:
    """Sign in with email and password, then go back to the page that asked for it."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            users.record_login(user)
            target = local_path(request.args.get("next")) or url_for("admin.dashboard")
            return redirect(target, 303)
        failed = True
    return render_template("admin/login.html", form=form, failed=failed)


@bp.post("/logout")
def logout() -> Response:
    """Sign out and return to the sign-in page."""
    logout_user()
    flash(gettext("You are signed out."), "success")
    return redirect(url_for("admin.login"), 303)
