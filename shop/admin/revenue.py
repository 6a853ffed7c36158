"""Revenue split report per workshop and month, and the rates an admin sets for it."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from shop.admin import bp
from shop.admin.access import role_required
from shop.admin.downloads import csv_download
from shop.admin.report_forms import PeriodForm, RateForm
from shop.admin.wage_forms import ApproveMonthForm, PayoutForm
from shop.models import Role
from shop.services import clock
from shop.services.impact import payouts, publication
from shop.services.reporting import revenue


def _period(form: PeriodForm) -> tuple[date, date]:
    """The months the form asks for; the last twelve when it asks for nothing sensible."""
    first, last = revenue.default_period(clock.shop_today())
    if not form.validate():
        return first, last
    if form.first.data and form.last.data:
        return form.first.data, form.last.data
    if form.first.data:
        return form.first.data, revenue.add_months(form.first.data, revenue.DEFAULT_MONTHS - 1)
    if form.last.data:
        return revenue.add_months(form.last.data, 1 - revenue.DEFAULT_MONTHS), form.last.data
    return first, last


def _period_args() -> dict[str, str]:
    """The period from the query string, for links that keep it."""
    return {key: request.args[key] for key in ("first", "last") if request.args.get(key)}


def report_page(
    rate_form: RateForm | None = None,
    status: int = 200,
    payout_form: PayoutForm | None = None,
    approve_form: ApproveMonthForm | None = None,
) -> tuple[str, int]:
    """The report page for the period asked, with the forms given (a refused one shows why)."""
    form = PeriodForm(request.args)
    first, last = _period(form)
    if not form.first.data and not form.last.data and not form.errors:
        form.first.data, form.last.data = first, last
    report = revenue.revenue_split(first, last, clock.shop_timezone())
    today = clock.shop_today()
    page = render_template(
        "admin/revenue_split.html",
        form=form,
        report=report,
        months=list(reversed(report.months)),
        rates=revenue.list_rates(),
        in_force=revenue.rate_in_force(clock.shop_today()),
        rate_form=rate_form or RateForm(formdata=None),
        period_args=_period_args(),
        wages=payouts.wage_ledger(report, today),
        payouts=payouts.payouts_between(first, last),
        payout_form=payout_form or PayoutForm(formdata=None),
        approve_form=approve_form or ApproveMonthForm(formdata=None),
        approved={entry.month: entry for entry in publication.approved_months()},
        this_month=revenue.month_of(today),
    )
    return page, status


@bp.get("/reports/revenue-split")
def revenue_split() -> tuple[str, int]:
    """Show sales per workshop and month, split into wages, PNBP and the remainder."""
    return report_page()


@bp.get("/reports/revenue-split.csv")
def revenue_split_csv() -> Response:
    """Download the report as CSV, one row per workshop and month."""
    first, last = _period(PeriodForm(request.args))
    report = revenue.revenue_split(first, last, clock.shop_timezone())
    rows = revenue.report_csv(report, unknown_workshop=gettext("Workshop unknown"))

    return csv_download(rows, f"revenue-split-{first:%Y%m}-{last:%Y%m}.csv")


@bp.post("/reports/revenue-split/rates")
@role_required(Role.ADMIN)
def revenue_split_rates() -> tuple[str, int] | BaseResponse:
    """Set the PNBP and default maker share from a month on (admins only)."""
    form = RateForm()
    if not form.validate_on_submit():
        return report_page(form, 422)
    month = form.effective_from.data
    try:
        revenue.set_rate(
            month,
            form.pnbp_pct.data,
            form.default_maker_share_pct.data,
            current_user._get_current_object(),
        )
    except revenue.InvalidRate as exc:
        message = (
            gettext("Another admin set a rate for this month just now. Please check and retry.")
            if exc.reason == "conflict"
            else gettext("These percentages can't be used. Nothing was changed.")
        )
        form.effective_from.errors = [*form.effective_from.errors, message]
        return report_page(form, 422)
    flash(
        gettext(
            "From %(month)s on: PNBP %(pnbp)d%%, default maker share %(maker)d%%.",
            month=month_name(month),
            pnbp=form.pnbp_pct.data,
            maker=form.default_maker_share_pct.data,
        ),
        "success",
    )
    return redirect(url_for("admin.revenue_split", **_period_args()), 303)


@bp.app_template_filter("month_name")
def month_name(month: date) -> str:
    """Format the first of a month as "January 2026" ("2026年1月") in the page's language.

    Babel's skeleton, not the pattern "LLLL y": with Babel 2.18 that pattern, once used for
    Japanese in a process, gave Japanese month names to Indonesian and Korean pages too.
    """
    return format_skeleton("yMMMM", month, locale=get_locale())
