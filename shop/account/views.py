"""Opening an account, confirming its address, signing in and out, orders and re-ordering."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from babel import Locale
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, gettext, ngettext
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from shop.account import bp
from shop.account import mail as account_mail
from shop.account.forms import (
    ButtonForm,
    RegisterForm,
    ResendConfirmationForm,
    SignInForm,
    SignOutForm,
    password_problem,
)
from shop.account.session import (
    CART_KEY,
    CUSTOMER_KEY,
    SAVED_KEY,
    current_customer,
    forget_customer,
    remember_customer,
)
from shop.cart.session import current_or_new_cart
from shop.converters import page_number
from shop.extensions import limiter
from shop.models import Customer
from shop.redirects import local_path
from shop.services.accounts import addresses as customer_addresses
from shop.services.accounts import customers as accounts
from shop.services.accounts import recovery, saved_items
from shop.services.quotes import requests as quotes

REGISTER_LIMIT = "10 per hour"
RESEND_LIMIT = "3 per hour"


def customer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send visitors who aren't signed in to the sign-in page; pass the customer to the view."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        customer = current_customer()
        if customer is None:
            back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
            return redirect(url_for("account.login", next=back))
        return view(customer, *args, **kwargs)

    return guarded


@bp.after_request
def never_cache(response: Response) -> Response:
    """Keep account pages out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


# A global, not a context processor: macros imported without context (the address block)
# see only the environment's globals.
@bp.app_template_global()
def country_name(code: str) -> str:
    """Name a country in the visitor's language."""
    return Locale.parse(str(get_locale())).territories.get(code, code)


@bp.errorhandler(429)
def too_many(error: HTTPException) -> Response | tuple[str, int]:
    """Explain a rate limit instead of a bare 429."""
    if request.endpoint == "account.resend_confirmation":
        flash(gettext("We sent the link a short while ago. Please check your inbox (and your "
                      "spam folder) before asking again."), "info")  # fmt: skip
        return redirect(url_for("account.overview"), 303)
    if request.endpoint == "account.forgot_password":
        title = gettext("Too many links asked for")
        message = gettext("We have sent several links to this address (or from your network) "
                          "in the last hour. Please check your inbox and spam folder, or try "
                          "again in an hour.")  # fmt: skip
    elif request.endpoint == "account.register":
        title = gettext("Too many new accounts")
        message = gettext("Too many accounts were opened from your network in the last hour. "
                          "Please try again later.")  # fmt: skip
    else:
        title = gettext("Too many sign-in attempts")
        message = gettext(
            "For your account's safety, signing in is paused for a while after "
            "several failed attempts. Please wait a minute and try again."
        )
    return render_template("account/message.html", title=title, message=message), 429


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed_attempt(response: Response) -> bool:
    """Count the sign-in POSTs that came back to the form: a wrong email or password."""
    return response.status_code == 200


def _per_customer() -> str:
    value = session.get(CUSTOMER_KEY)
    return f"customer:{value[0]}" if isinstance(value, list) and value else get_remote_address()


def _sign_in(customer: Customer) -> None:
    """Sign the browser in, with the guest cart and saved items merged into the account's."""
    result = accounts.sign_in(customer, session.get(CART_KEY))
    saved_items.merge_guest(customer.id, saved_items.guest_saved(session.get(SAVED_KEY)))
    remember_customer(customer, result.cart)  # drops the guest's saved list: it is merged
    if result.lowered:
        message = gettext(
            "Your cart from before you signed in was added to your account's cart. "
            "Some quantities were lowered to what one order may hold."
        )
        flash(message, "info")


def _send_confirmation(customer: Customer) -> bool:
    token = accounts.confirmation_token(customer, current_app.config["SECRET_KEY"])
    return account_mail.send_confirmation_link(
        customer,
        url_for("account.confirm", token=token, _external=True),
        str(get_locale()),
        accounts.CONFIRM_MAX_AGE.days,
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMIT, methods=["POST"])
def register() -> str | Response | tuple[str, int]:
    """Open an account, email the confirmation link and sign in."""
    if current_customer() is not None:
        return redirect(url_for("account.overview"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("account/register.html", form=form), 422 if form.errors else 200
    try:
        customer = accounts.register(
            form.email.data, form.password.data,
            name=form.name.data or "", organisation=form.organisation.data or "",
        )  # fmt: skip
    except accounts.DuplicateEmail:
        form.email.errors.append(gettext("This email address already has an account. "
                                         "Sign in instead, or use another address."))  # fmt: skip
    except accounts.InvalidEmail:
        form.email.errors.append(gettext("Enter a valid email address, like name@example.com."))
    except accounts.PasswordRejected as error:
        form.password.errors.append(password_problem(error))
    else:
        sent = _send_confirmation(customer)
        _sign_in(customer)
        if sent:
            flash(gettext("Welcome! We sent a link to %(email)s: open it to confirm your address.",
                          email=customer.email), "success")  # fmt: skip
        else:
            flash(gettext("Welcome! We couldn't send the confirmation email just now; please "
                          "ask for it again below in a moment."), "info")  # fmt: skip
        return redirect(url_for("account.overview"), 303)
    return render_template("account/register.html", form=form), 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_attempt)
def login() -> str | Response:
    """Sign in with email and password, then go back to the page that asked for it."""
    if current_customer() is not None:
        return redirect(url_for("account.overview"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        customer = accounts.authenticate(form.email.data, form.password.data)
        if customer is not None:
            _sign_in(customer)
            flash(gettext("You are signed in."), "success")
            target = local_path(request.args.get("next")) or url_for("account.overview")
            return redirect(target, 303)
        failed = True
    return render_template("account/login.html", form=form, failed=failed)


@bp.post("/logout")
def logout() -> Response:
    """Sign out: this session (and any copy of its cookie) ends; the cart stays with the account.

    The account's session version goes up, so every session signed in before ends too.
    """
    if not SignOutForm().validate_on_submit():
        abort(400)
    customer = current_customer()
    if customer is not None:
        recovery.end_sessions(customer)
    forget_customer()
    flash(gettext("You are signed out."), "success")
    return redirect(url_for("main.home"), 303)


@bp.get("")
@customer_required
def overview(customer: Customer) -> str:
    """Show the account's details, confirmation state and orders."""
    orders = accounts.list_orders(customer, request.args.get("page", 1, type=page_number))
    return render_template(
        "account/overview.html",
        customer=customer,
        orders=orders,
        address=customer_addresses.default_address(customer),
        quote_requests=quotes.for_customer(customer),
        sign_out_form=SignOutForm(),
        resend_form=ResendConfirmationForm(),
        button_form=ButtonForm(),
    )


@bp.post("/orders/<int:order_id>/reorder")
@customer_required
def reorder(customer: Customer, order_id: int) -> Response:
    """Put the order's items that are still on sale into the cart again."""
    if accounts.find_order(customer, order_id) is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    result = accounts.reorder(customer, order_id, current_or_new_cart())
    if result.added or result.lowered:
        names = ", ".join(result.added + result.lowered)
        flash(gettext("Added to your cart: %(names)s.", names=names), "success")
    if result.lowered:
        message = gettext(
            "Fewer pieces than last time were added of %(names)s: that is as many "
            "as one cart can hold now.",
            names=", ".join(result.lowered),
        )
        flash(message, "info")
    if result.missing:
        flash(ngettext("This item is no longer on sale or out of stock, so it was not added: "
                       "%(names)s.", "These items are no longer on sale or out of stock, so they "
                       "were not added: %(names)s.", len(result.missing),
                       names=", ".join(result.missing)), "error")  # fmt: skip
    return redirect(url_for("cart.show"), 303)
