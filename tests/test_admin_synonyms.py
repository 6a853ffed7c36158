"""Staff keep the search synonyms in the back office; buyers' searches follow at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, SearchSynonym
from tests.factories import card_titles, csrf_from, make_category, make_product, make_workshop


@pytest.fixture
def signed_in(client, auth, staff_user):
    auth.login(staff_user.email)
    return staff_user


@pytest.fixture
def bowl(app):
    make_product("Teak bowl", category=make_category(), workshop=make_workshop())
    db.session.commit()


def _titles(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return card_titles(page)


def _add(client, **data):
    token = csrf_from(client.get("/admin/synonyms").get_data(as_text=True))
    return client.post("/admin/synonyms", data={"csrf_token": token, **data})


def test_staff_add_a_synonym_and_buyers_find_with_it(client, signed_in, bowl) -> None:
    assert _titles(client, "/products?q=wadah&lang=id") == []

    response = _add(client, term="Wadah", locale="id", expansion="bowl, basket")
    assert response.status_code == 303
    page = client.get("/admin/synonyms").get_data(as_text=True)
    assert "wadah" in page and "bowl, basket" in page and "Bahasa Indonesia" in page

    assert _titles(client, "/products?q=wadah&lang=id") == ["Teak bowl"]
    assert _titles(client, "/products?q=wadah&lang=en") == []  # Indonesian pages only
    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("synonym.%")))
    assert [(e.action, e.actor_email, e.target_label) for e in logged] == [
        ("synonym.added", "staff@example.com", "wadah (id)")
    ]


def test_staff_delete_a_synonym(client, signed_in, bowl) -> None:
    _add(client, term="wadah", locale="", expansion="bowl")
    synonym = db.session.scalars(select(SearchSynonym)).one()
    assert _titles(client, "/products?q=wadah") == ["Teak bowl"]

    page = client.get("/admin/synonyms").get_data(as_text=True)
    token = csrf_from(page)
    response = client.post(f"/admin/synonyms/{synonym.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert db.session.scalars(select(SearchSynonym)).all() == []
    assert _titles(client, "/products?q=wadah") == []
    again = client.post(
        f"/admin/synonyms/{synonym.id}/delete", data={"csrf_token": token}, follow_redirects=True
    )
    assert "already deleted" in again.get_data(as_text=True)
    entries = select(AuditEntry).where(AuditEntry.action.like("synonym.%")).order_by(AuditEntry.id)
    assert [e.action for e in db.session.scalars(entries)] == ["synonym.added", "synonym.deleted"]


def test_a_synonym_without_words_or_token_is_refused(client, signed_in) -> None:
    response = _add(client, term="!!!", locale="", expansion="bowl")
    assert response.status_code == 422
    assert "Enter at least one word." in response.get_data(as_text=True)
    assert _add(client, term="wadah", locale="", expansion="").status_code == 422
    assert _add(client, term="wadah", locale="xx", expansion="bowl").status_code == 422
    forged = client.post("/admin/synonyms", data={"term": "a", "locale": "", "expansion": "b"})
    assert forged.status_code == 400
    assert db.session.scalars(select(SearchSynonym)).all() == []


def test_the_synonyms_page_needs_a_signed_in_account(client) -> None:
    response = client.get("/admin/synonyms")
    assert response.status_code in (302, 303) and "/admin/login" in response.location
