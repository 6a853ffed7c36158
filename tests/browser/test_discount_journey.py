"""A buyer applies a discount code in the cart and pays the discounted total with the demo
gateway, on a phone (390 px) and a laptop (1280 px).

Each test makes its own code and buys its own product, so the tests pass in any order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import DiscountCode, DiscountKind, Order
from tests.browser.axe import assert_no_serious_violations
from tests.browser.test_checkout_journey import (
    OVERFLOW,
    add_to_cart,
    check_out_to_japan,
    pay_on_demo_page,
)


def make_code(live_app, code: str, percent: int) -> None:
    """A percentage code, open now, in the live server's database."""
    with live_app.app_context():
        discount = DiscountCode(code=code, kind=DiscountKind.PERCENT, percent_off=percent,
                                min_subtotal_idr=0, uses=0, paused=False, max_uses=5)  # fmt: skip
        db.session.add(discount)
        db.session.commit()


def order_for(live_app, email: str) -> tuple[str, int, int, int]:
    with live_app.app_context():
        order = db.session.scalar(select(Order).where(Order.email == email))
        uses = db.session.scalar(
            select(DiscountCode.uses).where(DiscountCode.id == order.discount_code_id)
        )
        return order.discount_code, order.discount_idr, order.total_idr, uses


@pytest.mark.parametrize(
    ("device", "slug", "code", "email"),
    [
        ("phone", "cn-235-display-model", "PHONE10", "aiko.phone@example.jp"),
        ("page", "n219-nurtanio-display-model", "LAPTOP10", "aiko.laptop@example.jp"),
    ],
)
def test_a_buyer_applies_a_code_in_the_cart_and_pays_the_discounted_total(
    request, live_app, device, slug, code, email
) -> None:
    tab = request.getfixturevalue(device)
    make_code(live_app, code, 10)
    add_to_cart(tab, slug)
    subtotal = tab.locator("[data-subtotal]").inner_text()

    tab.get_by_label("Discount code").fill("no-such-code")
    tab.get_by_role("button", name="Apply").click()
    expect(tab.locator(".flash")).to_contain_text("know that discount code")
    expect(tab.locator("[data-discount]")).to_have_count(0)
    expect(tab.locator("[data-subtotal]")).to_have_text(subtotal)

    tab.get_by_label("Discount code").fill(code.lower())
    tab.get_by_role("button", name="Apply").click()
    expect(tab.locator(".flash")).to_contain_text(f"Discount code {code} applied")
    expect(tab.locator("[data-discount-code]")).to_contain_text(code)
    expect(tab.locator("[data-discount]")).to_have_text(re.compile(r"^−IDR\xa0\d"))
    assert tab.evaluate(OVERFLOW) <= 0, "the cart is wider than the screen"
    assert_no_serious_violations(tab, "cart with a discount code")

    check_out_to_japan(tab, email)
    expect(tab.locator("[data-discount]")).to_contain_text(f"Discount ({code})")
    pay_on_demo_page(tab)
    expect(tab.locator("[data-discount]")).to_be_visible()
    stored_code, discount, total, uses = order_for(live_app, email)
    assert (stored_code, uses) == (code, 1) and discount > 0
    expect(tab.locator("[data-total]")).to_have_text(f"IDR\xa0{total:,}")
    assert tab.evaluate(OVERFLOW) <= 0, "the confirmation is wider than the screen"
