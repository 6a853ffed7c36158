"""Views for checkout, the return from the payment page and the demo payment page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response

from shop.account.session import current_customer
from shop.cart.session import SESSION_KEY, current_cart
from shop.cart.views import discount_refused_message
from shop.checkout import bp
from shop.checkout.forms import CheckoutForm, DemoCancelForm, DemoPaymentForm, GiftForm
from shop.checkout.notify import order_paid
from shop.gateways.demo_payments import DemoGateway
from shop.gateways.payments import Address, PaymentError, ProviderUnreachable
from shop.i18n import likely_country
from shop.models import Cart, Customer, Order, OrderStatus
from shop.services.accounts import addresses as customer_addresses
from shop.services.impact.orders import order_impact
from shop.services.money import format_idr
from shop.services.ordering import cart as carts
from shop.services.ordering import cart_summary, expiry, gifts, orders, payments, shipping
from shop.services.quotes import requests as quotes


def checkout_error_message(error: orders.CheckoutError) -> str:
    """Say why the cart cannot be ordered, in the visitor's language."""
    if isinstance(error, orders.EmptyCart):
        return gettext("Your cart is empty.")
    if isinstance(error, orders.StockChanged):
        return gettext(
            "Someone bought the last pieces of %(sku)s a moment ago. Please check your cart.",
            sku=error.sku,
        )
    if isinstance(error, orders.AboveCardLimit):
        limit = format_idr(error.limit_idr, str(get_locale()))
        return gettext(
            "Orders above %(limit)s are paid by bank transfer against a quote. "
            "Please write to us for a quote.",
            limit=limit,
        )
    if isinstance(error, orders.ShippingNotAvailable):
        return gettext("We don't ship to that country yet.")
    if isinstance(error, orders.DiscountNotAvailable):
        return discount_refused_message(error.refused)
    return gettext("Some items in your cart need your attention first.")


def _prefill(
    customer: Customer | None, cart_country: str | None, shipped_to: list[str]
) -> dict[str, str | None]:
    """Start the form from what we know: the account's email, and the country chosen in the
    cart, else the account's default address, else the one the buyer's languages suggest."""
    values: dict[str, str | None] = {"email": customer.email} if customer else {}
    country = cart_country
    if not country and customer is not None:
        address = customer_addresses.default_address(customer)
        country = address.country if address else None
    return values | {"country": country or likely_country(shipped_to)}


def gift_refused_message(refused: gifts.GiftRefused) -> str:
    """Say why the gift choice was not taken, in the visitor's language."""
    if refused.reason == "too_many_lines":
        return gettext(
            "Your gift message has too many lines: up to %(max)d.", max=gifts.MAX_MESSAGE_LINES
        )
    if refused.reason == "wrap_unavailable":
        return gettext("Gift wrap is not available at the moment.")
    return gettext(
        "Your gift message is too long: up to %(max)d characters.", max=gifts.MAX_MESSAGE_LENGTH
    )


def _gift_form(cart: Cart, wrap_price_idr: int) -> GiftForm:
    """The gift choices, started from what the cart holds; wrap labelled with its price."""
    form = GiftForm(is_gift=cart.is_gift, gift_message=cart.gift_message, gift_wrap=cart.gift_wrap)
    price = format_idr(wrap_price_idr, str(get_locale()))
    form.gift_wrap.label.text = gettext("Gift wrap (+%(price)s)", price=price)
    return form


def _keep_gift(cart: Cart, form: GiftForm, wrap_price_idr: int) -> bool:
    """Store the posted gift choice on the cart; False (with the field's error) if refused."""
    if not form.validate():
        return False
    choice = gifts.GiftChoice(
        is_gift=form.is_gift.data,
        message=form.gift_message.data or "",
        wrap=form.gift_wrap.data and wrap_price_idr > 0,
    )
    try:
        gifts.set_gift(cart, choice, wrap_price_idr)
    except gifts.GiftRefused as refused:
        form.gift_message.errors = [gift_refused_message(refused)]
        return False
    return True


@bp.route("/checkout", methods=["GET", "POST"])
def start() -> str | Response | tuple[str, int]:
    """Ask for an email, destination and gift choice, create the order and go to payment."""
    cart = current_cart()
    customer = current_customer()
    # An empty cart is found where its lines are read anyway: pricing the page, or placing
    # the order under the write lock (EmptyCart).
    if cart is None:
        return _cart_is_empty()
    countries = shipping.country_choices(str(get_locale()))
    prefill = _prefill(customer, cart.shipping_country, [code for code, _ in countries])
    wrap_price = current_app.config["GIFT_WRAP_PRICE_IDR"]
    form = CheckoutForm(**prefill)
    form.country.choices = [("", gettext("Choose a country")), *countries]
    gift = _gift_form(cart, wrap_price)
    if form.is_submitted():
        kept = _keep_gift(cart, gift, wrap_price)
        if kept and gift.update.data and form.country.data in dict(form.country.choices):
            carts.set_country(cart, form.country.data)  # the total then includes shipping
        if not kept or gift.update.data:
            # Shown again with the new total (or the message's problem), the email kept.
            return _checkout_page(form, gift, cart, prefill, wrap_price, 200 if kept else 400)
    if form.validate_on_submit():
        if not current_app.config["JOBS_REDIS_URL"]:
            # Without a job queue the sweep runs here, once a minute at most, as the worker's.
            expiry.expire_overdue_now_and_then()
        try:
            order = orders.place_order(
                cart, email=form.email.data.strip(), country=form.country.data,
                locale=str(get_locale()), card_limit_idr=current_app.config["CARD_LIMIT_IDR"],
                customer_id=customer.id if customer else None, gift_wrap_price_idr=wrap_price,
            )  # fmt: skip
        except orders.CheckoutError as error:
            flash(checkout_error_message(error), "error")
            return redirect(url_for("cart.show"), 303)
        try:
            url = open_payment_page(order)
        except ProviderUnreachable:
            flash(gettext("Our payment provider could not be reached. Nothing was charged and "
                          "your cart is kept; please try again in a moment."), "error")  # fmt: skip
            return redirect(url_for("cart.show"), 303)
        except PaymentError:
            flash(gettext("The payment page could not be opened. Nothing was charged; "
                          "please try again in a moment."), "error")  # fmt: skip
            return redirect(url_for("cart.show"), 303)
        return redirect(url, 303)
    return _checkout_page(form, gift, cart, prefill, wrap_price)


def _cart_is_empty() -> Response:
    flash(gettext("Your cart is empty."), "error")
    return redirect(url_for("cart.show"), 303)


def open_payment_page(order: Order) -> str:
    """Open the provider's payment page for an order awaiting payment (a cart's or a quote's),
    coming back to its confirmation or its cancellation; return the page's address. Raises
    PaymentError (ProviderUnreachable when the provider did not answer)."""
    return orders.start_payment(
        order, current_app.extensions["payments"],
        success_url=url_for("checkout.done", token=order.token, _external=True),
        cancel_url=url_for("checkout.cancel", token=order.token, _external=True),
    )  # fmt: skip


def _checkout_page(
    form: CheckoutForm,
    gift: GiftForm,
    cart: Cart,
    prefill: dict[str, str | None],
    wrap_price: int,
    status: int = 200,
) -> tuple[str, int] | Response:
    # Priced only when the page is shown: placing the order prices the cart itself, under
    # the write lock, so a checkout that goes on to payment prices it once.
    summary = cart_summary.summarize(
        cart, str(get_locale()), country=prefill["country"], gift_wrap_price_idr=wrap_price
    )
    if not summary.lines:
        return _cart_is_empty()
    page = render_template(
        "checkout/checkout.html", form=form, gift_form=gift, summary=summary, wrap_price=wrap_price
    )
    return page, status


@bp.get("/checkout/done/<token>")
def done(token: str) -> str:
    """Show the order number and whether the payment has arrived yet."""
    order = orders.find_by_token(token) or abort(404)
    if order.status != OrderStatus.CANCELLED and session.get(SESSION_KEY):
        cart = current_cart()
        if cart is not None and cart.id == order.cart_id:
            carts.empty(cart)  # the buyer finished checkout; the payment event confirms it
    impact = order_impact(order, str(get_locale()))
    return render_template("checkout/done.html", order=order, impact=impact)


@bp.get("/checkout/cancel/<token>")
def cancel(token: str) -> Response:
    """Come back from the payment page without paying: free the stock, keep the cart."""
    order = orders.find_by_token(token) or abort(404)
    orders.cancel_payment(
        order, current_app.extensions["payments"], actor="customer", note="Left the payment page"
    )
    quote = quotes.quote_for_order(order)
    if quote is not None:
        flash(gettext("Payment cancelled. Nothing was charged; you can pay whenever you are "
                      "ready."), "info")  # fmt: skip
        return redirect(url_for("quotes.show", token=quote.token), 303)
    flash(gettext("Payment cancelled. Your cart is just as you left it."), "info")
    return redirect(url_for("cart.show"), 303)


def _demo_order(session_id: str) -> Order:
    if current_app.extensions["payments"].name != "demo":
        abort(404)
    return orders.find_by_payment_session(session_id, "demo") or abort(404)


@bp.route("/demo-pay/<session_id>", methods=["GET", "POST"])
def demo_pay(session_id: str) -> str | Response:
    """The offline stand-in for Stripe's payment page: no money moves."""
    order = _demo_order(session_id)
    if expiry.expire_if_overdue(order) or order.status != OrderStatus.PENDING_PAYMENT:
        return redirect(url_for("checkout.done", token=order.token), 303)
    form = DemoPaymentForm()
    if form.validate_on_submit():
        event = DemoGateway.paid_event(
            session_id=session_id, order_id=order.id, total_idr=order.total_idr,
            email=order.email,
            address=Address(name=form.name.data, line1=form.line1.data, city=form.city.data,
                            postal_code=form.postal_code.data, country=order.shipping_country),
        )  # fmt: skip
        token = order.token  # read before the payment's commits expire the order
        payments.handle_event(event, "demo", on_paid=order_paid)
        return redirect(url_for("checkout.done", token=token), 303)
    return render_template(
        "checkout/demo_pay.html", order=order, form=form, cancel_form=DemoCancelForm()
    )


@bp.post("/demo-pay/<session_id>/cancel")
def demo_cancel(session_id: str) -> Response:
    """Leave the demo payment page the way Stripe's cancel link does."""
    order = _demo_order(session_id)
    if not DemoCancelForm().validate_on_submit():
        abort(400)
    return redirect(url_for("checkout.cancel", token=order.token), 303)
