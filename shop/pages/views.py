"""The shop's pages, in the visitor's language, and the contact form."""

from __future__ import annotations

from babel import Locale
from babel.lists import format_list
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from shop.extensions import limiter
from shop.i18n import url_in_language
from shop.page_cache import cached_page
from shop.pages import bp
from shop.pages.forms import ContactForm
from shop.services import pages
from shop.services.ordering import shipping
from shop.services.pages import contact as contact_mail
from shop.services.text import plain_excerpt

CONTACT_NETWORK_LIMIT = "5 per hour"
CONTACT_ADDRESS_LIMIT = "3 per hour"
# The parcel weight the shipping page's table of fees is worked out for.
EXAMPLE_WEIGHT_G = 1000


def _locale() -> str:
    return str(get_locale())


@bp.get("/pages/<slug>")
@cached_page
def show(slug: str) -> str | Response:
    """Show one of the shop's pages in the visitor's language (English where untranslated)."""
    if slug == "contact":
        return redirect(url_for("pages.contact"), 301)
    text = pages.shown_text(slug, _locale()) or abort(404)
    zones = _zones() if slug == "shipping" else []
    return render_template(
        "pages/page.html", page=text, zones=zones, weight=EXAMPLE_WEIGHT_G,
        description=plain_excerpt(text.body_md),
    )  # fmt: skip


def _zones() -> list[tuple[shipping.ShippingQuote, str]]:
    """Each zone's fee and delivery time, with its countries named as the visitor reads them."""
    locale = Locale.parse(_locale())
    return [
        (zone, format_list(sorted(locale.territories.get(c, c) for c in
                                  shipping.zone_countries(zone.zone_code)), locale=locale))
        for zone in shipping.zone_fees(EXAMPLE_WEIGHT_G)
    ]  # fmt: skip


def _sent(response: Response) -> bool:
    """Count only the messages that went out (or a bot's), not forms sent back to correct."""
    return response.status_code == 303


def _contact_address() -> str:
    return "contact:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(CONTACT_NETWORK_LIMIT, methods=["POST"], deduct_when=_sent)
@limiter.limit(
    CONTACT_ADDRESS_LIMIT, methods=["POST"], key_func=_contact_address, deduct_when=_sent
)
def contact() -> tuple[str, int] | Response:
    """Show the contact page and its form; send the message to staff and thank the sender."""
    form = ContactForm()
    if not form.validate_on_submit():
        return _contact_page(form, 422 if form.errors else 200)
    if form.website.data:
        # Only a bot fills in the hidden field: it is told the message went, and nothing does.
        return redirect(url_for("pages.contact_sent"), 303)
    message = contact_mail.ContactMessage(
        name=form.name.data or "", email=(form.email.data or "").strip(),
        subject=form.subject.data or "", message=form.message.data or "",
        order_number=(form.order_number.data or "").strip().upper(), locale=_locale(),
    )  # fmt: skip
    mailer = current_app.extensions["mailer"]
    if not contact_mail.send_to_staff(mailer, message, current_app.config["STAFF_EMAIL"]):
        return _contact_page(form, 503, failed=True)
    links = {
        slug: url_in_language(url_for("pages.show", slug=slug, _external=True), message.locale)
        for slug in ("shipping", "returns", "faq")
    }
    contact_mail.send_acknowledgement(mailer, message, links)
    return redirect(url_for("pages.contact_sent"), 303)


def _contact_page(form: ContactForm, status: int, failed: bool = False) -> tuple[str, int]:
    text = pages.shown_text("contact", _locale())
    return render_template("pages/contact.html", page=text, form=form, failed=failed), status


@bp.get("/contact/sent")
def contact_sent() -> str:
    """Thank the sender and say when to expect an answer."""
    return render_template(
        "pages/message.html",
        title=gettext("Thank you: your message was sent"),
        message=gettext(
            "We answer within two working days. We also sent you an email to "
            "confirm that your message reached us."
        ),  # fmt: skip
    )


@bp.errorhandler(429)
def too_many(error: HTTPException) -> tuple[str, int]:
    """Explain the limit on messages instead of a bare 429."""
    return render_template(
        "pages/message.html",
        title=gettext("Too many messages"),
        message=gettext(
            "Several messages were sent from this address or your network in the "
            "last hour. Please try again later."
        ),  # fmt: skip
    ), 429
