"""Template filters for back-office pages: times in the shop's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_datetime

from shop.admin import bp


def _in_shop_zone(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(current_app.config["SHOP_TIMEZONE"]))


@bp.app_template_filter("shop_time")
def shop_time(moment: datetime | None, pattern: str = "d MMM y, HH:mm") -> str:
    """Format a moment as a compact date and 24-hour time where the shop is."""
    if moment is None:
        return ""
    return format_datetime(_in_shop_zone(moment), pattern, rebase=False)


@bp.app_template_filter("shop_day")
def shop_day(moment: datetime | None, pattern: str = "d MMM") -> str:
    """Format a moment (or a date) as a short day where the shop is."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = _in_shop_zone(moment)
    return format_date(moment, pattern, rebase=False)
