"""Reading settings from the environment: each refused with a message naming it."""

from __future__ import annotations

import os


class UnsafeConfiguration(RuntimeError):
    """A setting that would make the shop unsafe, or unable, to run; the message names it."""


HOW_TO_MAKE_ONE = 'Make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
ONE_YEAR = 365 * 24 * 3600


def flag(name: str, default: bool = False) -> bool:
    """Read an on/off setting: 1 or 0 (unset is `default`); anything else is refused."""
    value = os.environ.get(name, "").strip()
    if value not in {"", "0", "1"}:
        raise UnsafeConfiguration(f"{name} must be 1 or 0, not {value!r}.")
    return default if not value else value == "1"


def list_of(name: str) -> list[str]:
    """Read a comma-separated setting; empty items are dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def whole(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    """Read a whole-number setting, naming it when its value is not one."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UnsafeConfiguration(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise UnsafeConfiguration(f"{name} must be at least {minimum}{upper}, not {value}.")
    return value
