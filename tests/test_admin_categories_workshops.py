"""Staff set up categories and workshops: create, edit, slugs, the workshop photo and story."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import AuditEntry, Category, Workshop
from shop.services.reporting import audit
from tests.factories import csrf_from, make_category, make_product, make_workshop, png_bytes


@pytest.fixture
def signed_in(client, auth, staff_user):
    """A staff member signed in to the back office."""
    auth.login(staff_user.email)
    return staff_user


def _post(client, url: str, data: dict, **kw):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kw)


def _entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- categories -----------------------------------------------------------------------------


def test_categories_are_listed_with_position_and_product_counts(client, signed_in) -> None:
    tableware = make_category("tableware", "Tableware", position=2)
    make_category("furniture", "Furniture", position=1)
    workshop = make_workshop()
    make_product("Teak bowl", category=tableware, workshop=workshop)
    make_product("Draft bowl", category=tableware, workshop=workshop, status="draft")
    db.session.commit()

    page = client.get("/admin/categories").get_data(as_text=True)

    assert page.index("Furniture") < page.index("Tableware")
    row = page[page.index("Tableware") :].split("</tr>")[0]
    assert '<td class="num" data-label="Products">2</td>' in row
    assert '<td class="num" data-label="On sale">1</td>' in row


def test_a_new_category_gets_its_slug_from_the_name_and_an_audit_entry(client, signed_in) -> None:
    response = _post(
        client, "/admin/categories/new",
        {"name": "Rattan & Bambú", "slug": "", "description": "Woven.", "position": "3"},
    )  # fmt: skip

    assert response.status_code == 303
    category = db.session.scalars(select(Category)).one()
    assert (category.slug, category.position, category.description) == ("rattan-bambu", 3, "Woven.")
    (entry,) = _entries("category.created")
    assert entry.actor_email == signed_in.email
    assert audit.changes_of(entry)["slug"] == [None, "rattan-bambu"]


def test_editing_a_category_shows_at_once_in_the_storefront_filter(client, signed_in) -> None:
    category = make_category("tableware", "Tableware")
    make_product("Teak bowl", category=category, workshop=make_workshop())
    db.session.commit()
    assert "Tableware (1)" in client.get("/products").get_data(as_text=True)

    response = _post(
        client, f"/admin/categories/{category.id}",
        {"name": "Wooden tableware", "slug": "wooden-tableware", "position": "0"},
    )  # fmt: skip

    assert response.status_code == 303
    listing = client.get("/products").get_data(as_text=True)
    assert "Wooden tableware (1)" in listing and "Tableware (1)" not in listing
    filtered = client.get("/products?category=wooden-tableware").get_data(as_text=True)
    assert "Teak bowl" in filtered
    (entry,) = _entries("category.updated")
    assert audit.changes_of(entry) == {
        "name": ["Tableware", "Wooden tableware"],
        "slug": ["tableware", "wooden-tableware"],
    }


def test_a_duplicate_or_malformed_category_slug_is_refused_on_the_form(client, signed_in) -> None:
    make_category("tableware", "Tableware")
    other = make_category("furniture", "Furniture")
    db.session.commit()

    taken = _post(
        client, f"/admin/categories/{other.id}",
        {"name": "Furniture", "slug": "tableware", "description": "", "position": "0"},
    )  # fmt: skip
    malformed = _post(
        client, "/admin/categories/new",
        {"name": "Lamps", "slug": "Lamps & Vases!", "description": "", "position": "0"},
    )  # fmt: skip

    assert taken.status_code == 422
    assert "This slug is already used by another entry" in taken.get_data(as_text=True)
    assert malformed.status_code == 422
    assert "Use only lowercase letters" in malformed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Category, other.id).slug == "furniture"
    assert _count(Category) == 2
    assert _entries("category.updated") == [] and _entries("category.created") == []


def test_category_description_and_position_limits(client, signed_in) -> None:
    response = _post(
        client, "/admin/categories/new",
        {"name": "Lamps", "slug": "", "description": "x" * 501, "position": "-1"},
    )  # fmt: skip

    assert response.status_code == 422
    assert _count(Category) == 0


def test_a_missing_category_is_a_404(client, signed_in) -> None:
    assert client.get("/admin/categories/999").status_code == 404


def test_saving_a_category_needs_the_csrf_token(client, signed_in) -> None:
    response = client.post("/admin/categories/new", data={"name": "Lamps", "position": "0"})
    assert response.status_code == 400
    assert _count(Category) == 0


# --- workshops ------------------------------------------------------------------------------


def _workshop_data(**changes) -> dict:
    data = {
        "name": "Batik workshop",
        "slug": "",
        "institution": "Lapas Perempuan Kelas IIA Semarang",
        "region": "Central Java",
        "summary": "Hand-drawn batik.",
        "story": "Makers learn **canting** work.",
        "photo_alt": "",
    }
    return data | changes


def test_a_new_workshop_with_a_photo_is_stored_and_shown_in_the_shop(
    app, client, signed_in
) -> None:
    data = _workshop_data(photo=(io.BytesIO(png_bytes()), "workshop.png"), photo_alt="Cloth drying")

    response = _post(client, "/admin/workshops/new", data, content_type="multipart/form-data")

    assert response.status_code == 303
    workshop = db.session.scalars(select(Workshop)).one()
    assert workshop.slug == "batik-workshop"
    assert workshop.photo_key and workshop.photo_widths == "320,640"
    assert app.extensions["media"].exists(f"{workshop.photo_key}-640.webp")
    page = client.get("/workshops/batik-workshop").get_data(as_text=True)
    assert "<strong>canting</strong>" in page
    assert f"{workshop.photo_key}-640.webp" in page and 'alt="Cloth drying"' in page
    (entry,) = _entries("workshop.created")
    assert audit.changes_of(entry)["photo_key"] == [None, workshop.photo_key]


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(client, signed_in) -> None:
    data = _workshop_data(photo=(io.BytesIO(b"<?php echo 1; ?>"), "photo.jpg"), photo_alt="x")

    response = _post(client, "/admin/workshops/new", data, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Only JPEG, PNG or WebP photos can be used." in response.get_data(as_text=True)
    assert _count(Workshop) == 0
    assert _entries("workshop.created") == []


def test_a_photo_needs_alt_text(client, signed_in) -> None:
    data = _workshop_data(photo=(io.BytesIO(png_bytes()), "workshop.png"))

    response = _post(client, "/admin/workshops/new", data, content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Describe the photo" in response.get_data(as_text=True)
    assert _count(Workshop) == 0


def test_editing_a_workshop_changes_its_shop_page_at_once(client, signed_in) -> None:
    workshop = make_workshop("woodcraft", "Woodcraft workshop", story="Old story.")
    db.session.commit()
    assert "Old story." in client.get("/workshops/woodcraft").get_data(as_text=True)
    edit = client.get(f"/admin/workshops/{workshop.id}").get_data(as_text=True)
    assert "Old story." in edit  # the preview of the current story
    assert "No faces of makers, no names" in edit

    response = _post(
        client, f"/admin/workshops/{workshop.id}",
        _workshop_data(name="Woodcraft workshop", slug="woodcraft", story="New *story*."),
    )  # fmt: skip

    assert response.status_code == 303
    page = client.get("/workshops/woodcraft").get_data(as_text=True)
    assert "New <em>story</em>." in page and "Old story." not in page
    (entry,) = _entries("workshop.updated")
    assert audit.changes_of(entry)["story"] == ["Old story.", "New *story*."]


def test_a_workshop_photo_can_be_replaced_and_removed(client, signed_in) -> None:
    workshop = make_workshop("woodcraft", "Woodcraft workshop")
    db.session.commit()
    url = f"/admin/workshops/{workshop.id}"
    base = _workshop_data(name="Woodcraft workshop", slug="woodcraft")

    _post(
        client, url, base | {"photo": (io.BytesIO(png_bytes()), "a.png"), "photo_alt": "Lathe"},
        content_type="multipart/form-data",
    )  # fmt: skip
    db.session.expire_all()
    assert workshop.photo_key is not None
    assert "Current photo" in client.get(url).get_data(as_text=True)

    response = _post(client, url, base | {"remove_photo": "y", "photo_alt": "Lathe"})

    assert response.status_code == 303
    db.session.expire_all()
    assert (workshop.photo_key, workshop.photo_widths, workshop.photo_alt) == (None, "", "")


def test_preview_shows_the_typed_story_without_saving(client, signed_in) -> None:
    workshop = make_workshop("woodcraft", "Woodcraft workshop", story="Saved story.")
    db.session.commit()

    response = _post(
        client, f"/admin/workshops/{workshop.id}",
        _workshop_data(slug="woodcraft", story="Typed **story**.", preview="Preview story"),
    )  # fmt: skip

    assert response.status_code == 200
    assert "Typed <strong>story</strong>." in response.get_data(as_text=True)
    db.session.expire_all()
    assert workshop.story == "Saved story."


def test_a_duplicate_workshop_slug_is_refused(client, signed_in) -> None:
    make_workshop("woodcraft", "Woodcraft workshop")
    db.session.commit()

    response = _post(client, "/admin/workshops/new", _workshop_data(slug="woodcraft"))

    assert response.status_code == 422
    assert "This slug is already used by another entry" in response.get_data(as_text=True)
    assert _count(Workshop) == 1


def test_workshops_are_listed(client, signed_in) -> None:
    workshop = make_workshop("woodcraft", "Woodcraft workshop")
    make_product("Teak bowl", category=make_category(), workshop=workshop)
    db.session.commit()

    page = client.get("/admin/workshops").get_data(as_text=True)

    assert "Woodcraft workshop" in page and "Lapas Kelas IIA Banyuwangi" in page
    assert f"/admin/workshops/{workshop.id}" in page
    assert client.get("/admin/workshops/999").status_code == 404
