"""The cluster of `make cluster` (bench/cluster.py), started once for these tests.

Kept out of `make test` (see tests/conftest.py): it needs PostgreSQL, Redis and HAProxy and
takes a minute; `make cluster-test` runs it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from bench.cluster import BIN, ROOT, Cluster

STAFF_EMAIL = "cluster-staff@karyabinaan.example"
STAFF_PASSWORD = "cluster staff password 2f7c"  # noqa: S105 - a scratch account

# Make an admin with two-factor sign-in switched on (the cluster requires it of staff), as
# the enrolment page would; print the authenticator secret.
MAKE_STAFF = f"""
import time
import pyotp
from app import app
from shop.models import Role
from shop.services.accounts import staff, two_factor
with app.app_context():
    user = staff.create_user({STAFF_EMAIL!r}, {STAFF_PASSWORD!r}, role=Role.ADMIN, name="Sari")
    secret = two_factor.start_enrolment(user)
    now = time.time() - 60  # a step that is over: today's codes stay unused
    two_factor.confirm_enrolment(user, pyotp.TOTP(secret).at(now), now=now,
                                 claim_once=lambda step, secret: True)
    print(secret)
"""


@dataclass
class Shop:
    """The running cluster, its staff account and a product to buy and edit."""

    cluster: Cluster
    totp_secret: str
    product_id: int
    slug: str
    sku: str
    price_idr: int

    def sql(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.cluster.env["DATABASE_URL"]) as connection:
            return connection.execute(query, params).fetchall()


REPORT: list[str] = []


@pytest.fixture(scope="session")
def shop() -> Iterator[Shop]:
    """Start the cluster (12 demo products, staff must use 2FA); stop it after the tests."""
    with Cluster(seed_limit=12, extra_env={"STAFF_2FA_REQUIRED": "1"}) as cluster:
        made = subprocess.run([str(BIN / "python"), "-c", MAKE_STAFF], env=cluster.env,
                              cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
        assert made.returncode == 0, made.stderr[-2000:]
        with psycopg.connect(cluster.env["DATABASE_URL"]) as connection:
            product_id, slug, sku, price = connection.execute(
                "SELECT p.id, p.slug, v.sku, v.price_idr FROM product p"
                " JOIN variant v ON v.product_id = p.id"
                " WHERE CAST(p.status AS text) ILIKE 'active' AND v.stock >= 5"
                " AND (SELECT count(*) FROM variant w WHERE w.product_id = p.id) = 1"
                " ORDER BY p.id LIMIT 1"
            ).fetchone()
        yield Shop(cluster, made.stdout.strip(), product_id, slug, sku, price)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """What the cluster tests counted (requests in flight on the killed server, and so on)."""
    if REPORT:
        terminalreporter.section("cluster")
        for line in REPORT:
            terminalreporter.write_line(line)
