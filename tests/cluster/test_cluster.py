"""Two servers behind HAProxy: nothing a visitor needs lives on one of them.

The tests run in this order on one cluster; the last one kills a server.
"""

from __future__ import annotations

import html
import io
import secrets
import threading
import time
from collections.abc import Callable

import pyotp
import requests
from PIL import Image

from bench.cluster_client import Traffic, Visitor
from shop.services.money import format_idr
from tests.cluster.conftest import REPORT, STAFF_EMAIL, STAFF_PASSWORD, Shop
from tests.test_admin_products import form_of

VISIBLE_WITHIN = 2.0  # seconds for a staff change to show on every server


def _visitor(shop: Shop, who: str, **headers: str) -> Visitor:
    return Visitor(shop.cluster.url, Traffic(), who, headers)


def _until(check: Callable[[], bool], seconds: float) -> float | None:
    """Seconds until check() held, or None if it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_cart_and_its_csrf_token_follow_the_buyer_from_server_to_server(shop: Shop) -> None:
    one, two = shop.cluster.server_url(1), shop.cluster.server_url(2)
    buyer = _visitor(shop, "buyer")
    assert buyer.get(f"/products/{shop.slug}", base=two).status_code == 200
    # The token came from server 2, the form goes to server 1, the cart is read on server 2.
    added = buyer.post("/cart/add", {"variant": shop.sku, "quantity": "2"}, base=one)
    assert added.status_code == 200 and added.url.startswith(one)
    cart = buyer.get("/cart", base=two)
    assert cart.status_code == 200 and shop.sku in cart.text
    assert 'name="quantity"' in cart.text and 'value="2"' in cart.text
    # The token is checked, not waved through: a forged one is refused on either server.
    buyer.csrf = "forged"
    refused = buyer.post("/cart/add", {"variant": shop.sku, "quantity": "1"}, base=two)
    assert refused.status_code == 400


def test_a_sign_in_limit_hit_on_one_server_holds_on_the_other(shop: Shop) -> None:
    one, two = shop.cluster.server_url(1), shop.cluster.server_url(2)
    # A visitor's address, as HAProxy passes it (X-Forwarded-For): their own limit.
    guesser = _visitor(
        shop, "guesser", **{"X-Forwarded-For": f"198.51.100.{secrets.randbelow(250)}"}
    )
    guesser.get("/admin/login", base=one)
    statuses = []
    for base in (one, one, one, two, two, two):  # the limit is 5 failed attempts a minute
        # A different unknown address each time: the per-account pause plays no part.
        email = f"nobody-{secrets.token_hex(4)}@karyabinaan.example"
        response = guesser.post("/admin/login", {"email": email, "password": "wrong"}, base=base)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert guesser.get("/admin/login", base=one).status_code == 200  # only sign-in POSTs count
    again = guesser.post("/admin/login", {"email": "x@karyabinaan.example", "password": "w"},
                         base=one)  # fmt: skip
    assert again.status_code == 429


def _sign_in(staff: Visitor, shop: Shop, base: str | None = None) -> requests.Response:
    staff.get("/admin/login", base=base)
    staff.post("/admin/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}, base=base)
    return staff.post("/admin/login/code", {"code": pyotp.TOTP(shop.totp_secret).now()},
                      base=base)  # fmt: skip


def test_staff_changes_show_on_both_servers_within_two_seconds(shop: Shop) -> None:
    one, two = shop.cluster.server_url(1), shop.cluster.server_url(2)
    staff = _visitor(shop, "staff")
    # Password and code through HAProxy: the two steps may land on different servers.
    signed_in = _sign_in(staff, shop)
    assert signed_in.status_code == 200 and "/admin" in signed_in.url
    # The code just used is spent on every server: the other one refuses it too.
    thief = _visitor(shop, "thief")
    thief.get("/admin/login", base=two)
    thief.post("/admin/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}, base=two)
    replay = thief.post("/admin/login/code", {"code": pyotp.TOTP(shop.totp_secret).now()},
                        base=one)  # fmt: skip
    assert replay.status_code == 200 and "isn&#39;t right" in replay.text

    page = f"/products/{shop.slug}"
    for base in (one, two, one, two):  # both servers have the page in the shared cache
        assert staff.get(page, base=base).status_code == 200

    # A photo, through server 1.
    staff.get(f"/admin/products/{shop.product_id}/photos", base=one)
    uploaded = staff.post(f"/admin/products/{shop.product_id}/photos", base=one,
                          files={"photos": ("bowl.jpg", _jpeg(), "image/jpeg")})  # fmt: skip
    assert uploaded.status_code == 200 and "1 photo added." in html.unescape(uploaded.text)
    key = shop.sql("SELECT image_key FROM product_photo WHERE product_id = %s"
                   " ORDER BY id DESC LIMIT 1", shop.product_id)[0][0]  # fmt: skip
    shows = {b: _until(lambda b=b: key in staff.get(page, base=b).text, VISIBLE_WITHIN)
             for b in (one, two)}  # fmt: skip
    assert None not in shows.values(), shows
    image = requests.get(f"{shop.cluster.env['MEDIA_URL']}{key}-640.webp", timeout=5)
    assert image.status_code == 200 and image.content[:4] == b"RIFF"

    # A new price, through server 1.
    new_price = shop.price_idr + 12_500
    edit = f"/admin/products/{shop.product_id}"
    fields = form_of(staff.get(edit, base=one).text) | {"variants-0-price": str(new_price)}
    fields.pop("csrf_token", None)
    saved = staff.post(edit, fields, base=one)
    assert saved.status_code == 200, saved.text[:500]
    shown = html.escape(format_idr(new_price, "en"))
    priced = {b: _until(lambda b=b: shown in staff.get(page, base=b).text, VISIBLE_WITHIN)
              for b in (one, two)}  # fmt: skip
    assert None not in priced.values(), priced
    REPORT.append(f"photo shown on server 1 / 2 after {shows[one]:.2f} / {shows[two]:.2f} s; "
                  f"price after {priced[one]:.2f} / {priced[two]:.2f} s")  # fmt: skip


def _background(shop: Shop, traffic: Traffic, stop: threading.Event, n: int) -> None:
    """A shopper browsing and filling a cart over and over, through HAProxy."""
    visitor = Visitor(shop.cluster.url, traffic, f"shopper-{n}")
    paths = ["/", "/products", f"/products/{shop.slug}", "/products?q=teak", "/products?page=2"]
    i = 0
    while not stop.is_set():
        try:
            visitor.get(paths[i % len(paths)])
            if i % 3 == 0:
                visitor.post("/cart/add", {"variant": shop.sku, "quantity": "1"})
        except requests.RequestException:
            pass  # recorded with its time; judged below
        i += 1


def test_a_buyer_pays_while_a_server_is_killed_under_them(shop: Shop) -> None:
    traffic = Traffic()
    buyer = Visitor(shop.cluster.url, traffic, "buyer")
    stop = threading.Event()
    shoppers = [threading.Thread(target=_background, args=(shop, traffic, stop, n), daemon=True)
                for n in range(4)]  # fmt: skip
    for thread in shoppers:
        thread.start()
    try:
        assert buyer.get("/").status_code == 200
        assert buyer.get("/products").status_code == 200
        assert buyer.get(f"/products/{shop.slug}").status_code == 200
        added = buyer.post("/cart/add", {"variant": shop.sku, "quantity": "1"})
        assert added.status_code == 200
        time.sleep(0.5)  # let the shoppers' requests spread over both servers
        killed_at = time.monotonic()
        shop.cluster.kill_server(1)
        # A request sent while the kill lands (signals delivered, sockets closing) was in
        # flight on the dying server too.
        killed_by = time.monotonic()
        cart = buyer.get("/cart")
        assert cart.status_code == 200 and shop.sku in cart.text
        buyer.get("/checkout")
        payment = buyer.post("/checkout", {"email": "buyer@example.com", "country": "JP"})
        assert payment.status_code == 200 and "/demo-pay/" in payment.url, payment.url
        done = buyer.post(payment.url, {"name": "Aiko Tanaka", "line1": "1-2-3 Shibuya",
                                        "city": "Tokyo", "postal_code": "150-0002"})  # fmt: skip
        assert done.status_code == 200 and "/checkout/done/" in done.url
        assert "We have received your payment" in done.text
        time.sleep(1.0)  # the shoppers go on through the one server left
    finally:
        stop.set()
        for thread in shoppers:
            thread.join(30)
    in_flight = traffic.in_flight_at(killed_at, killed_by)  # recorded once each has ended
    token = done.url.rsplit("/", 1)[1]
    assert shop.sql("SELECT status FROM shop_order WHERE token = %s", token) == [("paid",)]
    buyers_requests = [e for e in traffic.exchanges if e.who == "buyer"]
    assert not [e for e in buyers_requests if e.failed]
    failed = traffic.failures()
    after = [e for e in failed if not e.in_flight_at(killed_at, killed_by)]
    assert not after, [str(e) for e in after]
    total = len(traffic.exchanges)
    later = sum(1 for e in traffic.exchanges if e.started > killed_by)
    REPORT.append(
        f"kill: {len(in_flight)} requests in flight on the servers at the SIGKILL, "
        f"{len(failed)} of them failed ({', '.join(map(str, failed)) or 'none'}); "
        f"{total} requests in all, {later} after the kill, 0 failed after it"
    )
