"""The listings service: saving drafts in one transaction, status changes; the admin list."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import AuditEntry, Product, ProductStatus, StockAdjustment, Variant
from shop.services.catalog import listings, product_list, product_status
from shop.services.catalog.drafts import ListingInvalid, ProductDraft, VariantDraft
from shop.services.catalog.product_list import AdminFilter
from shop.services.catalog.version import catalog_version
from tests.factories import make_category, make_product, make_workshop
from tests.order_factories import make_order


@pytest.fixture
def shelf(app):
    category, workshop = make_category(), make_workshop()
    db.session.commit()
    return category, workshop


def draft(shelf, *rows: VariantDraft, **fields) -> ProductDraft:
    category, workshop = shelf
    rows = rows or (VariantDraft(None, "TB-S", "Ø 20 cm", 150_000, 4),)
    values = {"name": "Teak bowl", "category_id": category.id, "workshop_id": workshop.id} | fields
    return ProductDraft(variants=list(rows), **values)


def totals() -> tuple[int, int, int, int]:
    models = (Product, Variant, StockAdjustment, AuditEntry)
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)


def test_create_product_saves_a_draft_with_its_variants_and_history(shelf, admin_user):
    version = catalog_version()
    result = listings.create_product(draft(shelf), admin_user, today=date.today())
    product = result.product
    assert (product.slug, product.status, product.maker_share_pct) == ("teak-bowl", "draft", 30)
    assert (product.price_min_idr, product.price_max_idr) == (150_000, 150_000)
    assert catalog_version() > version
    [adjustment] = db.session.scalars(select(StockAdjustment))
    assert (adjustment.delta, adjustment.stock_after, adjustment.actor_email) == (
        4,
        4,
        admin_user.email,
    )


def test_every_problem_is_reported_at_once_and_nothing_is_written(shelf, staff_user):
    make_product("Old", category=shelf[0], workshop=shelf[1], slug="taken").variants[
        0
    ].sku = "OLD-1"
    db.session.commit()
    before = totals()
    rows = (
        VariantDraft(None, "OLD-1", "A", 1, 1),
        VariantDraft(None, "NEW 1", "", -5, -1),
        VariantDraft(None, "DUP", "C", 1, 1),
        VariantDraft(None, "DUP", "D", 1, 1),
    )
    with pytest.raises(ListingInvalid) as refused:
        listings.create_product(
            draft(shelf, *rows, slug="taken", maker_share_pct=90, lead_time_days=-2),
            staff_user, today=date.today(),
        )  # fmt: skip
    found = {(p.field, p.key, p.row) for p in refused.value.problems}
    assert found == {
        ("slug", "duplicate", None), ("lead_time_days", "negative", None),
        ("maker_share_pct", "only_admin", None), ("sku", "duplicate", 0), ("sku", "format", 1),
        ("option_label", "missing", 1), ("price_idr", "negative", 1), ("stock", "negative", 1),
        ("sku", "repeated", 3),
    }  # fmt: skip
    assert totals() == before


def test_update_applies_stock_as_a_difference_and_rolls_back_everything_on_a_refusal(
    shelf, staff_user
):
    product = make_product("Bowl", category=shelf[0], workshop=shelf[1], prices=(100, 200), stock=5)
    db.session.commit()
    first, second = product.variants
    rows = [
        VariantDraft(first.id, first.sku, "Small", 100, 9, stock_loaded=5),  # +4
        VariantDraft(second.id, second.sku, "Large", 200, 0, stock_loaded=5),  # -5
    ]
    make_order(second, quantity=1)  # 4 left: taking 5 away is no longer possible
    before = totals()
    with pytest.raises(ListingInvalid) as refused:
        listings.update_product(product, draft(shelf, *rows, name="Renamed"), staff_user)
    assert [(p.field, p.key, p.row, p.params) for p in refused.value.problems] == [
        ("stock", "went_negative", 1, {"current": 4})
    ]
    db.session.expire_all()
    assert (product.name, first.stock, second.stock) == ("Bowl", 5, 4)
    assert totals() == before

    rows[1] = VariantDraft(second.id, second.sku, "Large", 200, 0, stock_loaded=4)
    listings.update_product(product, draft(shelf, *rows, name="Renamed"), staff_user)
    db.session.expire_all()
    assert (product.name, first.stock, second.stock) == ("Renamed", 9, 0)


def test_set_status_follows_the_allowed_moves(shelf, staff_user):
    product = make_product("Bowl", category=shelf[0], workshop=shelf[1], status=ProductStatus.DRAFT)
    db.session.commit()
    with pytest.raises(product_status.InvalidStatusChange):
        product_status.set_status(product, "restore", staff_user)
    with pytest.raises(product_status.InvalidStatusChange):
        product_status.set_status(product, "explode", staff_user)
    product_status.set_status(product, "publish", staff_user)
    product_status.set_status(product, "archive", staff_user)
    product_status.set_status(product, "restore", staff_user)
    assert product.status == ProductStatus.DRAFT


def test_search_admin_pages_and_counts_variants_and_stock(shelf):
    for i in range(5):
        make_product(f"Piece {i}", category=shelf[0], workshop=shelf[1], prices=(100, 200), stock=3)
    db.session.commit()
    page = product_list.search_admin(AdminFilter(sort="name"), page=2, per_page=2)
    assert (page.total, page.pages, page.page) == (5, 3, 2)
    assert [(r.product.name, r.variants, r.active_variants, r.stock) for r in page.items] == [
        ("Piece 2", 2, 2, 6), ("Piece 3", 2, 2, 6),
    ]  # fmt: skip
    assert product_list.search_admin(AdminFilter(), page=99, per_page=2).page == 3
    assert product_list.search_admin(AdminFilter(q="100% _"), page=1, per_page=2).total == 0
