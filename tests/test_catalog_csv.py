"""The catalog CSV: export, import with a row-by-row report, all or nothing, round trips."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import (
    AuditEntry,
    Product,
    ProductStatus,
    StockAdjustment,
    StockReason,
    Variant,
)
from shop.services.catalog import csv_export as catalog_csv
from shop.services.catalog import csv_import as catalog_import
from shop.services.catalog.csv_export import BadValue, guard, rupiah_value, unguard
from shop.services.reporting import audit
from tests.factories import csrf_from, make_category, make_product, make_workshop

EXPORT = "/admin/catalog/export.csv"
IMPORT = "/admin/catalog/import"


@pytest.fixture
def catalog(app) -> dict[str, Any]:
    """A small catalog like the demo's: two categories, two workshops, four products."""
    aircraft = make_category("miniature-aircraft", "Miniature aircraft")
    tableware = make_category("tableware", "Tableware")
    tangerang = make_workshop("model-aircraft-tangerang", "Model aircraft workshop")
    banyuwangi = make_workshop("woodcraft-banyuwangi", "Woodcraft workshop")
    garuda = make_product(
        "Garuda 737", category=aircraft, workshop=tangerang, slug="garuda-737",
        prices=(350_000, 1_250_000), stock=4, description_md="A **desk** model.\n\n- resin",
        materials="Resin, wood", made_to_order=True, lead_time_days=30, featured=True,
    )  # fmt: skip
    bowl = make_product(
        "Teak bowl", category=tableware, workshop=banyuwangi, slug="teak-bowl",
        prices=(150_000,), stock=12, care_notes="Oil it once a month.",
    )  # fmt: skip
    bowl.variants[0].length_mm = 240
    make_product(
        "Draft plate", category=tableware, workshop=banyuwangi, slug="draft-plate",
        status=ProductStatus.DRAFT, prices=(90_000,), stock=0,
    )  # fmt: skip
    make_product(
        "Old tray", category=tableware, workshop=banyuwangi, slug="old-tray",
        status=ProductStatus.ARCHIVED, prices=(50_000,),
    )  # fmt: skip
    db.session.commit()
    return {"garuda": garuda, "bowl": bowl}


@pytest.fixture
def staff(client, auth, staff_user):
    """A staff member signed in."""
    auth.login(staff_user.email)
    return staff_user


def export(client) -> bytes:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return response.data


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def to_csv(rows: list[dict[str, str]], delimiter: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def upload(client, data: bytes, *, check: bool = False, name: str = "catalog.csv", token=True):
    form: dict[str, Any] = {"file": (io.BytesIO(data), name)}
    form["check" if check else "submit"] = "1"
    if token:
        form["csrf_token"] = csrf_from(client.get(IMPORT).get_data(as_text=True))
    return client.post(IMPORT, data=form, content_type="multipart/form-data")


def imports() -> list[AuditEntry]:
    """The audit entries of catalog imports."""
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "catalog.imported")
    ).all()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot() -> list[tuple]:
    """Every product and variant value the import could change."""
    db.session.expire_all()
    products = db.session.scalars(select(Product).order_by(Product.slug)).all()
    return [
        (p.slug, p.name, p.status, p.category_id, p.workshop_id, p.summary, p.description_md,
         p.materials, p.care_notes, p.made_to_order, p.lead_time_days, p.maker_share_pct,
         p.featured, p.price_min_idr, p.price_max_idr,
         [(v.sku, v.option_label, v.price_idr, v.stock, v.weight_g, v.length_mm, v.width_mm,
           v.height_mm, v.is_active, v.position) for v in p.variants])
        for p in products
    ]  # fmt: skip


# --- export -----------------------------------------------------------------------------------


def test_export_has_one_row_per_variant_with_the_documented_columns(client, staff, catalog):
    data = export(client)

    assert data.startswith("\ufeff".encode())
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(catalog_csv.COLUMNS)
    assert header.startswith("product_slug,product_name,category_slug,workshop_slug,status,")
    assert header.endswith(",length_mm,width_mm,height_mm,variant_active,net_weight_g")
    rows = rows_of(data)
    assert [(r["product_slug"], r["sku"]) for r in rows] == [
        ("draft-plate", catalog_csv_sku(rows, "draft-plate", 0)),
        ("garuda-737", catalog["garuda"].variants[0].sku),
        ("garuda-737", catalog["garuda"].variants[1].sku),
        ("old-tray", catalog_csv_sku(rows, "old-tray", 0)),
        ("teak-bowl", catalog["bowl"].variants[0].sku),
    ]
    garuda = rows[1]
    assert garuda["made_to_order"] == "yes" and garuda["featured"] == "yes"
    assert garuda["lead_time_days"] == "30" and garuda["price_idr"] == "350000"
    assert garuda["description_md"] == "A **desk** model.\n\n- resin"
    assert rows[4]["length_mm"] == "240" and rows[4]["width_mm"] == ""
    assert rows[4]["variant_active"] == "yes" and rows[0]["status"] == "draft"


def catalog_csv_sku(rows: list[dict[str, str]], slug: str, n: int) -> str:
    return [r["sku"] for r in rows if r["product_slug"] == slug][n]


def test_text_that_looks_like_a_formula_is_exported_with_an_apostrophe(client, staff, catalog):
    catalog["bowl"].name = '=HYPERLINK("http://evil.example","Teak")'
    catalog["bowl"].summary = "-20% this week"
    catalog["bowl"].materials = "'=quoted already"
    db.session.commit()
    before = snapshot()

    data = export(client)
    bowl = [r for r in rows_of(data) if r["product_slug"] == "teak-bowl"][0]
    assert bowl["product_name"] == '\'=HYPERLINK("http://evil.example","Teak")'
    assert bowl["summary"] == "'-20% this week"

    response = upload(client, data)
    assert "Nothing to change" in response.get_data(as_text=True)
    assert snapshot() == before


def test_the_guard_is_undone_exactly() -> None:
    for text in ["=1+2", "+62 812", "-", "@SUM", "\tx", "\rx", "'", "''=", "'Tis", "plain", ""]:
        assert unguard(guard(text)) == text
        assert not guard(text).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unguard("'=1") == "=1" and unguard("'Tis") == "'Tis"


# --- round trips --------------------------------------------------------------------------------


def test_importing_the_export_unchanged_changes_nothing(client, staff, catalog):
    before = snapshot()
    counts = (count(Product), count(Variant), count(AuditEntry))  # sign-ins are audited too

    response = upload(client, export(client))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing to change" in page and "matches the catalog already" in page
    assert snapshot() == before
    assert (count(Product), count(Variant), count(AuditEntry)) == counts
    assert count(StockAdjustment) == 0


def test_edited_price_stock_and_name_are_imported_and_shown_in_the_shop(client, staff, catalog):
    bowl = catalog["bowl"]
    assert "IDR\xa0150,000" in client.get("/products/teak-bowl").get_data(as_text=True)
    rows = rows_of(export(client))
    for row in rows:
        if row["product_slug"] == "teak-bowl":
            row.update(product_name="Teak salad bowl", price_idr="Rp175.000", stock="9")

    response = upload(client, to_csv(rows), name="prices.csv")

    assert response.status_code == 303
    flashed = client.get(IMPORT).get_data(as_text=True)
    assert (
        "Imported prices.csv: 1 product updated, 1 variant updated, 1 stock adjustment." in flashed
    )
    db.session.expire_all()
    assert bowl.name == "Teak salad bowl"
    assert (bowl.variants[0].price_idr, bowl.variants[0].stock) == (175_000, 9)
    assert (bowl.price_min_idr, bowl.price_max_idr) == (175_000, 175_000)
    adjustment = db.session.scalars(select(StockAdjustment)).one()
    assert (adjustment.delta, adjustment.stock_after) == (-3, 9)
    assert adjustment.sku == bowl.variants[0].sku
    assert adjustment.reason == StockReason.IMPORTED and adjustment.actor_email == staff.email
    (entry,) = imports()
    assert entry.target_label == "prices.csv"
    changes = audit.changes_of(entry)
    assert (changes["products_updated"], changes["variants_updated"]) == (1, 1)
    assert (changes["products_created"], changes["stock_adjustments"]) == (0, 1)
    page = client.get("/products/teak-bowl").get_data(as_text=True)
    assert "Teak salad bowl" in page and "IDR\xa0175,000" in page


def test_new_products_and_variants_are_created_as_given(client, staff, catalog):
    rows = rows_of(export(client))
    template = next(r for r in rows if r["product_slug"] == "teak-bowl")
    spoon = {"product_slug": "teak-spoon", "product_name": "Teak spoon", "status": "draft",
             "maker_share_pct": ""}  # fmt: skip
    rows.append(template | spoon | {"sku": "SPOON-S", "option_label": "Small",
                                    "price_idr": "45.000", "stock": "7"})  # fmt: skip
    rows.append(template | spoon | {"sku": "SPOON-L", "option_label": "Large",
                                    "price_idr": "55000", "stock": "0"})  # fmt: skip
    rows.append(template | {"sku": "BOWL-XL", "option_label": "XL", "price_idr": "300000"})

    response = upload(client, to_csv(rows))

    assert response.status_code == 303
    spoon = db.session.scalars(select(Product).where(Product.slug == "teak-spoon")).one()
    assert spoon.status == ProductStatus.DRAFT and spoon.category.slug == "tableware"
    assert spoon.maker_share_pct == 30  # the default, as the maker share column was empty
    assert [(v.sku, v.price_idr, v.stock, v.position) for v in spoon.variants] == [
        ("SPOON-S", 45_000, 7, 0),
        ("SPOON-L", 55_000, 0, 1),
    ]
    assert (spoon.price_min_idr, spoon.price_max_idr) == (45_000, 55_000)
    bowl = catalog["bowl"]
    db.session.expire_all()
    assert [v.sku for v in bowl.variants][-1] == "BOWL-XL"
    assert bowl.price_max_idr == 300_000
    # Stock that appears with a new variant is recorded too.
    deltas = {a.sku: a.delta for a in db.session.scalars(select(StockAdjustment))}
    assert deltas == {"SPOON-S": 7, "BOWL-XL": 12}
    assert "Teak spoon" not in client.get("/products").get_data(as_text=True)  # a draft


def test_check_only_reports_what_would_change_and_writes_nothing(client, staff, catalog):
    rows = rows_of(export(client))
    rows = [r for r in rows if r["product_slug"] == "garuda-737"]  # one variant stays out
    rows[0]["stock"] = "5"
    rows[0]["sku"] = "GA-NEW"
    before = snapshot()

    response = upload(client, to_csv(rows), check=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "nothing has been written yet" in page
    assert "would make these changes: 1 variant created, 1 stock adjustment." in page
    assert "1 variant of these products is not in the file and was left as it is." in page
    assert snapshot() == before and count(StockAdjustment) == 0 and imports() == []


def test_semicolon_separated_files_from_indonesian_excel_are_read(client, staff, catalog):
    rows = rows_of(export(client))
    for row in rows:
        if row["product_slug"] == "garuda-737":
            row["product_name"] = "Garuda 737-800, 1:100"

    response = upload(client, to_csv(rows, delimiter=";", bom=False))

    assert response.status_code == 303
    db.session.expire_all()
    assert catalog["garuda"].name == "Garuda 737-800, 1:100"


# --- refusals: nothing written ------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_written(client, staff, catalog):
    rows = rows_of(export(client))  # draft-plate, garuda ×2, old-tray, teak-bowl: rows 2–6
    rows.append(dict(rows[1]))  # row 7: the SKU of row 3 again
    rows[1]["price_idr"] = "-5000"  # row 3
    rows[2]["stock"] = "lots"  # row 4
    rows[3]["category_slug"] = "lamps"  # row 5
    rows[4]["product_name"] = "Teak bowl, renamed"  # row 6: a good change that must not land
    before = snapshot()

    response = upload(client, to_csv(rows))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "nothing was imported" in page
    assert ("Row 3", "price_idr", "can&#39;t be negative") == _error_row(page, "Row 3")
    assert _error_row(page, "Row 4")[1:] == ("stock", "enter a whole number, e.g. 12")
    assert _error_row(page, "Row 5")[1:] == ("category_slug", "no category has the slug “lamps”")
    assert _error_row(page, "Row 7")[1:] == ("sku", "this SKU is already used in row 3 of the file")
    assert "Row 6" not in page
    assert snapshot() == before
    assert count(StockAdjustment) == 0 and imports() == []


def _error_row(page: str, label: str) -> tuple[str, str, str]:
    import re

    found = re.search(
        rf'<td class="nowrap">({label})</td>\s*<td class="sku"[^>]*>([^<]*)</td>\s*'
        r"<td[^>]*>([^<]*)</td>",
        page,
    )
    assert found, f"{label} is not in the error table"
    return found.group(1), found.group(2), found.group(3)


def test_a_sku_of_another_product_and_conflicting_product_cells_are_refused(client, staff, catalog):
    rows = rows_of(export(client))
    bowl_sku = catalog["bowl"].variants[0].sku
    rows[1]["sku"] = bowl_sku  # a Garuda row claims the bowl's SKU
    rows[2]["status"] = "archived"  # the second Garuda row disagrees with the first

    page = upload(client, to_csv(rows)).get_data(as_text=True)

    assert "this SKU belongs to another product (teak-bowl)" in page
    assert _error_row(page, "Row 4")[1:] == ("status", "differs from row 3 of the same product")


def test_a_wrong_header_is_reported_before_any_row(client, staff, catalog):
    text = export(client).decode("utf-8-sig")
    header, rest = text.split("\r\n", 1)
    bad = header.replace("price_idr", "harga").replace(",variant_active", "")
    before = snapshot()

    response = upload(client, (bad + "\r\n" + rest).encode())

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_row(page, "Row 1")[1:] == (
        "harga", "unknown column: check the spelling against the export"
    )  # fmt: skip
    assert "price_idr" in page and "this column is missing from the header" in page
    assert "Row 2" not in page
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("product_slug;product_name\nbakul;Bakul rotan anyaman\n".encode("latin-1").replace(
            b"anyaman", b"\xe9\xe8"), "The file is not UTF-8 text"),
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
    ],
)  # fmt: skip
def test_an_unreadable_file_gets_a_clear_message(client, staff, catalog, data, message):
    response = upload(client, data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_too_many_rows_are_refused(client, staff, catalog, monkeypatch):
    monkeypatch.setattr(catalog_import, "MAX_ROWS", 3)

    response = upload(client, export(client))  # five rows

    assert response.status_code == 422
    assert "more than 3 rows" in response.get_data(as_text=True)


def test_a_file_over_the_byte_limit_is_refused(client, staff, catalog, monkeypatch):
    monkeypatch.setattr(catalog_import, "MAX_BYTES", 300)

    response = upload(client, export(client))

    assert response.status_code == 422
    assert "The file is larger than" in response.get_data(as_text=True)


def test_a_product_without_variants_survives_a_round_trip(client, staff, catalog):
    make_product(
        "Empty box", category=catalog["bowl"].category, workshop=catalog["bowl"].workshop,
        slug="empty-box", prices=(), status=ProductStatus.DRAFT,
    )  # fmt: skip
    db.session.commit()
    data = export(client)
    row = next(r for r in rows_of(data) if r["product_slug"] == "empty-box")
    assert row["sku"] == "" and row["price_idr"] == "" and row["product_name"] == "Empty box"
    before = snapshot()

    assert "Nothing to change" in upload(client, data).get_data(as_text=True)
    assert snapshot() == before


def test_staff_cannot_change_the_maker_share_but_an_admin_can(
    client, auth, staff, admin_user, catalog
):
    rows = rows_of(export(client))
    for row in rows:
        if row["product_slug"] == "teak-bowl":
            row["maker_share_pct"] = "45"
    data = to_csv(rows)

    refused = upload(client, data)

    assert refused.status_code == 422
    assert "only an admin may change the maker share" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert catalog["bowl"].maker_share_pct == 30

    auth.logout()
    auth.login(admin_user.email)
    assert upload(client, data).status_code == 303
    db.session.expire_all()
    assert catalog["bowl"].maker_share_pct == 45


def test_import_refuses_a_post_without_the_csrf_token(client, staff, catalog):
    rows = rows_of(export(client))
    rows[0]["product_name"] = "Changed"

    response = upload(client, to_csv(rows), token=False)

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalars(select(Product.name).where(Product.slug == "draft-plate")).one() == (
        "Draft plate"
    )


@pytest.mark.parametrize("sku", ["GA/NEW", "-GA-NEW"])
def test_a_sku_the_product_editor_would_refuse_is_refused(client, staff, catalog, sku):
    rows = rows_of(export(client))
    rows[1]["sku"] = sku  # row 3
    before = snapshot()

    response = upload(client, to_csv(rows))

    assert response.status_code == 422
    assert _error_row(response.get_data(as_text=True), "Row 3")[1:] == (
        "sku",
        "use only letters, digits, dot, underscore and hyphen, starting with a letter or digit, "
        "no spaces (at most 64)",
    )
    assert snapshot() == before and imports() == []


def test_the_import_page_explains_the_format_and_links_the_export(client, staff):
    page = client.get(IMPORT).get_data(as_text=True)
    assert 'href="/admin/catalog/export.csv"' in page
    assert "Check only" in page and "product_slug" in page


@pytest.mark.parametrize(
    ("text", "amount"),
    [("150000", 150_000), ("150.000", 150_000), ("Rp150.000", 150_000), ("Rp 1.250.000", 1_250_000),
     ("150,000", 150_000), ("0", 0), ("150000.00", 150_000), ("Rp150.000,-", 150_000)],
)  # fmt: skip
def test_prices_are_read_as_staff_write_them(text, amount):
    assert rupiah_value(text) == amount


@pytest.mark.parametrize("text", ["", "-1", "15.50", "150000,50", "abc", "Rp", "1.5"])
def test_prices_that_are_not_whole_rupiah_are_refused(text):
    with pytest.raises(BadValue):
        rupiah_value(text)
