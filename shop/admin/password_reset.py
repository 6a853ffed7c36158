"""Forgotten staff passwords: asking for a link, and setting a new password through it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from shop.account.forms import password_problem
from shop.admin import bp, staff_session
from shop.admin.forms import ForgotPasswordForm, ResetPasswordForm
from shop.extensions import limiter
from shop.models import User
from shop.services.accounts import staff as users
from shop.services.accounts import staff_passwords
from shop.services.accounts.sign_in_throttle import account_key

FORGOT_LIMIT = "5 per 15 minutes; 20 per day"
# However often it is asked for, one account gets at most this many links an hour.
LINKS_PER_HOUR = 3


def send_reset_link(user: User) -> bool:
    """Email the account a fresh one-time reset link; return whether it went out."""
    token = staff_passwords.reset_token(user, current_app.config["SECRET_KEY"])
    url = url_for("admin.reset_password", token=token, _external=True)
    return staff_passwords.send_reset_link(current_app.extensions["mailer"], user, url)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def forgot_password() -> str | Response:
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = users.normalise_email(form.email.data)
        user = users.find_by_email(email)
        allowed = staff_session.throttle().allow(
            f"reset-mail/{account_key(email)}", LINKS_PER_HOUR, 3600
        )
        if user is not None and user.is_active and allowed:
            staff_passwords.record_reset_sent(user, actor=None)  # asked for by whoever typed it
            send_reset_link(user)
        flash(
            gettext(
                "If an active staff account uses %(email)s, a link to set a new password is on "
                "its way. It works for one hour.",
                email=email,
            ),
            "info",
        )
        return redirect(url_for("admin.login"), 303)
    return render_template("admin/forgot_password.html", form=form)


def _link_problem(error: staff_passwords.InvalidResetLink) -> str:
    if isinstance(error, staff_passwords.ExpiredResetLink):
        return gettext("This link has expired: links work for one hour. Ask for a new one.")
    return gettext(
        "This link doesn't work: it was used already, a newer password was set, or it was "
        "copied incompletely. Ask for a new one."
    )


def tell_password_changed(user: User) -> None:
    """Mail the account that its password changed, with the way back if it wasn't them."""
    url = url_for("admin.forgot_password", _external=True)
    staff_passwords.send_password_changed(current_app.extensions["mailer"], user, url)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Set a new password through an emailed link; every session of the account ends."""
    secret = current_app.config["SECRET_KEY"]
    try:
        staff_passwords.user_for_reset(token, secret)
    except staff_passwords.InvalidResetLink as error:
        return render_template("admin/reset_password.html", problem=_link_problem(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = staff_passwords.reset_password(token, form.password.data, secret)
        except staff_passwords.InvalidResetLink as error:
            return render_template("admin/reset_password.html", problem=_link_problem(error)), 400
        except users.WeakPassword as error:
            form.password.errors.append(password_problem(error))
        else:
            tell_password_changed(user)
            staff_session.sign_out()
            flash(gettext("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("admin.login"), 303)
    return render_template("admin/reset_password.html", form=form, problem=None)
