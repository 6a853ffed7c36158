"""Benchmark the storefront: 10,000 products, gunicorn, wrk; print throughput and latency.

Every page is measured beside a trivial route (/robots.txt: no database, a tiny template)
served by the same server in the same run, so the ratio shows how close a page is to the
framework's floor on this machine.

The shopping scenarios (add to cart, the cart page, the checkout redirect) need a visitor's
session: before wrk runs them, a scripted visitor (urllib with a cookie jar) opens a product
page for a CSRF token and fills a cart, and wrk then replays fixed requests carrying that
session cookie and token. They buy made-to-order pieces only, so stock never runs out.

The back office's product list is timed the same way, with a signed-in admin's session, staff
sign-in as the form posted over and over (rate limits off), and
bench/photos.py times the photo pipeline (a 12-megapixel JPEG into every rendition, one core).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import buying
import photos

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "10000"))

ADMIN_EMAIL = "bench-admin@karyabinaan.example"
ADMIN_PASSWORD = "bench-only-password"  # noqa: S105 - a throwaway database
# Strong session protection ties a session to the browser's user agent: wrk must send the one
# the session was signed in with.
USER_AGENT = "kb-bench/1"
# Timed once more with every cache off: what a page costs the first time anything is shown.
COLD_PAGES = ("floor (/robots.txt)", "home", "listing", "filtered listing", "search", "product")
NOTHING_CACHED = {"PAGE_CACHE_DISABLED": "1", "CARD_CACHE_DISABLED": "1",
                  "FRAGMENT_CACHE_DISABLED": "1"}  # fmt: skip
ADD_CARTS = 8  # carts the "add to cart" requests spread over
SKUS_PER_ADD_CART = 10
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"

# Every request on a new connection: with keep-alive, wrk's few connections stick to whichever
# gunicorn worker accepted them, and a run where all land on one worker measures one core.
LUA = """
local requests = {%s}
request = function()
  local r = requests[math.random(#requests)]
  local headers = r[3] or {}
  headers["Connection"] = "close"
  return wrk.format(r[1], r[2], headers, r[4])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%d\\n",
    summary.requests, summary.duration, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Request:
    """One request wrk may send; `expect` is where a POST must redirect to count as intended."""

    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    expect: str | None = None


def lua_string(value: str) -> str:
    # JSON string syntax is Lua's for printable ASCII (LuaJIT has no \uXXXX escapes).
    if not (value.isascii() and value.isprintable()):
        raise ValueError(f"not printable ASCII: {value!r}")
    return json.dumps(value)


def lua_request(r: Request) -> str:
    headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r.headers)
    body = "nil" if r.body is None else lua_string(r.body)
    return f"{{{lua_string(r.method)}, {lua_string(r.path)}, {{{headers}}}, {body}}}"


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


def run_wrk(base: str, requests: list[Request], scratch: Path) -> dict[str, float]:
    script = scratch / "requests.lua"
    script.write_text(LUA % ", ".join(lua_request(r) for r in requests))
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


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # hand the redirect back, as wrk does


NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects())


def send(base: str, r: Request) -> None:
    """Send one request the way wrk will and check it does what the scenario means to time."""
    body = None if r.body is None else r.body.encode()
    request = urllib.request.Request(base + r.path, body, dict(r.headers), method=r.method)
    try:
        with NO_REDIRECTS.open(request, timeout=10) as response:
            response.read()
            status, location = response.status, ""
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
        error.close()
    if r.expect and (status != 303 or not re.search(r.expect, location)):
        raise RuntimeError(f"{r.method} {r.path}: {status} {location!r}, expected 303 {r.expect}")
    if not r.expect and status >= 400:
        raise RuntimeError(f"{r.method} {r.path}: {status}")


class Visitor:
    """A shopper with a session cookie of their own, driven through the site with urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]
        self.csrf = ""

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            html = response.read().decode()
        if match := CSRF.search(html):
            self.csrf = match.group(1)
        return html

    def post(self, path: str, **fields: str) -> str:
        """Post a form with the session's CSRF token, following the redirect like a browser."""
        data = urllib.parse.urlencode({"csrf_token": self.csrf, **fields}).encode()
        with self.opener.open(self.base + path, data, timeout=10) as response:
            return response.read().decode()

    def fill_cart(self, items: list[tuple[str, str]]) -> None:
        """Add one piece of each (product slug, SKU) from its product page, as a visitor does."""
        for slug, sku in items:
            self.get(f"/products/{slug}")
            self.post("/cart/add", variant=sku, quantity="1")
        # Read the cart once more so no flashed message is left in the session cookie.
        lines = self.get("/cart").count('<li class="cart-line')
        if lines != len(items):
            raise RuntimeError(f"the cart has {lines} lines, expected {len(items)}")

    def replay(self, path: str, expect: str, **fields: str) -> Request:
        """This form POST as wrk will send it over and over, with the cookie held now."""
        headers = (("Cookie", self.cookie), ("Content-Type", FORM))
        body = urllib.parse.urlencode({"csrf_token": self.csrf, **fields})
        return Request(path, "POST", headers, body, expect)


def shopping_scenarios(base: str, items: list[tuple[str, str]]) -> dict[str, list[Request]]:
    """Fill carts through the site; return the requests wrk replays with their sessions.

    `items` are (slug, SKU) of made-to-order products, which never run out of stock.
    wrk cannot keep the session cookies the app sends back, so every request carries the
    cookie the cart was filled with: nothing flashed is ever carried over, and the CSRF
    token, signed for that session with no time limit, stays valid.
    """
    wanted = 3 + ADD_CARTS * SKUS_PER_ADD_CART
    if len(items) < wanted:
        raise RuntimeError(f"need {wanted} made-to-order variants, found {len(items)}")
    # Each add puts one more piece of one of ten SKUs into one of ADD_CARTS carts. The lines
    # exist before wrk starts: two concurrent first adds of one SKU to one cart both insert
    # a line, and the second fails the unique (cart, variant) constraint with a 500. A line
    # holds at most 99 pieces: 8 carts x 10 SKUs x 98 = 7,840 adds before any line is full,
    # more than a few seconds of wrk sends here. Past that, the endpoint answers with its
    # "only 99" redirect instead: still a fair timing of it, if a slightly cheaper path.
    adds: list[Request] = []
    for n in range(ADD_CARTS):
        mine = items[3 + n * SKUS_PER_ADD_CART : 3 + (n + 1) * SKUS_PER_ADD_CART]
        visitor = Visitor(base)
        visitor.fill_cart(mine)
        adds += [visitor.replay("/cart/add", r"/cart$", variant=sku, quantity="1")
                 for _, sku in mine]  # fmt: skip

    shopper = Visitor(base)
    shopper.fill_cart(items[:3])
    shopper.post("/cart/destination", country="JP")  # the cart page shows a shipping estimate
    shopper.get("/cart")
    return {
        "add to cart": adds,
        "cart page": [Request("/cart", headers=(("Cookie", shopper.cookie),))],
        # Each POST places an order holding stock and opens a demo payment session; the cart
        # keeps its lines until payment, so the same request works every time. Placing an
        # order stales the cached pages of the products it holds: keep this scenario last.
        "checkout redirect": [
            shopper.replay("/checkout", "/demo-pay/", email="bench@example.com", country="JP")
        ],
    }


def admin_scenarios(base: str) -> dict[str, list[Request]]:
    """Sign in to the back office; return product-list requests carrying that session."""
    staff = Visitor(base)
    staff.get("/admin/login")
    staff.post("/admin/login", email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    headers = (("Cookie", staff.cookie), ("User-Agent", USER_AGENT))
    lists = {
        "admin product list": [f"/admin/products?page={p}" for p in range(1, 21)],
        "admin product search": [
            f"/admin/products?q={q}&status={s}"
            for q in ("teak", "bowl", "garuda", "BENCH-0", "rattan")
            for s in ("", "active", "draft")
        ],
    }
    for path in (lists["admin product list"][0], lists["admin product search"][0]):
        with NO_REDIRECTS.open(urllib.request.Request(base + path, headers=dict(headers))) as r:
            if r.status != 200 or b"admin/products/new" not in r.read():
                raise RuntimeError(f"{path}: not the signed-in product list ({r.status})")
    return {name: [Request(p, headers=headers) for p in paths] for name, paths in lists.items()}


def sign_in_scenario(base: str) -> dict[str, list[Request]]:
    """The staff sign-in form posted over and over with the right password.

    Each POST checks the password (scrypt), starts a fresh session and redirects to the
    dashboard; the server runs with rate limits off, or the sixth attempt a minute would be
    refused. The cookie and CSRF token are the sign-in page's, valid for every replay.
    """
    visitor = Visitor(base)
    visitor.get("/admin/login")
    signing_in = visitor.replay(
        "/admin/login", r"/admin/$", email=ADMIN_EMAIL, password=ADMIN_PASSWORD
    )
    return {"staff sign-in (POST)": [signing_in]}


def scenarios(product_slugs: list[str], tiered_slugs: list[str]) -> dict[str, list[str]]:
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
        "product, volume prices": [f"/products/{s}" for s in tiered_slugs],
        "quote request form": ["/quote"],
    }  # fmt: skip


def main() -> int:
    if sys.argv[1:]:  # --products 1000,10000,50000: the catalog-size sweep (bench/sweep.py)
        import sweep

        return sweep.main(sys.argv[1:])
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}",
        "MEDIA_ROOT": str(scratch / "media"),
        # Production mode, which refuses weak secrets and a missing payment provider:
        # a fresh random key, and the demo gateway switched on explicitly.
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEMO_PAYMENTS": "1",
        "STRIPE_SECRET_KEY": "",
        "FLASK_DEBUG": "0",
        # Required outside debug; the server gets its own port added when it starts.
        "SITE_URL": "http://127.0.0.1",
    }
    print(f"Seeding {PRODUCTS} products into {scratch} …", flush=True)
    started = time.monotonic()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    flask(env, "seed-bench", "--count", str(PRODUCTS))
    flask(env, "create-admin", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)
    print(f"  seeded in {time.monotonic() - started:.1f} s", flush=True)

    with sqlite3.connect(scratch / "bench.db") as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM product")]
        tiered = [row[0] for row in connection.execute(
            "SELECT DISTINCT p.slug FROM product p JOIN variant v ON v.product_id = p.id "
            "JOIN price_tier t ON t.variant_id = v.id"
        )]  # fmt: skip
        made_to_order = connection.execute(
            "SELECT p.slug, v.sku FROM variant v JOIN product p ON p.id = v.product_id "
            "WHERE p.made_to_order = 1 AND v.sku LIKE 'BENCH-%' ORDER BY v.id LIMIT ?",
            (3 + ADD_CARTS * SKUS_PER_ADD_CART,),
        ).fetchall()
    stocked = buying.stocked_items(scratch / "bench.db")
    photo_run = subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench" / "photos.py"), "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    photo_results = json.loads(photo_run.stdout)
    try:
        tables = {
            "page cache on (the default)": measure(
                env, slugs, tiered, made_to_order, scratch, stocked
            ),
            "page cache off (every page renders; cards and frame from their caches)": measure(
                env | {"PAGE_CACHE_DISABLED": "1"}, slugs, tiered, made_to_order, scratch
            ),
            "nothing cached (no page, card or frame cache)": measure(
                env | NOTHING_CACHED, slugs, tiered, made_to_order, scratch, only=COLD_PAGES
            ),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(tables | {"photos": photo_results}, indent=2))
    print(
        f"\ngunicorn {WORKERS} gthread workers, wrk {CONNECTIONS} connections, "
        f"{DURATION} s per page, {PRODUCTS} products, {os.cpu_count()} cores"
    )
    for title, results in tables.items():
        print_table(title, results)
    photos.print_table(photo_results)
    buying.print_ratio(tables["page cache on (the default)"])
    return 0


def measure(
    env: dict[str, str],
    slugs: list[str],
    tiered: list[str],
    made_to_order: list[tuple[str, str]],
    scratch: Path,
    stocked: list[tuple[str, str]] | None = None,
    only: tuple[str, ...] | None = None,
) -> dict[str, dict]:
    """Serve the app with gunicorn and run wrk against every scenario (or the pages `only`).

    With `stocked` (slug, SKU) pieces, browsing is also timed while buyers check them out.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "-w", str(WORKERS), "-k", "gthread",
         "--threads", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
        env=env | {"SITE_URL": base, "RATELIMIT_ENABLED": "0"}, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for(base + "/healthz")
        pages = {
            name: [Request(p) for p in paths] for name, paths in scenarios(slugs, tiered).items()
        }
        # The same listing pages read in Japanese with yen beside rupiah (English shows US
        # dollars): language and currency must not slow a page down.
        pages["listing, ja + JPY"] = [
            Request(r.path, headers=(("Accept-Language", "ja"),)) for r in pages["listing"]
        ]
        results = {}
        if only:
            pages = {name: pages[name] for name in only}
        for name, requests in pages.items():
            # Steady state: every page once per worker (roughly) before measuring, as a
            # running shop's cache would be; the "cache off" table shows the cold cost.
            for r in requests * 3:
                send(base, r)
            results[name] = run_wrk(base, requests, scratch)
        # The floor is measured again after the pages: on a shared 2-core machine it drifts,
        # and the ratios use the mean of both runs.
        results["floor, again"] = run_wrk(base, pages["floor (/robots.txt)"], scratch)
        if only:
            return results
        if stocked:
            browsing = pages["listing"] + pages["product"]
            results |= buying.measure(
                base, browsing, stocked, lambda r: run_wrk(base, r, scratch), USER_AGENT
            )
        for name, requests in admin_scenarios(base).items():
            for r in requests:
                send(base, r)
            results[name] = run_wrk(base, requests, scratch)
        for name, requests in sign_in_scenario(base).items():
            send(base, requests[0])
            results[name] = run_wrk(base, requests, scratch)
        for name, requests in shopping_scenarios(base, made_to_order).items():
            for r in requests[:3]:  # warm up every worker, and check the requests work
                send(base, r)
            results[name] = run_wrk(base, requests, scratch)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def print_table(title: str, results: dict[str, dict]) -> None:
    """Print one table of figures, each page compared with the floor route."""
    floor = (results["floor (/robots.txt)"]["rps"] + results["floor, again"]["rps"]) / 2
    print(f"\n{title}")
    header = ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs floor", "errors")
    print(f"{header[0]:<22}" + "".join(f"{h:>9}" for h in header[1:]))
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['rps'] / floor:>9.2f}{r['errors']:>9}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
