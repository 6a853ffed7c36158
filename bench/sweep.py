"""Page cost against catalog size: `make bench BENCH_ARGS="--products 1000,10000,50000"`.

One scratch PostgreSQL database (127.0.0.1:5432, created here and dropped at the end) grows
through the sizes asked for; at each size gunicorn serves the app with the page cache off
and wrk times every listing-type page, the product page and search, so a page whose cost
grows with the catalog shows as a falling row. Beside each figure, the SQL statements one
request of that page sends (counted in-process with a before_cursor_execute listener):
those must not grow at all.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import (
    BIN,
    DURATION,
    NOTHING_CACHED,
    ROOT,
    WORKERS,
    Request,
    flask,
    free_port,
    run_wrk,
    send,
    wait_for,
)

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
# The floor (a page touching no database, served the same way) shows how fast the machine was
# on the run: figures from runs on a machine shared with others compare as fractions of it.
PAGES = ("floor", "listing", "category", "filtered", "deepest page", "product", "search many",
         "search few")  # fmt: skip
# Timed again with the card and frame caches off too: the cost of a page showing nothing
# shown before (the rows above keep those caches on, as a running shop does).
COLD = ("listing", "search many", "search few")
CATEGORIES = ("tableware", "furniture", "miniature-aircraft", "rattan-bamboo")


def psql(sql: str) -> None:
    # Through the app's driver rather than a psql binary: one less thing to install.
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def scenarios(slugs: list[str], rng: random.Random) -> dict[str, list[str]]:
    """The URLs wrk picks from for each page."""
    numbered = [s for s in slugs if s.startswith("bench-")]
    return {
        "floor": ["/robots.txt"],
        "listing": [f"/products?page={p}" for p in range(1, 21)],
        "category": [f"/products?category={c}&page={p}" for c in CATEGORIES for p in (1, 2, 3)],
        "filtered": [
            f"/products?category={c}&min_price=100000&max_price=5000000&available=1"
            f"&sort=price_asc&page={p}"
            for c in CATEGORIES
            for p in (1, 2, 3)
        ],
        # Past the last page is clamped to it: the deepest page of each order.
        "deepest page": [
            f"/products?sort={s}&page=1000000" for s in ("newest", "price_asc", "price_desc")
        ],  # fmt: skip
        "product": [f"/products/{s}" for s in rng.sample(slugs, min(200, len(slugs)))],
        "search many": [
            f"/products?q={w}" for w in ("teak", "bowl", "rattan+basket", "carved", "heritage+java")
        ],  # fmt: skip
        # A generated product's name ends in its id: a number matches a handful of products.
        "search few": [
            f"/products?q={s.removeprefix('bench-')}"
            for s in rng.sample(numbered, min(20, len(numbered)))
        ],  # fmt: skip
    }


def statements_per_page(env: dict[str, str], pages: dict[str, list[str]]) -> dict[str, int]:
    """SQL statements one uncached request of each page sends (its first URL)."""
    code = (
        "import json, sys\n"
        "from sqlalchemy import event\n"
        "from app import app\n"
        "from shop.extensions import db\n"
        "counted = []\n"
        "with app.app_context():\n"
        "    event.listen(db.engine, 'before_cursor_execute', lambda *a: counted.append(1))\n"
        "client = app.test_client()\n"
        "result = {}\n"
        "for name, url in json.loads(sys.argv[1]).items():\n"
        "    client.get(url)  # the kept catalog counts are counted once, like a server's\n"
        "    before = len(counted)\n"
        "    assert client.get(url).status_code == 200, url\n"
        "    result[name] = len(counted) - before\n"
        "print(json.dumps(result))\n"
    )
    import json

    first = json.dumps({name: urls[0] for name, urls in pages.items()})
    out = subprocess.run(
        [str(BIN / "python"), "-c", code, first], env=env, cwd=ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(env: dict[str, str], pages: dict[str, list[str]], scratch: Path) -> dict[str, dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "-w", str(WORKERS), "-k", "gthread",
         "--threads", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
        env=env | {"SITE_URL": base, "RATELIMIT_ENABLED": "0"}, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for(base + "/healthz")
        results = {}
        for name, paths in pages.items():
            requests = [Request(p) for p in paths]
            for r in requests[:10]:
                send(base, r)
            results[name] = run_wrk(base, requests, scratch)
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def count_products(env: dict[str, str]) -> list[str]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        rows = connection.execute("SELECT slug FROM product WHERE status = 'active'").fetchall()
    return [slug for (slug,) in rows]


def print_tables(sizes: list[int], runs: dict[int, dict]) -> None:
    print(f"\nUncached pages on PostgreSQL (page cache off), gunicorn {WORKERS} gthread "
          f"workers, {DURATION} s per page: req/s (p99 ms)")  # fmt: skip
    print(f"{'page':<29}" + "".join(f"{f'{n:,} products':>22}" for n in sizes)
          + f"{'last/first':>12}")  # fmt: skip
    for page in (*PAGES, *(f"{name}, nothing cached" for name in COLD)):
        cells = [runs[n]["wrk"][page] for n in sizes]
        row = "".join(f"{c['rps']:>12.0f} ({c['p99_ms']:>6.1f})" for c in cells)
        errors = sum(c["errors"] for c in cells)
        ratio = cells[-1]["rps"] / cells[0]["rps"] if cells[0]["rps"] else 0
        print(f"{page:<29}{row}{ratio:>12.2f}" + (f"  {errors} errors" if errors else ""))
    print("\nSQL statements per uncached request")
    print(f"{'page':<16}" + "".join(f"{f'{n:,}':>12}" for n in sizes))
    for page in PAGES:
        print(f"{page:<16}" + "".join(f"{runs[n]['sql'][page]:>12}" for n in sizes))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.py")
    parser.add_argument("--products", required=True,
                        help="catalog sizes, comma-separated: 1000,10000,50000")  # fmt: skip
    sizes = sorted(int(n) for n in parser.parse_args(argv).products.split(","))
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="kb-sweep-"))
    database = f"kb_bench_sweep_{secrets.token_hex(4)}"
    env = os.environ | {
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "MEDIA_ROOT": str(scratch / "media"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEMO_PAYMENTS": "1",
        "STRIPE_SECRET_KEY": "",
        "FLASK_DEBUG": "0",
        "SITE_URL": "http://127.0.0.1",
        "PAGE_CACHE_DISABLED": "1",
    }
    env.pop("REDIS_URL", None)
    psql(f'CREATE DATABASE "{database}"')
    runs: dict[int, dict] = {}
    try:
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        rng = random.Random(1)
        for size in sizes:
            have = len(count_products(env))
            started = time.monotonic()
            if size > have:
                flask(env, "seed-bench", "--count", str(size - have))
            slugs = count_products(env)
            print(f"{len(slugs):,} products (seeded in {time.monotonic() - started:.1f} s) …",
                  flush=True)  # fmt: skip
            pages = scenarios(slugs, rng)
            cold = {f"{name}, nothing cached": pages[name] for name in COLD}
            runs[size] = {"sql": statements_per_page(env, pages),
                          "wrk": measure(env, pages, scratch)
                          | measure(env | NOTHING_CACHED, cold, scratch)}  # fmt: skip
    finally:
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(scratch, ignore_errors=True)
    print_tables(sizes, runs)
    return 0
