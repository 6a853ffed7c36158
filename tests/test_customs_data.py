"""Customs data per product (HS code, origin; net weight per variant): form and CSV."""

from __future__ import annotations

import pytest

from shop.extensions import db
from shop.models import Product
from shop.services.catalog import rules
from tests.test_admin_products import (  # noqa: F401
    create,
    edit_page,
    form_of,
    row,
    shelf,
    staff,
    submit_edit,
    text,
)
from tests.test_catalog_csv import _error_row, catalog, export, rows_of, to_csv, upload  # noqa: F401


def only_product() -> Product:
    db.session.expire_all()
    [product] = db.session.query(Product).all()
    return product


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("4419.90", "441990"), ("9503.00.70", "95030070"), (" 4421 90 ", "442190"), ("", "")],
)
def test_hs_codes_are_read_with_or_without_dots(typed, stored) -> None:
    code = rules.clean_hs_code(typed)
    assert (code, rules.check_hs_code(code)) == (stored, None)


@pytest.mark.parametrize("typed", ["4419", "44-19-90", "HS441990", "12345678901", "4419.9a"])
def test_bad_hs_codes_are_refused(typed) -> None:
    assert rules.check_hs_code(rules.clean_hs_code(typed)) == "format"


def test_the_product_form_saves_customs_data_and_explains_bad_input(staff, shelf) -> None:  # noqa: F811
    response = create(staff, shelf, [row("TB-S", net_weight_g="420")], hs_code="4419.90")
    assert response.status_code in (302, 303), text(response)[:500]
    product = only_product()
    assert (product.hs_code, product.origin_country) == ("441990", "ID")  # Indonesia by default
    assert product.variants[0].net_weight_g == 420

    data = form_of(edit_page(staff, product))
    assert data["hs_code"] == "441990" and data["origin_country"] == "ID"
    refused = submit_edit(staff, product, data | {"hs_code": "44-19", "origin_country": "XX"})
    page = text(refused)
    assert refused.status_code == 422
    assert "Enter the HS code as 6 to 10 digits, dots allowed, e.g. 4419.90." in page
    assert "Enter a two-letter ISO country code, e.g. ID or JP." in page
    assert only_product().hs_code == "441990"  # nothing was saved

    negative = submit_edit(staff, product, data | {"variants-0-net_weight_g": "-5"})
    assert negative.status_code == 422
    assert only_product().variants[0].net_weight_g == 420
    saved = submit_edit(staff, product, data | {"origin_country": "jp"})
    assert saved.status_code in (302, 303)
    assert only_product().origin_country == "JP"


def test_the_csv_carries_customs_data_and_refuses_bad_cells(client, staff, catalog) -> None:  # noqa: F811
    rows = rows_of(export(client))
    assert {"hs_code", "origin_country", "net_weight_g"} <= set(rows[0])
    assert rows[0]["origin_country"] == "ID"
    bad = [dict(r) for r in rows]
    bad[0]["hs_code"], bad[1]["origin_country"], bad[2]["net_weight_g"] = "44.19", "Japan", "1,5"
    page = upload(client, to_csv(bad)).get_data(as_text=True)
    assert _error_row(page, "Row 2")[1:] == (
        "hs_code", "enter the HS code as 6 to 10 digits, dots allowed, e.g. 4419.90",
    )  # fmt: skip
    assert _error_row(page, "Row 3")[1:] == (
        "origin_country", "enter a two-letter ISO country code, e.g. ID",
    )  # fmt: skip
    assert _error_row(page, "Row 4")[1] == "net_weight_g"

    for r in rows:
        r["hs_code"], r["net_weight_g"] = "9503.00.70", "350"
    assert upload(client, to_csv(rows)).status_code in (200, 302, 303)
    db.session.expire_all()
    products = db.session.query(Product).all()
    assert {p.hs_code for p in products} == {"95030070"}
    assert {v.net_weight_g for p in products for v in p.variants} == {350}


def test_an_older_file_without_the_customs_columns_still_imports(client, staff, catalog) -> None:  # noqa: F811
    rows = rows_of(export(client))
    product = db.session.query(Product).filter_by(slug=rows[0]["product_slug"]).one()
    product.hs_code = "442190"
    db.session.commit()
    old = [{k: v for k, v in r.items() if k not in ("hs_code", "origin_country", "net_weight_g")}
           for r in rows]  # fmt: skip
    old[0]["product_name"] = "Renamed in an old spreadsheet"
    assert upload(client, to_csv(old)).status_code in (200, 302, 303)
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.name == "Renamed in an old spreadsheet"
    assert product.hs_code == "442190"  # left as it was
