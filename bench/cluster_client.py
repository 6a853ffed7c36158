"""Visitors of the cluster over plain HTTP: a cookie jar each, CSRF tokens read from pages.

Every request is recorded (when it started and ended, its status or the error it got), so a
test can tell a request that failed because it was in flight on a server killed under it from
one that failed afterwards. Used by tests/cluster/ and bench/cluster_load.py.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT = 20


@dataclass
class Exchange:
    """One request and how it ended."""

    who: str
    method: str
    url: str
    started: float
    ended: float = 0.0
    status: int | None = None  # None: no answer at all
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500

    def in_flight_at(self, moment: float, until: float | None = None) -> bool:
        """Whether it was under way at `moment` (or at any time from then `until`)."""
        return self.started <= (moment if until is None else until) and moment <= self.ended

    def __str__(self) -> str:
        path = urlsplit(self.url).path
        return f"{self.who} {self.method} {path} -> {self.status or self.error}"


@dataclass
class Traffic:
    """Every exchange of every visitor, shared between threads."""

    exchanges: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, exchange: Exchange) -> None:
        with self.lock:
            self.exchanges.append(exchange)

    def failures(self) -> list[Exchange]:
        with self.lock:
            return [e for e in self.exchanges if e.failed]

    def in_flight_at(self, moment: float, until: float | None = None) -> list[Exchange]:
        with self.lock:
            return [e for e in self.exchanges if e.in_flight_at(moment, until)]


class Visitor:
    """A browser without JavaScript: follows redirects by hand, keeps the last CSRF token."""

    def __init__(self, base: str, traffic: Traffic, who: str = "visitor",
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
        self.base = base
        self.traffic = traffic
        self.who = who
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only: no proxy from the environment
        self.http.headers.update({"User-Agent": "kb-cluster/1", **(headers or {})})
        self.csrf = ""

    def request(self, method: str, path: str, base: str | None = None,
                **kwargs: object) -> requests.Response:  # fmt: skip
        """One request, recorded; raises requests.RequestException when there is no answer."""
        url = path if path.startswith("http") else (base or self.base) + path
        exchange = Exchange(self.who, method, url, time.monotonic())
        try:
            response = self.http.request(
                method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as error:
            exchange.ended, exchange.error = time.monotonic(), type(error).__name__
            self.traffic.add(exchange)
            raise
        exchange.ended, exchange.status = time.monotonic(), response.status_code
        self.traffic.add(exchange)
        if match := CSRF.search(response.text):
            self.csrf = match.group(1)
        return response

    def get(self, path: str, base: str | None = None) -> requests.Response:
        """GET and follow redirects within the shop."""
        return self._follow(self.request("GET", path, base))

    def post(self, path: str, data: dict[str, str] | None = None, base: str | None = None,
             files: dict | None = None, follow: bool = True) -> requests.Response:  # fmt: skip
        """POST a form with the current CSRF token; follow the redirect like a browser."""
        fields = {"csrf_token": self.csrf, **(data or {})}
        response = self.request("POST", path, base, data=fields, files=files)
        return self._follow(response) if follow else response

    def _follow(self, response: requests.Response) -> requests.Response:
        for _ in range(5):
            location = response.headers.get("Location")
            if not (300 <= response.status_code < 400 and location):
                break
            response = self.request("GET", urljoin(response.url, location))
        return response
