"""A buyer in Japan or Korea reads the shipping and returns pages from the footer on a phone,
buys a piece, pays, and downloads the invoice in their language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

WORDS = {
    "ja": {"shipping": "配送について", "returns": "返品・返金", "duties": "関税",
           "days": "14日以内", "country": "日本", "cups": "ココナッツ"},
    "ko": {"shipping": "배송", "returns": "반품", "duties": "관세",
           "days": "14일", "country": "일본", "cups": "코코넛"},
}  # fmt: skip
COUNTRY = {"ja": "JP", "ko": "KR"}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


@pytest.mark.parametrize("locale", ["ja", "ko"])
def test_a_buyer_reads_shipping_and_returns_pays_and_downloads_the_invoice(
    chromium, live_server, locale
) -> None:
    words = WORDS[locale]
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale=locale, extra_http_headers={"Accept-Language": locale},
    )  # fmt: skip
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    try:
        tab.goto("/")
        expect(tab.locator("html")).to_have_attribute("lang", locale)
        tab.locator('footer a[href="/pages/shipping"]').click()
        expect(tab).to_have_url(f"{live_server}/pages/shipping")
        expect(tab.get_by_role("heading", level=1)).to_contain_text(words["shipping"])
        expect(tab.locator(".notice.untranslated")).to_have_count(0)
        expect(tab.locator(".prose")).to_contain_text(words["duties"])
        zones = tab.locator(".shop-page-zones tbody tr")
        expect(zones.filter(has_text=words["country"])).to_have_count(1)  # names in the language
        # The zone table scrolls inside its box: the page itself never scrolls sideways.
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390

        tab.locator('footer a[href="/pages/returns"]').click()
        expect(tab.get_by_role("heading", level=1)).to_contain_text(words["returns"])
        expect(tab.locator(".prose")).to_contain_text(words["days"])
        expect(tab.locator(".prose h2").first).to_be_visible()

        tab.goto("/products/coconut-shell-cups")
        tab.locator("form[action$='/cart/add'] button[type=submit]").first.click()
        expect(tab).to_have_url(re.compile(r"/cart$"))
        tab.locator("a[href$='/checkout']").first.click()
        tab.fill("#email", f"invoice-{locale}@example.com")
        tab.select_option("#country", COUNTRY[locale])
        tab.click("#submit")
        expect(tab).to_have_url(re.compile(r"/demo-pay/[^/]+$"))
        tab.fill("#name", "Aiko Tanaka" if locale == "ja" else "Kim Minji")
        tab.fill("#line1", "1-2-3 Shibuya" if locale == "ja" else "12 Sejong-daero")
        tab.fill("#city", "Tokyo" if locale == "ja" else "Seoul")
        tab.fill("#postal_code", "150-0002" if locale == "ja" else "04524")
        tab.click("#pay")
        expect(tab).to_have_url(re.compile(r"/checkout/done/[^/]+$"))
        tab.locator("a[href*='/orders/']").first.click()
        expect(tab).to_have_url(re.compile(r"/orders/[^/]+$"))
        with tab.expect_download() as download:
            tab.click("[data-invoice]")
        invoice = pdf_text(Path(download.value.path()).read_bytes())
        assert words["cups"] in invoice  # the item's name in the buyer's language
        assert re.search(r"KB-\d{4}-\d+", invoice)  # its invoice number
    finally:
        context.close()
