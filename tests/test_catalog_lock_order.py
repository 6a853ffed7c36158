"""Writers of catalog rows take their locks in one order: the rows, then the cache tags.

A checkout moves stock with Core statements and marks the product's cached pages stale
(cache_tag rows) itself; a staff edit does so from the ORM's flush, after writing the
variant. Taken in opposite orders, the two deadlock when staff change the price of a piece
a buyer is checking out (PostgreSQL ends one of them: the buyer or the staff member got a
503 under the cluster's mixed load, when both bumped one global version row).
"""

from __future__ import annotations

import secrets
import threading
import time

from sqlalchemy import event

from shop.extensions import db
from shop.models import Cart, CartLine, Order, Variant
from shop.services.ordering import orders
from tests.factories import shop_with_stock
from tests.races import HANG, run_together, values

PAUSE = 0.5  # long enough for the other side to run into any lock held meanwhile


def test_a_checkout_and_a_price_edit_of_the_same_piece_at_once_both_go_through(app) -> None:
    # The last piece: its sale changes what the pages show (sold out), so it marks them stale.
    variant_id = shop_with_stock(stock=1).variants[0].id
    cart = Cart(token=secrets.token_urlsafe(16),
                lines=[CartLine(variant_id=variant_id, quantity=1)])  # fmt: skip
    db.session.add(cart)
    db.session.commit()
    cart_id = cart.id
    checkout_thread = threading.local()
    at_bump = threading.Event()

    def pause_at_the_version_bump(conn, cursor, statement, *args) -> None:
        # The checkout stops just before it marks the product's pages stale (holding the
        # variant's row); staff go ahead meanwhile.
        if getattr(checkout_thread, "pause", False) and statement.startswith(
            "INSERT INTO cache_tag"
        ):
            checkout_thread.pause = False
            at_bump.set()
            time.sleep(PAUSE)

    def checkout() -> int:
        checkout_thread.pause = True
        order = orders.place_order(db.session.get(Cart, cart_id), email="aiko@example.jp",
                                   country="JP", locale="en", card_limit_idr=10**12)  # fmt: skip
        return order.id

    def edit_price() -> int:
        assert at_bump.wait(HANG), "the checkout never marked the product's pages stale"
        variant = db.session.get(Variant, variant_id)
        variant.price_idr = 175_000
        db.session.commit()
        return variant.price_idr

    event.listen(db.engine, "before_cursor_execute", pause_at_the_version_bump)
    try:
        results = run_together(app, checkout, edit_price)
    finally:
        event.remove(db.engine, "before_cursor_execute", pause_at_the_version_bump)
    order_id, price = values(results)
    assert price == 175_000
    order = db.session.get(Order, order_id)
    assert [line.reserved_quantity for line in order.lines] == [1]
    assert db.session.get(Variant, variant_id).stock == 0
