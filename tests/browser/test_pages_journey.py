"""A buyer in Japan reads the shipping and returns pages from the footer, on a phone."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_japanese_buyer_reads_shipping_and_returns_from_the_footer(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="ja",
        extra_http_headers={"Accept-Language": "ja"},
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/")
        expect(tab.locator("html")).to_have_attribute("lang", "ja")
        tab.locator('footer a[href="/pages/shipping"]').click()
        expect(tab).to_have_url(f"{live_server}/pages/shipping")
        expect(tab.get_by_role("heading", level=1)).to_have_text("配送について")
        expect(tab.locator(".notice.untranslated")).to_have_count(0)
        expect(tab.locator(".prose")).to_contain_text("関税")
        zones = tab.locator(".shop-page-zones tbody tr")
        expect(zones.filter(has_text="日本")).to_have_count(1)  # East Asia, countries in Japanese
        # The zone table scrolls inside its box: the page itself never scrolls sideways.
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390

        tab.locator('footer a[href="/pages/returns"]').click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("返品・返金")
        expect(tab.locator(".prose")).to_contain_text("14日以内")
        expect(tab.locator(".prose h2").first).to_be_visible()
    finally:
        context.close()
