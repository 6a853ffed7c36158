"""Columns sealed at rest: encrypted with a key derived from SECRET_KEY, readable only by the app.

A copy of the database (a backup, a leaked dump) holds only ciphertext. The key is derived
from SECRET_KEY with HKDF; values sealed under a key listed in SECRET_KEY_FALLBACKS (Flask's
setting for rotating keys) still open, and are sealed under the current key when next written.
A value that opens under no key reads as UNREADABLE, which matches nothing: the app fails
closed (a staff member then signs in with a recovery code) instead of treating it as empty.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

UNREADABLE = "!unreadable"
log = logging.getLogger(__name__)


def _fernet_for(secret: str | bytes) -> Fernet:
    material = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"karya-binaan/sealed", info=b"column"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    config = current_app.config
    secrets = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    return MultiFernet([_fernet_for(s) for s in secrets if s])


def seal(value: str) -> str:
    """Encrypt `value` under the current key."""
    return _keys().encrypt(value.encode()).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt a sealed value, or UNREADABLE when no known key opens it."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        log.error("A sealed value could not be opened with SECRET_KEY or its fallbacks")
        return UNREADABLE


class SealedString(TypeDecorator[str]):
    """A string column stored encrypted; Python code sees the plain value."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if value == UNREADABLE:
            raise ValueError("an unreadable sealed value cannot be written back")
        return seal(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else unseal(value)
