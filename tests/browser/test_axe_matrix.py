"""axe-core finds no violation at all (any impact) on any page type, in every language the page
is offered in, at 320, 390 and 1280 px (issue #16).

Each page is loaded once per language and only resized between the three axe runs, so the
whole matrix stays quick. Pages are reached the way a visitor reaches them: the refused
checkout, quote and contact forms are really submitted, the order is really paid through the
demo gateway, the account and back-office pages are signed in to.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Category, Product, QuoteRequest, Role, ShopPage, Variant, Workshop
from shop.services.accounts import addresses, customers
from shop.services.accounts import staff as users
from shop.services.quotes import offers as quote_offers
from shop.services.quotes import requests as quotes
from tests.browser.axe import violations_at_widths
from tests.order_factories import make_order

WIDTHS = (1280, 390, 320)
SHOP_LANGUAGES = ("en", "id", "ja", "ko")
STAFF_LANGUAGES = ("en", "id")
PASSWORD = "a long enough password"
AIRCRAFT = "boeing-777-300er-display-model"  # has the volume-price table
TO_BUY = "teak-serving-spoons"


@pytest.fixture(scope="module")
def world(live_app) -> dict[str, Any]:
    """What the pages need: a customer with an address, a quote with an offer, staff, ids."""
    tag = uuid.uuid4().hex[:8]
    with live_app.app_context():
        customer = customers.register(f"axe-{tag}@example.com", PASSWORD, name="Aiko Tanaka")
        customers.confirm_email(customer)
        address = addresses.add_address(
            customer, addresses.AddressDetails("Aiko Tanaka", "1-2-3 Jingumae", "Tokyo", "JP")
        )
        quote = _quote_with_offer(live_app, customer.email)
        staff = users.create_user(f"axe-staff-{tag}@example.com", PASSWORD, role=Role.ADMIN)
        first = db.session.scalars(select(Product).order_by(Product.id)).first()
        variant = db.session.scalars(select(Variant).where(Variant.stock >= 5)).first()
        order = make_order(variant, quantity=1, email=customer.email, payment_intent=None)
        return {
            "order": order.id,
            "customer": customer.email,
            "address": address.id,
            "quote_token": quote.token,
            "quote": quote.id,
            "staff": staff.email,
            "product": first.id,
            "category": db.session.scalars(select(Category.id)).first(),
            "workshop": db.session.scalars(select(Workshop.id)).first(),
            "workshop_slug": db.session.scalars(select(Workshop.slug)).first(),
            "page": db.session.scalar(select(ShopPage.id).where(ShopPage.slug == "shipping")),
        }


def _quote_with_offer(live_app: Any, email: str) -> QuoteRequest:
    details = quotes.RequestDetails(
        organisation="Example Air", contact_name="Yuki Tanaka", email=email, phone="",
        country="JP", aircraft_type="Boeing 737-800", livery="Example Air 2024",
        scale="1:100", quantity=40, wanted_by=date.today() + timedelta(days=120),
    )  # fmt: skip
    quote = quotes.create_request(details, [], live_app.extensions["private_media"], locale="en")
    offer = quote_offers.OfferDetails(
        unit_price_idr=850_000, quantity=40, shipping_idr=2_500_000, lead_time_days=45,
        valid_until=date.today() + timedelta(days=30), notes="Gloss finish.",
    )  # fmt: skip
    quote_offers.send_offer(quote, offer, actor="staff@karyabinaan.example")
    return quote


@pytest.fixture
def visitor(chromium: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser whose remembered language is the test's `lang`."""
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "lang", "value": request.node.callspec.params["lang"],
                          "url": live_server}])  # fmt: skip
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


class Audit:
    """Runs axe on each page at every width and keeps every violation for one report."""

    def __init__(self, tab: Any, lang: str) -> None:
        self.tab, self.lang, self.found = tab, lang, []

    def visit(self, path: str) -> None:
        """Load a page and check it."""
        response = self.tab.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response.status}"
        self.check(path)

    def check(self, where: str) -> None:
        """Check the page the browser shows now."""
        self.tab.wait_for_load_state()
        self.found += violations_at_widths(self.tab, WIDTHS, f"[{self.lang}] {where}")

    def assert_clean(self) -> None:
        """Fail with every violation found."""
        assert not self.found, f"{len(self.found)} axe violations:\n" + "\n".join(self.found)


@pytest.mark.parametrize("lang", SHOP_LANGUAGES)
def test_storefront_pages(visitor, world, lang) -> None:
    audit = Audit(visitor, lang)
    for path in (
        "/", "/products", "/products?category=tableware", "/products?q=bowl",
        f"/products/{AIRCRAFT}", "/workshops", f"/workshops/{world['workshop_slug']}",
        "/pages/shipping", "/pages/accessibility", "/contact", "/orders/find",
        "/no-such-page", "/quote", f"/quote/{world['quote_token']}",
        "/account/login", "/account/register", "/account/password/forgot",
    ):  # fmt: skip
        audit.visit(path)
    visitor.goto("/quote")
    visitor.click("form.quote-form [type=submit]")
    audit.check("quote form with errors")
    visitor.goto("/contact")
    visitor.click(".contact-form [type=submit]")
    audit.check("contact form with errors")
    audit.assert_clean()


@pytest.mark.parametrize("lang", SHOP_LANGUAGES)
def test_buying_and_account_pages(visitor, world, lang) -> None:
    audit = Audit(visitor, lang)
    visitor.goto("/account/login")
    visitor.fill("#email", world["customer"])
    visitor.fill("#password", PASSWORD)
    visitor.click("main form [type=submit]")
    visitor.wait_for_url("**/account")
    for path in ("/account", "/account/addresses", "/account/addresses/new",
                 f"/account/addresses/{world['address']}/edit", "/account/security"):  # fmt: skip
        audit.visit(path)
    visitor.goto(f"/products/{TO_BUY}")
    visitor.click("[data-add-button]")
    visitor.wait_for_url("**/cart")
    audit.check("cart")
    audit.visit("/checkout")
    visitor.fill("#email", "")
    visitor.click("#submit")
    audit.check("checkout with errors")
    visitor.fill("#email", world["customer"])
    visitor.select_option("#country", "JP")
    visitor.click("#submit")
    visitor.wait_for_url("**/demo-pay/**")
    audit.check("demo payment page")
    for field, value in (("#name", "Aiko Tanaka"), ("#line1", "1-2-3 Shibuya"),
                         ("#city", "Tokyo"), ("#postal_code", "150-0002")):  # fmt: skip
        visitor.fill(field, value)
    visitor.click("#pay")
    visitor.wait_for_url("**/checkout/done/**")
    audit.check("order confirmation")
    visitor.click("main a[href^='/orders/']:not([href$='.pdf'])")
    visitor.wait_for_url("**/orders/**")
    audit.check("order page")
    audit.assert_clean()


def _back_office_paths(world: dict[str, Any]) -> tuple[str, ...]:
    product, category, workshop = world["product"], world["category"], world["workshop"]
    return (
        "/admin/",
        "/admin/orders",
        f"/admin/orders/{world['order']}",
        "/admin/quotes",
        f"/admin/quotes/{world['quote']}",
        "/admin/products",
        "/admin/products/new",
        f"/admin/products/{product}",
        f"/admin/products/{product}/photos",
        f"/admin/products/{product}/stock",
        f"/admin/products/{product}/translations",
        "/admin/categories",
        "/admin/categories/new",
        f"/admin/categories/{category}",
        f"/admin/categories/{category}/translations",
        "/admin/workshops",
        "/admin/workshops/new",
        f"/admin/workshops/{workshop}",
        f"/admin/workshops/{workshop}/translations",
        "/admin/catalog/import",
        "/admin/reports/revenue-split",
        "/admin/pages",
        f"/admin/pages/{world['page']}",
        f"/admin/pages/{world['page']}/history",
        "/admin/exchange-rates",
        "/admin/mail",
        "/admin/audit",
        "/admin/users",
        "/admin/security",
        "/admin/security/two-factor",
        "/admin/synonyms",
        "/admin/carriers",
    )


@pytest.mark.parametrize("lang", STAFF_LANGUAGES)
def test_back_office_pages(visitor, world, lang) -> None:
    audit = Audit(visitor, lang)
    audit.visit("/admin/forgot-password")
    audit.visit("/admin/login")
    visitor.fill("#email", world["staff"])
    visitor.fill("#password", PASSWORD)
    visitor.click("#submit")
    visitor.wait_for_url("**/admin/")
    for path in _back_office_paths(world):
        audit.visit(path)
    audit.assert_clean()
