"""Pages run a fixed number of SQL queries however many products they show."""

from __future__ import annotations

from shop.extensions import db
from tests.factories import make_category, make_product, make_workshop


def _add_products(n: int) -> list:
    categories = [make_category(f"c{i}", f"Category {i}") for i in range(3)]
    workshops = [make_workshop(f"w{i}", f"Workshop {i}") for i in range(3)]
    products = [
        make_product(
            f"Piece {i}",
            category=categories[i % 3],
            workshop=workshops[i % 3],
            prices=(100_000, 200_000),
            photos=2 if i < 2 else 0,
            featured=True,
        )
        for i in range(n)
    ]
    db.session.commit()
    return products


def _queries_for(client, count_queries, url: str) -> int:
    db.session.expire_all()
    before = count_queries.count
    assert client.get(url).status_code == 200
    return count_queries.count - before


def test_listing_home_and_product_pages_run_a_fixed_number_of_queries(client, count_queries):
    products = _add_products(3)
    few = {url: _queries_for(client, count_queries, url) for url in ("/products", "/")}
    few_product = _queries_for(client, count_queries, f"/products/{products[0].slug}")
    _add_products_more = _add_more(20)
    many = {url: _queries_for(client, count_queries, url) for url in ("/products", "/")}
    many_product = _queries_for(client, count_queries, f"/products/{_add_products_more.slug}")
    assert few == many
    assert few_product == many_product
    assert many["/products"] <= 6


def _add_more(n: int):
    category = make_category("more", "More")
    workshop = make_workshop("more", "More workshop")
    last = None
    for i in range(n):
        last = make_product(
            f"Extra {i}",
            category=category,
            workshop=workshop,
            prices=(1, 2, 3, 4),
            photos=1 if i == n - 1 else 0,
            featured=True,
        )
    db.session.commit()
    return last
