"""Pages run a fixed number of SQL queries however many products they show."""

from __future__ import annotations

from shop.extensions import cache, db
from shop.models import Product
from tests.factories import make_category, make_product, make_workshop


def _add_products(prefix: str, n: int, variants: int, photos: int) -> list[Product]:
    category = make_category(f"{prefix}-c", f"{prefix} category")
    workshop = make_workshop(f"{prefix}-w", f"{prefix} workshop")
    products = [
        make_product(
            f"{prefix} piece {i}",
            category=category,
            workshop=workshop,
            prices=tuple(100_000 * (v + 1) for v in range(variants)),
            photos=photos if i < 3 else 0,
            featured=True,
        )
        for i in range(n)
    ]
    db.session.commit()
    return products


def _queries_for(client, count_queries, url: str, *, fresh: bool = False) -> int:
    if fresh:  # render it and its product cards, rather than check stored copies first,
        cache.clear()  # and read what pages keep per catalog version (catalog.kept)
        client.application.extensions["card_cache"].clear()
        client.application.extensions.get("kept", {}).clear()
    db.session.expire_all()
    before = count_queries.count
    assert client.get(url).status_code == 200
    return count_queries.count - before


def test_listing_home_and_product_pages_run_a_fixed_number_of_queries(client, count_queries):
    few = _add_products("few", 2, variants=1, photos=1)
    first = {
        "/products": _queries_for(client, count_queries, "/products", fresh=True),
        "/": _queries_for(client, count_queries, "/", fresh=True),
        "product": _queries_for(client, count_queries, f"/products/{few[0].slug}", fresh=True),
    }
    many = _add_products("many", 30, variants=4, photos=3)
    second = {
        "/products": _queries_for(client, count_queries, "/products", fresh=True),
        "/": _queries_for(client, count_queries, "/", fresh=True),
        "product": _queries_for(client, count_queries, f"/products/{many[0].slug}", fresh=True),
    }
    assert first == second
    # The product with its category, workshop and photos, then its options with their volume
    # prices: two statements. The rest is the catalog version and what is kept per version
    # (read here since nothing was kept yet).
    assert second["product"] <= 6
    # 8 for the listing, 1 for the exchange rates, 1 for the versions of what it shows, 1 to
    # check its cards in the card cache, 3 to load what the cards show (none was kept)
    assert second["/products"] <= 12
    # Rendered again with its cards kept: the cards' options and photos are not loaded.
    _queries_for(client, count_queries, "/products", fresh=True)
    cache.clear()
    assert _queries_for(client, count_queries, "/products") <= second["/products"] - 3


def test_a_cached_page_costs_one_query_and_a_catalog_change_refreshes_it(client, count_queries):
    products = _add_products("shelf", 3, variants=1, photos=0)
    assert _queries_for(client, count_queries, "/products") > 1
    assert _queries_for(client, count_queries, "/products") == 1  # the versions of its tags

    products[0].variants[0].price_idr = 777_000
    db.session.commit()
    page = client.get("/products").get_data(as_text=True)
    assert "IDR\xa0777,000" in page


def test_the_cart_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    from tests.factories import csrf_from

    products = _add_products("cart", 6, variants=1, photos=1)
    token = csrf_from(client.get(f"/products/{products[0].slug}").get_data(as_text=True))

    def add(product) -> None:
        client.post(
            "/cart/add",
            data={"variant": product.variants[0].sku, "quantity": "1", "csrf_token": token},
        )

    add(products[0])
    one = _queries_for(client, count_queries, "/cart", fresh=True)
    for product in products[1:]:
        add(product)
    six = _queries_for(client, count_queries, "/cart", fresh=True)
    assert one == six


def test_pages_in_another_language_also_run_a_fixed_number_of_queries(app, client, count_queries):
    from shop.models import CategoryTranslation, ProductTranslation

    def translate(products: list[Product]) -> None:
        for product in products:
            product.translations.append(ProductTranslation(locale="ja", name=f"{product.name} 訳"))
        products[0].category.translations.append(CategoryTranslation(locale="ja", name="分類"))
        db.session.commit()

    def counts(products: list[Product]) -> dict[str, int]:
        urls = {"/products": "/products", "/": "/", "/workshops": "/workshops"}
        urls |= {"product": f"/products/{products[0].slug}", "search": "/products?q=訳"}
        return {
            page: _queries_for(
                client, count_queries, f"{url}{'&' if '?' in url else '?'}lang=ja", fresh=True
            )
            for page, url in urls.items()
        }

    few = _add_products("few", 2, variants=1, photos=1)
    translate(few)
    first = counts(few)
    many = _add_products("many", 30, variants=4, photos=3)
    translate(many)
    second = counts(many)
    assert first == second
    # Each entry's row in the visitor's language is joined into the query that loads it.
    # (Pages not cached yet, on a catalog whose counts are: the first page after a change
    # also counts the catalog.)
    # Both rendered with their cards (none kept): English and Japanese cost the same.
    english = _queries_for(client, count_queries, "/products?lang=en&sort=newest", fresh=True)
    japanese = _queries_for(client, count_queries, "/products?lang=ja&sort=newest", fresh=True)
    assert japanese == english
