"""A buyer types in the header search field, picks a suggestion with the keyboard and lands on
the product, in Japanese on a laptop and in Korean on a phone; without JavaScript the field
still searches."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violations


def _open(chromium, live_server, language: str, width: int):
    phone = width < 600
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


@pytest.mark.parametrize(
    ("language", "width", "typed", "product"),
    [
        ("ja", 1280, "ボーイング 787", "Boeing 787-9 Dreamliner ディスプレイモデル"),
        ("ko", 390, "보잉 787", "Boeing 787-9 Dreamliner 전시용 모형"),
        ("ja", 390, "ボーイング 787", "Boeing 787-9 Dreamliner ディスプレイモデル"),
        ("ko", 1280, "보잉 787", "Boeing 787-9 Dreamliner 전시용 모형"),
    ],
    ids=["ja-1280", "ko-390", "ja-390", "ko-1280"],
)
def test_type_arrow_down_enter_lands_on_the_product(
    chromium, live_server, language, width, typed, product
) -> None:
    context, tab = _open(chromium, live_server, language, width)
    try:
        tab.goto(f"/?lang={language}")
        field = tab.locator("input#site-search[role=combobox]")
        expect(field).to_have_attribute("aria-expanded", "false")
        field.press_sequentially(typed, delay=20)
        listbox = tab.get_by_role("listbox")
        expect(listbox).to_be_visible()
        expect(field).to_have_attribute("aria-expanded", "true")
        expect(field).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")
        options = listbox.get_by_role("option")
        expect(options.first).to_have_text(product)
        count = options.count()
        status = tab.get_by_role("status").filter(has_text=str(count))
        expect(status).to_have_count(1)  # the count is announced politely

        field.press("ArrowDown")
        first_id = options.first.get_attribute("id")
        expect(field).to_have_attribute("aria-activedescendant", first_id or "")
        expect(options.first).to_have_attribute("aria-selected", "true")
        expect(field).to_be_focused()  # focus stays in the field while choosing
        assert_no_serious_violations(tab, f"suggestions open ({language}, {width} px)")

        field.press("Escape")
        expect(listbox).to_be_hidden()
        expect(field).to_have_attribute("aria-expanded", "false")
        expect(field).to_have_value(typed)
        field.press("ArrowDown")  # opens again on the first suggestion
        expect(options.first).to_have_attribute("aria-selected", "true")
        field.press("Enter")
        expect(tab).to_have_url(re.compile(r"/products/boeing-787-9-display-model"))
        expect(tab.get_by_role("heading", level=1)).to_have_text(product)
    finally:
        context.close()


def test_enter_without_choosing_searches(page) -> None:
    page.goto("/")
    field = page.locator("input#site-search[role=combobox]")
    field.press_sequentially("teak", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/products\?q=teak"))


def test_without_javascript_the_field_searches(chromium, live_server) -> None:
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/")
        field = tab.locator("#site-search")
        expect(field).not_to_have_attribute("role", "combobox")
        field.fill("boeing")
        field.press("Enter")
        expect(tab).to_have_url(re.compile(r"/products\?q=boeing"))
        expect(tab.locator(".card-title").first).to_contain_text("Boeing")
    finally:
        context.close()
