"""The shop's pages: shown in the visitor's language (English where untranslated), sanitized
Markdown, linked from the footer, checkout and sitemap; edited by staff with a full history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import AuditEntry, ShopPage, ShopPageVersion
from shop.services import pages
from shop.services.ordering.shipping import install_default_zones
from tests.factories import csrf_from


@pytest.fixture
def installed(app):
    """The pages with their default texts, and the shipping zones."""
    install_default_zones()
    pages.install_defaults()


@pytest.fixture
def signed_in(client, auth, staff_user):
    """A staff member signed in to the back office."""
    auth.login(staff_user.email)
    return staff_user


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def _page_id(slug: str) -> int:
    return db.session.scalar(select(ShopPage.id).where(ShopPage.slug == slug))


def _post(client, url: str, data: dict):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _form_data(client, page_id: int, **changes: str) -> dict:
    """The edit form as staff find it, with some fields changed."""
    html = client.get(f"/admin/pages/{page_id}").get_data(as_text=True)
    data = {}
    for code in ("en", "id", "ja", "ko"):
        title = re.search(rf'name="title_{code}"[^>]*value="([^"]*)"', html)
        body = re.search(rf'name="body_{code}"[^>]*>\n?(.*?)</textarea>', html, re.S)
        data[f"title_{code}"] = _unescape(title.group(1) if title else "")
        data[f"body_{code}"] = _unescape(body.group(1) if body else "")
    data["csrf_token"] = csrf_from(html)
    return data | changes


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --- The storefront ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Returns & refunds"), ("id", "Pengembalian & pengembalian dana"),
     ("ja", "返品・返金"), ("ko", "반품 및 환불")],
)  # fmt: skip
def test_every_page_reads_in_the_visitors_language(client, installed, lang, title) -> None:
    response = client.get(f"/pages/returns?lang={lang}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _h1(html) == title.replace("&", "&amp;")
    assert "not translated" not in html
    assert f'<html lang="{lang}">' in html


def test_every_default_page_exists_in_all_four_languages(client, installed) -> None:
    for slug in ("shipping", "returns", "faq", "privacy", "terms", "about", "accessibility"):
        for lang in ("en", "id", "ja", "ko"):
            assert client.get(f"/pages/{slug}?lang={lang}").status_code == 200, (slug, lang)
    privacy = client.get("/pages/privacy?lang=en").get_data(as_text=True)
    assert "Stripe" in privacy and "10 years" in privacy and "delete" in privacy


@pytest.mark.parametrize(
    ("lang", "title", "error_word"),
    [("en", "Accessibility", "Error:"), ("id", "Aksesibilitas", "Kesalahan:"),
     ("ja", "アクセシビリティ", "エラー:"), ("ko", "접근성", "오류:")],
)  # fmt: skip
def test_the_accessibility_statement_is_in_every_language_and_linked_from_the_footer(
    client, installed, lang, title, error_word
) -> None:
    html = client.get(f"/pages/accessibility?lang={lang}").get_data(as_text=True)

    assert _h1(html) == title
    assert 'class="notice untranslated"' not in html
    assert "WCAG" in html and "2.2" in html and "320 px" in html
    assert f"“{error_word}" in html or f'"{error_word}' in html or f"「{error_word}" in html
    assert 'href="/contact"' in html.split('class="site-footer"')[0]  # how to ask for help
    assert "<!--" not in html.split('class="site-footer"')[0]  # the developer note stays out
    home = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert 'href="/pages/accessibility"' in home.split('class="site-footer"')[1]


def test_the_shipping_page_lists_zones_countries_and_says_who_pays_duties(
    client, installed
) -> None:
    html = client.get("/pages/shipping?lang=ja").get_data(as_text=True)

    assert "日本" in html and "韓国" in html  # the East Asia zone's countries, in Japanese
    assert "6～12日" in html
    assert "関税" in html and "お客様のご負担" in html


def test_an_untranslated_page_shows_english_marked_as_english(client, installed, signed_in):
    page_id = _page_id("faq")
    data = _form_data(client, page_id, title_ko="", body_ko="")
    assert client.post(f"/admin/pages/{page_id}", data=data).status_code == 303

    html = client.get("/pages/faq?lang=ko").get_data(as_text=True)

    assert re.search(r'<h1 lang="en">Frequently asked questions</h1>', html)
    assert '<div class="prose" lang="en">' in html
    assert "영어로 표시됩니다" in html or "not translated" in html


def test_a_missing_page_is_not_found_and_contact_goes_to_the_form(client, installed) -> None:
    assert client.get("/pages/nothing-here").status_code == 404
    assert client.get("/pages/contact").headers["Location"].endswith("/contact")


def test_pages_are_not_found_before_they_are_installed(client) -> None:
    assert client.get("/pages/shipping").status_code == 404


def test_install_pages_keeps_staff_texts_and_adds_only_what_is_missing(
    app, runner, installed
) -> None:
    page = db.session.get(ShopPage, _page_id("terms"))
    pages.save_page("staff@example.com", page, {
        "en": pages.Draft("Our terms", "Be nice."),
    })  # fmt: skip
    versions = db.session.scalar(select(func.count()).select_from(ShopPageVersion))

    result = runner.invoke(args=["install-pages"])

    assert "Page texts added: 0" in result.output
    assert db.session.scalar(select(func.count()).select_from(ShopPageVersion)) == versions
    assert pages.shown_text("terms", "en").title == "Our terms"


def test_footer_links_the_pages_and_checkout_links_the_terms(client, installed) -> None:
    home = client.get("/?lang=ja").get_data(as_text=True)
    footer = home[home.index('<footer class="site-footer">') :]

    for href in ("/pages/shipping", "/pages/returns", "/pages/faq", "/contact",
                 "/orders/find", "/pages/terms", "/pages/privacy", "/pages/about"):  # fmt: skip
        assert f'href="{href}"' in footer


def test_checkout_says_paying_accepts_the_terms_beside_the_pay_button(client, installed) -> None:
    from tests.factories import shop_with_stock
    from tests.test_cart import add

    add(client, shop_with_stock().variants[0].sku)

    html = client.get("/checkout").get_data(as_text=True)

    terms = html.index("By paying you accept our terms of sale.")
    assert 'href="/pages/terms"' in html[terms : terms + 400]
    assert html.index('type="submit"', terms) > terms


def test_the_sitemap_lists_every_page_in_every_language_with_alternates(client, installed):
    xml = client.get("/sitemap.xml").get_data(as_text=True)

    for slug in ("shipping", "returns", "faq", "privacy", "terms", "about", "accessibility"):
        assert f"<loc>http://localhost/pages/{slug}?lang=ja</loc>" in xml
    entry = xml[xml.index("<loc>http://localhost/pages/shipping</loc>") :].split("</url>")[0]
    assert 'hreflang="ko" href="http://localhost/pages/shipping?lang=ko"' in entry
    assert "<loc>http://localhost/contact</loc>" in xml


def test_markdown_is_sanitized(client, installed) -> None:
    page = db.session.get(ShopPage, _page_id("faq"))
    hostile = (
        "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) and **bold**"
    )
    pages.save_page("staff@example.com", page, {"en": pages.Draft("FAQ", hostile)})

    html = client.get("/pages/faq").get_data(as_text=True)
    prose = html[html.index('<div class="prose"') :].split("</div>")[0]

    assert "<script" not in prose and "<img" not in prose
    assert "&lt;script&gt;" in prose  # shown as the text it is, never run
    assert 'href="javascript' not in prose
    assert "<strong>bold</strong>" in prose


def test_a_saved_page_shows_at_once_though_pages_are_cached(client, installed) -> None:
    assert "Shipping &amp; delivery" in client.get("/pages/shipping").get_data(as_text=True)
    page = db.session.get(ShopPage, _page_id("shipping"))
    pages.save_page("staff@example.com", page, {"en": pages.Draft("Delivery", "Fast.")})

    assert _h1(client.get("/pages/shipping").get_data(as_text=True)) == "Delivery"


# --- The back office --------------------------------------------------------------------------


def test_staff_edit_a_page_and_every_save_is_kept_with_who_and_when(
    client, installed, signed_in
) -> None:
    page_id = _page_id("returns")
    data = _form_data(client, page_id, title_ja="返品について", body_ja="30日以内に返品できます。")

    response = client.post(f"/admin/pages/{page_id}", data=data)

    assert response.status_code == 303
    assert _h1(client.get("/pages/returns?lang=ja").get_data(as_text=True)) == "返品について"
    history = client.get(f"/admin/pages/{page_id}/history").get_data(as_text=True)
    assert "返品について" in history and "staff@example.com" in history
    newest = pages.history(db.session.get(ShopPage, page_id))[0]
    assert (newest.locale, newest.created_by) == ("ja", "staff@example.com")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "page.updated")).one()
    assert entry.actor_email == "staff@example.com"


def test_saving_without_changes_adds_no_version(client, installed, signed_in) -> None:
    page_id = _page_id("about")
    before = len(pages.history(db.session.get(ShopPage, page_id)))

    client.post(f"/admin/pages/{page_id}", data=_form_data(client, page_id))

    assert len(pages.history(db.session.get(ShopPage, page_id))) == before


def test_english_is_required_and_nothing_is_saved_without_it(client, installed, signed_in):
    page_id = _page_id("terms")
    data = _form_data(client, page_id, body_en="", title_id="Syarat baru")

    response = client.post(f"/admin/pages/{page_id}", data=data)

    assert response.status_code == 422
    assert "Fill in both the title and the text" in response.get_data(as_text=True)
    assert pages.shown_text("terms", "id").title == "Syarat penjualan"


def test_restoring_an_old_version_shows_it_again_and_keeps_the_history(
    client, installed, signed_in
) -> None:
    page_id = _page_id("privacy")
    first = pages.history(db.session.get(ShopPage, page_id))
    original = next(v for v in first if v.locale == "en")
    client.post(f"/admin/pages/{page_id}", data=_form_data(client, page_id, title_en="Privacy v2"))
    assert _h1(client.get("/pages/privacy").get_data(as_text=True)) == "Privacy v2"

    history = client.get(f"/admin/pages/{page_id}/history").get_data(as_text=True)
    response = client.post(
        f"/admin/pages/{page_id}/versions/{original.id}/restore",
        data={"csrf_token": csrf_from(history)},
    )

    assert response.status_code == 303
    assert _h1(client.get("/pages/privacy").get_data(as_text=True)) == "Privacy"
    versions = pages.history(db.session.get(ShopPage, page_id))
    assert len(versions) == len(first) + 2
    assert versions[0].restored_from_id == original.id
    assert versions[0].created_by == "staff@example.com"


def test_a_version_of_another_page_cannot_be_restored(client, installed, signed_in) -> None:
    other = pages.history(db.session.get(ShopPage, _page_id("faq")))[0]
    page_id = _page_id("terms")
    token = csrf_from(client.get(f"/admin/pages/{page_id}/history").get_data(as_text=True))

    response = client.post(
        f"/admin/pages/{page_id}/versions/{other.id}/restore", data={"csrf_token": token}
    )

    assert response.status_code == 404


def test_pages_are_for_signed_in_staff_only(client, installed) -> None:
    page_id = _page_id("terms")
    for url in ("/admin/pages", f"/admin/pages/{page_id}", f"/admin/pages/{page_id}/history"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    before = db.session.scalar(select(func.count()).select_from(ShopPageVersion))
    client.post(f"/admin/pages/{page_id}", data={"title_en": "Hacked", "body_en": "x"})
    assert db.session.scalar(select(func.count()).select_from(ShopPageVersion)) == before


def test_a_save_without_the_form_token_is_refused(client, installed, signed_in) -> None:
    page_id = _page_id("terms")
    data = _form_data(client, page_id, title_en="No token")
    del data["csrf_token"]

    response = client.post(f"/admin/pages/{page_id}", data=data)

    assert response.status_code == 400
    assert pages.shown_text("terms", "en").title == "Terms of sale"
    version = pages.history(db.session.get(ShopPage, page_id))[-1]
    restore = client.post(f"/admin/pages/{page_id}/versions/{version.id}/restore")
    assert restore.status_code == 400
