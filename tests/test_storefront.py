"""What a visitor sees on the storefront pages."""

from __future__ import annotations

import json
import re

import pytest

from shop.extensions import db
from tests.factories import make_category, make_product, make_workshop


@pytest.fixture
def catalog_rows(app):
    wood = make_category("tableware", "Tableware")
    air = make_category("miniature-aircraft", "Miniature aircraft")
    ws = make_workshop(
        "woodcraft", "Woodcraft workshop", story="We turn **bowls**.", summary="Bowls"
    )
    aero = make_workshop("aircraft", "Model aircraft workshop")
    bowl = make_product(
        "Sono bowl",
        category=wood,
        workshop=ws,
        prices=(285_000,),
        photos=2,
        featured=True,
        maker_share_pct=35,
        materials="Sono wood",
    )
    plane = make_product(
        "Boeing 737 model",
        category=air,
        workshop=aero,
        prices=(100_000, 25_000_000),
        photos=1,
        made_to_order=True,
        lead_time_days=21,
    )
    plane.variants[1].stock = 0
    db.session.commit()
    return {"bowl": bowl, "plane": plane, "workshop": ws}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_home_shows_featured_products_categories_workshops_and_why(client, catalog_rows) -> None:
    page = text_of(client.get("/"))
    assert "Sono bowl" in page
    assert "Tableware" in page and "Miniature aircraft" in page
    assert "Woodcraft workshop" in page
    assert "Why buying here matters" in page
    assert "wage" in page


def test_listing_cards_show_photo_name_workshop_and_price(client, catalog_rows) -> None:
    page = text_of(client.get("/products"))
    assert "Sono bowl" in page and "Woodcraft workshop" in page
    assert "IDR\xa0100,000 – IDR\xa025,000,000" in page
    assert 'loading="lazy"' in page or 'fetchpriority="high"' in page
    assert re.search(r'srcset="/media/[0-9a-f]{16}-\d+\.webp \d+w', page)


def test_filters_survive_paging(client, catalog_rows, app) -> None:
    app.config["PRODUCTS_PER_PAGE"] = 1
    wood, ws = catalog_rows["bowl"].category, catalog_rows["workshop"]
    make_product("Second bowl", category=wood, workshop=ws, prices=(150_000,))
    db.session.commit()
    page = text_of(client.get("/products?category=tableware&max_price=300000&sort=price_asc"))
    next_link = re.search(r'<a rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    for part in ("category=tableware", "max_price=300000", "sort=price_asc", "page=2"):
        assert part in next_link
    second = text_of(client.get(next_link))
    assert "Sono bowl" in second and "Boeing" not in second


def test_product_page_shows_range_variants_availability_and_maker_share(
    client, catalog_rows
) -> None:
    page = text_of(client.get(f"/products/{catalog_rows['plane'].slug}"))
    assert "IDR\xa0100,000 – IDR\xa025,000,000" in page
    assert "Size 1" in page and "Size 2" in page
    assert "In stock" in page
    assert "Made to order — ships in 21 days" in page
    assert "35% of the price is paid to the makers" not in page  # plane keeps the default
    bowl = text_of(client.get(f"/products/{catalog_rows['bowl'].slug}"))
    assert "35% of the price is paid to the makers at Woodcraft workshop" in bowl
    assert "Sono wood" in bowl
    assert 'href="#photo-2"' in bowl


def test_choosing_a_variant_without_javascript_shows_its_price(client, catalog_rows) -> None:
    plane = catalog_rows["plane"]
    sku = plane.variants[1].sku
    page = text_of(client.get(f"/products/{plane.slug}?variant={sku}"))
    selected = re.search(r"data-selected-price>([^<]+)<", page).group(1)
    assert selected == "IDR\xa025,000,000"


def test_sold_out_variant_says_so(client, catalog_rows) -> None:
    bowl = catalog_rows["bowl"]
    bowl.variants[0].stock = 0
    db.session.commit()
    assert "Sold out" in text_of(client.get(f"/products/{bowl.slug}"))


def test_product_json_ld_has_an_aggregate_offer_in_idr(client, catalog_rows) -> None:
    page = text_of(client.get(f"/products/{catalog_rows['plane'].slug}"))
    raw = re.search(r'<script type="application/ld\+json">(.+?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Product"
    offer = data["offers"]
    assert offer["@type"] == "AggregateOffer"
    assert (offer["priceCurrency"], offer["lowPrice"], offer["highPrice"]) == (
        "IDR",
        100_000,
        25_000_000,
    )
    assert data["image"][0].startswith("http://localhost/media/")


def test_pages_have_titles_descriptions_and_canonical_urls(client, catalog_rows) -> None:
    page = text_of(client.get(f"/products/{catalog_rows['bowl'].slug}?variant=x&utm_source=mail"))
    assert "<title>Sono bowl · Woodcraft workshop · Karya Binaan</title>" in page
    assert '<meta name="description" content="' in page
    assert (
        f'<link rel="canonical" href="http://localhost/products/{catalog_rows["bowl"].slug}">'
        in page
    )


def test_workshop_page_shows_story_and_products(client, catalog_rows) -> None:
    page = text_of(client.get("/workshops/woodcraft"))
    assert "<strong>bowls</strong>" in page
    assert "Sono bowl" in page and "Boeing" not in page


def test_unknown_slugs_get_the_404_page(client, catalog_rows) -> None:
    for url in ("/products/nope", "/workshops/nope", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404
        assert "We couldn't find that page" in text_of(response)
        assert "Karya Binaan" in text_of(response)


def test_sitemap_lists_every_active_product_and_robots_points_to_it(client, catalog_rows) -> None:
    sitemap = text_of(client.get("/sitemap.xml"))
    assert f"http://localhost/products/{catalog_rows['bowl'].slug}</loc>" in sitemap
    assert "http://localhost/workshops/woodcraft</loc>" in sitemap
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in text_of(robots)


def test_healthz_answers_once_the_database_does(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_media_renditions_are_served_with_long_caching(client, catalog_rows) -> None:
    photo = catalog_rows["bowl"].photos[0]
    with client.get(f"/media/{photo.image_key}-320.webp") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/webp"
        assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/media/..%2Fsecret").status_code == 404


def test_pages_send_a_content_security_policy(client, catalog_rows) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_server_error_shows_the_500_page_in_the_site_look(app, client) -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", view_func=broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "Karya Binaan" in page and "boom" not in page


def test_json_ld_images_keep_a_cdn_media_url_as_it_is(tmp_path, postgres_schema_ready) -> None:
    from tests.conftest import build_app

    for cdn_app in build_app(tmp_path, MEDIA_URL="https://cdn.example/media/"):
        product = make_product("Lamp", category=make_category(), workshop=make_workshop(), photos=1)
        db.session.commit()
        page = cdn_app.test_client().get(f"/products/{product.slug}").get_data(as_text=True)
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.+?)</script>', page, re.S).group(1)
        )
        assert data["image"][0].startswith("https://cdn.example/media/")


def test_the_product_page_says_what_shipping_costs_and_takes_to_each_region(app, client):

    from shop.services.ordering.shipping import install_default_zones

    install_default_zones()
    product = make_product(
        "Teak tray", category=make_category(), workshop=make_workshop(), prices=(150_000,)
    )
    product.variants[0].weight_g = 1_500  # two started kilograms
    db.session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    box = re.search(r"<details class=\"shipping-info\".*?</details>", html, re.S).group(0)
    rows = [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r"<tr>(.*?)</tr>", box, re.S)]
    east_asia = next(" ".join(r.split()) for r in rows if "East Asia" in r)
    assert east_asia == "East Asia IDR 480,000 6–12 days"  # 220,000 + 2 × 130,000
    assert sum("Indonesia" in r for r in rows) == 1
    japanese = client.get(f"/products/{product.slug}?lang=ja").get_data(as_text=True)
    assert "配送について" in japanese and "東アジア" in japanese


def test_the_main_menu_links_every_category_of_the_catalog(client) -> None:
    from shop.demo.data import CATEGORIES

    page = client.get("/").get_data(as_text=True)
    menu = page.split('class="wrap main-nav"', 1)[1].split("</nav>", 1)[0]
    for slug, _name, _description in CATEGORIES:
        assert f"/products?category={slug}" in menu, slug


def test_a_price_filter_shows_the_prices_it_found(client) -> None:
    from shop.services.money import format_idr
    from tests.factories import make_category, make_product, make_workshop

    board = make_product("Trembesi cheese board", category=make_category("tableware", "Tableware"),
                         workshop=make_workshop("banyuwangi", "Woodcraft workshop"),
                         prices=(185_000, 245_000))  # fmt: skip
    db.session.commit()
    filtered = client.get("/products?max_price=200000").get_data(as_text=True)
    card = filtered.split(board.name, 1)[1].split("</article>", 1)[0]
    assert format_idr(185_000, "en") in card and format_idr(245_000, "en") not in card
    unfiltered = client.get("/products").get_data(as_text=True)
    card = unfiltered.split(board.name, 1)[1].split("</article>", 1)[0]
    assert format_idr(245_000, "en") in card  # without a filter, the whole range
