"""Volume prices over HTTP: the product page table, the cart, checkout, and the staff editor."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from shop.extensions import cache, db
from shop.models import AuditEntry, CartLine, Order, PriceTier, Product, Variant
from shop.services.money import format_idr
from tests.factories import csrf_from, make_category, make_product, make_workshop, shop_with_stock
from tests.test_admin_products import actions, edit_page, form_of, submit_edit
from tests.test_cart import add, cart_page, token_for
from tests.test_checkout import checkout, pay_demo

TIERS = ((10, 135_000), (50, 120_000), (200, 100_000))


def rp(amount: int) -> str:
    """Rupiah as the English pages show them (spaces plain, as `plain` makes them)."""
    return format_idr(amount, "en").replace("\xa0", " ")


def set_tiers(variant: Variant, tiers=TIERS) -> None:
    variant.price_tiers = [PriceTier(min_quantity=q, unit_price_idr=p) for q, p in tiers]
    db.session.commit()


@pytest.fixture
def models(app) -> Product:
    """Made-to-order display models at Rp150.000 (a line may hold up to 500) with tiers."""
    product = shop_with_stock(stock=0, made_to_order=True, price=150_000)
    set_tiers(product.variants[0])
    return product


def plain(page: str) -> str:
    """The page's text with entities decoded, tags dropped and spaces plain, as read."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def volume_table(page: str) -> list[list[str]]:
    """The volume price table's rows, each a list of its cells' text."""
    table = re.search(r"<table[^>]*data-volume-prices.*?</table>", page, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)
    return [
        [plain(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def set_quantity(client, quantity: int) -> None:
    line = db.session.scalars(select(CartLine)).one()
    token = token_for(client)
    client.post(f"/cart/lines/{line.id}", data={"quantity": str(quantity), "csrf_token": token})


# -- Product page ---------------------------------------------------------------------------


def test_the_product_page_lists_the_volume_prices(client, models):
    rows = volume_table(client.get(f"/products/{models.slug}").get_data(as_text=True))
    assert rows[1:] == [
        ["1–9", rp(150_000)],
        ["10–49", f"{rp(135_000)} −10%"],
        ["50–199", f"{rp(120_000)} −20%"],
        ["200+", f"{rp(100_000)} −33%"],
    ]
    assert 'max="500"' in client.get(f"/products/{models.slug}").get_data(as_text=True)


def test_a_product_without_tiers_shows_no_table_and_its_price_range_ignores_tiers(client, models):
    plain_bowl = make_product(
        "Plain bowl", category=models.category, workshop=models.workshop, prices=(80_000,)
    )
    db.session.commit()
    assert "Volume prices" not in client.get(f"/products/{plain_bowl.slug}").get_data(as_text=True)
    listing = plain(client.get("/products").get_data(as_text=True))
    assert rp(150_000) in listing and rp(100_000) not in listing  # the single-piece price


def test_each_option_with_tiers_gets_its_own_line(client, app):
    product = make_product(
        "Boeing 737 model",
        category=make_category(),
        workshop=make_workshop(),
        prices=(150_000, 400_000, 900_000),
    )
    db.session.commit()
    set_tiers(product.variants[0])
    set_tiers(product.variants[1], ((20, 350_000),))
    rows = volume_table(client.get(f"/products/{product.slug}").get_data(as_text=True))
    # Different breaks: one group of rows per option, and none for the option without tiers.
    assert ["Size 1"] in rows and ["1–9", rp(150_000)] in rows
    size_2 = rows.index(["Size 2"])
    assert rows[size_2 + 1 :] == [["1–19", rp(400_000)], ["20+", f"{rp(350_000)} −12%"]]
    assert ["Size 3"] not in rows


def test_options_with_the_same_breaks_share_one_grid(client, app):
    product = make_product(
        "Boeing 737 model",
        category=make_category(),
        workshop=make_workshop(),
        prices=(150_000, 400_000),
    )
    db.session.commit()
    set_tiers(product.variants[0], ((10, 135_000),))
    set_tiers(product.variants[1], ((10, 360_000),))
    rows = volume_table(client.get(f"/products/{product.slug}").get_data(as_text=True))
    assert rows == [
        ["Pieces", "Size 1", "Size 2"],
        ["1–9", rp(150_000), rp(400_000)],
        ["10+", f"{rp(135_000)} −10%", f"{rp(360_000)} −10%"],
    ]


# -- Cart -----------------------------------------------------------------------------------


def test_the_cart_applies_the_tier_and_shows_the_saving(client, models):
    add(client, models.variants[0].sku, "10")
    page = cart_page(client)
    text = plain(page)
    struck = re.search(r"<del>(.*?)</del>", page).group(1)
    assert plain(struck).strip() == f"Single-piece price: {rp(150_000)}"
    assert f"{rp(135_000)} each" in text
    assert "Volume price: 10+ pieces · You save " + rp(150_000) in text
    assert f"Subtotal {rp(1_350_000)}" in text
    assert f"Volume prices save you {rp(150_000)}" in text


@pytest.mark.parametrize(
    ("quantity", "unit", "tier"),
    [(9, 150_000, None), (10, 135_000, 10), (49, 135_000, 10), (50, 120_000, 50),
     (199, 120_000, 50), (200, 100_000, 200), (500, 100_000, 200)],
)  # fmt: skip
def test_changing_the_quantity_across_a_boundary_changes_the_price(
    client, models, quantity, unit, tier
):
    add(client, models.variants[0].sku, "1")
    set_quantity(client, quantity)
    text = plain(cart_page(client))
    assert f"{rp(unit)} each" in text
    assert f"Subtotal {rp(unit * quantity)}" in text
    if tier is None:
        assert "Volume price" not in text and "You save" not in text
    else:
        assert f"Volume price: {tier}+ pieces · You save {rp((150_000 - unit) * quantity)}" in text


def test_a_line_near_a_tier_says_how_many_more_make_it_cheaper(client, models):
    add(client, models.variants[0].sku, "8")
    assert f"Add 2 more for {rp(135_000)} each." in plain(cart_page(client))
    set_quantity(client, 3)
    assert "more for" not in plain(cart_page(client))


def test_a_line_holds_up_to_500_pieces(client, models):
    response = add(client, models.variants[0].sku, "501")
    assert "Choose from 1 to 500." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(CartLine)) == 0
    add(client, models.variants[0].sku, "500")
    assert db.session.scalars(select(CartLine.quantity)).one() == 500
    assert 'max="500"' in cart_page(client)


def test_stock_still_limits_variants_not_made_to_order(client, app):
    basket = shop_with_stock(stock=12)
    set_tiers(basket.variants[0])
    response = add(client, basket.variants[0].sku, "50")
    assert "Only 12 pieces are left." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    add(client, basket.variants[0].sku, "12")
    assert "Volume price: 10+ pieces" in plain(cart_page(client))


def test_checkout_charges_the_tier_price(client, models):
    add(client, models.variants[0].sku, "50")
    redirect = checkout(client)
    assert redirect.status_code == 303
    order = db.session.scalar(select(Order))
    assert [(ln.quantity, ln.unit_price_idr) for ln in order.lines] == [(50, 120_000)]
    assert order.subtotal_idr == 6_000_000
    assert order.total_idr == 6_000_000 + order.shipping_idr
    demo_page = plain(client.get(redirect.headers["Location"]).get_data(as_text=True))
    assert f"× 50 {rp(6_000_000)}" in demo_page
    pay_demo(client, redirect)
    db.session.expire_all()
    assert order.status == "paid"
    assert order.lines[0].unit_price_idr == 120_000


def test_the_cart_page_runs_a_fixed_number_of_queries_with_tiers(client, count_queries):
    category, workshop = make_category(), make_workshop()
    products = [
        make_product(
            f"Model {i}", category=category, workshop=workshop, prices=(150_000,), stock=99
        )
        for i in range(5)
    ]
    db.session.commit()
    for product in products:
        set_tiers(product.variants[0])
    token = csrf_from(client.get(f"/products/{products[0].slug}").get_data(as_text=True))

    def queries() -> int:
        db.session.rollback()  # a request of its own: a new transaction, nothing loaded
        before = count_queries.count
        assert client.get("/cart").status_code == 200
        return count_queries.count - before

    add(client, products[0].variants[0].sku, "10", token=token)
    queries()  # the first reads the destinations, kept from then on for the catalog version
    one = queries()
    for product in products[1:]:
        add(client, product.variants[0].sku, "10", token=token)
    assert queries() == one


def test_the_product_page_loads_every_options_tiers_in_one_query(client, app, count_queries):
    category, workshop = make_category(), make_workshop()
    one = make_product("One", category=category, workshop=workshop, prices=(150_000,))
    four = make_product("Four", category=category, workshop=workshop, prices=(1, 2, 3, 4))
    db.session.commit()
    for v in [*one.variants, *four.variants]:
        set_tiers(v, ((10, 0),))

    def queries(slug: str) -> int:
        cache.clear()  # the page itself, not a stored copy
        db.session.expire_all()
        before = count_queries.count
        assert client.get(f"/products/{slug}").status_code == 200
        return count_queries.count - before

    queries(one.slug)  # reads what pages keep per catalog version (rates, shipping zones)
    assert queries(one.slug) == queries(four.slug)


# -- Staff editor ---------------------------------------------------------------------------


@pytest.fixture
def staff(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


def tier_fields(variant_row: int, tiers: list[tuple[str, str]]) -> dict[str, str]:
    """The four tier inputs of one variant row, the first ones filled with these."""
    padded = tiers + [("", "")] * (4 - len(tiers))
    fields = {}
    for i, (quantity, price) in enumerate(padded):
        fields[f"variants-{variant_row}-tiers-{i}-min_quantity"] = quantity
        fields[f"variants-{variant_row}-tiers-{i}-price"] = price
    return fields


def stored_tiers(variant: Variant) -> list[tuple[int, int]]:
    rows = select(PriceTier.min_quantity, PriceTier.unit_price_idr).where(
        PriceTier.variant_id == variant.id
    )
    return [tuple(r) for r in db.session.execute(rows.order_by(PriceTier.min_quantity))]


def test_staff_set_tiers_and_the_product_page_shows_them_at_once(staff, models):
    variant = models.variants[0]
    before = volume_table(staff.get(f"/products/{models.slug}").get_data(as_text=True))
    assert ["10–49", f"{rp(135_000)} −10%"] in before
    data = form_of(edit_page(staff, models))
    assert data["variants-0-tiers-0-min_quantity"] == "10"  # the editor shows what is stored
    data |= tier_fields(0, [("", ""), ("100", "Rp110.000"), ("20", "140.000")])
    response = submit_edit(staff, models, data)
    assert response.status_code == 303
    assert stored_tiers(variant) == [(20, 140_000), (100, 110_000)]
    page = staff.get(f"/products/{models.slug}").get_data(as_text=True)  # was cached
    assert volume_table(page)[1:] == [
        ["1–19", rp(150_000)],
        ["20–99", f"{rp(140_000)} −6%"],
        ["100+", f"{rp(110_000)} −26%"],
    ]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "variant.updated")
    ).one()
    assert json.loads(entry.changes) == {
        "price_tiers": [
            ["10+: 135000", "50+: 120000", "200+: 100000"],
            ["20+: 140000", "100+: 110000"],
        ]
    }


def test_clearing_every_tier_input_removes_the_tiers(staff, models):
    data = form_of(edit_page(staff, models)) | tier_fields(0, [])
    assert submit_edit(staff, models, data).status_code == 303
    assert stored_tiers(models.variants[0]) == []
    assert "Volume prices" not in staff.get(f"/products/{models.slug}").get_data(as_text=True)


def test_saving_without_touching_the_tiers_keeps_them_and_records_nothing(staff, models):
    data = form_of(edit_page(staff, models))
    assert submit_edit(staff, models, data).status_code == 303
    assert stored_tiers(models.variants[0]) == list(TIERS)
    assert actions() == []


def test_a_new_variant_is_created_with_its_tiers(staff, models):
    data = form_of(edit_page(staff, models)) | {
        "variants-1-sku": "RB-L",
        "variants-1-option_label": "Large",
        "variants-1-price": "300.000",
        "variants-1-stock": "0",
        "variants-1-weight_g": "900",
        "variants-1-is_active": "y",
        **tier_fields(1, [("10", "280.000")]),
    }
    assert submit_edit(staff, models, data).status_code == 303
    added = db.session.scalars(select(Variant).where(Variant.sku == "RB-L")).one()
    assert stored_tiers(added) == [(10, 280_000)]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "variant.added")).one()
    assert json.loads(entry.changes)["price_tiers"] == [None, ["10+: 280000"]]


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([("1", "140.000")], "A volume price starts at 2 pieces or more."),
        ([("501", "140.000")], "A cart line holds at most 500 pieces"),
        ([("abc", "140.000")], "Enter a whole number, e.g. 12."),
        ([("-5", "140.000")], "Enter 0 or more; it can't be negative."),
        ([("10", "-5")], "The price can't be negative."),
        ([("10", "12,5")], "Enter whole rupiah, without cents."),
        ([("10", "")], "Enter the price of one piece from this quantity."),
        ([("", "140.000")], "Enter from how many pieces this price applies"),
        ([("10", "140.000"), ("10", "130.000")], "There are two volume prices from 10 pieces."),
        (
            [("10", "150.000")],
            "A volume price must be lower than the variant's price (IDR 150,000).",
        ),
        (
            [("10", "120.000"), ("50", "130.000")],
            "Buying more must cost less per piece: make this lower than the price from 10 "
            "pieces (IDR 120,000).",
        ),
    ],
)  # fmt: skip
def test_bad_tiers_get_a_message_on_the_field_and_nothing_is_saved(staff, models, tiers, message):
    data = form_of(edit_page(staff, models)) | tier_fields(0, tiers) | {"name": "Renamed"}
    response = submit_edit(staff, models, data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True)).replace("\xa0", " ")
    assert re.search(
        r'<p class="field-error" id="variants-0-tiers-\d-[a-z_]+-error">' + re.escape(message), page
    )
    assert '<details class="tiers" data-tiers open>' in page  # opened to show the problem
    db.session.expire_all()
    assert stored_tiers(models.variants[0]) == list(TIERS)
    assert db.session.get(Product, models.id).name == "Rattan basket"
    assert actions() == []


def test_a_price_cut_below_a_tier_is_refused_until_the_tier_is_lowered_too(staff, models):
    data = form_of(edit_page(staff, models)) | {"variants-0-price": "130.000"}
    response = submit_edit(staff, models, data)
    assert response.status_code == 422
    assert "must be lower than the variant's price" in html.unescape(
        response.get_data(as_text=True)
    )
    data |= tier_fields(0, [("10", "125.000"), ("50", "120.000")])
    assert submit_edit(staff, models, data).status_code == 303
    assert stored_tiers(models.variants[0]) == [(10, 125_000), (50, 120_000)]


def test_tier_inputs_typed_into_a_blank_new_row_are_not_silently_dropped(staff, models):
    data = form_of(edit_page(staff, models)) | tier_fields(1, [("10", "100.000")])
    response = submit_edit(staff, models, data)
    assert response.status_code == 422
    assert "Enter the SKU." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Variant)) == 1
