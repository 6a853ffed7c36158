"""The cart: adding, changing, removing, limits, and who may touch which cart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import CartLine, Product, ProductStatus
from tests.factories import csrf_from, shop_with_stock


@pytest.fixture
def basket(app):
    return shop_with_stock(stock=5)


def token_for(client) -> str:
    slug = db.session.scalars(select(Product.slug)).first()
    return csrf_from(client.get(f"/products/{slug}").get_data(as_text=True))


def add(client, sku: str, quantity="1", token: str | None = None):
    token = token or token_for(client)
    return client.post(
        "/cart/add", data={"variant": sku, "quantity": quantity, "csrf_token": token}
    )


def cart_page(client) -> str:
    return client.get("/cart").get_data(as_text=True)


def test_adding_shows_the_line_totals_and_the_count_in_the_header(client, basket) -> None:
    sku = basket.variants[0].sku
    response = add(client, sku, "2")
    assert response.status_code == 303
    page = cart_page(client)
    assert "Added Rattan basket to your cart." in page
    assert "IDR\xa0300,000" in page  # 2 × 150,000
    assert '<span class="cart-count" aria-label="2 items">2</span>' in page


def test_adding_the_same_variant_again_merges_the_lines(client, basket) -> None:
    sku = basket.variants[0].sku
    add(client, sku, "1")
    add(client, sku, "2")
    assert db.session.query(CartLine).one().quantity == 3


def test_shipping_estimate_and_total_for_a_destination(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    token = token_for(client)
    client.post("/cart/destination", data={"country": "JP", "csrf_token": token})
    page = cart_page(client)
    # East Asia: 220,000 base + 130,000 for the first started kilogram (500 g)
    assert "IDR\xa0350,000" in page
    assert "IDR\xa0500,000" in page  # 150,000 + 350,000


@pytest.mark.parametrize("quantity", ["0", "-1", "100", "1000000", "abc", "", "1.5"])
def test_bad_quantities_are_refused_and_change_nothing(client, basket, quantity) -> None:
    response = add(client, basket.variants[0].sku, quantity)
    assert response.status_code == 303
    assert db.session.query(CartLine).count() == 0
    assert 'class="flash flash-error"' in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_more_than_the_stock_is_refused_with_what_is_left(client, basket) -> None:
    response = add(client, basket.variants[0].sku, "6")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only 5 pieces are left." in page
    assert db.session.query(CartLine).count() == 0


@pytest.mark.parametrize("sku", ["NOPE-1", "", "x" * 500, "' OR 1=1 --"])
def test_unknown_variants_are_refused(client, basket, sku) -> None:
    add(client, sku, "1")
    assert db.session.query(CartLine).count() == 0


def test_archived_products_cannot_be_added(client, basket) -> None:
    token = token_for(client)
    basket.status = ProductStatus.ARCHIVED
    db.session.commit()
    add(client, basket.variants[0].sku, "1", token=token)
    assert db.session.query(CartLine).count() == 0


def test_forms_without_a_csrf_token_are_refused(client, basket) -> None:
    response = client.post("/cart/add", data={"variant": basket.variants[0].sku, "quantity": "1"})
    assert response.status_code == 400
    assert db.session.query(CartLine).count() == 0


def test_changing_and_removing_lines(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    line = db.session.query(CartLine).one()
    token = token_for(client)
    client.post(f"/cart/lines/{line.id}", data={"quantity": "4", "csrf_token": token})
    db.session.refresh(line)
    assert line.quantity == 4
    client.post(f"/cart/lines/{line.id}", data={"quantity": "9", "csrf_token": token})
    db.session.refresh(line)
    assert line.quantity == 4  # only 5 in stock: refused, unchanged
    client.post(f"/cart/lines/{line.id}/remove", data={"csrf_token": token})
    assert db.session.query(CartLine).count() == 0
    assert "Your cart is empty" in cart_page(client)


def test_nobody_can_change_another_visitors_cart(app, basket) -> None:
    owner, stranger = app.test_client(), app.test_client()
    add(owner, basket.variants[0].sku, "1")
    line = db.session.query(CartLine).one()
    add(stranger, basket.variants[0].sku, "1")  # the stranger has a cart of their own
    token = token_for(stranger)
    stranger.post(f"/cart/lines/{line.id}", data={"quantity": "3", "csrf_token": token})
    stranger.post(f"/cart/lines/{line.id}/remove", data={"csrf_token": token})
    db.session.refresh(line)
    assert line.quantity == 1


def test_a_line_that_sold_out_meanwhile_is_flagged_not_dropped(client, basket) -> None:
    add(client, basket.variants[0].sku, "2")
    basket.variants[0].stock = 0
    db.session.commit()
    page = cart_page(client)
    assert "Sold out since you added it" in page
    assert "Rattan basket" in page
    assert "Some items need your attention" in page


def test_the_cart_survives_closing_the_browser(client, basket) -> None:
    add(client, basket.variants[0].sku, "1")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # a persistent cookie


def test_storefront_pages_stay_cacheable_with_a_cart(client, basket) -> None:
    first = client.get(f"/products/{basket.slug}").get_data(as_text=True)
    add(client, basket.variants[0].sku, "1")
    again = client.get(f"/products/{basket.slug}").get_data(as_text=True)
    assert 'class="cart-count"' not in first
    assert 'class="cart-count"' in again
    assert "<!--kb:" not in again
