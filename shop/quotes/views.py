"""Requesting a quote, following it on its private page, answering it and paying for it."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from shop.account.session import current_customer
from shop.config_documents import shop_details
from shop.extensions import limiter
from shop.http import send_stored_upload
from shop.media import StorageUnavailable
from shop.models import QuoteRequest
from shop.quotes import bp
from shop.quotes.forms import (
    COMMON_SCALES,
    AcceptForm,
    DeclineForm,
    MessageForm,
    PayForm,
    QuoteRequestForm,
)
from shop.quotes.messages import error_message, file_message, status_label
from shop.services.catalog import products as catalog
from shop.services.ordering import bank_transfers, shipping
from shop.services.quotes import files as quote_files
from shop.services.quotes import mail as quote_mail
from shop.services.quotes import payments as quote_payments
from shop.services.quotes import requests as quotes
from shop.services.quotes.files import InvalidFile, Upload

REQUEST_LIMIT = "5 per hour"
MODEL_SUFFIX = re.compile(r"\s+(display\s+|desk\s+)?model$", re.IGNORECASE)
ANSWER_LIMIT = "30 per hour"


@bp.after_request
def never_cache(response: Response) -> Response:
    """Keep private request pages out of shared caches and search engines."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.app_context_processor
def quote_helpers() -> dict[str, Any]:
    """Give templates (quote pages, the account page) quote status names in words."""
    return {"quote_status_label": status_label}


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """Explain a request whose files are too large instead of a bare 413."""
    message = gettext("The files are too large together. Send up to %(num)d files of at most "
                      "10 MB each, or send the request first and add files as messages later.",
                      num=quote_files.MAX_FILES)  # fmt: skip
    return render_template("quotes/too_large.html", message=message), 413


@bp.errorhandler(429)
def too_many(error: Exception) -> tuple[str, int]:
    """Explain the rate limit on new requests."""
    return render_template("quotes/too_large.html", message=gettext(
        "Several requests were sent from your network in the last hour. Please try again "
        "later, or write to us by email.")), 429  # fmt: skip


def _country_choices() -> list[tuple[str, str]]:
    return [("", gettext("Choose a country"))] + shipping.country_choices(str(get_locale()))


def _uploads(form: QuoteRequestForm) -> list[Upload]:
    files = [f for f in (form.files.data or []) if f and getattr(f, "filename", "")]
    uploads = []
    for f in files:
        uploads.append(Upload(f.filename, f.read(quote_files.MAX_FILE_BYTES + 1)))
        f.close()  # large uploads are spooled to temporary files: free them now
    return uploads


def _details(form: QuoteRequestForm) -> quotes.RequestDetails:
    return quotes.RequestDetails(
        organisation=form.organisation.data, contact_name=form.contact_name.data,
        email=form.email.data, phone=form.phone.data or "", country=form.country.data,
        aircraft_type=form.aircraft_type.data, livery=form.livery.data,
        scale=form.scale.data, quantity=form.quantity.data, wanted_by=form.wanted_by.data,
        finish_notes=form.finish_notes.data or "",
    )  # fmt: skip


def _product_from_args() -> Any:
    slug = request.args.get("product", "")
    return catalog.get_product(slug) if slug and len(slug) <= 200 else None


def _request_accepted(response: Response) -> bool:
    """Count only requests the shop took (and the bot trap's fake thanks), not refused forms."""
    return response.status_code < 400


@bp.route("/quote", methods=["GET", "POST"])
@limiter.limit(REQUEST_LIMIT, methods=["POST"], deduct_when=_request_accepted)
def new() -> str | Response | tuple[str, int]:
    """Ask for a quote on display models in the buyer's own livery."""
    product = _product_from_args()
    customer = current_customer()
    prefill: dict[str, Any] = {}
    if product is not None:
        # "Boeing 737-800 display model" is the product; the aircraft is "Boeing 737-800".
        prefill["aircraft_type"] = MODEL_SUFFIX.sub("", product.name) or product.name
    if customer is not None:
        prefill |= {"email": customer.email, "contact_name": customer.name,
                    "organisation": customer.organisation}  # fmt: skip
    form = QuoteRequestForm(data=prefill) if request.method == "GET" else QuoteRequestForm()
    form.country.choices = _country_choices()
    page = {"form": form, "product": product, "aircraft": quotes.aircraft_suggestions(),
            "scales": quotes.scale_suggestions(product) or list(COMMON_SCALES)}  # fmt: skip
    if not form.validate_on_submit():
        return render_template("quotes/new.html", **page), 422 if form.errors else 200
    if form.website.data:
        # A bot filled in the hidden field: answer as if all went well, keep nothing.
        return render_template("quotes/received.html"), 200
    try:
        quote = quotes.create_request(
            _details(form), _uploads(form), current_app.extensions["private_media"],
            locale=str(get_locale()), customer_id=customer.id if customer else None,
            product_id=product.id if product else None,
        )  # fmt: skip
    except InvalidFile as error:
        form.files.errors = [file_message(error)]
    except StorageUnavailable:
        current_app.logger.exception("Quote request files could not be stored")
        form.files.errors = [
            gettext(
                "Your files could not be stored just now, so the request was not sent. "
                "Please try again in a few minutes."
            )
        ]
    except quotes.QuoteError as error:
        target = getattr(form, error.field or "", None) or form.files
        target.errors = [error_message(error)]
    else:
        _notify_new(quote)
        flash(gettext("Thank you: your request %(number)s is with our workshop coordinators. "
                      "We emailed you the link to this page.",
                      number=quote.number), "success")  # fmt: skip
        return redirect(url_for("quotes.show", token=quote.token), 303)
    return render_template("quotes/new.html", **page), 422


def _quote_url(quote: QuoteRequest) -> str:
    return url_for("quotes.show", token=quote.token, _external=True)


def _notify_new(quote: QuoteRequest) -> None:
    mailer = current_app.extensions["mailer"]
    quote_mail.send_to_buyer(mailer, quote, "received", _quote_url(quote))
    _notify_staff(quote, "new")


def _notify_staff(quote: QuoteRequest, kind: str) -> None:
    quote_mail.send_to_staff(
        current_app.extensions["mailer"], quote, kind, current_app.config["STAFF_EMAIL"],
        url_for("admin.quote", quote_id=quote.id, _external=True),
    )  # fmt: skip


def _quote_or_404(token: str) -> QuoteRequest:
    return quotes.find_by_token(token) or abort(404)


def _page(quote: QuoteRequest, status: int = 200, **forms: Any) -> tuple[str, int]:
    order = quote_payments.order_of(quote)
    limit = current_app.config["CARD_LIMIT_IDR"]
    balance = bank_transfers.balance(order) if order is not None else None
    context = {
        "quote": quote,
        "offer": quote.current_offer,
        # Money already on its way: the balance stays payable past the quote's date.
        "expired": quotes.is_expired(quote) and not (balance and balance.received_idr),
        "order": order,
        "bank_transfer": order is not None and quote_payments.needs_bank_transfer(order, limit),
        "shop": shop_details(current_app.config),
        "balance": balance,
        "accept_form": forms.get("accept_form") or AcceptForm(formdata=None).fill_from(quote),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "message_form": forms.get("message_form") or MessageForm(),
        "pay_form": PayForm(),
        "above_limit": bool(quote.current_offer and quote.current_offer.total_idr > limit),
    }
    return render_template("quotes/show.html", **context), status


@bp.get("/quote/<token>")
def show(token: str) -> tuple[str, int]:
    """The buyer's private page: the request, the quote, messages, payment and progress."""
    return _page(_quote_or_404(token))


@bp.post("/quote/<token>/decline")
@limiter.limit(ANSWER_LIMIT)
def decline(token: str) -> Response | tuple[str, int]:
    """Turn the quote down."""
    quote = _quote_or_404(token)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _page(quote, 422, decline_form=form)
    try:
        quotes.decline(quote, form.reason.data or "")
    except quotes.QuoteError as error:
        flash(error_message(error), "error")
    else:
        _notify_staff(quote, "declined")
        flash(gettext("You declined the quote. Thank you for letting us know."), "info")
    return redirect(url_for("quotes.show", token=token), 303)


@bp.post("/quote/<token>/message")
@limiter.limit(ANSWER_LIMIT)
def message(token: str) -> Response | tuple[str, int]:
    """Add the buyer's question or answer to the thread."""
    quote = _quote_or_404(token)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(quote, 422, message_form=form)
    try:
        quotes.add_message(quote, form.body.data, author=quote.contact_name, from_staff=False)
    except quotes.QuoteError as error:
        form.body.errors = [error_message(error)]
        return _page(quote, 422, message_form=form)
    _notify_staff(quote, "message")
    flash(gettext("Your message was sent. We answer on this page and by email."), "success")
    return redirect(url_for("quotes.show", token=token) + "#messages", 303)


@bp.get("/quote/<token>/files/<int:file_id>")
def file(token: str, file_id: int) -> Response:
    """Send one of the request's reference files to the holder of its link."""
    quote = _quote_or_404(token)
    found = next((f for f in quote.files if f.id == file_id), None) or abort(404)
    storage = current_app.extensions["private_media"]
    return send_stored_upload(storage, [found.storage_name], found.content_type, found.filename)
