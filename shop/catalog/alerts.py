""" "Email me when it is back": the sign-up on a sold-out product page, its confirmation
link and the one-click unsubscribe link in the mails."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from werkzeug.wrappers import Response

from shop.catalog import bp
from shop.catalog.forms import StockAlertForm
from shop.extensions import limiter
from shop.services.catalog import stock_alerts

SIGN_UP_NETWORK_LIMIT = "10 per hour"
SIGN_UP_ADDRESS_LIMIT = "5 per hour"


def _per_address() -> str:
    """Count sign-ups per address, whoever asks and whether or not the address is known."""
    return "stock-alert:" + request.form.get("email", "").strip().lower()[:254]


@bp.post("/products/<slug>/notify")
@limiter.limit(SIGN_UP_NETWORK_LIMIT, methods=["POST"])
@limiter.limit(SIGN_UP_ADDRESS_LIMIT, methods=["POST"], key_func=_per_address)
def stock_alert_sign_up(slug: str) -> Response:
    """Take an address for a sold-out option and send the link that confirms it."""
    back = url_for("catalog.product_detail", slug=slug, variant=request.form.get("variant"))
    form = StockAlertForm()
    if not form.validate():
        error = next((errs[0] for errs in form.errors.values() if errs), None)
        flash(str(error or gettext("Something in the form was not right.")), "error")
        return redirect(back, 303)
    links = stock_alerts.AlertLinks(
        confirm=lambda token: url_for("catalog.stock_alert_confirm", token=token, _external=True)
    )
    try:
        stock_alerts.request_alert(form.variant.data, form.email.data, str(get_locale()), links)
    except stock_alerts.AlertError as error:
        if error.reason == "not_sold_out":
            flash(gettext("Good news: this option is available now."), "info")
        else:
            flash(gettext("That item is no longer on sale."), "error")
        return redirect(back, 303)
    # The same words whatever the address's history: the form tells no one who signed up.
    flash(gettext("Thank you. Unless this address is signed up already, we have sent it a "
                  "link: open it to confirm, and we will email you once when this piece is "
                  "back in stock."), "success")  # fmt: skip
    return redirect(back, 303)


def _message(
    title: str, message: str, status: int = 200, unsubscribe_url: str | None = None
) -> tuple[str, int]:
    html = render_template(
        "catalog/stock_alert_message.html",
        title=title,
        message=message,
        unsubscribe_url=unsubscribe_url,
    )
    return html, status


@bp.get("/stock-alerts/confirm/<token>")
def stock_alert_confirm(token: str) -> tuple[str, int]:
    """Arm the alert the link in the confirmation mail names."""
    alert = stock_alerts.confirm(token)
    if alert is None or alert.status == "unsubscribed":
        return _message(
            gettext("This link does not work"),
            gettext("The link is wrong or older than a week. Sign up again on the piece's page."),
            404,
        )
    return _message(
        gettext("You're on the list"),
        gettext("We will email you once when this piece is back in stock."),
        unsubscribe_url=url_for(
            "catalog.stock_alert_unsubscribe",
            token=stock_alerts.make_token(alert, stock_alerts.UNSUBSCRIBE_SALT),
        ),
    )


@bp.get("/stock-alerts/unsubscribe/<token>")
def stock_alert_unsubscribe(token: str) -> tuple[str, int]:
    """Withdraw an alert in one click, from the link in its mail."""
    if stock_alerts.unsubscribe(token) is None:
        return _message(
            gettext("This link does not work"),
            gettext("The link is wrong. No alert was changed."),
            404,
        )
    return _message(
        gettext("Unsubscribed"),
        gettext("You will get no email about this piece being back in stock."),
    )
