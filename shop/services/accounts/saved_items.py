"""Saved items ("wish list"): products a buyer keeps for later.

A signed-in buyer's are rows of their account (once per product); a guest's are a short list
of product ids the caller keeps in the signed session cookie, merged into the account when
the guest signs in. Only products on sale can be saved; one taken off sale later simply drops
out of the list shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import Product, ProductStatus, SavedItem
from shop.services.catalog import products as catalog
from shop.services.catalog.text import SOURCE_LOCALE

MAX_GUEST_ITEMS = 50  # what one cookie holds
MAX_ACCOUNT_ITEMS = 200  # what one page lists


class SavedItemsError(Exception):
    """A save the shop cannot make."""


class UnknownProduct(SavedItemsError):
    """No product on sale with that id."""


class ListFull(SavedItemsError):
    """The list holds as many items as it may."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def on_sale(product_id: int) -> bool:
    """Whether the product exists and is on sale (only those can be saved)."""
    status = db.session.scalar(select(Product.status).where(Product.id == product_id))
    return status == ProductStatus.ACTIVE


def saved_ids(customer_id: int) -> list[int]:
    """The account's saved product ids, most recently saved first."""
    query = (
        select(SavedItem.product_id)
        .where(SavedItem.customer_id == customer_id)
        .order_by(SavedItem.created_at.desc(), SavedItem.id.desc())
    )
    return list(db.session.scalars(query))


def _count(customer_id: int) -> int:
    query = select(func.count()).select_from(SavedItem).where(SavedItem.customer_id == customer_id)
    return db.session.scalar(query) or 0


def _insert(customer_id: int, product_id: int) -> None:
    """Add the row unless it is there already (a double click, another tab)."""
    try:
        with db.session.begin_nested():
            db.session.add(SavedItem(customer_id=customer_id, product_id=product_id))
    except IntegrityError:
        pass


def save(customer_id: int, product_id: int) -> None:
    """Save a product on sale to the account's list; commit. Saving it again changes nothing."""
    if not on_sale(product_id):
        raise UnknownProduct(product_id)
    if product_id in saved_ids(customer_id):
        return
    if _count(customer_id) >= MAX_ACCOUNT_ITEMS:
        raise ListFull(MAX_ACCOUNT_ITEMS)
    _insert(customer_id, product_id)
    db.session.commit()


def unsave(customer_id: int, product_id: int) -> None:
    """Take a product off the account's list (only this account's row); commit."""
    db.session.execute(
        delete(SavedItem).where(
            SavedItem.customer_id == customer_id, SavedItem.product_id == product_id
        )
    )
    db.session.commit()


def guest_saved(value: object) -> list[int]:
    """The guest's list as read from the session: whole positive ids only, no repeats."""
    if not isinstance(value, list):
        return []
    seen: list[int] = []
    for item in value[:MAX_GUEST_ITEMS]:
        if isinstance(item, int) and not isinstance(item, bool) and item > 0 and item not in seen:
            seen.append(item)
    return seen


def guest_save(ids: Sequence[int], product_id: int) -> list[int]:
    """The guest's list with the product added first; raise if it is not on sale or full."""
    if product_id in ids:
        return list(ids)
    if not on_sale(product_id):
        raise UnknownProduct(product_id)
    if len(ids) >= MAX_GUEST_ITEMS:
        raise ListFull(MAX_GUEST_ITEMS)
    return [product_id, *ids]


def guest_unsave(ids: Sequence[int], product_id: int) -> list[int]:
    """The guest's list without the product."""
    return [item for item in ids if item != product_id]


def merge_guest(customer_id: int, ids: Iterable[int]) -> int:
    """Add a guest's saved products to the account, while there is room; commit.

    Returns how many were added. Products no longer on sale are left out.
    """
    have = set(saved_ids(customer_id))
    room = MAX_ACCOUNT_ITEMS - len(have)
    wanted = [pid for pid in dict.fromkeys(ids) if pid not in have]
    on_sale_ids = set(
        db.session.scalars(
            select(Product.id).where(
                Product.id.in_(wanted), Product.status == ProductStatus.ACTIVE
            )
        )
    ) if wanted else set()  # fmt: skip
    added = 0
    for product_id in reversed(wanted):  # the guest's oldest first, so the newest stays on top
        if product_id in on_sale_ids and added < room:
            _insert(customer_id, product_id)
            added += 1
    db.session.commit()
    return added


def saved_products(ids: Sequence[int], locale: str = SOURCE_LOCALE) -> list[Product]:
    """The products on sale among these ids, in the list's order, ready for the saved page."""
    found = catalog.products_by_id(ids, locale)
    return [found[pid] for pid in ids if pid in found]
