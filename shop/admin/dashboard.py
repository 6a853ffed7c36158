"""The back office's first page: how sales are going and what needs doing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template

from shop.admin import bp
from shop.admin.chart import bar_chart
from shop.extensions import db
from shop.services.outbox import queue
from shop.services.reporting import reports


@bp.get("/")
def dashboard() -> str:
    """Show sales for today, 7 and 30 days, best sellers, workshops and the work waiting."""
    tz = ZoneInfo(current_app.config["SHOP_TIMEZONE"])
    figures = reports.dashboard(datetime.now(UTC), tz)
    mail = queue.counts(db.session)
    return render_template(
        "admin/dashboard.html", figures=figures, chart=bar_chart(figures.daily), mail=mail
    )
