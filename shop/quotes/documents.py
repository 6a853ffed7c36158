"""A quote's documents as PDF: the quote and its pro-forma invoice, for the buyer and the mail."""

from __future__ import annotations

import logging

from flask import Response, abort

from shop.gateways.mail import Attachment
from shop.models import QuoteRequest
from shop.pdf_views import pdf_response, render_document
from shop.quotes import bp
from shop.services.documents import quotes as quote_documents
from shop.services.documents.pdf import DocumentsUnavailable
from shop.services.quotes import requests as quotes

log = logging.getLogger(__name__)
TEMPLATE = "documents/quote.html"


def _filename(quote: QuoteRequest, kind: str) -> str:
    version = quote.current_offer.version if quote.current_offer else 0
    return f"{quote.number}-{kind}-v{version}.pdf"


@bp.get("/quote/<token>/<any(quote, proforma):kind>.pdf")
def document(token: str, kind: str) -> Response:
    """The quote or its pro-forma as PDF, in the buyer's language, to the holder of the link."""
    quote = quotes.find_by_token(token) or abort(404)
    if not quote_documents.available(quote, kind):
        abort(404)
    doc = quote_documents.document_for(quote)
    return pdf_response(TEMPLATE, quote.locale or "en", _filename(quote, kind), doc=doc, kind=kind)


def attachments(quote: QuoteRequest) -> tuple[Attachment, ...]:
    """The quote and pro-forma PDFs for the offer mail; none if they cannot be rendered."""
    doc = quote_documents.document_for(quote)
    files = []
    try:
        for kind in quote_documents.KINDS:
            if quote_documents.available(quote, kind):
                data = render_document(TEMPLATE, quote.locale or "en", doc=doc, kind=kind)
                files.append(Attachment(_filename(quote, kind), "application/pdf", data))
    except DocumentsUnavailable:
        log.error("Quote %s: the offer mail goes without its PDFs", quote.number)
        return ()
    return tuple(files)


def proforma(quote: QuoteRequest) -> tuple[Attachment, ...]:
    """The pro-forma invoice PDF for the payment mail; none if it cannot be rendered."""
    if not quote_documents.available(quote, "proforma"):
        return ()
    doc = quote_documents.document_for(quote)
    try:
        data = render_document(TEMPLATE, quote.locale or "en", doc=doc, kind="proforma")
    except DocumentsUnavailable:
        log.error("Quote %s: the payment mail goes without its pro-forma", quote.number)
        return ()
    return (Attachment(_filename(quote, "proforma"), "application/pdf", data),)
