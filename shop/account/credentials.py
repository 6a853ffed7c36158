"""Confirming an address, choosing a new password by email, changing it, ending sessions."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response

from shop.account import bp
from shop.account import mail as account_mail
from shop.account.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    SignOutEverywhereForm,
    password_problem,
)
from shop.account.session import current_customer, forget_customer, remember_customer
from shop.account.views import (
    RESEND_LIMIT,
    _per_customer,
    _send_confirmation,
    _sign_in,
    customer_required,
)
from shop.extensions import limiter
from shop.models import Customer
from shop.services.accounts import customers as accounts
from shop.services.accounts import recovery
from shop.services.accounts.staff import normalise_email

RESET_ADDRESS_LIMIT = "3 per hour"
RESET_NETWORK_LIMIT = "20 per hour"
CHANGE_LIMIT = "10 per hour"


@bp.get("/confirm/<token>")
def confirm(token: str) -> str | Response | tuple[str, int]:
    """Confirm the account's address, for whoever holds both the mail and the password.

    Confirming joins the guest orders and quote requests sent from the address to the account,
    so the link alone is not enough: someone who registered another person's address must not
    get them when that person opens the link. The link confirms only in a browser signed in
    to the account; elsewhere it asks to sign in first (or to take the account over with a
    password reset, which also proves the mailbox).
    """
    try:
        owner = accounts.confirmation_owner(token, current_app.config["SECRET_KEY"])
    except accounts.ExpiredToken:
        message = gettext("This confirmation link is more than %(num)d days old. Sign in and "
                          "ask for a new one on your account page.",
                          num=accounts.CONFIRM_MAX_AGE.days)  # fmt: skip
        return _link_problem(gettext("This link has expired"), message)
    except accounts.InvalidToken:
        message = gettext(
            "This confirmation link is not complete or not valid. Please open "
            "it straight from the email, or sign in and ask for a new one."
        )
        return _link_problem(gettext("This link doesn't work"), message)
    customer = current_customer()
    if customer is None:
        if owner.email_confirmed_at is not None:
            flash(gettext("Your email address is already confirmed."), "info")
            return redirect(url_for("account.login"), 303)
        back = url_for("account.confirm", token=token)
        return render_template("account/confirm_sign_in.html", email=owner.email, back=back)
    if customer.id != owner.id:
        message = gettext("This link confirms the address of another account. Sign out, then "
                          "open the link again and sign in to that account.")  # fmt: skip
        return _link_problem(gettext("This link is for another account"), message, 403)
    accounts.confirm_email(customer)
    flash(gettext("Thank you: your email address is confirmed."), "success")
    return redirect(url_for("account.overview"), 303)


def _link_problem(title: str, message: str, status: int = 400) -> tuple[str, int]:
    page = render_template("account/message.html", title=title, message=message, sign_in=True)
    return page, status


@bp.post("/confirm/resend")
@limiter.limit(RESEND_LIMIT, key_func=_per_customer)
@customer_required
def resend_confirmation(customer: Customer) -> Response:
    """Email the confirmation link again."""
    if not ResendConfirmationForm().validate_on_submit():
        abort(400)
    if customer.email_confirmed_at is not None:
        flash(gettext("Your email address is already confirmed."), "info")
    elif _send_confirmation(customer):
        flash(gettext("We sent a new link to %(email)s.", email=customer.email), "success")
    else:
        flash(gettext("The email could not be sent just now. Please try again later."), "error")
    return redirect(url_for("account.overview"), 303)


def _per_address() -> str:
    """Count reset requests per address, whoever asks and whether or not it has an account."""
    return "reset:" + normalise_email(request.form.get("email", ""))[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(RESET_NETWORK_LIMIT, methods=["POST"])
@limiter.limit(RESET_ADDRESS_LIMIT, methods=["POST"], key_func=_per_address)
def forgot_password() -> str | Response | tuple[str, int]:
    """Email a one-time link to choose a new password; say the same whether or not it exists."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("account/forgot_password.html", form=form), (
            422 if form.errors else 200
        )
    customer = recovery.find_for_reset(form.email.data)
    if customer is not None:
        token = recovery.reset_token(customer, current_app.config["SECRET_KEY"])
        url = url_for("account.reset_password", token=token, _external=True)
        minutes = int(recovery.RESET_MAX_AGE.total_seconds() // 60)
        account_mail.send_reset_link(customer, url, str(get_locale()), minutes)
    # The same answer either way: the form does not tell who has an account.
    flash(gettext("If an account exists for that address, we've sent a link to choose a new "
                  "password. It works once, for one hour. Please check your inbox (and your "
                  "spam folder)."), "info")  # fmt: skip
    return redirect(url_for("account.login"), 303)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password from the emailed link; every other session ends; sign in."""
    try:
        customer = recovery.customer_for_reset(token, current_app.config["SECRET_KEY"])
    except accounts.ExpiredToken:
        return _reset_problem(
            gettext("This link has expired"),
            gettext(
                "A link to choose a new password works for one hour. Please ask for a new one."
            ),
        )
    except accounts.InvalidToken:
        return _reset_problem(gettext("This link doesn't work"), gettext(
            "This link was already used, your password changed since it was sent, or it is "
            "not complete. Please ask for a new one."))  # fmt: skip
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(customer, form.password.data)
        except accounts.PasswordRejected as error:
            form.password.errors.append(password_problem(error))
        except accounts.InvalidToken:
            return _reset_problem(gettext("This link doesn't work"), gettext(
                "This link was already used. Please ask for a new one."))  # fmt: skip
        else:
            _tell_password_changed(customer)
            _sign_in(customer)
            flash(gettext("Your new password is saved, and you are signed in. Every other "
                          "device was signed out."), "success")  # fmt: skip
            return redirect(url_for("account.overview"), 303)
    page = render_template("account/reset_password.html", form=form, email=customer.email)
    return page, 422 if form.errors else 200


def _tell_password_changed(customer: Customer) -> None:
    forgot_url = url_for("account.forgot_password", _external=True)
    account_mail.send_password_changed(customer, forgot_url, str(get_locale()))


def _reset_problem(title: str, message: str) -> tuple[str, int]:
    page = render_template(
        "account/message.html", title=title, message=message,
        action_url=url_for("account.forgot_password"), action_label=gettext("Ask for a new link"),
    )  # fmt: skip
    return page, 400


@bp.get("/security")
@customer_required
def security(customer: Customer) -> str:
    """Show the forms to change the password and to sign out everywhere."""
    return _security_page(customer, ChangePasswordForm())


def _security_page(customer: Customer, form: ChangePasswordForm) -> str:
    return render_template(
        "account/security.html", customer=customer, form=form,
        everywhere_form=SignOutEverywhereForm(),
    )  # fmt: skip


@bp.post("/security/password")
@limiter.limit(CHANGE_LIMIT, key_func=_per_customer)
@customer_required
def change_password(customer: Customer) -> Response | tuple[str, int]:
    """Change the password; every other session ends, this one stays signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            recovery.change_password(customer, form.current.data, form.password.data)
        except recovery.WrongPassword:
            form.current.errors.append(gettext("That is not your current password."))
        except accounts.PasswordRejected as error:
            form.password.errors.append(password_problem(error))
        except accounts.InvalidToken:
            form.current.errors.append(gettext("Your password was changed meanwhile. "
                                               "Please try again."))  # fmt: skip
        else:
            _tell_password_changed(customer)
            remember_customer(customer, accounts.account_cart(customer.id))
            flash(gettext("Your password is changed. Every other device was signed out."),
                  "success")  # fmt: skip
            return redirect(url_for("account.security"), 303)
    return _security_page(customer, form), 422


@bp.post("/security/sign-out-everywhere")
@customer_required
def sign_out_everywhere(customer: Customer) -> Response:
    """End every session of the account, on every device, this one included."""
    if not SignOutEverywhereForm().validate_on_submit():
        abort(400)
    recovery.end_sessions(customer)
    forget_customer()
    flash(gettext("You are signed out on every device."), "success")
    return redirect(url_for("account.login"), 303)
