"""Prometheus metrics at /metrics, for the monitoring server only.

Request latency by endpoint comes from prometheus-flask-exporter, in a registry of the app's
own (tests build many apps in one process; a shared registry would refuse the second). The
shop's business counters live in `shop.services.counters`. Under gunicorn, set
PROMETHEUS_MULTIPROC_DIR to an empty folder before it starts: every worker then writes its
numbers there, and /metrics adds up all workers, not just the one that answered.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from flask import Flask, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy.exc import SQLAlchemyError

from shop.services import counters

# Probes and the scrape itself would drown the storefront's figures.
NOT_MEASURED = ["/metrics", "/readyz", "/healthz", "/static/", "/media/"]


def _registry() -> CollectorRegistry:
    """Everything to report: all workers' numbers in multiprocess mode, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
        return combined
    return current_app.extensions["prometheus_registry"]


def _allowed() -> bool:
    """Whether the request carries the configured METRICS_TOKEN as a bearer token."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())


def metrics_page() -> Response:
    """Serve the metrics to a scraper holding the token; to anyone else, there is no page."""
    if not _allowed():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        body = generate_latest(_registry())
    else:
        body = generate_latest(_registry()) + generate_latest(counters.REGISTRY)
    # Read from the database and Redis at scrape time: the same from every worker.
    body += generate_latest(current_app.extensions["queue_registry"])
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Measure request latency by endpoint and serve /metrics behind METRICS_TOKEN."""
    registry = CollectorRegistry(auto_describe=True)
    app.extensions["prometheus_registry"] = registry
    PrometheusMetrics(
        app, path=None, registry=registry, group_by="endpoint", defaults_prefix="shop_http",
        excluded_paths=[f"^{p}" for p in NOT_MEASURED],
    )  # fmt: skip
    app.add_url_rule("/metrics", "metrics", metrics_page, methods=["GET"])
    queues = CollectorRegistry(auto_describe=False)
    queues.register(QueueCollector())
    app.extensions["queue_registry"] = queues


class QueueCollector:
    """Mail waiting in the database by state, and jobs waiting in the RQ queue."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Count at scrape time (one small query, one Redis call)."""
        from shop.extensions import db
        from shop.services.outbox import queue

        mail = GaugeMetricFamily(
            "shop_mail_queue_messages", "Outgoing messages by state", labels=["state"]
        )
        try:
            counts = queue.counts(db.session)
        except SQLAlchemyError:
            # The database is away (or not migrated yet): the other figures still matter,
            # and /readyz is what says the database is down.
            db.session.rollback()
            current_app.logger.warning("Mail queue not counted: the database did not answer")
        else:
            for state in ("queued", "retrying", "failed"):
                mail.add_metric([state], getattr(counts, state))
            yield mail
        if current_app.config.get("JOBS_REDIS_URL"):
            from shop.jobs import queue_depth

            depth = queue_depth()
            if depth is not None:
                jobs = GaugeMetricFamily("shop_job_queue_depth", "Jobs waiting in the RQ queue")
                jobs.add_metric([], depth)
                yield jobs
