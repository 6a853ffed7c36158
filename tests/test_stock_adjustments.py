"""Staff adjust a variant's stock with a reason; every change is recorded and never goes below 0."""

from __future__ import annotations

import html
import json

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, StockAdjustment, StockReason, Variant
from shop.services.ordering import stock
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.order_factories import make_order


@pytest.fixture
def variant(app) -> Variant:
    product = make_product(
        "Teak bowl", category=make_category(), workshop=make_workshop(), stock=5, slug="teak-bowl"
    )
    db.session.commit()
    return product.variants[0]


@pytest.fixture
def staff(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


def adjust(client, variant: Variant, **fields: str) -> str:
    """Post the variant's stock form from the product page; return the page it leads back to."""
    page = client.get(f"/admin/products/{variant.product_id}").get_data(as_text=True)
    data = {f"v{variant.id}-{name}": value for name, value in fields.items()}
    response = client.post(
        f"/admin/variants/{variant.id}/stock", data={"csrf_token": csrf_from(page), **data}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/admin/products/{variant.product_id}#stock-v{variant.id}"
    )
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def stock_now(variant: Variant) -> int:
    db.session.expire_all()
    return db.session.get(Variant, variant.id).stock


def adjustments() -> list[StockAdjustment]:
    return list(db.session.scalars(select(StockAdjustment).order_by(StockAdjustment.id)))


def test_an_adjustment_changes_the_stock_and_is_recorded_with_an_audit_entry(
    staff, staff_user, variant
):
    page = adjust(staff, variant, change="+4", reason="produced", note="Batch 12")
    assert f"{variant.sku}: stock +4, now 9." in page
    assert stock_now(variant) == 9
    [row] = adjustments()
    assert (row.delta, row.stock_after, row.reason, row.note) == (
        4,
        9,
        StockReason.PRODUCED,
        "Batch 12",
    )
    assert (row.actor_email, row.sku) == (staff_user.email, variant.sku)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "stock.adjusted")
    ).one()
    assert entry.target_id == variant.id
    assert json.loads(entry.changes) == {"stock": [5, 9], "reason": "produced", "note": "Batch 12"}


def test_stock_can_be_set_to_the_counted_number(staff, variant):
    page = adjust(staff, variant, counted="2", reason="count")
    assert f"{variant.sku}: stock -3, now 2." in page
    assert [(a.delta, a.stock_after) for a in adjustments()] == [(-3, 2)]
    page = adjust(staff, variant, counted="2", reason="count")
    assert "already has 2 in stock. Nothing was changed." in page
    assert len(adjustments()) == 1


def test_taking_away_more_than_there_is_is_refused_naming_the_current_stock(staff, variant):
    make_order(variant, quantity=3)  # 2 left
    page = adjust(staff, variant, change="-3", reason="damaged")
    assert (
        f"{variant.sku} has only 2 in stock, so 3 can't be taken away. Nothing was changed." in page
    )
    assert stock_now(variant) == 2
    assert adjustments() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"change": "-1", "reason": "other"}, "Write a note saying what happened"),
        ({"change": "0", "reason": "produced"}, "Enter a change other than 0."),
        ({"change": "lots", "reason": "produced"}, "Enter a change such as +5 or -2."),
        ({"reason": "produced"}, "Enter a change (e.g. +5 or -2) or the counted stock."),
        ({"change": "+1", "counted": "4", "reason": "count"}, "not both"),
        ({"counted": "-4", "reason": "count"}, "it can't be negative"),
        ({"change": "+1", "reason": "edited"}, "Not a valid choice"),
        ({"change": "+1", "reason": "other", "note": "x" * 301}, "at most 300"),
    ],
)
def test_a_wrong_adjustment_is_explained_and_changes_nothing(staff, variant, fields, message):
    page = adjust(staff, variant, **fields)
    assert message in page
    assert stock_now(variant) == 5
    assert adjustments() == []


def test_other_with_a_note_is_accepted(staff, variant):
    page = adjust(staff, variant, change="-1", reason="other", note="Given to the museum")
    assert "stock -1, now 4." in page
    assert adjustments()[0].reason == StockReason.OTHER


def test_the_stock_history_lists_changes_newest_first(staff, variant):
    adjust(staff, variant, change="+3", reason="received", note="From Jepara")
    adjust(staff, variant, change="−2", reason="damaged")
    page = html.unescape(
        staff.get(f"/admin/products/{variant.product_id}/stock").get_data(as_text=True)
    )
    assert page.index("Damaged") < page.index("Received")
    assert "−2" in page and "+3" in page and "From Jepara" in page and "staff@example.com" in page
    assert staff.get("/admin/products/99999/stock").status_code == 404


def test_an_unknown_variant_is_a_404(staff, variant):
    page = staff.get(f"/admin/products/{variant.product_id}").get_data(as_text=True)
    response = staff.post("/admin/variants/99999/stock", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 404


# -- The service -------------------------------------------------------------------------


def test_apply_delta_never_goes_below_zero(variant):
    assert stock.apply_delta(variant, -5) == 0
    assert stock.apply_delta(variant, -1) is None
    db.session.commit()
    assert stock_now(variant) == 0


def test_the_service_refuses_reasons_kept_for_the_form_and_the_import(variant, staff_user):
    for reason in (StockReason.EDITED, StockReason.IMPORTED):
        with pytest.raises(stock.InvalidAdjustment):
            stock.adjust(variant, delta=1, reason=reason, actor=staff_user)
    assert stock_now(variant) == 5 and adjustments() == []
