"""Benchmark the storefront: 10,000 products, gunicorn, wrk; print throughput and latency.

Every page is measured beside a trivial route (/robots.txt: no database, a tiny template)
served by the same server in the same run, so the ratio shows how close a page is to the
framework's floor on this machine.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "10000"))

LUA = """
local paths = {%s}
request = function()
  return wrk.format(nil, paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%d\\n",
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "app", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def run_wrk(base: str, paths: list[str], scratch: Path) -> dict[str, float]:
    script = scratch / "paths.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{DURATION}s", "-s", str(script), base],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    requests, micros, p50, p95, p99, errors = match.groups()
    return {
        "rps": int(requests) / (int(micros) / 1e6),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "errors": int(errors),
    }


def scenarios(product_slugs: list[str]) -> dict[str, list[str]]:
    rng = random.Random(1)
    return {
        "floor (/robots.txt)": ["/robots.txt"],
        "home": ["/"],
        "listing": [f"/products?page={p}" for p in range(1, 60)],
        "filtered listing": [
            f"/products?category={c}&min_price=100000&max_price=5000000&available=1&sort=price_asc"
            f"&page={p}"
            for c in ("tableware", "furniture", "miniature-aircraft", "rattan-bamboo")
            for p in (1, 2, 3)
        ],
        "search": [f"/products?q={w}" for w in ("teak", "bowl", "rattan+basket", "carved",
                                                  "lamp", "heritage+java", "bali+stool")],
        "product": [f"/products/{s}" for s in rng.sample(product_slugs, 200)],
    }  # fmt: skip


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "SECRET_KEY": "bench-only",
        "FLASK_DEBUG": "0",
    }
    print(f"Seeding {PRODUCTS} products into {scratch} …", flush=True)
    started = time.monotonic()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    flask(env, "seed-bench", "--count", str(PRODUCTS))
    print(f"  seeded in {time.monotonic() - started:.1f} s", flush=True)

    with sqlite3.connect(scratch / "bench.db") as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM product")]
    try:
        tables = {
            "page cache on (the default)": measure(env, slugs, scratch),
            "page cache off (every request renders)": measure(
                env | {"PAGE_CACHE_DISABLED": "1"}, slugs, scratch
            ),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(tables, indent=2))
    print(
        f"\ngunicorn {WORKERS} gthread workers, wrk {CONNECTIONS} connections, "
        f"{DURATION} s per page, {PRODUCTS} products, {os.cpu_count()} cores"
    )
    for title, results in tables.items():
        print_table(title, results)
    return 0


def measure(env: dict[str, str], slugs: list[str], scratch: Path) -> dict[str, dict]:
    """Serve the app with gunicorn and run wrk against every scenario."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "-w", str(WORKERS), "-k", "gthread",
         "--threads", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for(base + "/healthz")
        results = {}
        for name, paths in scenarios(slugs).items():
            for path in paths[:3]:  # warm up every worker
                urllib.request.urlopen(base + path, timeout=10).read()  # noqa: S310 - loopback
            results[name] = run_wrk(base, paths, scratch)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def print_table(title: str, results: dict[str, dict]) -> None:
    """Print one table of figures, each page compared with the floor route."""
    floor = results["floor (/robots.txt)"]["rps"]
    print(f"\n{title}")
    header = ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs floor", "errors")
    print(f"{header[0]:<22}" + "".join(f"{h:>9}" for h in header[1:]))
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['rps'] / floor:>9.2f}{r['errors']:>9}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
