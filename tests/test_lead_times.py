"""Lead times: one honest delivery window per order, on every surface, and badges only
where they are true."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order
from shop.services.catalog import lead_times
from shop.services.ordering.shipping import install_default_zones
from tests.factories import make_category, make_product, make_workshop
from tests.test_cart import add, token_for
from tests.test_checkout import checkout, pay_demo

# East Asia (JP) takes 6–12 days in transit.
TRANSIT = (6, 12)


@pytest.fixture
def catalog(app):
    """A piece on the shelf, one made to order in 14 days and one in 45, nothing of the last."""
    install_default_zones()
    category, workshop = make_category(), make_workshop()
    shelf = make_product("Teak bowl", category=category, workshop=workshop, stock=5)
    made = make_product(
        "Rattan chair", category=category, workshop=workshop, stock=0,
        made_to_order=True, lead_time_days=14,
    )  # fmt: skip
    model = make_product(
        "Garuda 737 model", category=category, workshop=workshop, stock=1,
        made_to_order=True, lead_time_days=45,
    )  # fmt: skip
    db.session.commit()
    return {"shelf": shelf, "made": made, "model": model}


def _sku(product) -> str:
    return product.variants[0].sku


def _to_japan(client) -> None:
    client.post("/cart/destination", data={"country": "JP", "csrf_token": token_for(client)})


def _window(page: str) -> tuple[int, int]:
    found = re.search(r'data-delivery data-delivery-min="(\d+)" data-delivery-max="(\d+)"', page)
    assert found, "no delivery window on the page"
    return int(found.group(1)), int(found.group(2))


def test_a_line_waits_only_when_pieces_must_be_made(catalog) -> None:
    model, shelf = catalog["model"], catalog["shelf"]
    variant = model.variants[0]  # one on the shelf, 45 days to make more
    assert lead_times.line_lead_days(model, variant, 1) == 0
    assert lead_times.line_lead_days(model, variant, 2) == 45
    assert lead_times.line_lead_days(shelf, shelf.variants[0], 5) == 0
    model.lead_time_days = None
    assert lead_times.line_lead_days(model, variant, 2) == lead_times.DEFAULT_LEAD_TIME_DAYS
    lines = [(shelf, shelf.variants[0], 1), (model, variant, 3), (catalog["made"],
             catalog["made"].variants[0], 1)]  # fmt: skip
    assert lead_times.order_lead_days(lines) == lead_times.DEFAULT_LEAD_TIME_DAYS


def test_the_cart_gives_transit_alone_when_everything_is_on_the_shelf(client, catalog) -> None:
    add(client, _sku(catalog["shelf"]), "2")
    add(client, _sku(catalog["model"]), "1")  # the one on the shelf: nothing to make
    _to_japan(client)
    page = client.get("/cart").get_data(as_text=True)
    assert _window(page) == TRANSIT
    assert "usually 6–12 days" in page
    assert "to make" not in page


def test_the_cart_and_checkout_add_the_longest_lead_time_to_the_transit(client, catalog) -> None:
    add(client, _sku(catalog["shelf"]), "1")
    add(client, _sku(catalog["made"]), "1")  # 14 days
    add(client, _sku(catalog["model"]), "3")  # 2 more than the shelf holds: 45 days
    _to_japan(client)
    for url in ("/cart", "/checkout"):
        page = client.get(url).get_data(as_text=True)
        assert _window(page) == (45 + 6, 45 + 12), url
        assert "about 51–57 days, including 45 days to make" in page, url


def test_the_order_stores_the_promise_and_every_page_and_mail_repeat_it(
    client, catalog, app
) -> None:
    add(client, _sku(catalog["made"]), "2")
    redirect = checkout(client)
    order = db.session.scalar(select(Order))
    assert (order.delivery_min_days, order.delivery_max_days, order.lead_time_days) == (20, 26, 14)

    done = pay_demo(client, redirect)
    promise = "about 20–26 days, including 14 days to make"
    confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
    assert promise in confirmation
    assert promise in client.get(f"/orders/{order.token}").get_data(as_text=True)
    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")
    ]
    to_buyer = [m for m in mails if m["To"] == "aiko@example.jp"]
    assert to_buyer, "no confirmation mail"
    assert promise in to_buyer[0].get_body(("plain",)).get_content()
    assert promise in to_buyer[0].get_body(("html",)).get_content()


def test_an_order_from_the_shelf_promises_the_transit_days_only(client, catalog) -> None:
    add(client, _sku(catalog["shelf"]), "1")
    checkout(client)
    order = db.session.scalar(select(Order))
    assert (order.delivery_min_days, order.delivery_max_days, order.lead_time_days) == (6, 12, 0)


def test_cards_say_made_to_order_or_sold_out_only_where_true(client, catalog) -> None:
    category, workshop = catalog["shelf"].category, catalog["shelf"].workshop
    gone = make_product("Bamboo tray", category=category, workshop=workshop, stock=0)
    db.session.commit()
    page = client.get("/products").get_data(as_text=True)
    cards = {
        title: card
        for card in page.split('<article class="card">')[1:]
        for title in re.findall(r'class="card-title"[^>]*>([^<]+)<', card)
    }
    assert 'data-badge="made_to_order"' in cards["Rattan chair"]  # nothing on the shelf
    assert "data-badge" not in cards["Garuda 737 model"]  # made to order, but one in stock
    assert "data-badge" not in cards["Teak bowl"]
    assert 'data-badge="sold_out"' in cards[gone.name]


def test_the_product_page_adds_the_making_time_to_each_zones_delivery(client, catalog) -> None:
    made = client.get(f"/products/{catalog['made'].slug}").get_data(as_text=True)
    assert "about 20–26 days, including 14 days to make" in made  # East Asia: 6–12 + 14
    shelf = client.get(f"/products/{catalog['shelf'].slug}").get_data(as_text=True)
    assert "6–12 days" in shelf and "to make" not in shelf


def test_a_product_with_no_option_on_sale_still_has_a_page(client, catalog) -> None:
    catalog["shelf"].variants[0].is_active = False
    db.session.commit()
    page = client.get(f"/products/{catalog['shelf'].slug}")
    assert page.status_code == 200
    assert "This piece is not available at the moment." in page.get_data(as_text=True)
