"""Outgoing mail in the back office: what waits, what failed, and "retry now"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from shop.admin import bp
from shop.extensions import db
from shop.models import MailStatus
from shop.services.outbox import queue

# The page's views: unsent (waiting and failed, the default), failed only, waiting only, sent.
VIEWS = {
    "unsent": (None, _l("Not sent yet")),
    "failed": (MailStatus.FAILED, _l("Failed")),
    "queued": (MailStatus.QUEUED, _l("Waiting")),
    "sent": (MailStatus.SENT, _l("Sent")),
}
STATUS_LABELS = {
    MailStatus.QUEUED: _l("Waiting"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Failed"),
}


@bp.get("/mail", endpoint="mail_queue")
def mail_queue() -> str:
    """List outgoing messages, the ones that need attention first."""
    view = request.args.get("view", "unsent")
    if view not in VIEWS:
        view = "unsent"
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= 10_000:
        page = 1
    rows = queue.listing(db.session, VIEWS[view][0], page)
    return render_template(
        "admin/mail_queue.html",
        rows=rows[: queue.PAGE_SIZE],
        has_next=len(rows) > queue.PAGE_SIZE,
        page=page,
        view=view,
        views=VIEWS,
        counts=queue.counts(db.session),
        status_labels=STATUS_LABELS,
    )


@bp.post("/mail/<int:mail_id>/retry", endpoint="mail_retry")
def mail_retry(mail_id: int) -> Response:
    """Try a waiting or failed message again now."""
    from shop.mail_queue import dispatch

    if not queue.retry_now(db.session, mail_id):
        abort(404)
    dispatch([mail_id])
    flash(gettext("The message is being sent again. This page shows whether it went out."),
          "success")  # fmt: skip
    return redirect(url_for("admin.mail_queue", view=request.args.get("view", "unsent")), 303)
