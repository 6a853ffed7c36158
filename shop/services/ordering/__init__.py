"""Ordering: cart, orders, the status door, stock, payments, refunds, shipping, mail."""
