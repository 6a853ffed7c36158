"""Browsing while people buy: does a checkout empty the page cache for everyone?

Browsing (listing pages and product pages, page cache on) is measured quiet, then again
while background buyers complete checkouts of stocked pieces at about ten a second through
the demo payment gateway: open the product's page, add to cart, check out (stock is
reserved), pay. Each checkout really moves stock; the ratio of the two figures shows what
that costs everyone else. Browsing is timed quiet once more after the buyers stop, and the
ratio takes the mean of both quiet runs: the machine's speed drifts between runs.

A sale stales no page unless it sells an option's last piece (pages show whether a piece
is on the shelf, not how many), and none of these runs out, so the pages the buyers open
are warmed before measuring, like every browsing page: in a running shop they would be in
the cache, and stay there while they sell.
"""

from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

RATE = 10.0  # checkouts a second
BUYERS = 4  # checkouts in flight at most
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ADDRESS = {"name": "Aiko Tanaka", "line1": "1-2-3 Shibuya", "city": "Tokyo",
           "postal_code": "150-0002"}  # fmt: skip


def stocked_items(database: Path, limit: int = 200) -> list[tuple[str, str]]:
    """(product slug, SKU) of ready-made variants with plenty of stock."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT p.slug, v.sku FROM variant v JOIN product p ON p.id = v.product_id "
            "WHERE p.made_to_order = 0 AND p.status = 'active' AND v.is_active = 1 "
            "AND v.stock >= 20 ORDER BY v.id LIMIT ?",
            (limit,),
        ).fetchall()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Buyer:
    """A new shopper's session: opens a product page, buys one piece, pays on the demo page."""

    def __init__(self, base: str, user_agent: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirects()
        )
        self.opener.addheaders = [("User-Agent", user_agent)]
        self.csrf = ""

    def _send(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        data = None
        if fields is not None:
            data = urllib.parse.urlencode({"csrf_token": self.csrf, **fields}).encode()
        try:
            with self.opener.open(self.base + path, data, timeout=10) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "")
            error.close()
            return error.code, location, ""

    def check_out(self, slug: str, sku: str) -> bool:
        """Buy one piece of `sku` and pay for it; say whether the order was paid."""
        if not self.csrf:
            status, _, html = self._send(f"/products/{slug}")
            match = CSRF.search(html)
            if status != 200 or not match:
                return False
            self.csrf = match.group(1)
        status, _, _ = self._send("/cart/add", {"variant": sku, "quantity": "1"})
        if status != 303:
            return False
        status, paying, _ = self._send("/checkout", {"email": "buyer@example.com", "country": "JP"})
        if status != 303 or "/demo-pay/" not in paying:
            return False
        status, done, _ = self._send(urllib.parse.urlsplit(paying).path, ADDRESS)
        return status == 303 and "/checkout/done/" in done


class Buying:
    """Background buyers checking out at RATE a second until stopped."""

    def __init__(self, base: str, items: list[tuple[str, str]], user_agent: str) -> None:
        self.base = base
        self.user_agent = user_agent
        self.items = items
        self.busy = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.paid = 0
        self.failed = 0
        self.started = 0.0
        self.elapsed = 0.0
        self.thread = threading.Thread(target=self._pace, daemon=True)

    def __enter__(self) -> Buying:
        self.started = time.monotonic()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.elapsed = time.monotonic() - self.started

    def _one(self, item: tuple[str, str]) -> None:
        try:
            ok = Buyer(self.base, self.user_agent).check_out(*item)
        except OSError:
            ok = False
        with self.lock:
            self.paid += ok
            self.failed += not ok
            self.busy -= 1

    def _pace(self) -> None:
        with ThreadPoolExecutor(BUYERS) as pool:
            n = 0
            while not self.stop.wait(1 / RATE):
                with self.lock:
                    if self.busy >= BUYERS:
                        continue  # every buyer is still busy: the server is behind
                    self.busy += 1
                pool.submit(self._one, self.items[n % len(self.items)])
                n += 1


def measure(
    base: str,
    browsing: list[Any],
    items: list[tuple[str, str]],
    run: Callable[[list[Any]], dict[str, float]],
    user_agent: str,
) -> dict[str, dict]:
    """Time browsing quiet, then while buyers check out; return both rows of figures."""
    opener = urllib.request.build_opener()
    opener.addheaders = [("User-Agent", user_agent)]
    for slug in list(dict.fromkeys(slug for slug, _ in items)) * 3:  # each worker, roughly
        with opener.open(f"{base}/products/{slug}", timeout=10) as response:
            response.read()
    quiet = run(browsing)
    with Buying(base, items, user_agent) as buying:
        time.sleep(1)  # the buyers are under way before the clock starts
        busy = run(browsing)
    # Quiet once more after: on a shared 2-core machine the figures drift by a few percent
    # from run to run, and the ratio compares the buying run with the mean of the quiet run
    # before it and the one after (as the floor is measured twice).
    again = run(browsing)
    rate = buying.paid / buying.elapsed if buying.elapsed else 0.0
    busy = busy | {"checkouts_per_s": rate, "failed_checkouts": buying.failed}
    return {"browsing, quiet": quiet, "browsing, buying": busy, "browsing, quiet again": again}


def print_ratio(results: dict[str, dict]) -> None:
    """Print the browsing-while-buying ratio, the figure issue #13 sets a target for."""
    if "browsing, buying" not in results:
        return
    quiet, busy = results["browsing, quiet"], results["browsing, buying"]
    again = results.get("browsing, quiet again", quiet)
    mean = (quiet["rps"] + again["rps"]) / 2
    print(
        f"\nbrowsing while buying / quiet: {busy['rps'] / mean:.2f} "
        f"({busy['rps']:.0f} vs {mean:.0f} req/s, quiet before and after: "
        f"{quiet['rps']:.0f}, {again['rps']:.0f}; "
        f"{busy['checkouts_per_s']:.1f} paid checkouts/s, "
        f"{busy['failed_checkouts']} failed; target >= 0.8)"
    )
