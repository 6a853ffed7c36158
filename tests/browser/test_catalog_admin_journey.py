"""Staff put a new product on sale and ship a paid order, in a real browser."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import OrderStatus, Product, Role, Variant
from shop.services.accounts import staff as users
from tests.browser.axe import assert_no_serious_violations
from tests.factories import png_bytes
from tests.order_factories import make_order

PASSWORD = "a long enough password"


def _sign_in(tab, live_app) -> None:
    email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.STAFF)
    tab.goto("/admin/login")
    tab.fill("#email", email)
    tab.fill("#password", PASSWORD)
    tab.click("#submit")
    tab.wait_for_url("**/admin/")


def _photo_sources(tab) -> list[str]:
    return tab.locator(".photo-card .photo-thumb img").evaluate_all(
        "imgs => imgs.map(img => img.getAttribute('src'))"
    )


def test_staff_create_a_product_with_photos_publish_it_and_the_shop_shows_it(
    page, live_app, tmp_path
) -> None:
    _sign_in(page, live_app)
    page.click("nav.admin-nav >> text=Products")
    page.click("text=New product")

    page.get_by_label("Name", exact=True).fill("Lion Air 737 MAX 8 desk model")
    page.get_by_label("Category", exact=True).select_option(label="Miniature aircraft")
    page.get_by_label("Workshop", exact=True).select_option(index=1)
    description = page.get_by_label("Description", exact=True)
    description.fill("Hand-painted **resin** model on a teak stand.")
    page.click("button:has-text('Preview')")
    expect(page.locator("[data-md-preview] strong")).to_have_text("resin")

    page.fill("#variants-0-sku", "LA-738M-200")
    page.fill("#variants-0-option_label", "Scale 1:200")
    page.fill("#variants-0-price", "450.000")
    page.fill("#variants-0-stock", "6")
    page.fill("#variants-0-weight_g", "400")
    page.click("text=Add a variant")
    page.fill("#variants-1-sku", "LA-738M-100")
    page.fill("#variants-1-option_label", "Scale 1:100")
    page.fill("#variants-1-price", "Rp1.750.000")
    page.fill("#variants-1-stock", "2")
    page.fill("#variants-1-weight_g", "1500")
    page.click("button:has-text('Save as draft')")
    page.wait_for_url(re.compile(r"/admin/products/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()

    # Two photos at once through the upload control; each shows its progress and result.
    files = []
    for name, colour in (("first.png", (200, 40, 40)), ("second.png", (40, 40, 200))):
        path = tmp_path / name
        path.write_bytes(png_bytes((900, 600), colour))
        files.append(str(path))
    page.locator("input[type=file][name=photos]").set_input_files(files)
    expect(page.locator(".photo-card")).to_have_count(2, timeout=15_000)
    first, second = _photo_sources(page)

    page.locator(".photo-card").first.get_by_role("button", name=re.compile("Move later")).click()
    expect(page.locator(".photo-card").first.locator("img")).to_have_attribute("src", second)
    assert _photo_sources(page) == [second, first]
    assert_no_serious_violations(page, "product editor with photos")

    page.click("button:has-text('Publish')")
    expect(page.locator(".flash-success")).to_be_visible()

    with live_app.app_context():
        product = db.session.scalar(
            select(Product).where(Product.name == "Lion Air 737 MAX 8 desk model")
        )
        slug, cover_key = product.slug, product.photos[0].image_key
        assert [v.sku for v in product.variants] == ["LA-738M-200", "LA-738M-100"]
    assert cover_key in second

    page.goto(f"/products/{slug}")
    expect(page.locator("h1")).to_have_text("Lion Air 737 MAX 8 desk model")
    # The price range of the two variants, in the visitor's (English) number format.
    expect(page.locator("main")).to_contain_text(re.compile(r"IDR\s450,000\s*–\s*IDR\s1,750,000"))
    expect(page.locator(".gallery-slide")).to_have_count(2)
    assert cover_key in page.locator(".gallery-slide img").first.get_attribute("src")

    page.goto("/products?category=miniature-aircraft&sort=newest")
    expect(page.locator("main")).to_contain_text("Lion Air 737 MAX 8 desk model")


def test_staff_mark_a_paid_order_shipped_on_a_phone(phone, live_app) -> None:
    with live_app.app_context():
        variant = db.session.scalars(select(Variant).where(Variant.stock >= 2)).first()
        order = make_order(variant, quantity=1, email="hanako@example.jp")
        order_id, number = order.id, order.number
    _sign_in(phone, live_app)
    phone.goto("/admin/orders?status=paid")
    phone.click(f"text={number}")
    phone.click("button:has-text('Mark packed')")
    expect(phone.locator(".flash-success")).to_contain_text("packed")
    phone.get_by_label("Carrier").fill("POS Indonesia")
    phone.get_by_label("Tracking number").fill("RR123456789ID")
    phone.click("button:has-text('Mark shipped')")
    expect(phone.locator(".flash-success")).to_contain_text("the customer was emailed")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    with live_app.app_context():
        from shop.models import Order

        shipped = db.session.get(Order, order_id)
        assert shipped.status == OrderStatus.SHIPPED
        assert shipped.tracking_number == "RR123456789ID"


def test_staff_translate_a_product_on_a_phone_and_korean_buyers_read_it(phone, live_app) -> None:
    from tests.factories import make_category, make_product, make_workshop

    with live_app.app_context():
        tray = make_product(
            "Batik serving tray", category=make_category("trays-ko", "Trays"),
            workshop=make_workshop("batik-ko", "Batik workshop"),
            description_md="Hand-drawn **batik** under lacquer.",
        )  # fmt: skip
        db.session.commit()
        tray_id, slug = tray.id, tray.slug
    _sign_in(phone, live_app)

    phone.goto(f"/admin/products/{tray_id}")
    phone.get_by_role("link", name="한국어").click()
    expect(phone.get_by_role("heading", level=2, name="한국어")).to_be_visible()
    assert_no_serious_violations(phone, "product translation on a phone")
    phone.get_by_label("Name", exact=True).fill("바틱 서빙 트레이")
    phone.get_by_label("Description", exact=True).fill("손으로 그린 **바틱**에 옻칠을 했습니다.")
    phone.click("text=Save translation")
    expect(phone.locator(".flash-success")).to_contain_text("한국어")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(f"/products/{slug}?lang=ko")
    expect(phone.get_by_role("heading", level=1)).to_have_text("바틱 서빙 트레이")
    expect(phone.locator(".product-details .prose strong").first).to_have_text("바틱")
    expect(phone.locator(".notice.untranslated")).to_have_count(0)
