"""60 s of mixed load through HAProxy on the cluster; errors, and each worker's memory.

`make cluster-load`: starts the cluster of `make cluster` (full demo catalog), warms each
gunicorn worker up, then for CLUSTER_LOAD_SECONDS (default 60) runs, all through HAProxy:
browsers (home, listings, product pages, search, workshops), buyers (product, add to cart,
checkout, demo payment, confirmation) and one staff member changing prices and adding photos.
It prints requests and errors by kind, and the resident memory (RSS) of every gunicorn
worker at the start and at the end. Exit status 1 if any request failed (5xx or no answer).
"""

from __future__ import annotations

import html
import io
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose bench.py would shadow the package)
from bench.cluster import SERVERS, Cluster, rss_kib  # noqa: E402
from bench.cluster_client import Traffic, Visitor  # noqa: E402
from tests.test_admin_products import form_of  # noqa: E402

SECONDS = int(os.environ.get("CLUSTER_LOAD_SECONDS", "60"))
BROWSERS, BUYERS = 3, 2
STAFF_EMAIL, STAFF_PASSWORD = "load-staff@karyabinaan.example", "load staff password 9d3e"
SEARCHES = ("teak", "batik", "bowl", "basket", "silver", "leather", "model", "kain")


def catalog(cluster: Cluster) -> list[tuple[int, str, str, int]]:
    """Active products with their first variant: id, slug, sku, price."""
    with psycopg.connect(cluster.env["DATABASE_URL"]) as connection:
        return connection.execute(
            "SELECT DISTINCT ON (p.id) p.id, p.slug, v.sku, v.price_idr FROM product p"
            " JOIN variant v ON v.product_id = p.id WHERE CAST(p.status AS text) ILIKE 'active'"
            " ORDER BY p.id, v.position"
        ).fetchall()


def browse(visitor: Visitor, products: list, rng: random.Random) -> None:
    _, slug, _, _ = rng.choice(products)
    path = rng.choice([
        "/", "/products", f"/products/{slug}", f"/products/{slug}",
        f"/products?q={rng.choice(SEARCHES)}", f"/products?page={rng.randint(1, 3)}",
        "/products?sort=price_asc", "/workshops",
    ])  # fmt: skip
    visitor.get(path)


def buy(visitor: Visitor, products: list, rng: random.Random, n: int) -> str:
    """One purchase from product page to confirmation; returns how it ended."""
    _, slug, sku, _ = rng.choice(products)
    visitor.get(f"/products/{slug}")
    visitor.post("/cart/add", {"variant": sku, "quantity": "1"})
    visitor.get("/checkout")
    payment = visitor.post("/checkout", {"email": f"load{n}@example.com", "country": "JP"})
    if "/demo-pay/" not in payment.url:
        return "refused (sold out)"
    done = visitor.post(urlsplit(payment.url).path, {
        "name": "Load Buyer", "line1": "1-2-3 Shibuya", "city": "Tokyo", "postal_code": "150-0002",
    })  # fmt: skip
    return "paid" if "We have received your payment" in done.text else "not confirmed"


def jpeg(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "JPEG")
    return buffer.getvalue()


def staff_edit(staff: Visitor, products: list, rng: random.Random, i: int) -> str:
    """A price change, or every fifth time a new photo."""
    product_id, _, _, price = rng.choice(products)
    if i % 5 == 4:
        staff.get(f"/admin/products/{product_id}/photos")
        done = staff.post(f"/admin/products/{product_id}/photos",
                          files={"photos": ("load.jpg", jpeg(rng), "image/jpeg")})  # fmt: skip
        return "photo added" if "1 photo added." in html.unescape(done.text) else "photo refused"
    edit = f"/admin/products/{product_id}"
    fields = form_of(staff.get(edit).text)
    fields.pop("csrf_token", None)
    fields["variants-0-price"] = str(price + rng.choice((-500, 500)))
    done = staff.post(edit, fields)
    return "price changed" if done.status_code == 200 and "/admin/products/" in done.url else (
        "price refused")  # fmt: skip


def run(cluster: Cluster) -> int:
    products = catalog(cluster)
    cluster.flask("create-admin", STAFF_EMAIL, "--name", "Load", "--password", STAFF_PASSWORD)
    traffic, outcomes, lock = Traffic(), Counter(), threading.Lock()
    # Warm every worker (templates compiled, connections open) before the first reading.
    warm = Visitor(cluster.url, Traffic(), "warm-up")
    for _ in range(6):
        for path in ("/", "/products", f"/products/{products[0][1]}", "/products?q=teak"):
            for n in range(1, SERVERS + 1):
                warm.get(path, base=cluster.server_url(n))
    before = {n: {pid: rss_kib(pid) for pid in cluster.worker_pids(n)}
              for n in range(1, SERVERS + 1)}  # fmt: skip
    stop = threading.Event()

    def loop(kind: str, n: int) -> None:
        rng = random.Random(n)
        visitor = Visitor(cluster.url, traffic, f"{kind}-{n}")
        if kind == "staff":
            visitor.get("/admin/login")
            visitor.post("/admin/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD})
        i = 0
        while not stop.is_set():
            try:
                if kind == "browser":
                    browse(visitor, products, rng)
                    outcome = "browsed"
                elif kind == "buyer":
                    outcome = buy(visitor, products, rng, n)
                else:
                    outcome = staff_edit(visitor, products, rng, i)
                    stop.wait(2)
            except requests.RequestException as error:
                outcome = f"no answer ({type(error).__name__})"
            with lock:
                outcomes[f"{kind}: {outcome}"] += 1
            i += 1

    threads = [threading.Thread(target=loop, args=(kind, n), daemon=True)
               for kind, count in (("browser", BROWSERS), ("buyer", BUYERS), ("staff", 1))
               for n in range(count)]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(30)
    elapsed = time.monotonic() - started
    after = {n: {pid: rss_kib(pid) for pid in cluster.worker_pids(n)}
             for n in range(1, SERVERS + 1)}  # fmt: skip
    failed = report(traffic, outcomes, before, after, elapsed)
    if failed:
        for n in range(1, SERVERS + 1):
            log = cluster.process(f"app-{n}").tail(400).splitlines()
            errors = [line for line in log if '"level": "ERROR"' in line or "Traceback" in line]
            print(f"  app-{n} log, errors ({len(errors)}):")
            for line in errors[:5]:
                print(f"    {line[:3000]}")
    return failed


def report(traffic: Traffic, outcomes: Counter, before: dict, after: dict, elapsed: float) -> int:
    exchanges = traffic.exchanges
    statuses = Counter(e.status or e.error for e in exchanges)
    failures = traffic.failures()
    print(f"\n== {len(exchanges)} requests in {elapsed:.0f} s through HAProxy "
          f"({len(exchanges) / elapsed:.0f} req/s), {BROWSERS} browsers, {BUYERS} buyers, "
          f"1 staff ==")  # fmt: skip
    print(f"  statuses: {dict(sorted(statuses.items(), key=str))}")
    for what, n in sorted(outcomes.items()):
        print(f"  {what:<32} {n}")
    print(f"  errors (5xx or no answer): {len(failures)}")
    for failure in failures[:10]:
        print(f"    {failure}")
    print("  gunicorn worker memory (RSS, MiB): start -> end")
    for server, pids in before.items():
        for pid, start in pids.items():
            end = after[server].get(pid)
            ending = (f"{end / 1024:.1f} ({(end - start) / 1024:+.1f})" if end
                      else "replaced (max_requests)")  # fmt: skip
            print(f"    app-{server} worker {pid}: {start / 1024:.1f} -> {ending}")
        for pid in set(after[server]) - set(pids):
            print(f"    app-{server} worker {pid} (new): {after[server][pid] / 1024:.1f}")
    return 1 if failures else 0


def main() -> int:
    print("Starting the cluster (the demo catalog takes a minute to seed)...", flush=True)
    with Cluster() as cluster:
        print(f"Cluster up at {cluster.url}; {SECONDS} s of mixed load...", flush=True)
        return run(cluster)


if __name__ == "__main__":
    sys.exit(main())
