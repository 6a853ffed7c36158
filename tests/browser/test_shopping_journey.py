"""A visitor browses, filters, opens a product, picks a variant and switches language."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_browse_filter_open_product_change_variant_and_switch_to_indonesian(page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Featured pieces")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All handicrafts").click()
    expect(page.get_by_role("heading", level=1, name="All handicrafts")).to_be_visible()

    page.get_by_label("Category").select_option("miniature-aircraft")
    page.get_by_label("Sort by").select_option("price_asc")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(re.compile(r"category=miniature-aircraft.*sort=price_asc"))
    expect(page.get_by_role("heading", level=1, name="Miniature aircraft")).to_be_visible()
    cards = page.locator(".card-title")
    expect(cards.first).to_contain_text("display model")

    page.get_by_role("link", name=re.compile("Boeing 777-300ER display model")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boeing 777-300ER display model")
    price = page.locator("[data-selected-price]")
    before = price.inner_text()
    page.get_by_label(re.compile(r"Scale 1:50")).check()
    expect(price).not_to_have_text(before)
    expect(price).to_have_text("IDR\xa028,050,000")
    expect(page).to_have_url(re.compile(r"variant=AC-B77W-150"))

    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name=re.compile("ID")
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    # The product's own texts switch too: staff translated them (the demo catalog has them).
    expect(page.get_by_role("heading", level=1)).to_have_text("Model pajangan Boeing 777-300ER")
    expect(page.locator("[data-selected-price]")).to_have_text("Rp\xa028.050.000")
    page.goto("/products")
    expect(page.get_by_role("heading", level=1)).to_have_text("Semua kerajinan")


def test_a_variant_picked_before_the_script_loads_still_shows_its_price(page) -> None:
    """On a slow connection the buyer may pick a variant before product.js has run."""
    held: list = []
    page.route("**/static/js/product.js*", lambda route: held.append(route))
    page.goto("/products/boeing-777-300er-display-model", wait_until="commit")
    page.get_by_label(re.compile(r"Scale 1:50")).check()
    page.wait_for_timeout(50)
    price = page.locator("[data-selected-price]")
    expect(price).not_to_have_text("IDR\xa028,050,000")  # the script is still held back
    assert held, "product.js was never requested"
    for route in held:
        route.continue_()
    expect(price).to_have_text("IDR\xa028,050,000")
    expect(page).to_have_url(re.compile(r"variant=AC-B77W-150"))


def test_gallery_thumbnails_are_keyboard_usable(page) -> None:
    page.goto("/products/boeing-777-300er-display-model")
    thumbs = page.locator(".gallery-thumbs a")
    expect(thumbs).to_have_count(4)
    thumbs.nth(2).focus()
    page.keyboard.press("Enter")
    expect(thumbs.nth(2)).to_have_attribute("aria-current", "true")
    track = page.locator(".gallery-track")
    page.wait_for_function(
        "el => Math.round(el.scrollLeft / el.clientWidth) === 2", arg=track.element_handle()
    )


def test_search_from_the_header_finds_products(page) -> None:
    page.goto("/")
    # With the suggestion script the search field is a combobox (WAI-ARIA 1.2).
    page.get_by_role("combobox", name="Search the shop").fill("salad bowl")
    page.get_by_role("combobox", name="Search the shop").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("for “salad bowl”")
    expect(page.locator(".card-title").first).to_contain_text("Sono wood salad bowl")


def test_phone_layout_fits_without_sideways_scrolling(phone) -> None:
    for path in ("/", "/products", "/products/sono-wood-salad-bowl", "/workshops/rattan-cirebon"):
        phone.goto(path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
