"""Staff list, create and edit products with their variants in the back office, over HTTP."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import (
    AuditEntry,
    Category,
    Product,
    ProductStatus,
    RevenueSplitRate,
    StockAdjustment,
    StockReason,
    Variant,
    Workshop,
)
from shop.services.money import format_idr
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.order_factories import make_order


class FormReader(HTMLParser):
    """What a browser would send for one form of a page (found by its id)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.fields)
        ):
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:  # browsers drop the newline right after <textarea>
            start = not self.fields[self._textarea]
            self.fields[self._textarea] += re.sub(r"^\r?\n", "", data) if start else data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_of(html: str, form_id: str = "product-form") -> dict[str, str]:
    """The fields of the page's product form as a browser would submit them."""
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields


def text(response: Any) -> str:
    """The page's HTML with entities decoded, so messages read as staff see them."""
    return html.unescape(response.get_data(as_text=True))


def rp(amount: int) -> str:
    """Rupiah as the English pages show them."""
    return format_idr(amount, "en")


@pytest.fixture
def shelf(app) -> tuple[Category, Workshop]:
    category, workshop = make_category(), make_workshop()
    db.session.commit()
    return category, workshop


@pytest.fixture
def staff(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


@pytest.fixture
def admin(client, auth, admin_user):
    auth.login(admin_user.email)
    return client


def row(sku: str, price: str = "150000", stock: str = "3", **extra: str) -> dict[str, str]:
    return {
        "sku": sku,
        "option_label": extra.pop("option_label", f"Option {sku}"),
        "price": price,
        "stock": stock,
        "weight_g": "500",
        "is_active": "y",
        **extra,
    }


def new_product_data(client, shelf, rows: list[dict[str, str]], **fields: str) -> dict[str, str]:
    """The new-product form as loaded, filled in with these values and variant rows."""
    data = form_of(client.get("/admin/products/new").get_data(as_text=True))
    category, workshop = shelf
    data |= {
        "name": "Teak serving bowl",
        "category_id": str(category.id),
        "workshop_id": str(workshop.id),
        "save": "1",
    }
    data = {k: v for k, v in data.items() if not k.startswith("variants-")}
    for i, values in enumerate(rows):
        data |= {f"variants-{i}-{key}": value for key, value in values.items()}
    return data | fields


def create(client, shelf, rows: list[dict[str, str]] | None = None, **fields: str):
    rows = rows if rows is not None else [row("TB-S", "150.000"), row("TB-L", "Rp2.500.000")]
    return client.post("/admin/products/new", data=new_product_data(client, shelf, rows, **fields))


def edit_page(client, product: Product) -> str:
    return client.get(f"/admin/products/{product.id}").get_data(as_text=True)


def submit_edit(client, product: Product, data: dict[str, str]):
    return client.post(f"/admin/products/{product.id}", data=data | {"save": "1"})


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions() -> list[str]:
    """Audit actions on products, variants and stock, oldest first."""
    entries = select(AuditEntry.action).where(AuditEntry.target_type.in_(("product", "variant")))
    return list(db.session.scalars(entries.order_by(AuditEntry.id)))


def fresh(product: Product) -> Product:
    db.session.expire_all()
    return db.session.get(Product, product.id)


def publish(client, product: Product) -> Any:
    token = csrf_from(edit_page(client, product))
    return client.post(
        f"/admin/products/{product.id}/status", data={"csrf_token": token, "action": "publish"}
    )


# -- Creating ----------------------------------------------------------------------------


def test_a_product_with_two_variants_is_created_listed_and_sold_once_published(staff, shelf):
    response = create(staff, shelf)
    assert response.status_code == 303
    product = db.session.scalar(select(Product))
    assert response.headers["Location"].endswith(f"/admin/products/{product.id}")
    assert (product.slug, product.status) == ("teak-serving-bowl", ProductStatus.DRAFT)
    assert [(v.sku, v.price_idr, v.stock, v.position) for v in product.variants] == [
        ("TB-S", 150_000, 3, 0),
        ("TB-L", 2_500_000, 3, 1),
    ]
    assert actions() == ["product.created", "variant.added", "variant.added"]
    listing = staff.get("/admin/products").get_data(as_text=True)
    assert f'href="/admin/products/{product.id}">Teak serving bowl</a>' in listing
    assert staff.get("/products/teak-serving-bowl").status_code == 404  # a draft

    page = staff.get(publish(staff, product).headers["Location"]).get_data(as_text=True)
    assert "Teak serving bowl is on sale in the shop." in page
    assert "It has no photo yet" in page
    storefront = staff.get("/products/teak-serving-bowl").get_data(as_text=True)
    assert f"{rp(150_000)} – {rp(2_500_000)}" in storefront
    assert actions()[-1] == "product.published"


def test_the_slug_is_made_from_the_name_and_kept_unique(staff, shelf):
    create(staff, shelf, [row("A-1")], name="Piring Kayu Jati — Café")
    create(staff, shelf, [row("A-2")], name="Piring kayu jati, café")
    slugs = list(db.session.scalars(select(Product.slug).order_by(Product.id)))
    assert slugs == ["piring-kayu-jati-cafe", "piring-kayu-jati-cafe-2"]


def test_at_least_one_variant_is_needed_and_blank_rows_are_ignored(staff, shelf):
    blank = {"sku": "", "option_label": "", "price": "", "stock": "0", "weight_g": ""}
    response = create(staff, shelf, [blank])
    assert response.status_code == 422
    assert "Add at least one variant" in response.get_data(as_text=True)
    assert count(Product) == 0
    assert create(staff, shelf, [row("ONE"), blank]).status_code == 303
    assert [v.sku for v in db.session.scalar(select(Product)).variants] == ["ONE"]


def test_category_and_workshop_must_be_chosen(staff, shelf):
    page = staff.get("/admin/products/new").get_data(as_text=True)
    assert form_of(page)["category_id"] == "0"  # "Choose…" until staff pick one
    response = create(staff, shelf, category_id="0", workshop_id="999")
    assert response.status_code == 422
    assert "Choose a category." in text(response) and "Choose a workshop." in text(response)
    assert count(Product) == 0


def test_a_duplicate_slug_is_refused_and_nothing_is_written(staff, shelf):
    make_product("Old bowl", category=shelf[0], workshop=shelf[1], slug="teak-bowl")
    db.session.commit()
    before = (count(Product), count(Variant), count(AuditEntry))
    response = create(staff, shelf, slug="teak-bowl")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Another product already uses this web address." in page
    assert 'id="slug-error"' in page and 'value="TB-S"' in page  # the form keeps what was typed
    assert (count(Product), count(Variant), count(AuditEntry)) == before


@pytest.mark.parametrize("slug", ["Teak Bowl!", "teak--bowl", "-teak"])
def test_a_slug_in_the_wrong_form_is_explained(staff, shelf, slug):
    response = create(staff, shelf, slug=slug)
    assert response.status_code == 422
    assert "Use lowercase letters, digits and hyphens only" in response.get_data(as_text=True)
    assert count(Product) == 0


def test_a_sku_that_another_variant_has_is_refused_on_its_row(staff, shelf):
    make_product("Old bowl", category=shelf[0], workshop=shelf[1]).variants[0].sku = "TB-L"
    db.session.commit()
    response = create(staff, shelf)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "SKU TB-L already belongs to another variant." in page
    assert 'id="variants-1-sku-error"' in page
    assert count(Product) == 1 and count(Variant) == 1


def test_a_sku_with_a_slash_is_refused_as_the_csv_import_refuses_it(staff, shelf):
    response = create(staff, shelf, [row("TB/S")])
    assert response.status_code == 422
    page = text(response)
    assert "Use letters, digits and . _ - only, starting with a letter or digit." in page
    assert 'id="variants-0-sku-error"' in page
    assert count(Product) == 0 and count(Variant) == 0


@pytest.mark.parametrize("bad", [{"option_label": ""}, {"weight_g": "-1"}, {"price": "-1"}])
def test_a_refused_save_says_so_at_the_top_and_that_message_takes_focus(staff, shelf, bad):
    # Problems found by the service sit on their row only; the top message must still be there.
    response = create(staff, shelf, [row("TB-S", **bad)])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    top = re.search(r'<div class="form-problems"[^>]*>', page)
    assert top, "no message at the top of a refused form"
    for attribute in ('id="error-summary"', 'role="alert"', 'tabindex="-1"', "autofocus"):
        assert attribute in top.group(0)
    assert "Nothing was saved. Please correct the fields marked below." in text(response)
    assert count(Product) == 0


def test_the_same_sku_twice_in_one_form_is_refused(staff, shelf):
    response = create(staff, shelf, [row("TB-S"), row("TB-S", "200000")])
    assert response.status_code == 422
    assert "SKU TB-S is in this form twice." in response.get_data(as_text=True)
    assert count(Product) == 0 and count(Variant) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "-150000", "The price can't be negative."),
        ("price", "Rp-5.000", "The price can't be negative."),
        ("price", "150000,50", "Enter whole rupiah, without cents."),
        ("price", "seratus", "Enter the price in whole rupiah"),
        ("price", "", "Enter the price."),
        ("stock", "-1", "Enter 0 or more; it can't be negative."),
        ("stock", "2.5", "Enter a whole number"),
        ("weight_g", "-10", "Enter 0 or more; it can't be negative."),
        ("length_mm", "-3", "Enter 0 or more; it can't be negative."),
    ],
)
def test_negative_or_fractional_numbers_are_refused_with_a_message(
    staff, shelf, field, value, message
):
    response = create(staff, shelf, [row("TB-S", **{field: value})])
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'id="variants-0-{field}-error"' in page
    assert count(Product) == 0 and count(Variant) == 0


def test_prices_are_read_as_indonesian_staff_type_them(staff, shelf):
    rows = [
        row("A", "150000"),
        row("B", "150.000"),
        row("C", "Rp150.000"),
        row("D", "Rp 1.250.000,-"),
    ]
    assert create(staff, shelf, rows).status_code == 303
    prices = db.session.scalars(select(Variant.price_idr).order_by(Variant.position))
    assert list(prices) == [150_000, 150_000, 150_000, 1_250_000]


def test_add_a_variant_and_preview_buttons_re_render_without_saving(staff, shelf):
    data = new_product_data(
        staff, shelf, [row("TB-S")], description_md="**Hand-carved**\n\n<script>x</script>"
    )
    data.pop("save")
    response = staff.post("/admin/products/new", data=data | {"add_variant": "1"})
    assert response.status_code == 200
    assert 'name="variants-1-sku"' in response.get_data(as_text=True)
    response = staff.post("/admin/products/new", data=data | {"preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>Hand-carved</strong>" in page and "<script>x" not in page
    assert 'value="TB-S"' in page
    assert count(Product) == 0


def test_the_preview_endpoint_returns_sanitised_html(staff, shelf):
    token = csrf_from(staff.get("/admin/products/new").get_data(as_text=True))
    source = "## Care\n\n*Oil* it. [site](javascript:alert(1)) <img src=x onerror=alert(1)>"
    response = staff.post(
        "/admin/products/preview", data={"csrf_token": token, "description_md": source}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Care</h2>" in fragment and "<em>Oil</em>" in fragment
    assert "href=" not in fragment and "<img" not in fragment
    refused = staff.post("/admin/products/preview", data={"description_md": source})
    assert refused.status_code == 400


# -- Editing -----------------------------------------------------------------------------


@pytest.fixture
def bowl(shelf) -> Product:
    product = make_product(
        "Teak bowl",
        category=shelf[0],
        workshop=shelf[1],
        prices=(100_000, 250_000),
        stock=5,
        slug="teak-bowl",
    )
    db.session.commit()
    return product


def test_a_new_name_shows_on_the_storefront_at_once(staff, bowl):
    assert "Teak bowl" in staff.get("/products/teak-bowl").get_data(as_text=True)  # now cached
    data = form_of(edit_page(staff, bowl)) | {"name": "Hand-carved teak bowl"}
    response = submit_edit(staff, bowl, data)
    assert response.status_code == 303
    assert "Hand-carved teak bowl" in staff.get("/products/teak-bowl").get_data(as_text=True)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "product.updated")
    ).one()
    assert json.loads(entry.changes) == {"name": ["Teak bowl", "Hand-carved teak bowl"]}


def test_editing_a_variant_records_its_changes_and_the_price_range(staff, bowl):
    data = form_of(edit_page(staff, bowl)) | {
        "variants-1-price": "300.000",
        "variants-0-is_active": "",
    }
    del data["variants-0-is_active"]
    assert submit_edit(staff, bowl, data).status_code == 303
    product = fresh(bowl)
    assert (product.price_min_idr, product.price_max_idr) == (300_000, 300_000)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "variant.updated"))
    assert sorted((e.target_id, json.loads(e.changes)) for e in entries) == [
        (bowl.variants[0].id, {"is_active": [True, False]}),
        (bowl.variants[1].id, {"price_idr": [250_000, 300_000]}),
    ]
    assert rp(300_000) in staff.get("/products/teak-bowl").get_data(as_text=True)


def test_staff_see_the_maker_share_read_only_and_cannot_change_it(staff, bowl):
    page = edit_page(staff, bowl)
    field = re.search(r'<input[^>]*id="maker_share_pct"[^>]*>', page).group(0)
    assert " readonly " in field and "Only an admin can change the maker share." in page
    response = submit_edit(staff, bowl, form_of(page) | {"maker_share_pct": "60", "name": "X"})
    assert response.status_code == 422
    assert "Only an admin can change the maker share. Nothing was saved." in response.get_data(
        as_text=True
    )
    assert (fresh(bowl).maker_share_pct, fresh(bowl).name) == (30, "Teak bowl")


def test_admins_change_the_maker_share(admin, bowl):
    data = form_of(edit_page(admin, bowl)) | {"maker_share_pct": "45"}
    assert submit_edit(admin, bowl, data).status_code == 303
    assert fresh(bowl).maker_share_pct == 45
    data = form_of(edit_page(admin, bowl)) | {"maker_share_pct": "101"}
    assert submit_edit(admin, bowl, data).status_code == 422
    assert fresh(bowl).maker_share_pct == 45


def test_a_new_product_starts_with_the_maker_share_in_force(staff, shelf):
    db.session.add_all(
        [
            RevenueSplitRate(
                effective_from=date(2020, 1, 1),
                pnbp_pct=10,
                default_maker_share_pct=35,
                set_by="admin@example.com",
            ),
            RevenueSplitRate(
                effective_from=date(2999, 1, 1),
                pnbp_pct=10,
                default_maker_share_pct=50,
                set_by="admin@example.com",
            ),
        ]
    )
    db.session.commit()
    assert (
        form_of(staff.get("/admin/products/new").get_data(as_text=True))["maker_share_pct"] == "35"
    )
    assert create(staff, shelf).status_code == 303
    assert db.session.scalar(select(Product.maker_share_pct)) == 35


def test_removing_an_ordered_variant_switches_it_off_instead(staff, bowl):
    make_order(bowl.variants[1], quantity=1)
    data = form_of(edit_page(staff, bowl)) | {"variants-1-remove": "y"}
    response = submit_edit(staff, bowl, data)
    assert response.status_code == 303
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "was ordered before, so it is switched off instead of removed" in page
    assert [(v.sku, v.is_active) for v in fresh(bowl).variants] == [
        (bowl.variants[0].sku, True),
        (bowl.variants[1].sku, False),
    ]
    assert "variant.deactivated" in actions()


def test_removing_a_never_ordered_variant_deletes_it(staff, bowl):
    gone, kept = (v.sku for v in bowl.variants)
    data = form_of(edit_page(staff, bowl)) | {"variants-0-remove": "y"}
    assert submit_edit(staff, bowl, data).status_code == 303
    assert [v.sku for v in fresh(bowl).variants] == [kept]
    assert gone not in {v.sku for v in db.session.scalars(select(Variant))}
    assert "variant.removed" in actions()


def test_variants_are_added_on_the_edit_page_and_keep_the_row_order(staff, bowl):
    data = form_of(edit_page(staff, bowl)) | {
        "variants-2-sku": "TB-XL",
        "variants-2-option_label": "Ø 40 cm",
        "variants-2-price": "400.000",
        "variants-2-stock": "2",
        "variants-2-weight_g": "900",
        "variants-2-is_active": "y",
    }
    assert submit_edit(staff, bowl, data).status_code == 303
    product = fresh(bowl)
    assert [v.sku for v in product.variants][-1] == "TB-XL"
    assert product.price_max_idr == 400_000
    added = db.session.scalars(select(StockAdjustment).where(StockAdjustment.sku == "TB-XL")).one()
    assert (added.delta, added.stock_after, added.reason) == (2, 2, StockReason.EDITED)


def test_the_form_applies_the_stock_difference_so_an_order_placed_meanwhile_is_kept(staff, bowl):
    page = edit_page(staff, bowl)  # the form shows 5 in stock
    make_order(bowl.variants[0], quantity=2)  # someone buys 2 while the form is open: 3 left
    response = submit_edit(staff, bowl, form_of(page) | {"variants-0-stock": "8"})  # staff add 3
    assert response.status_code == 303
    assert fresh(bowl).variants[0].stock == 6  # 3 left + 3 added, the order keeps its 2
    adjustment = db.session.scalars(select(StockAdjustment)).one()
    assert (adjustment.delta, adjustment.stock_after, adjustment.reason) == (
        3,
        6,
        StockReason.EDITED,
    )


def test_a_stock_edit_that_an_order_made_impossible_is_refused_and_nothing_is_saved(staff, bowl):
    page = edit_page(staff, bowl)  # 5 in stock
    make_order(bowl.variants[0], quantity=4)  # 1 left
    data = form_of(page) | {"variants-0-stock": "2", "name": "Renamed bowl"}  # staff take away 3
    response = submit_edit(staff, bowl, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "there are 1 now, so your change would make it negative" in page
    assert form_of(page)["variants-0-stock"] == "1"
    assert form_of(page)["variants-0-stock_loaded"] == "1"
    product = fresh(bowl)
    assert (product.name, product.variants[0].stock) == ("Teak bowl", 1)
    assert count(StockAdjustment) == 0 and "product.updated" not in actions()


def test_an_unknown_product_is_a_404(staff, bowl):
    assert staff.get("/admin/products/99999").status_code == 404
    data = form_of(edit_page(staff, bowl))
    assert staff.post("/admin/products/99999", data=data).status_code == 404


# -- Status and deletion -----------------------------------------------------------------


def test_publishing_needs_an_active_variant(staff, shelf):
    product = make_product("Lamp", category=shelf[0], workshop=shelf[1], status=ProductStatus.DRAFT)
    product.variants[0].is_active = False
    db.session.commit()
    page = staff.get(publish(staff, product).headers["Location"]).get_data(as_text=True)
    assert "Switch on at least one variant before publishing" in page
    assert fresh(product).status == ProductStatus.DRAFT


def test_unpublish_archive_and_restore(staff, bowl):
    def act(action: str) -> str:
        token = csrf_from(edit_page(staff, bowl))
        response = staff.post(
            f"/admin/products/{bowl.id}/status", data={"csrf_token": token, "action": action}
        )
        return staff.get(response.headers["Location"]).get_data(as_text=True)

    act("archive")
    assert fresh(bowl).status == ProductStatus.ARCHIVED
    assert staff.get("/products/teak-bowl").status_code == 404
    assert "while the product&#39;s status is “Archived”" in act("publish")
    act("restore")
    assert fresh(bowl).status == ProductStatus.DRAFT
    assert actions()[-2:] == ["product.archived", "product.restored"]


def test_an_ordered_product_can_only_be_archived(staff, bowl):
    make_order(bowl.variants[0], quantity=1)
    page = edit_page(staff, bowl)
    assert "This product has been ordered, so it can only be archived" in page
    response = staff.post(f"/admin/products/{bowl.id}/delete", data={"csrf_token": csrf_from(page)})
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "This product has been ordered, so it can only be archived" in page
    assert fresh(bowl) is not None and count(Variant) == 2


def test_a_never_ordered_draft_can_be_deleted(staff, shelf):
    product = make_product(
        "Stool", category=shelf[0], workshop=shelf[1], status=ProductStatus.DRAFT
    )
    db.session.commit()
    page = edit_page(staff, product)
    assert "Yes, delete Stool" in page
    response = staff.post(
        f"/admin/products/{product.id}/delete", data={"csrf_token": csrf_from(page)}
    )
    assert response.headers["Location"].endswith("/admin/products")
    assert count(Product) == 0 and count(Variant) == 0
    assert actions() == ["product.deleted"]


@pytest.mark.parametrize("action", ["edit", "new", "status", "delete", "stock", "preview"])
def test_posts_without_the_csrf_token_are_refused(app, staff, bowl, action):
    app.config["WTF_CSRF_ENABLED"] = True
    data = {k: v for k, v in form_of(edit_page(staff, bowl)).items() if k != "csrf_token"}
    urls = {
        "edit": f"/admin/products/{bowl.id}",
        "new": "/admin/products/new",
        "status": f"/admin/products/{bowl.id}/status",
        "delete": f"/admin/products/{bowl.id}/delete",
        "stock": f"/admin/variants/{bowl.variants[0].id}/stock",
        "preview": "/admin/products/preview",
    }
    data |= {
        "name": "Forged",
        "action": "archive",
        f"v{bowl.variants[0].id}-change": "+5",
        f"v{bowl.variants[0].id}-reason": "produced",
        "save": "1",
    }
    response = staff.post(urls[action], data=data)
    assert response.status_code == 400
    product = fresh(bowl)
    assert (product.name, product.status, product.variants[0].stock) == (
        "Teak bowl",
        ProductStatus.ACTIVE,
        5,
    )
    assert count(Product) == 1 and actions() == []


# -- The list ----------------------------------------------------------------------------


def test_the_list_searches_filters_and_pages(staff, shelf):
    rattan, cirebon = make_category("rattan", "Rattan"), make_workshop("cirebon", "Cirebon weavers")
    basket = make_product("Rattan basket", category=rattan, workshop=cirebon, photos=1)
    basket.variants[0].sku = "RB-LARGE"
    make_product("Teak bowl", category=shelf[0], workshop=shelf[1], status=ProductStatus.DRAFT)
    for i in range(52):
        make_product(f"Coaster {i:02d}", category=shelf[0], workshop=shelf[1])
    db.session.commit()

    def names(query: str) -> str:
        return staff.get("/admin/products?" + query).get_data(as_text=True)

    page = names("")
    assert '<span class="count">54</span>' in page and "Page 1 of 2" in page
    assert 'class="thumb thumb-empty"' in page
    found = names("q=rb-large")
    assert "Rattan basket" in found and "Teak bowl" not in found and '<img class="thumb"' in found
    assert "Teak bowl" in names("q=teak") and "Coaster" not in names("q=teak")
    assert "Rattan basket" in names("q=rattan-basket")
    found = names("status=draft")
    assert "Teak bowl" in found and "Rattan basket" not in found
    found = names(f"category={rattan.id}")
    assert "Rattan basket" in found and "Coaster" not in found
    found = names(f"workshop={cirebon.id}&q=basket")
    assert '<span class="count">1</span>' in found
    second = names("page=2&sort=name")
    assert "Teak bowl" in second and "Coaster 00" not in second
    assert 'href="/admin/products?page=1&amp;sort=name"' in second
    for bad in ("status=lost", "category=abc", "page=-4", "page=999", "q=" + "x" * 300):
        assert staff.get("/admin/products?" + bad).status_code == 200


def _list_queries(client, count_queries) -> int:
    db.session.expire_all()
    before = count_queries.count
    assert client.get("/admin/products").status_code == 200
    return count_queries.count - before


def test_the_list_runs_a_fixed_number_of_queries(staff, shelf, count_queries):
    make_product("First", category=shelf[0], workshop=shelf[1], photos=1)
    db.session.commit()
    one = _list_queries(staff, count_queries)
    workshop = make_workshop("second", "Second workshop")
    for i in range(30):
        make_product(
            f"Piece {i}",
            category=make_category(f"c{i}", f"C{i}"),
            workshop=workshop,
            prices=(100_000, 200_000, 300_000),
            photos=1 if i < 3 else 0,
        )
    db.session.commit()
    thirty = _list_queries(staff, count_queries)
    assert one == thirty
    assert thirty <= 9  # 8 for the list, 1 for the nav's count of new quote requests


def test_saving_an_unchanged_form_changes_nothing(staff, bowl):
    bowl.description_md = "Carved by hand.\n\nOiled twice."
    db.session.commit()
    updated = fresh(bowl).updated_at
    data = form_of(edit_page(staff, bowl))
    data["description_md"] = data["description_md"].replace("\n", "\r\n")  # as browsers send it
    assert submit_edit(staff, bowl, data).status_code == 303
    assert fresh(bowl).updated_at == updated
    assert actions() == [] and count(StockAdjustment) == 0
