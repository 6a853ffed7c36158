"""A buyer on a phone and on a laptop, in English and Japanese, meets a sold-out piece: the
listing and the page say so, it can't be added, and they sign up to hear when it is back."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from shop.extensions import db
from shop.models import Category, Workshop
from tests.factories import make_product

SLUG = "sold-out-hyacinth-lamp"
# (language, what "sold out" reads as: an existing string, translated in every catalog)
LANGUAGES = [("en", "Sold out"), ("ja", "売り切れ")]
SIZES = [(390, 844), (1280, 900)]


@pytest.fixture(scope="module")
def sold_out_piece(live_app) -> str:
    """A piece that is not made to order, with nothing left, in a category of its own."""
    with live_app.app_context():
        if db.session.scalar(db.select(Category).where(Category.slug == "sold-out-test")) is None:
            category = Category(slug="sold-out-test", name="Sold-out test", position=99)
            workshop = db.session.scalar(db.select(Workshop).limit(1))
            db.session.add(category)
            make_product("Hyacinth lamp", category=category, workshop=workshop, stock=0,
                         slug=SLUG)  # fmt: skip
            db.session.commit()
    return SLUG


def _tab(chromium, live_server, language: str, size: tuple[int, int]):
    width, height = size
    phone = width < 600
    context = chromium.new_context(
        base_url=live_server, viewport={"width": width, "height": height},
        is_mobile=phone, has_touch=phone, locale=language,
        extra_http_headers={"Accept-Language": language},
    )  # fmt: skip
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


def _fits(tab) -> None:
    overflow = tab.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def _confirm_path(live_app, address: str) -> str:
    folder = Path(live_app.config["MAIL_OUTBOX"])
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            text = message.get_body(("plain",)).get_content()
            return re.search(r"https?://[^/\s]+(/stock-alerts/confirm/\S+)", text).group(1)
    raise AssertionError(f"no confirmation mail to {address}")


@pytest.mark.parametrize("size", SIZES, ids=["390px", "1280px"])
@pytest.mark.parametrize(("language", "sold_out"), LANGUAGES, ids=[lang for lang, _ in LANGUAGES])
def test_a_sold_out_piece_says_so_cannot_be_added_and_takes_a_sign_up(
    chromium, live_server, live_app, sold_out_piece, language, sold_out, size
) -> None:
    context, tab = _tab(chromium, live_server, language, size)
    try:
        tab.goto("/products?category=sold-out-test")
        expect(tab.locator("html")).to_have_attribute("lang", language)
        card = tab.locator(".card").filter(has=tab.locator(f'a[href*="{SLUG}"]'))
        expect(card.locator("[data-badge=sold_out]")).to_have_text(sold_out)
        _fits(tab)

        card.locator("a").first.click()
        expect(tab).to_have_url(re.compile(SLUG))
        expect(tab.locator("[data-add-button]")).to_be_disabled()
        expect(tab.locator("[data-selected-availability]")).to_contain_text(sold_out)
        alert = tab.locator("[data-stock-alert]")
        expect(alert).to_be_visible()
        _fits(tab)

        address = f"buyer-{language}-{size[0]}@example.jp"
        alert.locator("input[type=email]").fill(address)
        alert.locator("button[type=submit]").click()
        expect(tab.locator(".flash, [role=status], [role=alert]").first).to_be_visible()
        expect(tab.locator("html")).to_have_attribute("lang", language)

        tab.goto(_confirm_path(live_app, address))
        expect(tab.get_by_role("heading", level=1)).to_be_visible()
        expect(tab.locator("a[href*='/stock-alerts/unsubscribe/']")).to_be_visible()
        _fits(tab)
    finally:
        context.close()


MADE_SLUG = "made-to-order-rattan-chair"


@pytest.fixture(scope="module")
def made_to_order_piece(live_app) -> str:
    """A piece made to order in 21 days, nothing on the shelf."""
    with live_app.app_context():
        if db.session.scalar(db.select(Category).where(Category.slug == "made-test")) is None:
            category = Category(slug="made-test", name="Made-to-order test", position=98)
            workshop = db.session.scalar(db.select(Workshop).limit(1))
            db.session.add(category)
            make_product("Rattan chair", category=category, workshop=workshop, stock=0,
                         slug=MADE_SLUG, made_to_order=True, lead_time_days=21)  # fmt: skip
            db.session.commit()
    return MADE_SLUG


@pytest.mark.parametrize(
    ("language", "size", "country", "window"),
    [("ja-JP", (390, 844), "JP", (27, 33)), ("en-GB", (1280, 900), "GB", (29, 37))],
    ids=["ja-390px", "en-GB-1280px"],
)
def test_checkout_preselects_the_country_and_gives_one_window_with_the_making_time(
    chromium, live_server, made_to_order_piece, language, size, country, window
) -> None:
    context, tab = _tab(chromium, live_server, language, size)
    try:
        tab.goto(f"/products/{MADE_SLUG}")
        expect(tab.locator("[data-add-button]")).to_be_enabled()  # made to order: buyable
        tab.locator("[data-add-button]").click()
        tab.goto("/checkout")
        expect(tab.locator("select[name=country]")).to_have_value(country)
        delivery = tab.locator("[data-delivery]")
        expect(delivery).to_have_attribute("data-delivery-min", str(window[0]))
        expect(delivery).to_have_attribute("data-delivery-max", str(window[1]))
        expect(delivery).to_be_visible()
        _fits(tab)
        tab.locator("select[name=country]").select_option("US")  # always changeable
        expect(tab.locator("select[name=country]")).to_have_value("US")
    finally:
        context.close()
