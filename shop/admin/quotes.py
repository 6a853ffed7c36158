"""Quote requests in the back office: the inbox, one request, and the staff's answers.

The quotes service checks, audits and commits each action; a refusal changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.admin.quote_forms import (
    MessageForm,
    OfferForm,
    ProgressForm,
    put_error_on_field,
    quote_error_message,
    quote_status_label,
)
from shop.converters import page_number
from shop.http import send_stored_upload
from shop.models import QuoteRequest, QuoteStatus, User
from shop.quotes import documents as quote_documents
from shop.services import clock
from shop.services.media.images import RENDITION_WIDTHS
from shop.services.ordering import fulfilment
from shop.services.quotes import files as quote_files
from shop.services.quotes import inbox as quotes_inbox
from shop.services.quotes import mail as quote_mail
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import requests as quotes
from shop.services.quotes.requests import QuoteError
from shop.services.quotes.status import InvalidQuoteTransition, can_move

Q = QuoteStatus
OFFER_VALID_DAYS = 30
PROGRESS_STATES = frozenset({Q.PAID, Q.IN_PRODUCTION})


@bp.context_processor
def quote_context() -> dict[str, Any]:
    """Give admin templates quote status names and the count of new requests (for the nav)."""
    return {"quote_status_label": quote_status_label, "new_quote_count": _new_quote_count}


def _new_quote_count() -> int:
    return quotes_inbox.count_new()


def _staff() -> User:
    """The signed-in account, named in the quote's history and the audit log."""
    return current_user._get_current_object()


def _quote_or_404(quote_id: int) -> QuoteRequest:
    return quotes.find(quote_id) or abort(404)


def _status_arg() -> QuoteStatus | None:
    try:
        return Q(request.args.get("status", ""))
    except ValueError:
        return None


@bp.get("/quotes", endpoint="quotes")
def quote_inbox() -> str:
    """List quote requests, most recently changed first, with a tab per status."""
    status = _status_arg()
    page = request.args.get("page", 1, type=page_number)
    counts = quotes_inbox.counts_by_status()
    return render_template(
        "admin/quotes.html",
        page=quotes_inbox.inbox(status, page),
        status=status,
        statuses=list(Q),
        counts=counts,
        total=sum(counts.values()),
    )


def _offer_form(quote: QuoteRequest) -> OfferForm:
    """A fresh offer form: the current offer's terms to revise, else the request's quantity."""
    valid_until = clock.shop_today() + timedelta(days=OFFER_VALID_DAYS)
    current = quote.current_offer
    if current is None:
        return OfferForm(formdata=None, quantity=str(quote.quantity), valid_until=valid_until)
    return OfferForm(
        formdata=None,
        unit_price_idr=str(current.unit_price_idr),
        quantity=str(current.quantity),
        shipping_idr=str(current.shipping_idr),
        lead_time_days=str(current.lead_time_days),
        valid_until=valid_until,
        notes=current.notes,
    )


def _page(quote: QuoteRequest, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    """The quote page; `forms` replaces the fresh form of the one that was just refused."""
    fresh = {
        "offer_form": _offer_form(quote),
        "message_form": MessageForm(formdata=None),
        "progress_form": ProgressForm(formdata=None),
    }
    if status == 422:  # the form may be far down the page, on a phone below the fold
        flash(gettext("Nothing was saved. Please check the form below."), "error")
    order = fulfilment.find_order(quote.order_id) if quote.order_id else None
    page = render_template(
        "admin/quote.html",
        quote=quote,
        order=order,
        can_offer=can_move(quote, Q.ANSWERED),
        can_progress=quote.status in PROGRESS_STATES,
        offer_lapsed=quotes.is_expired(quote),
        **(fresh | forms),
    )
    return page, status


@bp.get("/quotes/<int:quote_id>", endpoint="quote")
def quote_detail(quote_id: int) -> tuple[str, int]:
    """Show one request: what the buyer sent, files, offers, messages, history and forms."""
    return _page(_quote_or_404(quote_id))


@bp.get("/quotes/<int:quote_id>/files/<int:file_id>", endpoint="quote_file")
def quote_file(quote_id: int, file_id: int) -> Response:
    """Send a reference file of this request from private storage (`?w=320`: a thumbnail)."""
    quote = _quote_or_404(quote_id)
    file = next((f for f in quote.files if f.id == file_id), None) or abort(404)
    storage = current_app.extensions["private_media"]
    names = [file.storage_name]
    width = request.args.get("w", type=int)
    if width in RENDITION_WIDTHS:
        preview = quote_files.preview_name(file, width)
        names = ([preview] if preview else []) + names
    return send_stored_upload(storage, names, file.content_type, file.filename)


def _back(quote_id: int) -> Response:
    return redirect(url_for("admin.quote", quote_id=quote_id), 303)


def _refused(quote: QuoteRequest, form: FlaskForm, error: QuoteError, name: str) -> tuple[str, int]:
    """Show the form again with the reason."""
    if not put_error_on_field(form, error):
        flash(quote_error_message(error), "error")
    return _page(quote, 422, **{name: form})


def _tell_buyer(quote: QuoteRequest, kind: str) -> None:
    """Email the buyer about what changed and say whether the email went out."""
    mailer = current_app.extensions["mailer"]
    quote_url = url_for("quotes.show", token=quote.token, _external=True)
    files = quote_documents.attachments(quote) if kind == "offer" else ()
    if quote_mail.send_to_buyer(mailer, quote, kind, quote_url, files):
        flash(gettext("The buyer was emailed at %(email)s.", email=quote.email), "success")
    else:
        flash(
            gettext(
                "The email to the buyer could not be sent. They will see it on their "
                "request's page; you may want to write to %(email)s yourself.",
                email=quote.email,
            ),
            "error",
        )


@bp.post("/quotes/<int:quote_id>/offer", endpoint="quote_offer")
def send_quote_offer(quote_id: int) -> Response | tuple[str, int]:
    """Send the first quote or a revision, then email the buyer."""
    quote = _quote_or_404(quote_id)
    form = OfferForm()
    if not form.validate_on_submit():
        return _page(quote, 422, offer_form=form)
    offer = form.details()
    try:
        sent = quote_offers.send_offer(
            quote, offer, actor=_staff(), gateway=current_app.extensions["payments"]
        )
    except QuoteError as error:
        return _refused(quote, form, error, "offer_form")
    except InvalidQuoteTransition as error:
        flash(
            gettext(
                "This quote is %(status)s, so it can't be quoted again. Nothing was changed.",
                status=quote_status_label(error.current),
            ),
            "error",
        )
        return _back(quote_id)
    flash(gettext("Quote version %(version)d sent.", version=sent.version), "success")
    _tell_buyer(quote, "offer")
    return _back(quote_id)


@bp.post("/quotes/<int:quote_id>/messages", endpoint="quote_message")
def reply_to_quote(quote_id: int) -> Response | tuple[str, int]:
    """Add a staff message to the request's thread, then email the buyer."""
    quote = _quote_or_404(quote_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(quote, 422, message_form=form)
    body = (form.body.data or "").strip()
    try:
        quotes.add_message(quote, body, author=_staff(), from_staff=True)
    except QuoteError as error:
        return _refused(quote, form, error, "message_form")
    flash(gettext("Message sent."), "success")
    _tell_buyer(quote, "message")
    return _back(quote_id)


@bp.post("/quotes/<int:quote_id>/progress", endpoint="quote_progress")
def record_quote_progress(quote_id: int) -> Response | tuple[str, int]:
    """Record production progress on a paid request, then email the buyer."""
    quote = _quote_or_404(quote_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _page(quote, 422, progress_form=form)
    note = " ".join((form.note.data or "").split())
    try:
        quote_offers.mark_in_production(quote, note, actor=_staff())
    except QuoteError as error:
        return _refused(quote, form, error, "progress_form")
    except InvalidQuoteTransition as error:
        flash(
            gettext(
                "This quote is %(status)s: production notes can be added once it is paid. "
                "Nothing was changed.",
                status=quote_status_label(error.current),
            ),
            "error",
        )
        return _back(quote_id)
    flash(gettext("Production progress saved."), "success")
    _tell_buyer(quote, "progress")
    return _back(quote_id)
