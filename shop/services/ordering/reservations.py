"""The pieces an order holds on the shelf: taken at checkout, returned when it lapses.

Each line's pieces move with one conditional UPDATE (`stock = stock - n WHERE stock >= n`),
in the transaction of the order status they belong to (see `status`).
"""

from __future__ import annotations

from sqlalchemy import select, update

from shop.extensions import db
from shop.models import Order, Product, Variant
from shop.services.catalog.version import bump_catalog_version


class StockChanged(Exception):
    """Another buyer took the last pieces of a line while this order was being placed."""

    def __init__(self, sku: str) -> None:
        super().__init__(sku)
        self.sku = sku


def reserve(order: Order, made_to_order: dict[int, bool]) -> None:
    """Take each line's pieces from stock; raise StockChanged when a stocked line can't have them.

    A made-to-order line takes what is on the shelf and the rest is made. The caller rolls
    back on StockChanged.
    """
    if any(line.variant_id for line in order.lines):
        # The catalog version first, then the variants: the order every writer of catalog
        # rows takes its locks in (see catalog.version), so none waits on another in a cycle.
        bump_catalog_version()  # stock moves through Core statements
    # Lock rows in one global order so two checkouts never wait on each other in a cycle.
    for line in sorted(order.lines, key=lambda ln: ln.variant_id or 0):
        if not line.variant_id:
            continue
        wanted = line.quantity - line.reserved_quantity
        if made_to_order.get(line.variant_id):
            in_stock = db.session.scalar(select(Variant.stock).where(Variant.id == line.variant_id))
            wanted = min(wanted, in_stock or 0)
        if wanted <= 0:
            continue
        taken = db.session.execute(
            update(Variant)
            .where(Variant.id == line.variant_id, Variant.stock >= wanted)
            .values(stock=Variant.stock - wanted)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            line.reserved_quantity += wanted
        elif not made_to_order.get(line.variant_id):
            raise StockChanged(line.sku)


def reserve_again(order: Order) -> bool:
    """Hold the pieces of a lapsed order again, all or none; say whether it got them all."""
    ids = [line.variant_id for line in order.lines if line.variant_id]
    rows = db.session.execute(
        select(Variant.id, Product.made_to_order)
        .join(Product, Variant.product_id == Product.id)
        .where(Variant.id.in_(ids))
    )
    made_to_order = {variant_id: made for variant_id, made in rows}
    if len(made_to_order) < len(set(ids)):
        return False  # a variant was deleted since: nothing to hold
    try:
        with db.session.begin_nested():
            reserve(order, made_to_order)
    except StockChanged:
        for line in order.lines:  # the savepoint undid the stock; forget the counts too
            db.session.expire(line, ["reserved_quantity"])
        return False
    return True


def release(order: Order) -> None:
    """Put the order's pieces back on the shelf; the caller commits."""
    held = [line for line in order.lines if line.reserved_quantity and line.variant_id]
    if held:
        bump_catalog_version()  # first: see `reserve`
    for line in held:
        db.session.execute(
            update(Variant)
            .where(Variant.id == line.variant_id)
            .values(stock=Variant.stock + line.reserved_quantity)
            .execution_options(synchronize_session=False)
        )
        line.reserved_quantity = 0
