"""Signing in to and out of the back office: password, then the second factor if it is on."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from shop.admin import bp, staff_session
from shop.admin.access import must_enrol
from shop.admin.forms import LoginForm
from shop.admin.two_factor_forms import SignInCodeForm
from shop.extensions import limiter
from shop.models import User
from shop.redirects import local_path
from shop.services.accounts import staff as users
from shop.services.accounts import two_factor


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed_attempt(response: Response) -> bool:
    """Count the sign-in POSTs that came back to the form: a wrong email, password or code.

    A success (303), the redirect of someone already signed in and a paused account (429,
    refused before anything is checked) are not guesses.
    """
    return response.status_code == 200


def wrong_code_message() -> str:
    """The one answer to a wrong, old or reused code."""
    return gettext("That code isn't right, or it was used already. Enter the current code.")


def paused_message(seconds: int) -> str:
    """Say when a paused account may try again, the same for every address typed."""
    minutes = max((seconds + 59) // 60, 1)
    return ngettext(
        "Too many failed sign-in attempts for this account. Try again in %(num)d minute.",
        "Too many failed sign-in attempts for this account. Try again in %(num)d minutes.",
        minutes,
    )


def paused_page(template: str, seconds: int, **context: object) -> tuple[str, int, dict]:
    """The form again with the pause explained, as 429 with Retry-After."""
    page = render_template(template, paused=paused_message(seconds), **context)
    return page, 429, {"Retry-After": str(seconds)}


def _finish(user: User, target: str | None) -> Response:
    """Sign the staff member in and send them on."""
    staff_session.throttle().succeeded(user.email)
    staff_session.sign_in(user)
    if must_enrol(user):  # straight to setting up the second factor, before anything else
        return redirect(url_for("admin.two_factor_enrol"), 303)
    return redirect(local_path(target) or url_for("admin.dashboard"), 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_attempt)
def login() -> str | Response | tuple[str, int, dict]:
    """Sign in with email and password, then go back to the page that asked for it."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        email = users.normalise_email(form.email.data)
        throttle = staff_session.throttle()
        paused = throttle.paused_for(email)
        if paused:
            return paused_page("admin/login.html", paused, form=form, failed=False)
        user = users.authenticate(email, form.password.data)
        target = request.args.get("next")
        if user is not None and two_factor.is_enabled(user):
            staff_session.start_pending(user, local_path(target))
            return redirect(url_for("admin.login_code"), 303)
        if user is not None:
            return _finish(user, target)
        throttle.failed(email)
        failed = True
    return render_template("admin/login.html", form=form, failed=failed)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_attempt)
def login_code() -> str | Response | tuple[str, int, dict]:
    """Second step of signing in: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    found = staff_session.pending()
    if found is None:
        flash(gettext("Your sign-in took too long or has ended. Please sign in again."), "info")
        return redirect(url_for("admin.login"), 303)
    user, target = found
    form = SignInCodeForm()
    if form.validate_on_submit():
        throttle = staff_session.throttle()
        paused = throttle.paused_for(user.email)
        if paused:
            return paused_page("admin/login_code.html", paused, form=form)
        if two_factor.verify(
            user, form.code.data, now=staff_session.now(), claim_once=throttle.claim_once
        ):
            return _finish(user, target)
        throttle.failed(user.email)
        form.code.errors.append(wrong_code_message())
    return render_template("admin/login_code.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """Sign out here and everywhere else this session's cookie went; back to the sign-in page."""
    users.end_sessions(current_user._get_current_object())
    staff_session.sign_out()
    flash(gettext("You are signed out."), "success")
    return redirect(url_for("admin.login"), 303)
