"""Order emails: the customer's confirmation and shipping notice, the staff's new-order notice;
and the link that confirms a new account's email address.

Sending mail is best effort. A failure is logged and reported as False; it never raises into
the caller, so it can never undo, lose or hold up an order. Call these after the order is
committed: an SMTP server may take seconds to answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shop.gateways.mail import Mailer, MailError, MailMessage
from shop.models.orders import Order, OrderStatus
from shop.services import currency
from shop.services.catalog.kept import kept
from shop.services.impact.orders import order_impact
from shop.services.money import format_idr
from shop.services.ordering import carriers, presentation

STAFF_LOCALE = "id"


_STATUS_LABELS = {
    OrderStatus.PENDING_PAYMENT: _l("Awaiting payment"),
    OrderStatus.PAID: _l("Paid"),
    OrderStatus.ON_HOLD: _l("Paid — on hold"),
    OrderStatus.PACKED: _l("Packed"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.DELIVERED: _l("Delivered"),
    OrderStatus.CANCELLED: _l("Cancelled"),
    OrderStatus.EXPIRED: _l("Expired"),
    OrderStatus.REFUNDED: _l("Refunded"),
    OrderStatus.PARTIALLY_REFUNDED: _l("Partially refunded"),
}


def status_label(status: OrderStatus | str) -> str:
    """Return an order status in words, in the current locale (only that one translated)."""
    try:
        return str(_STATUS_LABELS[OrderStatus(status)])
    except ValueError:
        return str(status)


def delivery_estimate(min_days: int | None, max_days: int | None, lead_days: int = 0) -> str:
    """Describe the whole wait, e.g. "usually 7–14 days", or with made-to-order pieces
    "about 52–59 days, including 45 days to make"; empty when unknown."""
    if min_days is None and max_days is None:
        return ""
    if lead_days > 0 and min_days is not None and max_days is not None:
        return ngettext(
            "about %(min)d–%(max)d days, including %(num)d day to make",
            "about %(min)d–%(max)d days, including %(num)d days to make",
            lead_days,
            min=min_days,
            max=max_days,
        )
    if min_days is None or max_days is None or min_days == max_days:
        days = max_days if max_days is not None else min_days
        return ngettext("usually %(num)d day", "usually %(num)d days", days or 0)
    return _("usually %(min)d–%(max)d days", min=min_days, max=max_days)


def order_confirmation(order: Order, order_url: str) -> MailMessage:
    """The customer's order summary and private link, in their language."""
    locale = order.locale or "en"
    with force_locale(locale):
        context = order_context(order, locale, order_url=order_url)
        return MailMessage(
            to=order.email,
            subject=_("Your Karya Binaan order %(number)s", number=order.number or ""),
            text=render_template("mail/order_confirmation.txt", **context),
            html=render_template("mail/order_confirmation.html", **context),
        )


def send_order_confirmation(mailer: Mailer, order: Order, order_url: str) -> bool:
    """Email the customer their order summary and private link; return whether it was sent."""
    return _deliver(mailer, order_confirmation(order, order_url), order, "order confirmation")


def send_order_shipped(mailer: Mailer, order: Order, order_url: str) -> bool:
    """Email the customer the carrier and tracking number; return whether it was sent."""
    locale = order.locale or "en"
    number = order.number or ""
    with force_locale(locale):
        context = order_context(order, locale, order_url=order_url)
        message = MailMessage(
            to=order.email,
            subject=_("Your Karya Binaan order %(number)s is on its way", number=number),
            text=render_template("mail/order_shipped.txt", **context),
            html=render_template("mail/order_shipped.html", **context),
        )
    return _deliver(mailer, message, order, "shipping notice")


def send_refund_notice(mailer: Mailer, order: Order, amount_idr: int, order_url: str) -> bool:
    """Tell the customer, in their language, that money is on its way back to them."""
    locale = order.locale or "en"
    number = order.number or ""
    with force_locale(locale):
        context = order_context(order, locale, order_url=order_url, amount_idr=amount_idr)
        message = MailMessage(
            to=order.email,
            subject=_("A refund for your Karya Binaan order %(number)s", number=number),
            text=render_template("mail/order_refunded.txt", **context),
            html=render_template("mail/order_refunded.html", **context),
        )
    return _deliver(mailer, message, order, "refund notice")


def staff_new_order(order: Order, staff_email: str, admin_url: str | None = None) -> MailMessage:
    """The staff's notice, in Indonesian, that an order came in."""
    with force_locale(STAFF_LOCALE):
        # Only what the notice shows: no translated names, exchange rates or makers' wages,
        # whose queries would cost every paid order for nothing.
        context = {
            "order": order,
            "lines": list(order.lines),
            "locale": STAFF_LOCALE,
            "money": partial(format_idr, locale=STAFF_LOCALE),
            "status": status_label(order.status),
            "admin_url": admin_url,
        }
        subject = _("New order %(number)s", number=order.number or "")
        if order.status == OrderStatus.ON_HOLD:
            subject = _("Needs attention: order %(number)s", number=order.number or "")
        return MailMessage(
            to=staff_email,
            subject=subject,
            text=render_template("mail/staff_new_order.txt", **context),
            # Replies go straight to the customer, who is the person staff will want to ask.
            reply_to=order.email or None,
        )


def send_staff_new_order(
    mailer: Mailer, order: Order, staff_email: str, admin_url: str | None = None
) -> bool:
    """Tell staff, in Indonesian, that an order came in; return whether it was sent."""
    message = staff_new_order(order, staff_email, admin_url)
    return _deliver(mailer, message, order, "staff notice")


def send_order_paid(
    mailer: Mailer, order: Order, order_url: str, staff_email: str, admin_url: str | None = None
) -> None:
    """Send the customer's confirmation and the staff's notice of a paid order.

    Both are written before either is handed over: handing one over commits, which expires
    the order, and the second would read the order and its lines again.
    """
    case = f"Order {order.number}"
    confirmation = order_confirmation(order, order_url)
    notice = staff_new_order(order, staff_email, admin_url)
    deliver(mailer, confirmation, f"{case}: order confirmation")
    deliver(mailer, notice, f"{case}: staff notice")


def order_context(order: Order, locale: str, **extra: Any) -> dict[str, Any]:
    """What every order mail's templates get: the order, its lines and money in `locale`."""
    # Money is formatted for the mail's locale, not the request's: the mail may be sent
    # while a visitor in another language is being served (or with no request at all).
    money: Callable[[int], str] = partial(format_idr, locale=locale)
    shown = presentation.mail_currency(locale, order.shipping_country)
    # Kept per catalog version, as pages keep them (a new rate bumps it).
    rates = kept("exchange_rates", currency.current_rates) if shown else None
    return {
        "order": order,
        "lines": list(order.lines),
        "names": presentation.line_names(order.lines, locale),
        "tracking_url": carriers.tracking_link(order.carrier, order.tracking_number),
        "locale": locale,
        "money": money,
        # "≈ ￥2,627" beside rupiah in the buyer's currency, at today's rate, as pages show it.
        "approx": lambda amount_idr: (
            presentation.approx_in(amount_idr, shown, locale, rates) if rates else ""
        ),
        # What the order pays the makers, per workshop, with a link to each workshop's story.
        "impact": order_impact(order, locale),
        "workshop_url": _workshop_url,
        "status": status_label(order.status),
        "delivery": delivery_estimate(
            order.delivery_min_days, order.delivery_max_days, order.lead_time_days or 0
        ),
        **extra,
    }


def _workshop_url(slug: str | None) -> str:
    """The workshop's page as an absolute link; empty when none can be built (no request)."""
    if not slug:
        return ""
    try:
        return url_for("catalog.workshop_detail", slug=slug, _external=True)
    except RuntimeError:  # outside a request, without SERVER_NAME: the mail goes without it
        return ""


def deliver(mailer: Mailer, message: MailMessage, case: str) -> bool:
    """Send the message; on failure log `case` (e.g. "Order KB-2612-000001: confirmation").

    The case names a number, never an address or a name: those stay out of the log.
    """
    try:
        mailer.send(message)
    except MailError as exc:
        current_app.logger.warning("%s not sent (%s)", case, type(exc).__name__)
        return False
    return True


def _deliver(mailer: Mailer, message: MailMessage, order: Order, kind: str) -> bool:
    return deliver(mailer, message, f"Order {order.number}: {kind}")
