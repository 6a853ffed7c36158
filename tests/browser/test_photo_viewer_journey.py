"""A buyer enlarges a product photo with the keyboard, steps to the next one and closes the
viewer; the large image is fetched only when the viewer opens. Without JavaScript the link
opens the large image."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violations

PRODUCT = "/products/boeing-777-300er-display-model"  # featured: four photos


@pytest.mark.parametrize(
    ("device", "language", "first_title", "second_title"),
    [
        ("page", "en", "Photo 1 of 4", "Photo 2 of 4"),
        ("phone", "ja", re.compile(r"1\D+4"), re.compile(r"2\D+4")),
    ],
)
def test_enlarge_step_and_close_with_the_keyboard(
    request, device, language, first_title, second_title
) -> None:
    tab = request.getfixturevalue(device)
    requested: list[str] = []
    tab.on("request", lambda r: requested.append(r.url))
    tab.goto(f"{PRODUCT}?lang={language}")
    tab.wait_for_load_state("networkidle")
    zoom_links = tab.locator("[data-zoom]")
    expect(zoom_links).to_have_count(4)
    large = [tab.evaluate("(a) => a.href", zoom_links.nth(i).element_handle()) for i in range(4)]
    assert all(re.search(r"-1280\.\w+$", url) for url in large), large
    assert not set(large) & set(requested), "a large photo was fetched before opening"

    zoom_links.first.focus()
    tab.keyboard.press("Enter")
    dialog = tab.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_name(first_title)
    image = dialog.locator("[data-lightbox-image]")
    expect(image).to_have_attribute("src", re.compile(re.escape(large[0].split("/")[-1])))
    loaded = "(img) => img.complete && img.naturalWidth > 0"
    tab.wait_for_function(loaded, arg=image.element_handle())
    assert large[0] in requested
    assert large[1] not in requested  # only the photo shown
    assert_no_serious_violations(tab, f"photo viewer open ({device}, {language})")

    tab.keyboard.press("ArrowRight")
    expect(dialog).to_have_accessible_name(second_title)
    expect(image).to_have_attribute("src", re.compile(re.escape(large[1].split("/")[-1])))
    tab.keyboard.press("Tab")
    expect(dialog.locator(":focus")).to_have_count(1)  # focus stays in the modal viewer

    tab.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(zoom_links.first).to_be_focused()  # back where the buyer was


def test_zoom_buttons_enlarge_the_photo(page) -> None:
    page.goto(PRODUCT)
    page.locator("[data-zoom]").nth(1).click()
    dialog = page.get_by_role("dialog")
    image = dialog.locator("[data-lightbox-image]")
    before = image.bounding_box()["width"]
    dialog.get_by_role("button", name="Zoom in").click()
    expect(dialog.locator(".is-zoomed")).to_have_count(1)
    assert image.bounding_box()["width"] > before * 1.4
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-zoom]").nth(1)).to_be_focused()


def test_without_javascript_the_link_opens_the_large_image(chromium, live_server) -> None:
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto(PRODUCT)
        link = tab.get_by_role("link", name="Enlarge photo 1 of 4")
        link.click()
        expect(tab).to_have_url(re.compile(r"/media/\w+-1280\.\w+$"))
    finally:
        context.close()
