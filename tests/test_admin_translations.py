"""Staff translate product, category and workshop texts in the back office."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import (
    AuditEntry,
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
    WorkshopTranslation,
)
from shop.services.reporting import audit
from tests.factories import csrf_from, make_category, make_product, make_workshop, product_title

PRODUCT_FIELDS = ("name", "summary", "description_md", "materials", "care_notes")


@pytest.fixture
def signed_in(client, auth, staff_user):
    """A staff member (not an admin: translating is everyday catalog work) signed in."""
    auth.login(staff_user.email)
    return staff_user


@pytest.fixture
def bowl(app) -> Product:
    """An active teak bowl with every English text filled in."""
    product = make_product(
        "Teak salad bowl", category=make_category(), workshop=make_workshop(),
        summary="A deep bowl.", description_md="Turned from **one block**.",
        materials="Teak", care_notes="Wash by hand.",
    )  # fmt: skip
    db.session.commit()
    return product


def _url(product: Product, locale: str = "ja") -> str:
    return f"/admin/products/{product.id}/translations?to={locale}"


def _form(locale: str, **values: str | bool) -> dict:
    """One language's form as a browser sends it: every field, empty unless given."""
    data: dict = {f"{locale}-{field}": values.get(field, "") for field in PRODUCT_FIELDS}
    if values.get("confirmed"):
        data[f"{locale}-confirmed"] = "y"
    return data


def _save(client, url: str, data: dict):
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _rows(product: Product) -> dict[str, ProductTranslation]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(ProductTranslation).where(ProductTranslation.product_id == product.id)
    )
    return {row.locale: row for row in rows}


def test_the_translations_page_shows_a_language_beside_the_english(client, signed_in, bowl):
    page = client.get(_url(bowl)).get_data(as_text=True)

    for language in ("Bahasa Indonesia", "日本語", "한국어"):
        assert language in page  # a tab per language, each with its state
    assert page.count("Not translated") == 3 + 1
    assert 'lang="en"><span class="visually-hidden">English: </span>Teak salad bowl</div>' in page
    assert 'name="ja-name"' in page and 'lang="ja"' in page and 'name="ko-name"' not in page
    assert f'href="/products/{bowl.slug}?lang=ja"' in page  # the shop page in that language
    edit = client.get(f"/admin/products/{bowl.id}").get_data(as_text=True)
    assert f'href="/admin/products/{bowl.id}/translations"' in edit


def test_the_page_opens_on_the_first_language_still_to_translate(client, signed_in, bowl):
    bowl.translations.append(ProductTranslation(locale="id", **dict.fromkeys(PRODUCT_FIELDS, "x")))
    db.session.commit()

    page = client.get(f"/admin/products/{bowl.id}/translations").get_data(as_text=True)
    assert 'name="ja-name"' in page
    unknown = client.get(f"/admin/products/{bowl.id}/translations?to=fr").get_data(as_text=True)
    assert 'name="ja-name"' in unknown


def test_staff_save_a_translation_and_buyers_read_it(client, signed_in, bowl) -> None:
    ja = {
        "name": "チークのサラダボウル",
        "summary": "深いボウル。",
        "description_md": "**一木**から。",
    }

    response = _save(client, _url(bowl), _form("ja", **ja))

    assert response.status_code == 303
    assert response.headers["Location"].endswith("?to=ja")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Translation saved: 日本語." in page
    assert "2 of 5 texts translated" not in page and "3 of 5 texts translated" in page
    rows = _rows(bowl)
    assert set(rows) == {"ja"}  # no empty rows for the languages left blank
    assert rows["ja"].name == "チークのサラダボウル" and rows["ja"].updated_by == signed_in.email
    shop = client.get(f"/products/{bowl.slug}?lang=ja").get_data(as_text=True)
    assert product_title(shop) == "チークのサラダボウル"
    assert "<strong>一木</strong>から。" in shop
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "product.translated")
    )
    assert audit.changes_of(entry)["ja.name"] == ["", "チークのサラダボウル"]
    log = client.get("/admin/audit")
    assert log.status_code == 403  # staff don't read the audit log; admins do (below)


def test_the_audit_log_names_the_language_of_a_translated_text(client, auth, admin_user, bowl):
    auth.login(admin_user.email)
    _save(client, _url(bowl, "ko"), _form("ko", name="티크 샐러드 볼"))

    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Product translated" in log
    assert "한국어 · Name" in log and "티크 샐러드 볼" in log


def test_a_text_that_is_too_long_saves_nothing(client, signed_in, bowl) -> None:
    data = _form("ja", name="x" * 201, summary="深いボウル。")

    response = _save(client, _url(bowl), data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and "at most 200 characters" in page
    assert 'value="深いボウル。"' in page  # what staff typed is kept on the form
    assert _rows(bowl) == {}


def test_line_breaks_in_a_name_are_folded_and_spaces_trimmed(client, signed_in, bowl) -> None:
    _save(client, _url(bowl, "id"), _form("id", name="  Mangkuk\r\nsalad jati  ", care_notes=" "))
    row = _rows(bowl)["id"]
    assert row.name == "Mangkuk salad jati" and row.care_notes == ""


def test_emptying_a_language_removes_it_and_the_shop_falls_back(client, signed_in, bowl) -> None:
    _save(client, _url(bowl), _form("ja", name="チークのサラダボウル"))
    _save(client, _url(bowl, "ko"), _form("ko", name="티크 볼"))

    response = _save(client, _url(bowl), _form("ja"))

    assert response.status_code == 303
    assert set(_rows(bowl)) == {"ko"}
    shop = client.get(f"/products/{bowl.slug}?lang=ja").get_data(as_text=True)
    assert product_title(shop) == "[en] Teak salad bowl"


def test_saving_an_unchanged_form_says_nothing_changed(client, signed_in, bowl) -> None:
    _save(client, _url(bowl), _form("ja", name="チーク"))
    before = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))

    response = _save(client, _url(bowl), _form("ja", name="チーク"))

    assert "Nothing changed." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())) == before


def test_staff_see_when_the_english_changed_after_translating(client, signed_in, bowl) -> None:
    _save(client, _url(bowl), _form("ja", name="チークのサラダボウル"))
    bowl.name = "Teak salad bowl, large"
    db.session.commit()

    page = client.get(_url(bowl)).get_data(as_text=True)
    assert "English changed since" in page
    assert 'name="ja-confirmed"' in page
    products = client.get(f"/admin/products/{bowl.id}").get_data(as_text=True)
    assert "English changed since" in products

    # Confirming the translation still holds clears the warning, without retyping it.
    _save(client, _url(bowl), _form("ja", name="チークのサラダボウル", confirmed=True))
    assert "English changed since" not in client.get(_url(bowl)).get_data(as_text=True)


def test_changing_the_translation_also_clears_the_english_changed_warning(
    client, signed_in, bowl
) -> None:
    _save(client, _url(bowl), _form("ja", name="チーク"))
    bowl.summary = "A deep, wide bowl."
    db.session.commit()

    _save(client, _url(bowl), _form("ja", name="チーク", summary="深くて広いボウル。"))

    assert "English changed since" not in client.get(_url(bowl)).get_data(as_text=True)


def test_a_translation_post_without_its_csrf_token_changes_nothing(client, signed_in, bowl):
    response = client.post(_url(bowl), data=_form("ja", name="チーク"))
    assert response.status_code == 400
    assert _rows(bowl) == {}


def test_an_unknown_product_category_or_workshop_is_not_found(client, signed_in) -> None:
    for url in (
        "/admin/products/999/translations",
        "/admin/categories/999/translations",
        "/admin/workshops/999/translations",
    ):
        assert client.get(url).status_code == 404


def test_staff_translate_a_category_and_a_workshop(client, signed_in) -> None:
    category = make_category("tableware", "Tableware", description="Bowls and plates.")
    workshop = make_workshop(summary="Turned tableware.", story="We turn **offcuts**.")
    make_product("Bowl", category=category, workshop=workshop)
    db.session.commit()

    category_url = f"/admin/categories/{category.id}/translations?to=ja"
    response = _save(client, category_url, {"ja-name": "食器", "ja-description": "ボウルと皿。"})
    assert response.status_code == 303
    workshop_url = f"/admin/workshops/{workshop.id}/translations?to=ko"
    story = {
        "ko-name": "목공 공방",
        "ko-summary": "",
        "ko-story": "우리는 **자투리 나무**를 씁니다.",
    }
    assert _save(client, workshop_url, story).status_code == 303

    [row] = db.session.scalars(select(CategoryTranslation))
    assert (row.locale, row.name) == ("ja", "食器")
    [row] = db.session.scalars(select(WorkshopTranslation))
    assert (row.locale, row.name) == ("ko", "목공 공방")
    assert "食器" in client.get("/products?lang=ja").get_data(as_text=True)
    korean = client.get(f"/workshops/{workshop.slug}?lang=ko").get_data(as_text=True)
    assert "<strong>자투리 나무</strong>를 씁니다." in korean
    edit = client.get(f"/admin/categories/{category.id}").get_data(as_text=True)
    assert f'href="/admin/categories/{category.id}/translations"' in edit
    edit = client.get(f"/admin/workshops/{workshop.id}").get_data(as_text=True)
    assert f'href="/admin/workshops/{workshop.id}/translations"' in edit


def test_the_translations_page_speaks_indonesian_to_staff(client, signed_in, bowl) -> None:
    page = client.get(_url(bowl), headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Belum diterjemahkan" in page and "Simpan terjemahan" in page
    assert "Teks asli bahasa Inggris" in page


def test_staff_list_the_products_not_yet_translated_into_a_language(client, signed_in, bowl):
    tray = make_product("Rattan tray", category=bowl.category, workshop=bowl.workshop)
    stool = make_product("Teak stool", category=bowl.category, workshop=bowl.workshop)
    bowl.translations.append(ProductTranslation(locale="ja", name="チークのボウル"))
    tray.translations.append(ProductTranslation(locale="ja", name="", summary="要約だけ"))
    stool.translations.append(ProductTranslation(locale="ko", name="티크 의자"))
    db.session.commit()

    page = client.get("/admin/products?untranslated=ja").get_data(as_text=True)

    assert "Rattan tray" in page and "Teak stool" in page  # no Japanese name yet
    assert "Teak salad bowl" not in page
    assert '<option selected value="ja">日本語</option>' in page
    everything = client.get("/admin/products?untranslated=xx")  # not a language: ignored
    assert everything.status_code == 200 and "Teak salad bowl" in everything.get_data(as_text=True)


def test_a_nul_character_pasted_into_a_form_is_dropped_not_a_server_error(
    client, signed_in, bowl
) -> None:
    # PostgreSQL refuses NUL in text: requests drop it for every form (a category here too).
    response = _save(client, _url(bowl), _form("ja", name="チーク\x00ボウル"))
    assert response.status_code == 303
    assert _rows(bowl)["ja"].name == "チークボウル"

    token = csrf_from(client.get("/admin/categories/new").get_data(as_text=True))
    created = client.post(
        "/admin/categories/new",
        data={"csrf_token": token, "name": "Lamps\x00", "slug": "", "position": "0"},
    )
    assert created.status_code == 303
    assert db.session.scalar(select(Category.name).where(Category.slug == "lamps")) == "Lamps"
