"""Failed staff sign-ins counted per account, with growing pauses, in the rate limiter's storage.

The per-address limit stops one machine guessing fast; this stops many machines guessing one
account's password or second factor. Counts live in a `limits` storage (memory in one process,
Redis shared by every worker), keyed by a digest of the address typed, whether or not an account
uses it: a pause looks the same for every address and reveals nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from limits.storage import MemoryStorage, Storage, storage_from_string

FAILURES_BEFORE_PAUSE = 5
FAILURE_WINDOW_SECONDS = 15 * 60
FIRST_PAUSE_SECONDS = 60
LONGEST_PAUSE_SECONDS = 60 * 60
# After a first pause, every further failure within a day pauses again, twice as long.
STRIKES_REMEMBERED_SECONDS = 24 * 60 * 60

log = logging.getLogger(__name__)
T = TypeVar("T")


def account_key(email: str) -> str:
    """A short digest of the normalised address: keys never hold an address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def pause_for(strikes: int) -> int:
    """Seconds an account is paused at its n-th pause: 1 minute, doubling, at most an hour."""
    return min(FIRST_PAUSE_SECONDS * 2 ** min(max(strikes - 1, 0), 12), LONGEST_PAUSE_SECONDS)


@dataclass
class SignInThrottle:
    """Counts failed sign-ins per account and pauses accounts that fail too often."""

    storage: Storage
    prefix: str = "kb"
    enabled: bool = True
    fallback: Storage | None = None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SignInThrottle:
        """The throttle over the storage the app's rate limiter is configured with."""
        uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
        options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        fallback = config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED")
        return cls(
            storage=storage_from_string(uri, wrap_exceptions=True, **options),
            prefix=str(config.get("RATELIMIT_KEY_PREFIX") or "kb"),
            enabled=bool(config.get("RATELIMIT_ENABLED", True)),
            fallback=MemoryStorage() if fallback else None,
        )

    def _key(self, kind: str, email: str) -> str:
        return f"{self.prefix}/staff-sign-in/{kind}/{account_key(email)}"

    def _use(self, action: Callable[[Storage], T]) -> T:
        """Run a storage action; if the shared storage is down, count in this process instead."""
        try:
            return action(self.storage)
        except Exception:
            if self.fallback is None:
                raise
            log.warning("Sign-in throttle storage unreachable; counting in this process")
            return action(self.fallback)

    def paused_for(self, email: str) -> int:
        """Seconds until this account may try again (0 when it may now)."""
        if not self.enabled:
            return 0
        key = self._key("pause", email)

        def remaining(storage: Storage) -> int:
            if not storage.get(key):
                return 0
            return max(math.ceil(storage.get_expiry(key) - time.time()), 1)

        return self._use(remaining)

    def failed(self, email: str) -> int:
        """Count a failed password or code; return the pause it starts (0 for none)."""
        if not self.enabled:
            return 0
        failures_key, strikes_key = self._key("failures", email), self._key("strikes", email)

        def count(storage: Storage) -> int:
            failures = storage.incr(failures_key, FAILURE_WINDOW_SECONDS)
            if failures < FAILURES_BEFORE_PAUSE and not storage.get(strikes_key):
                return 0
            seconds = pause_for(storage.incr(strikes_key, STRIKES_REMEMBERED_SECONDS))
            # A pause already running is not lengthened by a request that raced it.
            storage.incr(self._key("pause", email), seconds)
            return seconds

        return self._use(count)

    def succeeded(self, email: str) -> None:
        """Forget the account's failures after a complete sign-in."""
        for kind in ("failures", "strikes", "pause"):
            key = self._key(kind, email)
            self._use(lambda storage, key=key: storage.clear(key))

    def allow(self, name: str, times: int, seconds: int) -> bool:
        """Count one use of `name`; False once it was used `times` times within `seconds`."""
        key = f"{self.prefix}/staff-uses/{name}"
        return self._use(lambda storage: storage.incr(key, seconds)) <= times

    def claim_once(self, name: str, seconds: int) -> bool:
        """Mark `name` used for `seconds`; False if it was already (a replayed one-time code)."""
        return self.allow(f"once/{name}", 1, seconds)
