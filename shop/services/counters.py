"""Business counters for Prometheus: orders placed and paid, payment events, refunds.

Plain prometheus_client counters in a registry of their own, made once per process (tests
build many apps in one process; the counters are not per app). Under gunicorn with
PROMETHEUS_MULTIPROC_DIR set before start, each worker writes its counts to that folder and
/metrics adds them up.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry(auto_describe=True)

ORDERS_PLACED = Counter(
    "shop_orders_placed", "Orders placed (awaiting payment).", registry=REGISTRY
)
ORDERS_PAID = Counter("shop_orders_paid", "Orders marked paid.", registry=REGISTRY)
PAYMENT_EVENTS = Counter(
    "shop_payment_events",
    "Verified payment provider events, by what they did to their order.",
    ["outcome"],
    registry=REGISTRY,
)
REFUNDS = Counter(
    "shop_refunds", "Refunds issued by staff or reported by the provider.", registry=REGISTRY
)


def payment_event(outcome: str) -> None:
    """Count one applied payment event by its outcome (a short fixed phrase, never an id)."""
    PAYMENT_EVENTS.labels(outcome=outcome.replace(" ", "_")).inc()
