"""On a phone the filters are a drawer over the results; on a laptop they sit beside them."""

from __future__ import annotations

from playwright.sync_api import expect


def test_on_a_phone_the_results_come_first_and_the_filters_open_as_a_drawer(phone) -> None:
    phone.goto("/products?category=tableware&max_price=500000")
    panel = phone.locator("[data-filters]")
    expect(panel.locator("summary")).to_contain_text("2 filters on")
    first_card = phone.locator(".card").first
    expect(first_card).to_be_in_viewport()  # the filter form does not push the results away
    expect(phone.locator("#f-q")).to_be_hidden()
    panel.locator("summary").click()
    expect(phone.locator("#f-q")).to_be_visible()
    assert panel.evaluate("el => getComputedStyle(el).position") == "fixed"
    box = panel.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 + 1  # a sheet from the bottom
    phone.select_option("#f-sort", "price_asc")
    phone.get_by_role("button", name="Show results").click()
    expect(phone).to_have_url(phone.url.split("?")[0] + "?category=tableware&max_price=500000"
                              "&sort=price_asc#result-count")  # fmt: skip
    expect(phone.locator("#f-q")).to_be_hidden()  # closed again over the new results
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_laptop_the_filters_sit_beside_the_results(page) -> None:
    page.goto("/products?category=tableware")
    expect(page.locator("#f-q")).to_be_visible()
    expect(page.locator(".card").first).to_be_in_viewport()
    assert page.locator("[data-filters]").evaluate("el => getComputedStyle(el).position") in (
        "sticky",
        "static",
    )
