"""Race 40 buyers for the last 10 pieces over HTTP and check the shop kept its books straight.

One product, one variant, exactly 10 pieces; gunicorn (2 gthread workers) on PostgreSQL. 40
buyers, each with a cookie jar of their own, are released together by a barrier: product page,
add one piece, check out to Japan (all 40 press the button at the same moment), then pay. The
other doors that move an order are raced against the payment meanwhile:

- the first winners also leave the payment page ("cancel") at the very moment they pay, from a
  second thread holding the same session;
- the next ones have their payment window closed (in the database) just before they pay, while
  a sweeper runs the `expire-orders` command in a loop;
- phase 2, Stripe (the API double in tests/stripe_double.py): each paid
  `checkout.session.completed` webhook is delivered twice at once with different event ids,
  racing the cancel link and the expiry sweep in the same way.

Afterwards the database is read directly, and the run fails (exit 1) unless every piece is
accounted for (held by a paid order, back in stock, or held by an order still awaiting
payment), no paid order lacks its pieces unless it is on hold for staff, no cancelled or
expired order still holds any, and no request got a 5xx. Each phase has a scratch database of
its own; the server is stopped and the database dropped at the end, even when something fails.
"""

from __future__ import annotations

import copy
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
from tests.stripe_double import (  # noqa: E402 - the double lives with the tests
    StripeDouble,
    event_payload,
    session_object,
    sign_payload,
)

BUYERS = int(os.environ.get("RACE_BUYERS", "40"))
PIECES = 10
CANCEL_RACERS = 3  # winners who pay and cancel at the same moment
EXPIRY_RACERS = 3  # winners whose payment window closes just as they pay
REQUEST_TIMEOUT = 20
PHASE_TIMEOUT = 45  # seconds for the buyers of one phase to finish
PG = os.environ.get("RACE_PG", "postgresql://postgres@127.0.0.1:5432")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAID_LIKE = {"paid", "on_hold", "packed", "shipped", "delivered"}
ON_HOLD = {"on_hold"}
ENDED = {"cancelled", "expired"}
# States an order leaves at most once: leaving one twice means two events both won the race.
LEFT_ONCE = {"pending_payment", "cancelled", "expired"}
TRACEBACK_HEADS = ("Traceback", "The above exception", "During handling")

SEED = """
from app import app
from shop.extensions import db
from shop.models import Category, Product, ProductStatus, Variant, Workshop
with app.app_context():
    product = Product(
        slug="race-teak-bowl", name="Race teak bowl", status=ProductStatus.ACTIVE,
        category=Category(slug="tableware", name="Tableware"),
        workshop=Workshop(slug="woodcraft", name="Woodcraft workshop",
                          institution="Lapas Kelas IIA Banyuwangi", region="East Java"),
        price_min_idr=150000, price_max_idr=150000,
        variants=[Variant(sku="RACE-1", option_label="24 cm", price_idr=150000,
                          stock=%d, weight_g=500)],
    )
    db.session.add(product)
    db.session.commit()
"""

# Runs the shop's own `expire-orders` command once per line read, inside one warm process,
# so a sweep starts within milliseconds instead of after a second of imports.
SWEEPER = """
import sys
from app import app
runner = app.test_cli_runner()
for _ in sys.stdin:
    result = runner.invoke(args=["expire-orders"])
    if result.exit_code:
        print("ERROR " + repr(result.exception)[:160].replace("\\n", " "), flush=True)
    else:
        print(result.output.splitlines()[0], flush=True)
"""


@dataclass
class Traffic:
    """Every HTTP answer the buyers got, by status, and the requests that got none."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # every answer is counted, so redirects are followed by hand


class Buyer:
    """A shopper with a cookie jar of their own; records each answer's status."""

    def __init__(self, base: str, traffic: Traffic) -> None:
        self.base = base
        self.traffic = traffic
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )
        self.opener.addheaders = [("User-Agent", "kb-race/1")]
        self.csrf = ""

    def request(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        """GET (or POST the form `fields` with the CSRF token); return status, Location, body."""
        url = path if path.startswith("http") else self.base + path
        data = None
        if fields is not None:
            data = urllib.parse.urlencode({"csrf_token": self.csrf, **fields}).encode()
        try:
            with self.opener.open(url, data, timeout=REQUEST_TIMEOUT) as response:
                status, location, body = response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
            body = error.read().decode(errors="replace")
            error.close()
        except OSError as error:
            self.traffic.fail(f"{'POST' if data else 'GET'} {path}: {error}")
            raise
        self.traffic.count(status)
        if match := CSRF.search(body):
            self.csrf = match.group(1)
        return status, urllib.parse.urljoin(url, location) if location else "", body

    def visit(self, path: str, fields: dict[str, str] | None = None) -> str:
        """Send the request and follow redirects like a browser; return the last address."""
        status, location, _ = self.request(path, fields)
        for _ in range(5):
            if not (300 <= status < 400 and location):
                break
            if not location.startswith(self.base):
                return location  # off to the payment provider
            path = location
            status, location, _ = self.request(path)
        return path


Action = Callable[[], object]


@dataclass
class Race:
    """What the threads of one phase share, and how this phase pays and leaves."""

    base: str
    database: str
    traffic: Traffic
    # Get ready to pay the order behind this payment address; return the act of paying.
    prepare_pay: Callable[[Buyer, str], Action]
    # The address a buyer follows to leave that payment page without paying.
    cancel_url: Callable[[Buyer, str], str]
    sweep: Action
    lock: threading.Lock = field(default_factory=threading.Lock)
    roles: Counter[str] = field(default_factory=Counter)

    def role(self) -> str:
        """Give each buyer who reached the payment page a part, in order of arrival."""
        with self.lock:
            n = self.roles["cancel"] + self.roles["expire"] + self.roles["pay"]
            if n < CANCEL_RACERS:
                role = "cancel"
            elif n < CANCEL_RACERS + EXPIRY_RACERS:
                role = "expire"
            else:
                role = "pay"
            self.roles[role] += 1
            return role

    def note(self, what: str) -> None:
        with self.lock:
            self.roles[what] += 1


def together(*actions: Action) -> None:
    """Run the actions in threads of their own, released at the same instant."""
    gate = threading.Barrier(len(actions), timeout=REQUEST_TIMEOUT)

    def run(action: Action) -> None:
        try:
            gate.wait()
            action()
        except (OSError, threading.BrokenBarrierError):
            pass  # counted as a request without an answer by Buyer.request

    threads = [threading.Thread(target=run, args=(a,), daemon=True) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT * 2)


def buy(race: Race, n: int, start: threading.Barrier, press: threading.Barrier) -> None:
    """One buyer's whole visit; the barriers line all buyers up at the door and at checkout."""
    buyer = Buyer(race.base, race.traffic)
    try:
        start.wait()
        buyer.visit("/products/race-teak-bowl")
        buyer.visit("/cart/add", {"variant": "RACE-1", "quantity": "1"})
        buyer.visit("/checkout")
    finally:
        press.wait()  # everyone presses "Continue to payment" at once, even one who failed
    where = buyer.visit("/checkout", {"email": f"buyer{n}@example.com", "country": "JP"})
    if where.endswith("/cart"):
        race.note("refused at checkout")
        return
    role = race.role()
    pay = race.prepare_pay(buyer, where)
    if role == "cancel":
        leave = race.cancel_url(buyer, where)
        together(pay, lambda: buyer.visit(leave))
    elif role == "expire":
        close_payment_window(race.database, where)
        together(pay, race.sweep)
    else:
        pay()


def close_payment_window(database: str, payment_url: str) -> None:
    """Make the order behind this payment page overdue, as if its 40 minutes had passed."""
    session_id = urllib.parse.urlsplit(payment_url).path.rstrip("/").rsplit("/", 1)[1]
    with psycopg.connect(f"{PG}/{database}") as connection:
        connection.execute(
            "UPDATE shop_order SET payment_expires_at = now() - interval '1 second' "
            "WHERE payment_session_id = %s",
            (session_id,),
        )


class Sweeper:
    """A warm process that runs the shop's `expire-orders` command whenever asked."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [str(BIN / "python"), "-c", SWEEPER], env=env, cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
        )  # fmt: skip
        self.lock = threading.Lock()
        self.results: Counter[str] = Counter()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def sweep(self) -> None:
        """Run the command once and wait for its answer."""
        with self.lock:
            if self.process.poll() is not None:
                self.results["sweeper died"] += 1
                return
            assert self.process.stdin and self.process.stdout  # noqa: S101 - piped above
            self.process.stdin.write("sweep\n")
            self.process.stdin.flush()
            self.results[self.process.stdout.readline().strip() or "no answer"] += 1

    def keep_sweeping(self) -> None:
        """Sweep every 50 ms in a thread until closed."""

        def loop() -> None:
            while not self.stop.wait(0.05):
                self.sweep()

        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop the loop and the process."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join(REQUEST_TIMEOUT)
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def demo_payments(race_base: str) -> tuple[Callable[[Buyer, str], Action], Callable]:
    """Pay and leave through the demo gateway's local payment page."""

    def prepare_pay(buyer: Buyer, where: str) -> Action:
        buyer.request(where)  # the payment page, for its CSRF token
        address = {"name": "Aiko Tanaka", "line1": "1-2-3 Shibuya", "city": "Tokyo",
                   "postal_code": "150-0002"}  # fmt: skip
        return lambda: buyer.visit(where, address)

    def cancel_url(buyer: Buyer, where: str) -> str:
        # The Cancel form only redirects to the return address, which does the cancelling.
        _, location, _ = buyer.request(where + "/cancel", {"cancel": "Cancel"})
        return location

    return prepare_pay, cancel_url


@dataclass
class Webhooks:
    """Plays Stripe: takes each payment, then posts its signed event to the shop twice at once."""

    base: str
    secret: str
    double: StripeDouble
    traffic: Traffic
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_payment(self, session_id: str) -> dict | None:
        """The buyer pays on Stripe's page: the session completes; return it.

        None when the page was closed first (the shop expired the session): Stripe takes no
        money then. The check and the payment are two steps here, not one as at Stripe.
        """
        if hasattr(self.double, "pay"):
            if self.double.sessions[session_id]["status"] != "open":
                with self.lock:
                    self.outcomes.setdefault(session_id, [])  # delivered nothing
                return None
            return copy.deepcopy(self.double.pay(session_id))
        session = self.double.sessions[session_id]  # an older double: build the paid session
        return session_object(
            session_id, order_id=int(session["metadata"]["order_id"]),
            amount_total=session["amount_total"], currency=session["currency"],
            payment_intent="pi_" + session_id,
        )  # fmt: skip

    def deliver(self, session: dict, event_id: str) -> None:
        """Post one checkout.session.completed event for this session, signed as Stripe does."""
        body = event_payload("checkout.session.completed", session, event_id)
        request = urllib.request.Request(
            self.base + "/stripe/webhook", body, method="POST",
            headers={"Content-Type": "application/json",
                     "Stripe-Signature": sign_payload(body, self.secret)},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:  # noqa: S310
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            error.close()
        except OSError as error:
            self.traffic.fail(f"webhook {event_id}: {error}")
            raise
        self.traffic.count(status)
        outcome = m.group(1) if (m := re.search(r'"outcome":\s*"([^"]+)"', text)) else str(status)
        with self.lock:
            self.outcomes.setdefault(session["id"], []).append(outcome)

    def prepare_pay(self, buyer: Buyer, where: str) -> Action:
        """Paying is Stripe taking the money, then two deliveries at once with different ids."""
        session_id = urllib.parse.urlsplit(where).path.rsplit("/", 1)[1]

        def pay() -> None:
            session = self.take_payment(session_id)
            if session is None:
                return
            together(lambda: self.deliver(session, "evt_a_" + session_id),
                     lambda: self.deliver(session, "evt_b_" + session_id))  # fmt: skip

        return pay

    def cancel_url(self, buyer: Buyer, where: str) -> str:
        """Stripe's page links back to the cancel address the shop gave it."""
        session_id = urllib.parse.urlsplit(where).path.rsplit("/", 1)[1]
        return self.double.sessions[session_id]["cancel_url"]

    def retry_failed(self) -> int:
        """Deliver again, as Stripe retries, each event the shop answered with an error."""
        failed = [sid for sid, got in self.outcomes.items()
                  if got and all(o.isdigit() for o in got)]  # fmt: skip
        for session_id in failed:
            if hasattr(self.double, "pay"):
                session = copy.deepcopy(self.double.sessions[session_id])
            else:
                session = self.take_payment(session_id)
            if session is not None:
                self.deliver(session, "evt_a_" + session_id)
        return len(failed)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def flask(env: dict[str, str], *args: str) -> str:
    """Run a shop command; raise with the end of its output if it fails."""
    return run([str(BIN / "flask"), "--app", "app", *args], env, f"flask {' '.join(args)}")


def run(command: list[str], env: dict[str, str], name: str) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    if done.returncode:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise RuntimeError(f"{name} failed:\n{tail}")
    return done.stdout


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(sql)


@dataclass
class Books:
    """The orders and the stock as the database holds them after the race."""

    stock: int
    orders: list[tuple[int, str, str, int, int, str]]  # id, number, status, pieces, held, session
    history: dict[int, list[str]]
    # (order id, state) for each time an order left a state it can leave only once.
    exits: Counter[tuple[int, str]] = field(default_factory=Counter)

    def count(self, statuses: set[str]) -> int:
        return sum(1 for o in self.orders if o[2] in statuses)

    def held(self, statuses: set[str] | None = None, *, but: set[str] = frozenset()) -> int:
        return sum(o[4] for o in self.orders
                   if (statuses is None or o[2] in statuses) and o[2] not in but)  # fmt: skip


def read_books(database: str) -> Books:
    """Read the variant's stock, every order with its pieces, and every order's history."""
    with psycopg.connect(f"{PG}/{database}") as connection:
        stock = connection.execute("SELECT stock FROM variant WHERE sku = 'RACE-1'").fetchone()
        orders = connection.execute(
            "SELECT o.id, o.number, o.status, COALESCE(SUM(l.quantity), 0),"
            " COALESCE(SUM(l.reserved_quantity), 0), o.payment_session_id FROM shop_order o"
            " LEFT JOIN order_line l ON l.order_id = o.id GROUP BY o.id ORDER BY o.id"
        ).fetchall()
        books = Books(stock[0] if stock else -1, orders, {})
        for order_id, at, was, now, actor, note in connection.execute(
            "SELECT order_id, created_at, from_status, to_status, actor, note FROM order_event"
            " ORDER BY id"
        ):
            books.history.setdefault(order_id, []).append(
                f"{at:%H:%M:%S.%f} {was} -> {now} by {actor}: {note}"
            )
            if was != now and was in LEFT_ONCE:
                books.exits[order_id, was] += 1
    return books


def judge(books: Books, traffic: Traffic, unfinished: int, webhooks: Webhooks | None) -> list:
    """The consistency checks: (what, passed, orders to show)."""
    paid_held = books.held(PAID_LIKE)
    unpaid_held = books.held(but=PAID_LIKE)
    short = [o for o in books.orders if o[2] in PAID_LIKE - ON_HOLD and o[4] < o[3]]
    holding = [o for o in books.orders if o[2] in ENDED and o[4] > 0]
    twice = [o for o in books.orders if any(books.exits[o[0], state] > 1 for state in LEFT_ONCE)]
    server_errors = sum(n for status, n in traffic.statuses.items() if status >= 500)
    checks = [
        (f"paid-held {paid_held} + in stock {books.stock} + held by unpaid {unpaid_held} "
         f"== {PIECES}", paid_held + books.stock + unpaid_held == PIECES, []),
        ("no paid order without its pieces (unless on hold)", not short, short),
        ("no cancelled/expired order still holds pieces", not holding, holding),
        (f"{len(twice)} orders left one state twice (two events both won)", not twice, twice),
        (f"{server_errors} responses with 5xx", server_errors == 0, []),
        (f"{len(traffic.failures)} requests without an answer, {unfinished} buyers unfinished",
         not traffic.failures and unfinished == 0, []),
    ]  # fmt: skip
    if webhooks is not None:
        got = webhooks.outcomes
        both = [o for o in books.orders if got.get(o[5], []).count("paid") > 1]
        lost = [o for o in books.orders if got.get(o[5]) and o[2] not in PAID_LIKE]
        checks += [
            (f"{len(both)} orders marked paid by both deliveries of their payment", not both,
             both),
            (f"{len(lost)} orders Stripe took money for are not paid or on hold", not lost, lost),
        ]  # fmt: skip
    return checks


def report(name: str, books: Books, traffic: Traffic, race: Race, extra: dict[str, object],
           checks: list, log: Path) -> bool:  # fmt: skip
    """Print what happened in one phase; return whether every check passed."""
    classes = Counter(f"{status // 100}xx" for status in traffic.statuses.elements())
    print(f"\n== {name}: {BUYERS} buyers, {PIECES} pieces ==")
    rows = {
        "orders placed": len(books.orders),
        "orders paid": f"{books.count(PAID_LIKE)} (on hold {books.count(ON_HOLD)})",
        "orders cancelled / expired": f"{books.count({'cancelled'})} / {books.count({'expired'})}",
        "orders still awaiting payment": books.count({"pending_payment"}),
        "pieces left in stock": books.stock,
        "pieces held by paid orders": books.held(PAID_LIKE),
        "pieces held by unpaid orders": books.held(but=PAID_LIKE),
        "buyers by part": dict(race.roles),
        "HTTP responses": dict(sorted(classes.items())),
        "HTTP statuses": dict(sorted(traffic.statuses.items())),
        **extra,
    }
    for label, value in rows.items():
        print(f"  {label:<30} {value}")
    passed = True
    shown: set[int] = set()
    for what, ok, orders in checks:
        passed &= ok
        print(f"  [{'ok' if ok else 'FAIL'}] {what}")
        for order_id, number, status, quantity, reserved, _ in orders:
            print(f"         {number} {status}: {reserved} of {quantity} pieces held"
                  + (" (history above)" if order_id in shown else ""))  # fmt: skip
            for line in books.history.get(order_id, []) if order_id not in shown else []:
                print(f"           {line}")
            shown.add(order_id)
    for failure in traffic.failures[:10]:
        print(f"  no answer: {failure}")
    if not passed and log.exists() and log.stat().st_size:
        print_server_errors(log.read_text(errors="replace").splitlines())
    return passed


def print_server_errors(lines: list[str]) -> None:
    """Count the server's errors by request and exception; show the first traceback whole."""
    errors: Counter[str] = Counter()
    first: list[str] = []
    block: list[str] = []
    for line in lines:
        if m := re.search(r"Exception on (\S+) \[(\w+)\]", line):
            path = re.sub(r"/(demo_cs_|cs_|checkout/cancel/)[^/\s]+", r"/\1…", m.group(1))
            block = [f"{m.group(2)} {path}", line]
            continue
        if not block:
            continue
        block.append(line)
        # The exception itself is the first line after the traceback that is not indented.
        if line and not line[0].isspace() and not line.startswith(TRACEBACK_HEADS):
            errors[f"{block[0]}: {line}"] += 1
            first = first or block[1:]
            block = []
    print(f"  server log: {len(lines)} lines; errors by request and exception:")
    for what, n in errors.most_common():
        print(f"    {n} x {what}")
    print("  the first one in full:" if first else "  the log's last 40 lines:")
    for line in (first or lines[-40:])[:60]:
        print(f"    {line}")


def run_buyers(race: Race) -> int:
    """Run every buyer in a thread of its own; return how many had not finished in time."""
    start = threading.Barrier(BUYERS, timeout=PHASE_TIMEOUT)
    press = threading.Barrier(BUYERS, timeout=PHASE_TIMEOUT)

    def one(n: int) -> None:
        try:
            buy(race, n, start, press)
        except (OSError, threading.BrokenBarrierError) as error:
            race.traffic.fail(f"buyer {n} gave up: {error!r}")

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PHASE_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sum(thread.is_alive() for thread in threads)


def shop_env(database: str, scratch: Path) -> dict[str, str]:
    """The server's environment: production mode, demo payments, a strong random secret."""
    dropped = ("DATABASE_URL", "REDIS_URL", "DEMO_PAYMENTS")
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("STRIPE_", "FLASK_")) and k not in dropped}  # fmt: skip
    return inherited | {
        "DATABASE_URL": f"{PG}/{database}",
        "SECRET_KEY": secrets.token_urlsafe(36),  # 48 characters
        "DEMO_PAYMENTS": "1",
        "FLASK_DEBUG": "0",
        "MEDIA_ROOT": str(scratch / "media"),
        "MAIL_OUTBOX": str(scratch / "outbox"),
        "SITE_URL": "http://127.0.0.1",  # required outside debug; the port is added later
    }


def run_phase(name: str, with_stripe: bool) -> bool:
    """Set up a scratch shop, race the buyers through it, report; always clean up."""
    database = f"karya_race_{os.getpid()}_{name}"
    scratch = Path(tempfile.mkdtemp(prefix="kb-race-"))
    log = scratch / "server.log"
    env = shop_env(database, scratch)
    double = StripeDouble().start() if with_stripe else None
    server: subprocess.Popen | None = None
    sweepers: list[Sweeper] = []
    admin(f'CREATE DATABASE "{database}"')
    try:
        flask(env, "db", "upgrade")
        flask(env, "shipping-defaults")
        run([str(BIN / "python"), "-c", SEED % PIECES], env, "seeding the product")
        webhooks = None
        if double is not None:
            env.pop("DEMO_PAYMENTS")  # the shop refuses both at once
            env |= {"STRIPE_SECRET_KEY": "sk_test_race", "STRIPE_API_BASE": double.url,
                    "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_urlsafe(24)}  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env["SITE_URL"] = base  # links in mails and Stripe's return pages lead back here
        with log.open("w") as errors:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "--no-control-socket", "-w", "2", "-k", "gthread",
                 "--threads", "4", "-b", f"127.0.0.1:{port}", "--timeout", "30",
                 "--log-level", "warning", "app:app"],
                env=env, cwd=ROOT, stdout=errors, stderr=errors,
            )  # fmt: skip
        try:
            wait_for(base + "/healthz", server)
        except RuntimeError as error:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-12:])
            raise RuntimeError(f"{error}:\n{tail}") from None
        traffic = Traffic()
        if double is not None:
            webhooks = Webhooks(base, env["STRIPE_WEBHOOK_SECRET"], double, traffic)
            prepare_pay, cancel_url = webhooks.prepare_pay, webhooks.cancel_url
        else:
            prepare_pay, cancel_url = demo_payments(base)
        looping, on_demand = Sweeper(env, log), Sweeper(env, log)
        sweepers = [looping, on_demand]
        race = Race(base, database, traffic, prepare_pay, cancel_url, on_demand.sweep)
        for sweeper in sweepers:
            sweeper.sweep()  # wait for the app to load, so sweeps start at once in the race
        looping.keep_sweeping()
        started = time.monotonic()
        unfinished = run_buyers(race)
        elapsed = time.monotonic() - started
        retried = webhooks.retry_failed() if webhooks is not None else 0
        for sweeper in sweepers:
            sweeper.close()
        try:  # the command as cron runs it, once more after the rush
            last_sweep = flask(env, "expire-orders").splitlines()[0]
        except RuntimeError as error:
            last_sweep = str(error)
        books = read_books(database)
        extra: dict[str, object] = {
            "buyers' time": f"{elapsed:.1f} s",
            "expiry sweeps": dict(looping.results + on_demand.results),
            "last `flask expire-orders`": last_sweep,
        }
        if webhooks is not None:
            extra["payments redelivered after 5xx"] = retried
            extra["webhook outcomes"] = dict(
                Counter(" + ".join(sorted(v)) for v in webhooks.outcomes.values())
            )
        checks = judge(books, traffic, unfinished, webhooks)
        sweeps = looping.results + on_demand.results
        broken = sum(n for what, n in sweeps.items() if not what.startswith("Orders expired"))
        checks.append((f"{broken} expiry sweeps failed", broken == 0 and
                       last_sweep.startswith("Orders expired"), []))  # fmt: skip
        return report(name, books, traffic, race, extra, checks, log)
    finally:
        for sweeper in sweepers:
            sweeper.close()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if double is not None:
            double.stop()
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        subprocess.run(["rm", "-rf", str(scratch)], check=False)


def main() -> int:
    started = time.monotonic()
    phases = [("demo", False)]
    if os.environ.get("RACE_STRIPE", "1") != "0":
        phases.append(("stripe", True))
    results = []
    for name, with_stripe in phases:
        try:
            results.append(run_phase(name, with_stripe))
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"\n== {name}: could not set up the shop ==\n{error}")
            results.append(False)
    verdict = "all checks passed" if all(results) else "SOME CHECKS FAILED"
    print(f"\n{verdict} ({time.monotonic() - started:.0f} s)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
