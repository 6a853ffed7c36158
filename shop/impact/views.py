"""/impact: what the makers earned and were paid, per workshop and approved month."""

from __future__ import annotations

from flask import Response, current_app, render_template
from flask_babel import get_locale, gettext

from shop.admin.downloads import csv_download
from shop.impact import bp
from shop.impact.chart import wage_chart
from shop.services.impact import public


def _report() -> public.PublicReport:
    return public.public_report(current_app.config["IMPACT_MIN_SALES"], str(get_locale()))


@bp.get("/impact")
def show() -> str:
    """Show the published wage figures per workshop and month, a chart and the running total."""
    report = _report()
    return render_template(
        "impact/impact.html",
        report=report,
        chart=wage_chart(report.months),
        min_sales=current_app.config["IMPACT_MIN_SALES"],
    )


@bp.get("/impact.csv")
def csv() -> Response:
    """Download the published figures as CSV, one row per workshop and month."""
    rows = public.report_csv(_report(), made_to_order=gettext("Made to order"))
    return csv_download(rows, "karya-binaan-impact.csv")
