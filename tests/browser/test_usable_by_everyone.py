"""The defects of issue #16 that an automated pass at common sizes does not see, tried the way a
keyboard, screen-reader or zoomed-phone user meets them.

The accessibility statement (shop page "accessibility") names these tests for its claims.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.contrast import ring_contrast

AIRCRAFT = "/products/boeing-777-300er-display-model"


@pytest.fixture
def narrow(chromium: Any, live_server: str) -> Any:
    """A 320 px wide page: a 1280 px screen zoomed to 400 % (WCAG 1.4.10 reflow)."""
    context = chromium.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _inside_viewport(tab: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    width = tab.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _page_width(tab: Any) -> int:
    return tab.evaluate("document.documentElement.scrollWidth")


def test_cart_reflows_at_320_px_with_every_button_on_screen(narrow) -> None:
    narrow.goto(AIRCRAFT)
    narrow.get_by_role("button", name="Add to cart").click()
    expect(narrow).to_have_url(re.compile(r"/cart$"))
    assert _page_width(narrow) <= 320
    for name in ("Update", "Estimate", "Check out"):
        control = narrow.get_by_role("button", name=name).or_(narrow.get_by_role("link", name=name))
        assert _inside_viewport(narrow, control.first), f"{name} is cut off at 320 px"


def test_wide_tables_scroll_in_labelled_regions_reached_by_tab(narrow) -> None:
    narrow.goto(AIRCRAFT)
    region = narrow.get_by_role("region", name=re.compile("Volume prices"))
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "table fits: nothing to test"
    region.focus()
    for _ in range(20):  # arrow keys scroll the focused region, smoothly
        narrow.keyboard.press("ArrowRight")
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        narrow.wait_for_timeout(50)
    expect(region).to_be_focused()
    assert region.evaluate("el => el.scrollLeft") > 0, "arrow keys did not scroll the table"
    assert _page_width(narrow) <= 320


def test_every_category_of_the_phone_menu_is_on_screen(narrow) -> None:
    narrow.goto("/")
    links = narrow.locator("nav.main-nav a")
    assert links.count() >= 8
    for i in range(links.count()):
        assert _inside_viewport(narrow, links.nth(i)), f"{links.nth(i).inner_text()} is clipped"
    assert _page_width(narrow) <= 320


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(page) -> None:
    page.goto("/products")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert _inside_viewport(page, skip)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_refused_checkout_says_error_in_the_title_and_focuses_the_summary(page) -> None:
    page.goto(AIRCRAFT)
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/checkout")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page).to_have_title(re.compile(r"^Error: Checkout"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    summary.get_by_role("link", name=re.compile("^Email address")).click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_refused_quote_request_focuses_the_summary_and_keeps_what_was_typed(page) -> None:
    page.goto("/quote")
    page.get_by_label("Airline or organisation").fill("Garuda Example")
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Airline or organisation")).to_have_value("Garuda Example")


def test_failed_sign_in_says_error_in_the_title_and_focuses_the_message(page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email address").fill("nobody@example.com")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("don't match an account")


def test_add_to_cart_moves_focus_to_the_confirmation(page) -> None:
    page.goto(AIRCRAFT)
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    flashes = page.locator(".flashes")
    expect(flashes).to_be_focused()
    expect(flashes).to_have_attribute("role", "status")
    expect(flashes).to_contain_text("to your cart")


def test_show_results_moves_focus_to_the_result_count(page) -> None:
    page.goto("/products")
    page.get_by_label("Category").select_option("tableware")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(re.compile(r"category=tableware"))
    count = page.locator(".result-count")
    expect(count).to_be_focused()
    expect(count).to_have_attribute("role", "status")
    expect(count).to_contain_text(re.compile(r"\d+ pieces?"))


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("/", ".site-footer ul a"),  # dark green footer
        ("/", "nav.main-nav a"),  # white header
        ("/", ".hero .button"),  # green hero
        ("/cart", ".site-footer .currency-form button"),
        ("/admin/login", ".topbar a.brand"),  # the back office's dark green bar
    ],
)
def test_focus_ring_has_3_to_1_contrast_against_its_background(page, path, selector) -> None:
    page.goto(path)
    target = page.locator(selector).first
    target.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    expect(target).to_be_focused()
    ratio, colours = ring_contrast(target)
    assert ratio >= 3, f"{selector} on {path}: {colours} is {ratio:.2f} : 1"
