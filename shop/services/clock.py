"""The shop's calendar: which day it is where the shop is (``SHOP_TIMEZONE``).

Quote validity, wanted-by dates and default maker shares are days on the shop's calendar, not
on the server's: a quote "valid until 10 December" stays valid until midnight in Jakarta.
Everything that asks "what day is it" asks `shop_today`, so tests can pin the day in one place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Jakarta"


def shop_timezone() -> ZoneInfo:
    """The shop's time zone: the app's ``SHOP_TIMEZONE``, Jakarta outside an app."""
    name = current_app.config["SHOP_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def shop_day_of(moment: datetime) -> date:
    """The shop's calendar day at an aware moment."""
    return moment.astimezone(shop_timezone()).date()


def shop_today() -> date:
    """Today's date in the shop's time zone."""
    return shop_day_of(datetime.now(UTC))
