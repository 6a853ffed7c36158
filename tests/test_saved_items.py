"""Saved items: a save button on cards and product pages, kept in a signed cookie for guests
and in the account for signed-in buyers, merged at sign-in, listed at /saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import ProductStatus, SavedItem
from shop.services.accounts import customers as accounts
from shop.services.accounts import saved_items
from tests.factories import csrf_from, make_category, make_product, make_workshop
from tests.test_accounts import PASSWORD, fresh_g, quick_hashes, sign_in, sign_out  # noqa: F401

EMAIL = "aiko@example.jp"


@pytest.fixture
def goods(app):
    category, workshop = make_category(), make_workshop()
    bowl = make_product("Teak bowl", category=category, workshop=workshop, prices=(150_000,))
    plane = make_product(
        "Garuda 737", category=category, workshop=workshop, prices=(450_000, 900_000), stock=0
    )
    draft = make_product("Hidden", category=category, workshop=workshop,
                         status=ProductStatus.DRAFT)  # fmt: skip
    db.session.commit()
    return bowl, plane, draft


def save(client, product_id, action="save", page="/products", next_="/products"):
    token = csrf_from(client.get(page).get_data(as_text=True))
    data = {"product": product_id, "action": action, "csrf_token": token, "next": next_}
    return client.post("/saved", data=data)


def button_state(client, path: str, product_id: int) -> str:
    page = client.get(path).get_data(as_text=True)
    form = page.split(f'name="product" value="{product_id}"', 1)[1]
    return form.split('name="action" value="', 1)[1].split('"', 1)[0]


def saved_rows(customer_id: int) -> set[int]:
    db.session.expire_all()
    rows = select(SavedItem.product_id).where(SavedItem.customer_id == customer_id)
    return set(db.session.scalars(rows))


def test_a_guest_saves_from_the_product_page_and_finds_it_on_the_saved_page(client, goods):
    bowl, plane, _ = goods
    detail = f"/products/{bowl.slug}"
    assert button_state(client, detail, bowl.id) == "save"
    response = save(client, bowl.id, page=detail, next_=detail)
    assert response.status_code == 303 and response.headers["Location"] == detail
    assert button_state(client, detail, bowl.id) == "remove"
    assert button_state(client, "/products", bowl.id) == "remove"  # the card knows it too
    assert button_state(client, "/products", plane.id) == "save"
    save(client, plane.id)

    page = client.get("/saved").get_data(as_text=True)
    assert "Teak bowl" in page and "Garuda 737" in page
    assert page.index("Garuda 737") < page.index("Teak bowl")  # newest first
    assert "150,000" in page and bowl.variants[0].sku in page  # price and add to cart
    assert "data-sold-out" in page and "Sold out" in page  # the plane: no add button for it
    assert "no-store" in client.get("/saved").headers["Cache-Control"]
    assert db.session.scalar(select(SavedItem)) is None  # a guest's list is in the cookie

    other = client.application.test_client()  # another visitor sees the same cached pages
    assert button_state(other, detail, bowl.id) == "save"
    assert "Teak bowl" not in other.get("/saved").get_data(as_text=True)


def test_a_guest_unsaves(client, goods) -> None:
    bowl, _, _ = goods
    save(client, bowl.id)
    save(client, bowl.id, action="remove", page="/saved", next_="/saved")
    assert "data-empty" in client.get("/saved").get_data(as_text=True)
    assert button_state(client, "/products", bowl.id) == "save"


def test_signing_in_merges_the_guests_saved_items_into_the_account(client, goods) -> None:
    bowl, plane, _ = goods
    customer = accounts.register(EMAIL, PASSWORD, name="Aiko")
    db.session.add(SavedItem(customer_id=customer.id, product_id=plane.id))
    db.session.commit()
    save(client, bowl.id)
    save(client, plane.id)  # already in the account: kept once
    assert sign_in(client).status_code == 303
    assert saved_rows(customer.id) == {bowl.id, plane.id}
    page = client.get("/saved").get_data(as_text=True)
    assert "Teak bowl" in page and "Garuda 737" in page and "data-guest-note" not in page
    with client.session_transaction() as session:
        assert "saved" not in session  # merged, not kept twice

    sign_out(client)
    assert "Teak bowl" not in client.get("/saved").get_data(as_text=True)
    assert button_state(client, "/products", bowl.id) == "save"


def test_a_signed_in_buyer_saves_to_the_account_and_sees_only_their_own(client, goods, app):
    bowl, plane, _ = goods
    aiko = accounts.register(EMAIL, PASSWORD, name="Aiko")
    budi = accounts.register("budi@example.co.id", PASSWORD, name="Budi")
    db.session.add(SavedItem(customer_id=budi.id, product_id=plane.id))
    db.session.commit()
    sign_in(client)
    save(client, bowl.id)
    save(client, bowl.id)  # twice: still one row
    assert saved_rows(aiko.id) == {bowl.id}
    page = client.get("/saved").get_data(as_text=True)
    assert "Teak bowl" in page and "Garuda 737" not in page
    save(client, plane.id, action="remove")  # Budi's row is not Aiko's to remove
    assert saved_rows(budi.id) == {plane.id}
    assert button_state(client, "/products", plane.id) == "save"


@pytest.mark.parametrize(
    "product_id",
    ["abc", "-1", "0", "99999999999999999999", "1 OR 1=1", "", "1e3", "９", "424242"],
)
def test_hostile_product_ids_change_nothing(client, goods, product_id) -> None:
    response = save(client, product_id)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "That item is no longer on sale." in page
    with client.session_transaction() as session:
        assert not session.get("saved")


def test_a_draft_product_cannot_be_saved_and_a_bad_action_is_refused(client, goods) -> None:
    bowl, _, draft = goods
    save(client, draft.id)
    save(client, bowl.id, action="delete-everything")
    with client.session_transaction() as session:
        assert not session.get("saved")


def test_next_never_leaves_the_site(client, goods) -> None:
    bowl, _, _ = goods
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = save(client, bowl.id, next_=target)
        assert response.headers["Location"] == "/saved"


def test_without_the_csrf_token_nothing_is_saved(client, goods) -> None:
    bowl, _, _ = goods
    response = client.post("/saved", data={"product": bowl.id, "action": "save"})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert not session.get("saved")


def test_a_forged_cookie_list_is_cleaned_and_capped(app, goods) -> None:
    bowl, _, _ = goods
    assert saved_items.guest_saved([3, "4", True, -1, 3, None, 5]) == [3, 5]
    assert saved_items.guest_saved("1,2,3") == []
    full = list(range(1000, 1000 + saved_items.MAX_GUEST_ITEMS))
    with pytest.raises(saved_items.ListFull):
        saved_items.guest_save(full, bowl.id)
    assert saved_items.guest_save(full[:-1], bowl.id)[0] == bowl.id
