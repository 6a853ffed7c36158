"""Saved items and gift orders in a real browser, on a phone and a laptop, in two languages.

A guest saves a piece, signs in and finds it in the account's list; a buyer sends a gift with a
message and gift wrap through the demo gateway, and staff's packing slip prints the message
without prices. Selectors are the pages' own hooks, so the steps read the same in Japanese.
"""

from __future__ import annotations

import io
import os
import re
import uuid
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, Role
from shop.services.accounts import customers as accounts
from shop.services.accounts import staff as users
from tests.browser.axe import assert_no_serious_violations

PASSWORD = "a long enough password"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SHOTS = os.environ.get("KB_SHOTS_DIR")  # set to keep screenshots of each step


def shot(tab, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(
    ("device", "lang", "slug"),
    [("phone", "ja", "airbus-a330-900-display-model"), ("page", "en", "cn-235-display-model")],
)
def test_a_guest_saves_a_piece_signs_in_and_finds_it_there(
    request, live_app, device, lang, slug
) -> None:
    tab = request.getfixturevalue(device)
    email = f"saver-{uuid.uuid4().hex[:8]}@example.jp"
    with live_app.app_context():
        accounts.register(email, PASSWORD, name="Aiko")

    tab.goto(f"/products/{slug}?lang={lang}")
    button = tab.locator(".buy-save .save-button")
    expect(button).to_have_attribute("value", "save")
    button.click()
    expect(tab).to_have_url(re.compile(rf"/products/{slug}"))
    expect(tab.locator(".buy-save .save-button")).to_have_attribute("value", "remove")
    expect(tab.locator(".flash")).to_be_visible()
    assert tab.evaluate(OVERFLOW) <= 0, "the product page is wider than the screen"
    shot(tab, f"saved-product-{device}-{lang}")

    tab.goto("/saved")
    expect(tab.locator(f"[data-saved-product='{slug}']")).to_be_visible()
    expect(tab.locator("[data-guest-note]")).to_be_visible()
    assert tab.evaluate(OVERFLOW) <= 0, "the saved page is wider than the screen"
    assert_no_serious_violations(tab, f"saved items on {device}")
    shot(tab, f"saved-guest-{device}-{lang}")

    tab.goto("/account/login")
    tab.fill("#email", email)
    tab.fill("#password", PASSWORD)
    tab.click("#submit")
    expect(tab).not_to_have_url(re.compile(r"/account/login"))
    tab.goto("/saved")
    expect(tab.locator(f"[data-saved-product='{slug}']")).to_be_visible()
    expect(tab.locator("[data-guest-note]")).to_have_count(0)
    shot(tab, f"saved-account-{device}-{lang}")

    tab.goto(f"/products?lang={lang}")  # the listing's card knows it is saved
    card = tab.locator("article.card").filter(has=tab.locator(f"a[href='/products/{slug}']"))
    expect(card.locator(".save-button")).to_have_attribute("value", "remove")
    shot(tab, f"saved-listing-{device}-{lang}")


def staff_packing_slip(chromium, live_server: str, live_app, order_id: int) -> str:
    """Sign in as staff in a browser of their own and read the order's packing slip."""
    email = f"packer-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        tab.goto("/admin/login")
        tab.fill("#email", email)
        tab.fill("#password", PASSWORD)
        tab.click("#submit")
        tab.wait_for_url("**/admin/**")
        tab.goto(f"/admin/orders/{order_id}")
        expect(tab.locator("[data-gift-message]")).to_be_visible()
        shot(tab, f"gift-admin-order-{order_id}")
        pdf = context.request.get(f"/admin/orders/documents/packing-slips.pdf?order_id={order_id}")
        assert pdf.ok
        reader = pypdf.PdfReader(io.BytesIO(pdf.body()))
        return "\n".join(page.extract_text() for page in reader.pages)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("device", "lang", "slug"),
    [
        ("phone", "ja", "boeing-787-9-display-model"),
        ("page", "en", "airbus-a350-900-display-model"),
    ],
)
def test_a_gift_with_message_and_wrap_is_paid_and_its_packing_slip_prints_the_message(
    request, chromium, live_server, live_app, device, lang, slug
) -> None:
    tab = request.getfixturevalue(device)
    tab.goto(f"/products/{slug}?lang={lang}")
    tab.locator("[data-add-button]").click()
    expect(tab).to_have_url(re.compile(r"/cart$"))

    tab.goto("/checkout")
    details = tab.locator("[data-gift-details]")
    expect(details).to_be_hidden()  # shown once "This is a gift" is ticked
    tab.fill("#email", f"gift-{device}@example.jp")
    tab.select_option("#country", "JP")
    tab.check("#is_gift")
    expect(details).to_be_visible()
    message = f"Happy birthday, Aiko! <3\nFrom Budi & the {device}"
    tab.fill("#gift_message", message)
    tab.check("#gift_wrap")
    tab.click("#update")
    expect(tab.locator("[data-gift-wrap]")).to_be_visible()
    expect(tab.locator("#email")).to_have_value(f"gift-{device}@example.jp")
    expect(tab.locator("#gift_message")).to_have_value(message)
    assert tab.evaluate(OVERFLOW) <= 0, "the checkout page is wider than the screen"
    assert_no_serious_violations(tab, f"gift checkout on {device}")
    shot(tab, f"gift-checkout-{device}-{lang}")

    tab.click("#submit")
    expect(tab).to_have_url(re.compile(r"/demo-pay/[^/]+$"))
    expect(tab.locator("[data-gift-wrap]")).to_be_visible()
    tab.fill("#name", "Aiko Tanaka")
    tab.fill("#line1", "1-2-3 Shibuya")
    tab.fill("#city", "Tokyo")
    tab.fill("#postal_code", "150-0002")
    tab.click("#pay")
    expect(tab).to_have_url(re.compile(r"/checkout/done/[^/]+$"))
    shown = tab.locator("[data-gift-message]")
    expect(shown).to_have_text(message)  # escaped, and its line break kept
    assert shown.evaluate("el => el.getClientRects().length > 0 && el.offsetHeight > 30")
    shot(tab, f"gift-done-{device}-{lang}")

    with live_app.app_context():
        order = db.session.scalar(select(Order).where(Order.email == f"gift-{device}@example.jp"))
        order_id, wrap, total = order.id, order.gift_wrap_idr, order.total_idr
    assert wrap == 25_000 and total > wrap
    slip = staff_packing_slip(chromium, live_server, live_app, order_id)
    assert "Happy birthday, Aiko! <3" in slip and f"From Budi & the {device}" in slip
    assert "IDR" not in slip and "Rp" not in slip
