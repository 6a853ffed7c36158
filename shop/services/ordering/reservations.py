"""The pieces an order holds on the shelf: taken at checkout, returned when it lapses.

Each line's pieces move with one conditional UPDATE (`stock = stock - n WHERE stock >= n`),
in the transaction of the order status they belong to (see `status`).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update

from shop.extensions import db
from shop.models import Order, Product, Variant
from shop.services.catalog.version import stock_moved


class StockChanged(Exception):
    """Another buyer took the last pieces of a line while this order was being placed."""

    def __init__(self, sku: str) -> None:
        super().__init__(sku)
        self.sku = sku


# Built once: the conditional UPDATE every stocked line of every checkout runs.
_TAKE = (
    update(Variant)
    .where(Variant.id == bindparam("variant"), Variant.stock >= bindparam("wanted"))
    .values(stock=Variant.stock - bindparam("wanted"))
    .returning(Variant.product_id, Variant.stock)
    .execution_options(synchronize_session=False)
)


def reserve(order: Order, made_to_order: dict[int, bool]) -> None:
    """Take each line's pieces from stock; raise StockChanged when a stocked line can't have them.

    A made-to-order line takes what is on the shelf and the rest is made. The caller rolls
    back on StockChanged.
    """
    # Lock rows in one global order so two checkouts never wait on each other in a cycle.
    moves: dict[int, int] = {}
    after: dict[int, tuple[int, int]] = {}
    for line in sorted(order.lines, key=lambda ln: ln.variant_id or 0):
        if not line.variant_id:
            continue
        wanted = line.quantity - line.reserved_quantity
        if made_to_order.get(line.variant_id):
            in_stock = db.session.scalar(select(Variant.stock).where(Variant.id == line.variant_id))
            wanted = min(wanted, in_stock or 0)
        if wanted <= 0:
            continue
        taken = db.session.execute(_TAKE, {"variant": line.variant_id, "wanted": wanted}).first()
        if taken is not None:
            line.reserved_quantity += wanted
            moves[line.variant_id] = moves.get(line.variant_id, 0) - wanted
            after[line.variant_id] = (taken.product_id, taken.stock)
        elif not made_to_order.get(line.variant_id):
            raise StockChanged(line.sku)
    stock_moved(moves, after=after)  # through Core statements, which the ORM hook does not see


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
    moves: dict[int, int] = {}
    for line in order.lines:
        if line.reserved_quantity and line.variant_id:
            moves[line.variant_id] = moves.get(line.variant_id, 0) + line.reserved_quantity
            db.session.execute(
                update(Variant)
                .where(Variant.id == line.variant_id)
                .values(stock=Variant.stock + line.reserved_quantity)
                .execution_options(synchronize_session=False)
            )
            line.reserved_quantity = 0
    stock_moved(moves)
