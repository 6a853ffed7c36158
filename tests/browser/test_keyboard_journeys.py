"""The main journeys by keyboard alone (issue #16): buy a piece, filter a listing, request a
quote, and in the back office refund an order and add a product with a photo.

Only `page.keyboard` moves through the pages (an address is typed where a user would type
one). At every Tab stop on the way the focused element must show a focus ring (a computed
outline or box-shadow), and after every reload focus must land where the user expects.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import Product, Role, Variant, Workshop
from shop.services.accounts import staff as users
from tests.order_factories import make_order

PASSWORD = "a long enough password"

# What is drawn around the focused element, or why nothing is. A control hidden for the eye
# (the photo upload's file input, under its drop zone) shows focus on the box it sits in: then
# the nearest enclosing element must draw a ring of its own (an outline from :focus-within).
_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'focus is on nothing';
  const ring = (s) => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
    || (s.boxShadow && s.boxShadow !== 'none');
  const s = getComputedStyle(el);
  if (ring(s)) return '';
  const box = el.getBoundingClientRect();
  if (s.opacity === '0' || box.width <= 1 || box.height <= 1) {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const u = getComputedStyle(up);
      if (u.outlineStyle !== 'none' && parseFloat(u.outlineWidth) >= 2) return '';
    }
  }
  const drawn = s.outlineStyle + ' ' + s.outlineWidth + ', ' + s.boxShadow;
  return 'no focus ring (' + drawn + ') on ' + el.outerHTML.slice(0, 120);
}"""


def assert_focus_visible(tab: Any) -> None:
    """The focused element shows a focus ring."""
    problem = tab.evaluate(_FOCUS_RING)
    assert not problem, problem


def tab_to(tab: Any, target: Any, limit: int = 60, key: str = "Tab") -> int:
    """Press Tab until `target` has focus, checking the ring at every stop; return the presses."""
    for presses in range(1, limit + 1):
        tab.keyboard.press(key)
        assert_focus_visible(tab)
        if target.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached in {limit} presses of {key}")


def type_into(tab: Any, target: Any, text: str) -> None:
    """Tab to a field and type into it."""
    tab_to(tab, target)
    tab.keyboard.type(text)


def skip_to_content(tab: Any) -> None:
    """Use the skip link, the first Tab stop of every page."""
    tab.keyboard.press("Tab")
    expect(tab.locator(".skip-link")).to_be_focused()
    assert_focus_visible(tab)
    tab.keyboard.press("Enter")


def test_buy_a_piece_by_keyboard(page) -> None:
    page.goto("/products/teak-serving-spoons")
    skip_to_content(page)
    tab_to(page, page.get_by_role("button", name="Add to cart"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.locator(".flashes")).to_be_focused()  # "Added … to your cart." is read out

    tab_to(page, page.get_by_role("link", name="Check out"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checkout$"))
    skip_to_content(page)
    tab_to(page, page.get_by_role("button", name="Continue to payment"))
    page.keyboard.press("Enter")  # nothing filled in: refused
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    tab_to(page, summary.get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type("keyboard@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Ship to")).to_be_focused()
    page.keyboard.type("Japan")  # a closed select picks the option typed
    expect(page.get_by_label("Ship to")).to_have_value("JP")
    tab_to(page, page.get_by_role("button", name="Continue to payment"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/demo-pay/"))

    for label, text in (("Full name", "Aiko Tanaka"), ("Street address", "1-2-3 Shibuya"),
                        ("City", "Tokyo"), ("Postal code", "150-0002")):  # fmt: skip
        type_into(page, page.get_by_label(label), text)
    tab_to(page, page.get_by_role("button", name="Pay (demo)"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/checkout/done/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")


def test_filter_a_listing_by_keyboard(page) -> None:
    page.goto("/products")
    skip_to_content(page)
    category = page.get_by_label("Category")
    tab_to(page, category)
    page.keyboard.type("Tableware")
    tab_to(page, page.get_by_label("Available now"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Available now")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Show results"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"category=tableware.*available=1|available=1.*category"))
    count = page.locator(".result-count")
    expect(count).to_be_focused()  # "N pieces" is read out
    first = page.locator(".results a.card-link").first
    expect(first).to_be_visible()
    name = first.locator(".card-title").inner_text()
    tab_to(page, first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_request_a_quote_by_keyboard(page) -> None:
    page.goto("/quote")
    skip_to_content(page)
    type_into(page, page.get_by_label("Airline or organisation"), "Keyboard Air")
    tab_to(page, page.get_by_role("button", name="Send the request"))
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Airline or organisation")).to_have_value("Keyboard Air")
    tab_to(page, summary.get_by_role("link").first)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your name")).to_be_focused()
    page.keyboard.type("Yuki Tanaka")
    wanted = (date.today() + timedelta(days=120)).isoformat()
    for label, text in (("Email address", "yuki@keyboard-air.example"),
                        ("Aircraft type", "Boeing 737-800"), ("Livery / airline", "Keyboard Air"),
                        ("Scale", "1:100"), ("Quantity", "40")):  # fmt: skip
        type_into(page, page.get_by_label(label), text)
    country = page.get_by_label("Deliver to")
    tab_to(page, country, key="Shift+Tab")
    page.keyboard.type("Japan")
    expect(country).to_have_value("JP")
    wanted_by = page.get_by_label("Wanted by")
    tab_to(page, wanted_by)
    year, month, day = wanted.split("-")
    page.keyboard.type(f"{month}{day}{year}")  # Chromium's date field, in the en-US order
    expect(wanted_by).to_have_value(wanted)
    tab_to(page, page.get_by_role("button", name="Send the request"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/quote/[^/]+$"))
    expect(page.locator(".flashes")).to_be_focused()


def test_staff_refund_an_order_by_keyboard(page, live_app) -> None:
    email = f"refund-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.ADMIN)
        variant = db.session.scalars(select(Variant).where(Variant.stock >= 5)).first()
        order = make_order(variant, quantity=1, gateway="demo", payment_intent="demo_pi_kbd")
        order_id, number = order.id, order.number
    page.goto("/admin/login")
    expect(page.get_by_label("Email address")).to_be_focused()  # the sign-in page's autofocus
    page.keyboard.type(email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/orders/{order_id}")  # typed into the address bar
    skip_to_content(page)
    type_into(page, page.get_by_label(re.compile("^Amount to refund")), "50000")
    type_into(page, page.get_by_label("Reason", exact=True), "Damaged in transit")
    tab_to(page, page.get_by_role("button", name=re.compile("^Refund through")))
    page.keyboard.press("Enter")
    flashes = page.locator(".flashes")
    expect(flashes).to_contain_text("Refunded")
    expect(flashes).to_be_focused()
    expect(page.locator("main")).to_contain_text(number)


@pytest.mark.parametrize("device", ["page", "phone"])  # 1280 px; 390 px with the Menu row
def test_staff_add_a_product_with_a_photo_by_keyboard(request, device, live_app, tmp_path) -> None:
    from PIL import Image

    page = request.getfixturevalue(device)

    email = f"photo-{uuid.uuid4().hex[:8]}@example.com"
    tag = uuid.uuid4().hex[:6]
    name, sku = f"Keyboard teak bowl {tag}", f"KB-BOWL-{tag}"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
        workshop = db.session.scalars(select(Workshop).order_by(Workshop.name)).first().name
    photo = tmp_path / "bowl.jpg"
    Image.new("RGB", (640, 480), (150, 90, 40)).save(photo, "JPEG")

    page.goto("/admin/login")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # The back office's own menu, then the "New product" link: no address typed.
    skip_to_content(page)
    products = page.locator("nav.admin-nav").get_by_role("link", name="Products")
    if device == "phone":  # the sections are folded into the "Menu" row: open it first
        menu = page.locator("details.admin-menu > summary")
        tab_to(page, menu, key="Shift+Tab")
        page.keyboard.press("Enter")
        expect(products).to_be_visible()
        tab_to(page, products)
    else:
        tab_to(page, products, key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/products$"))
    skip_to_content(page)
    tab_to(page, page.get_by_role("link", name="New product"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/products/new$"))

    skip_to_content(page)
    type_into(page, page.get_by_label("Name", exact=True), name)
    category = page.get_by_label("Category", exact=True)
    tab_to(page, category)
    page.keyboard.type("Tableware")  # a closed select picks the option typed
    expect(category.locator("option:checked")).to_have_text("Tableware")
    shop = page.get_by_label("Workshop", exact=True)
    tab_to(page, shop)
    page.keyboard.type(workshop)
    expect(shop.locator("option:checked")).to_have_text(workshop)
    for field, text in (("#variants-0-sku", sku), ("#variants-0-price", "275.000"),
                        ("#variants-0-stock", "3"), ("#variants-0-weight_g", "600")):  # fmt: skip
        type_into(page, page.locator(field), text)
    tab_to(page, page.get_by_role("button", name="Save as draft"))
    page.keyboard.press("Enter")  # the variant's option is left empty: refused
    problems = page.locator(".form-problems")
    expect(problems).to_contain_text("Nothing was saved")
    expect(problems).to_be_focused()  # read out first, and Tab goes on from it
    option = page.locator("#variants-0-option_label")
    expect(option).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#variants-0-sku")).to_have_value(sku)
    type_into(page, option, "Ø 24 cm")
    tab_to(page, page.get_by_role("button", name="Save as draft"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/products/\d+$"))
    flashes = page.locator(".flashes")
    expect(flashes).to_contain_text(name)
    expect(flashes).to_be_focused()

    # The file input is a Tab stop (its drop zone shows the ring). A user presses Space and
    # picks the photo in the system's file dialog; setting the file on the focused input stands
    # in for that dialog (waiting for Chromium's headless chooser event proved unreliable under
    # load). Choosing a photo uploads it at once: the Upload button is for pages without script.
    files = page.get_by_label("Add photos")
    tab_to(page, files)
    files.set_input_files(str(photo))
    status = page.locator("[data-photo-status]")
    expect(status).to_have_text("Uploads finished.", timeout=15_000)  # role=status: read out
    expect(files).to_be_focused()  # the list is redrawn around it; focus stays put
    card = page.locator(".photo-card")
    expect(card).to_have_count(1)
    expect(card.locator("img")).to_have_attribute("alt", name)
    alt = card.get_by_label("Alt text")
    tab_to(page, alt)  # the next Tab stops lead from the upload to the new photo
    expect(alt).to_have_value(name)
    page.keyboard.press("Control+a")
    page.keyboard.type("Teak bowl, dark oil finish, seen from above")
    tab_to(page, card.get_by_role("button", name=re.compile("^Save")))
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Alt text")
    expect(card.get_by_role("button", name=re.compile("^Save"))).to_be_focused()

    with live_app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == name))
        assert [p.alt_text for p in product.photos] == [
            "Teak bowl, dark oil finish, seen from above"
        ]
