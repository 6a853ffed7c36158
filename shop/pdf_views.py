"""Serve a document template as a PDF download, in a chosen language."""

from __future__ import annotations

import logging
import time

from flask import Response, abort, current_app, render_template
from flask_babel import force_locale

from shop.config_documents import shop_details
from shop.services.documents.pdf import DocumentsUnavailable, render_pdf

log = logging.getLogger(__name__)


def render_document(template: str, lang: str, **context: object) -> bytes:
    """The template rendered in `lang` as PDF bytes; DocumentsUnavailable if it cannot be."""
    with force_locale(lang):
        html = render_template(
            template, lang=lang, shop=shop_details(current_app.config), **context
        )
    started = time.perf_counter()
    data = render_pdf(html)
    log.info("rendered %s in %.2f s", template, time.perf_counter() - started)
    return data


def pdf_response(template: str, lang: str, filename: str, **context: object) -> Response:
    """A PDF attachment, never cached by a shared cache; 503 when the renderer cannot run."""
    try:
        data = render_document(template, lang, **context)
    except DocumentsUnavailable:
        abort(503)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
