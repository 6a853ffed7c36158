"""The shop's calendar follows the shop's time zone, not the server's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask

from shop.services import clock


def test_the_shop_day_turns_at_midnight_in_jakarta(app: Flask) -> None:
    with app.app_context():
        assert clock.shop_day_of(datetime(2026, 12, 1, 16, 59, tzinfo=UTC)) == date(2026, 12, 1)
        assert clock.shop_day_of(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == date(2026, 12, 2)


def test_the_shop_day_follows_the_configured_time_zone(app: Flask) -> None:
    app.config["SHOP_TIMEZONE"] = "Asia/Tokyo"
    with app.app_context():
        assert clock.shop_day_of(datetime(2026, 12, 1, 14, 59, tzinfo=UTC)) == date(2026, 12, 1)
        assert clock.shop_day_of(datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) == date(2026, 12, 2)
