"""Two buyers can never both get the last piece (real concurrent transactions, both databases).

On PostgreSQL each checkout's conditional UPDATEs lock the variant rows; on SQLite each
checkout is a BEGIN IMMEDIATE write transaction and the others wait their turn.
"""

from __future__ import annotations

import threading

from sqlalchemy import select

from shop.extensions import db
from shop.models import Cart, CartLine, Order, Variant
from shop.services.ordering import orders
from tests.factories import shop_with_stock


def test_forty_buyers_racing_for_ten_pieces_get_exactly_ten_orders(app) -> None:
    product = shop_with_stock(stock=10)
    variant_id = product.variants[0].id
    cart_ids = []
    for _ in range(40):
        cart = Cart(
            token=f"race-{len(cart_ids)}", lines=[CartLine(variant_id=variant_id, quantity=1)]
        )
        db.session.add(cart)
        db.session.flush()
        cart_ids.append(cart.id)
    db.session.commit()

    start = threading.Barrier(40)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(cart_id: int) -> None:
        start.wait()  # everyone starts together; each checks out its own connection
        with app.app_context():
            cart = db.session.get(Cart, cart_id)
            try:
                orders.place_order(
                    cart, email="race@example.com", country="JP", locale="en",
                    card_limit_idr=10**12,
                )  # fmt: skip
                result = "ordered"
            except orders.CheckoutError as error:
                result = type(error).__name__
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=buy, args=(cid,)) for cid in cart_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a buyer hung"

    db.session.expire_all()
    assert outcomes.count("ordered") == 10
    assert set(outcomes) <= {"ordered", "StockChanged", "CartNeedsAttention"}
    assert db.session.scalar(select(Variant.stock).where(Variant.id == variant_id)) == 0
    placed = db.session.scalars(select(Order)).all()
    assert len(placed) == 10
    assert sum(line.reserved_quantity for order in placed for line in order.lines) == 10
