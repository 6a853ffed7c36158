"""The back office on a phone: one menu row that opens into the sections, orders as cards."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from shop.models import Role
from shop.services.accounts import staff as users

PASSWORD = "a long enough password"


def sign_in(tab, live_app) -> None:
    email = f"phone-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
    tab.goto("/admin/login")
    tab.fill("#email", email)
    tab.fill("#password", PASSWORD)
    tab.click("#submit")
    expect(tab).to_have_url(re.compile(r"/admin/?$"))


def test_on_a_phone_the_menu_is_one_row_and_orders_are_cards(phone, live_app) -> None:
    sign_in(phone, live_app)
    phone.goto("/admin/orders")
    menu = phone.locator("[data-admin-menu]")
    summary = menu.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Orders")  # the page's section beside "Menu"
    box = summary.bounding_box()
    assert box is not None and box["height"] < 60  # one row, not five
    products = menu.get_by_role("link", name="Products")
    expect(products).to_be_hidden()
    summary.click()
    expect(products).to_be_visible()
    summary.click()
    region = phone.locator(".table-scroll").first
    overflow = region.evaluate("el => el.scrollWidth - el.clientWidth") if region.count() else 0
    assert overflow <= 1  # the orders list fits: nothing scrolls sideways
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_laptop_every_section_is_shown(page, live_app) -> None:
    sign_in(page, live_app)
    expect(page.locator("[data-admin-menu] summary")).to_be_hidden()
    expect(page.locator(".admin-nav").get_by_role("link", name="Products")).to_be_visible()
