"""A visitor fills a cart, checks out and pays (or cancels) on the offline demo payment page.

Each test buys its own products, so the tests neither share a cart (every test has a fresh
browser context) nor compete for the same stock, and they pass in any order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import Variant
from tests.browser.axe import assert_no_serious_violations

ORDER_NUMBER = re.compile(r"KB-\d{4}-\d{6}")
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def stock_of(live_app, sku: str) -> int:
    """Read a variant's stock straight from the live server's database."""
    with live_app.app_context():
        return db.session.scalar(select(Variant.stock).where(Variant.sku == sku))


def add_to_cart(tab, slug: str) -> None:
    """Add the default option of a product from its page, landing on the cart."""
    tab.goto(f"/products/{slug}")
    tab.get_by_role("button", name="Add to cart").click()
    expect(tab).to_have_url(re.compile(r"/cart$"))
    expect(tab.locator(".flash")).to_contain_text("to your cart")


def cart_line(tab, product_name: str):
    return tab.locator(".cart-line").filter(has_text=product_name)


def check_out_to_japan(tab, email: str) -> None:
    """From the cart, go through the checkout form to the demo payment page."""
    tab.get_by_role("link", name="Check out").click()
    expect(tab).to_have_url(re.compile(r"/checkout$"))
    tab.get_by_label("Email address").fill(email)
    tab.get_by_label("Ship to").select_option(label="Japan")
    tab.get_by_role("button", name="Continue to payment").click()
    expect(tab).to_have_url(re.compile(r"/demo-pay/[^/]+$"))
    expect(tab.get_by_role("heading", level=1, name="Demo payment page")).to_be_visible()


def pay_on_demo_page(tab) -> None:
    tab.get_by_label("Full name").fill("Aiko Tanaka")
    tab.get_by_label("Street address").fill("1-2-3 Shibuya")
    tab.get_by_label("City").fill("Tokyo")
    tab.get_by_label("Postal code").fill("150-0002")
    tab.get_by_role("button", name="Pay (demo)").click()
    expect(tab).to_have_url(re.compile(r"/checkout/done/[^/]+$"))


def test_buy_two_products_and_pay_with_the_demo_gateway(page, live_app) -> None:
    bowl_sku = "TW-SONO-BOWL-24"
    bowl_stock = stock_of(live_app, bowl_sku)

    add_to_cart(page, "sono-wood-salad-bowl")
    expect(page.locator(".cart-count")).to_have_text("1")
    add_to_cart(page, "teak-serving-spoons")
    expect(page.locator(".cart-count")).to_have_text("2")

    bowl = cart_line(page, "Sono wood salad bowl")
    expect(bowl).to_contain_text("Ø 24 cm")
    expect(bowl.locator(".cart-line-total")).to_have_text("IDR\xa0285,000")
    expect(page.locator("[data-subtotal]")).to_have_text("IDR\xa0430,000")
    bowl.get_by_label("Quantity").fill("2")
    bowl.get_by_role("button", name="Update").click()
    expect(page.locator(".flash")).to_contain_text("Your cart was updated.")
    expect(bowl.locator(".cart-line-total")).to_have_text("IDR\xa0570,000")
    expect(page.locator("[data-subtotal]")).to_have_text("IDR\xa0715,000")
    expect(page.locator(".cart-count")).to_have_text("3")

    # 2 × 620 g + 160 g = 1.4 kg: East Asia's base fee plus two started kilograms.
    page.get_by_label("Ship to").select_option(label="Japan")
    page.get_by_role("button", name="Estimate").click()
    expect(page.locator("[data-shipping]")).to_contain_text("IDR\xa0480,000")
    expect(page.locator("[data-shipping]")).to_contain_text("East Asia")
    expect(page.locator("[data-total]")).to_have_text("IDR\xa01,195,000")

    check_out_to_japan(page, "aiko@example.com")
    expect(page.get_by_role("note")).to_contain_text("No money moves")
    expect(page.locator("[data-demo-total]")).to_have_text("IDR\xa01,195,000")
    pay_on_demo_page(page)

    expect(page.locator("[data-order-number]")).to_have_text(ORDER_NUMBER)
    number = page.locator("[data-order-number]").inner_text()
    expect(page.locator(".order-status-line")).to_contain_text("Paid")
    page.get_by_role("link", name="Follow your order").click()
    expect(page).to_have_url(re.compile(r"/orders/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(number)
    expect(page.locator("[data-order-status]")).to_have_text("Paid")

    assert stock_of(live_app, bowl_sku) == bowl_stock - 2

    page.goto("/cart")
    expect(page.get_by_role("heading", name="Your cart is empty")).to_be_visible()
    expect(page.locator(".cart-count")).to_have_count(0)


def test_cancel_on_the_payment_page_returns_to_the_cart_with_everything_in_it(
    page, live_app
) -> None:
    sku = "TW-MAH-PLATE-26"
    stock = stock_of(live_app, sku)

    add_to_cart(page, "mahogany-dinner-plate-set")
    check_out_to_japan(page, "cancel@example.com")
    assert stock_of(live_app, sku) == stock - 1, "checkout should hold the piece"

    page.get_by_role("button", name="Cancel and return to the cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.locator(".flash")).to_contain_text("Payment cancelled")
    plates = cart_line(page, "Mahogany dinner plates, set of 4")
    expect(plates).to_have_count(1)
    expect(plates.get_by_label("Quantity")).to_have_value("1")
    expect(page.locator(".cart-count")).to_have_text("1")
    assert stock_of(live_app, sku) == stock


def test_checkout_on_a_phone(phone) -> None:
    add_to_cart(phone, "coconut-shell-cups")
    assert phone.evaluate(OVERFLOW) <= 0, "/cart scrolls sideways at 390px"

    phone.get_by_role("link", name="Check out").click()
    expect(phone).to_have_url(re.compile(r"/checkout$"))
    assert phone.evaluate(OVERFLOW) <= 0, "/checkout scrolls sideways at 390px"
    phone.get_by_label("Email address").fill("phone@example.com")
    phone.get_by_label("Ship to").select_option(label="Japan")
    phone.get_by_role("button", name="Continue to payment").click()
    expect(phone.get_by_role("heading", level=1, name="Demo payment page")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0, "the demo payment page scrolls sideways at 390px"

    pay_on_demo_page(phone)
    expect(phone.locator("[data-order-number]")).to_have_text(ORDER_NUMBER)
    expect(phone.locator(".order-status-line")).to_contain_text("Paid")


@pytest.mark.parametrize("device", ["page", "phone"])
def test_cart_and_demo_payment_pages_have_no_serious_accessibility_violations(
    request, device
) -> None:
    tab = request.getfixturevalue(device)
    # A made-to-order model: checking out never runs out of stock, whatever ran before.
    add_to_cart(tab, "atr-72-600-display-model")
    assert_no_serious_violations(tab, f"/cart with an item on {device}")
    check_out_to_japan(tab, "axe@example.com")
    assert_no_serious_violations(tab, f"the demo payment page on {device}")
