"""Staff create, edit and pause discount codes in the back office and see their use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, DiscountCode, DiscountKind, OrderStatus
from shop.services.ordering import discounts
from shop.services.ordering import status as order_status
from tests.discount_helpers import cart_with, make_code, place
from tests.factories import csrf_from, shop_with_stock


@pytest.fixture
def signed_in(client, auth, staff_user):
    auth.login(staff_user.email)
    return client


def form_data(page: str, **fields: str) -> dict[str, object]:
    names = ("code", "description", "value", "min_subtotal_idr", "first_day", "last_day",
             "max_uses", "max_uses_per_email")  # fmt: skip
    values: dict[str, object] = dict.fromkeys(names, "") | {"kind": "percent"}
    return values | {"csrf_token": csrf_from(page)} | fields


def codes() -> list[DiscountCode]:
    db.session.expire_all()
    return list(db.session.scalars(select(DiscountCode).order_by(DiscountCode.id)))


def test_staff_create_a_code_limited_to_a_category(signed_in) -> None:
    product = shop_with_stock()
    page = signed_in.get("/admin/discounts").get_data(as_text=True)
    response = signed_in.post("/admin/discounts", data=form_data(
        page, code="pameran dagang", kind="fixed", value="50.000", min_subtotal_idr="200.000",
        first_day="2026-12-01", last_day="2026-12-31", max_uses="100", max_uses_per_email="1",
        categories=str(product.category_id),
    ))  # fmt: skip
    assert response.status_code == 303
    (code,) = codes()
    assert (code.code, code.kind, code.amount_off_idr, code.percent_off) == (
        "PAMERANDAGANG", DiscountKind.FIXED, 50_000, None,
    )  # fmt: skip
    assert (code.min_subtotal_idr, code.max_uses, code.max_uses_per_email) == (200_000, 100, 1)
    assert [c.id for c in code.categories] == [product.category_id]
    # The last day counts until midnight in Jakarta (UTC+7).
    assert discounts.aware(code.starts_at) == datetime(2026, 11, 30, 17, tzinfo=UTC)
    assert discounts.aware(code.ends_at) == datetime(2026, 12, 31, 17, tzinfo=UTC)
    logged = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "discount_code")
    ).all()
    assert logged == ["discount_code.created"]
    listing = signed_in.get("/admin/discounts").get_data(as_text=True)
    assert "PAMERANDAGANG" in listing and "IDR\xa050,000" in listing


def test_bad_input_is_explained_and_saves_nothing(signed_in) -> None:
    make_code("GARUDA10")
    page = signed_in.get("/admin/discounts").get_data(as_text=True)
    for fields, message in [
        ({"code": "garuda10", "value": "10"}, "Another discount code already has this name."),
        ({"code": "A B!", "value": "10"}, "without spaces"),
        ({"code": "BIGSALE", "value": "150"}, "Enter a percentage from 1 to 100"),
        ({"code": "BIGSALE", "value": "10", "first_day": "2026-12-31", "last_day": "2026-12-01"},
         "The last day must not be before the first day."),
        ({"code": "BIGSALE", "value": "-5"}, "be negative"),
        ({"code": "BIGSALE", "value": "10", "kind": "bogus"}, "Not a valid choice"),
    ]:  # fmt: skip
        response = signed_in.post("/admin/discounts", data=form_data(page, **fields))
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    assert [c.code for c in codes()] == ["GARUDA10"]


def test_staff_edit_a_code_and_orders_keep_what_they_got(signed_in) -> None:
    product = shop_with_stock()
    code = make_code("GARUDA10", percent=10)
    order = place(cart_with(product.variants[0].id, 1, "GARUDA10"))
    page = signed_in.get(f"/admin/discounts/{code.id}").get_data(as_text=True)
    assert 'value="GARUDA10"' in page and "Used 1 times" in page
    response = signed_in.post(f"/admin/discounts/{code.id}",
                              data=form_data(page, code="GARUDA10", value="25"))  # fmt: skip
    assert response.status_code == 303
    assert codes()[0].percent_off == 25
    db.session.expire_all()
    assert order.discount_idr == 15_000
    assert signed_in.get("/admin/discounts/999").status_code == 404


def test_staff_pause_and_resume_a_code(signed_in, client) -> None:
    product = shop_with_stock()
    code = make_code("GARUDA10")
    page = signed_in.get("/admin/discounts").get_data(as_text=True)
    token = csrf_from(page)
    signed_in.post(f"/admin/discounts/{code.id}/pause", data={"paused": "1", "csrf_token": token})
    assert codes()[0].paused
    with pytest.raises(discounts.DiscountRefused) as refused:
        discounts.evaluate("garuda10", [discounts.PricedLine(product.category_id, 1000)], 1000)
    assert refused.value.reason == "paused"
    signed_in.post(f"/admin/discounts/{code.id}/pause", data={"paused": "0", "csrf_token": token})
    assert not codes()[0].paused
    assert (
        signed_in.post(f"/admin/discounts/{code.id}/pause", data={"paused": "1"}).status_code == 400
    )
    assert not codes()[0].paused  # without the form's token nothing changes
    assert (
        signed_in.post("/admin/discounts/999/pause", data={"paused": "1", "csrf_token": token})
    ).status_code == 404


def test_the_list_shows_uses_and_the_discount_given_on_paid_orders(signed_in) -> None:
    product = shop_with_stock()
    code = make_code("GARUDA10", max_uses=10)
    paid = place(cart_with(product.variants[0].id, 2, "GARUDA10"))
    place(cart_with(product.variants[0].id, 1, "GARUDA10"), "min-ji@example.kr")  # not paid
    locked = order_status.lock(paid.id)
    order_status.pay(locked, actor="gateway:demo", note="Payment received")
    db.session.commit()
    page = signed_in.get("/admin/discounts").get_data(as_text=True)
    row = page.split('data-code="GARUDA10"')[1].split("</tr>")[0]
    assert "2 / 10" in row  # two orders hold a use
    assert "IDR\xa030,000" in row  # given on the one paid order
    assert paid.status == OrderStatus.PAID and code.uses == 2


def test_the_back_office_page_speaks_indonesian(signed_in) -> None:
    """Needs the merged id catalog (strings in /tmp/kb/po/discount.json)."""
    make_code("GARUDA10")
    headers = {"Accept-Language": "id"}
    page = signed_in.get("/admin/discounts", headers=headers).get_data(as_text=True)
    assert "Kode diskon" in page and "Jeda" in page and "Diskon yang diberikan" in page
