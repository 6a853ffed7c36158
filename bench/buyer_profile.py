"""What one buyer's purchase costs the server, step by step, in this process.

The four requests of a background buyer in `make bench` (bench/buying.py): a product page,
add to cart, check out (country JP) to the demo payment page, and pay there with an address.
Run through Flask's test client, single-threaded, a fresh visitor each time, so the figures
are the requests' own CPU (no server, no network). For every step it prints wall and thread
CPU milliseconds (including what runs after the response: mail delivery without Redis) and
the SQL statements sent; `--sql STEP` lists one buyer's statements with where they come from,
`--profile STEP` (or `all`) adds cProfile tables sorted by own and cumulative time.

    DATABASE_URL=sqlite:////tmp/b/bench.db MEDIA_ROOT=/tmp/b/media FLASK_APP=app \
        sh -c '.venv/bin/flask db upgrade && .venv/bin/flask seed-demo &&
               .venv/bin/flask seed-bench --count 10000'   # once, ~75 s
    .venv/bin/python bench/buyer_profile.py --db /tmp/b/bench.db [--n 200] [--sql pay]

The database is copied first, so every run starts from the same stock and orders.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import buying

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("product", "cart_add", "checkout", "pay")


class Steps:
    """Timings and statement counts per step; one buyer's statements for `--sql`."""

    def __init__(self, engine: Any, listed: str, profiled: str) -> None:
        from sqlalchemy import event

        self.listed, self.profiled = listed, profiled
        self.current: str | None = None
        self.sent = 0
        self.statements: list[str] = []
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.sql: dict[str, list[int]] = defaultdict(list)
        self.profiler = cProfile.Profile()
        event.listen(engine, "before_cursor_execute", self._sent)

    def _sent(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.sent += 1
        if self.current == self.listed and not self.sql[self.listed]:  # the first buyer's
            frames = [f"{Path(f.filename).stem}:{f.lineno}" for f in traceback.extract_stack()
                      if f"{os.sep}shop{os.sep}" in f.filename]  # fmt: skip
            first = statement.split("\n", 1)[0][:100]
            self.statements.append(f"{first}\n      <- {' < '.join(reversed(frames[-4:]))}")

    def run(self, name: str, request: Callable[[], Any], record: bool) -> Any:
        """Send one request, close its response (running what comes after it), note the cost."""
        self.sent, self.current = 0, name if record else None
        profile = record and self.profiled in (name, "all")
        wall, cpu = time.perf_counter(), time.thread_time()
        if profile:
            self.profiler.enable()
        response = request()
        response.close()  # the after-response work (call_on_close) runs here
        if profile:
            self.profiler.disable()
        if record:
            self.wall[name].append((time.perf_counter() - wall) * 1000)
            self.cpu[name].append((time.thread_time() - cpu) * 1000)
            self.sql[name].append(self.sent)
        self.current = None
        return response

    def report(self) -> None:
        """Print the table (and the statements or profiles asked for)."""
        if self.statements:
            print(f"statements of one buyer's {self.listed}:")
            print("\n".join(f"  {s}" for s in self.statements))
        print(f"{'step':<10}{'wall ms':>9}{'CPU ms':>9}{'CPU p95':>9}{'SQL':>6}   (medians)")
        for name in STEPS:
            cpu = sorted(self.cpu[name])
            print(f"{name:<10}{statistics.median(self.wall[name]):9.1f}"
                  f"{statistics.median(cpu):9.1f}{cpu[int(len(cpu) * 0.95) - 1]:9.1f}"
                  f"{statistics.median(self.sql[name]):6.0f}")  # fmt: skip
        total = sum(statistics.mean(self.cpu[name]) for name in STEPS)
        print(f"one purchase: {total:.1f} ms CPU (sum of the means)")
        if self.profiled:
            for order in ("tottime", "cumulative"):
                print(f"\n--- cProfile of {self.profiled}, by {order} ---")
                stats = pstats.Stats(self.profiler).strip_dirs().sort_stats(order)
                stats.print_stats(40)
                if os.environ.get("CALLEES"):
                    stats.print_callees(os.environ["CALLEES"])


def buy(client: Any, steps: Steps, item: tuple[str, str], record: bool) -> None:
    """One buyer's four requests, as bench/buying.py sends them."""
    slug, sku = item
    page = steps.run("product", lambda: client.get(f"/products/{slug}"), record)
    match = buying.CSRF.search(page.get_data(as_text=True))
    if page.status_code != 200 or match is None:
        raise SystemExit(f"product page {slug}: {page.status_code}")
    csrf = match.group(1)
    fields = {"csrf_token": csrf, "variant": sku, "quantity": "1"}
    added = steps.run("cart_add", lambda: client.post("/cart/add", data=fields), record)
    fields = {"csrf_token": csrf, "email": "buyer@example.com", "country": "JP"}
    placed = steps.run("checkout", lambda: client.post("/checkout", data=fields), record)
    paying = placed.headers.get("Location", "")
    if added.status_code != 303 or placed.status_code != 303 or "/demo-pay/" not in paying:
        raise SystemExit(f"checkout of {sku}: {added.status_code}, {placed.status_code}")
    path = "/demo-pay/" + paying.split("/demo-pay/", 1)[1]
    fields = {"csrf_token": csrf, **buying.ADDRESS}
    paid = steps.run("pay", lambda: client.post(path, data=fields), record)
    if paid.status_code != 303 or "/checkout/done/" not in paid.headers.get("Location", ""):
        raise SystemExit(f"payment of {sku}: {paid.status_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, required=True, help="a seeded bench database")
    parser.add_argument("--n", type=int, default=200, help="purchases measured")
    parser.add_argument("--warm", type=int, default=20, help="purchases before measuring")
    parser.add_argument("--sql", default="", choices=("", *STEPS), help="list a step's SQL")
    parser.add_argument("--profile", default="", choices=("", "all", *STEPS))
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="kb-buyer-"))
    with sqlite3.connect(args.db) as source, sqlite3.connect(scratch / "bench.db") as copy:
        source.backup(copy)
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}", "MEDIA_ROOT": str(scratch / "media"),
        "MAIL_OUTBOX": str(scratch / "outbox"), "SECRET_KEY": secrets.token_urlsafe(48),
        "DEMO_PAYMENTS": "1", "STRIPE_SECRET_KEY": "", "FLASK_DEBUG": "0",
        "SITE_URL": "http://127.0.0.1", "RATELIMIT_ENABLED": "0", "REDIS_URL": "",
    })  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from shop import create_app
    from shop.extensions import db

    app = create_app()
    with app.app_context():
        steps = Steps(db.engine, args.sql, args.profile)
    items = buying.stocked_items(scratch / "bench.db")
    for n in range(args.warm + args.n):
        buy(app.test_client(), steps, items[n % len(items)], record=n >= args.warm)
    steps.report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
