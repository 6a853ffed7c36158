"""The password policy for buyers and staff (NIST SP 800-63B), and hashing passwords.

Length is the rule: 10 to 256 characters of any kind (pass-phrases welcome), no composition
rules. Refused are the passwords attackers try first: the 30,000 most common ones found in
breaches (the list zxcvbn ships), ones zxcvbn finds trivially guessable (repeats, sequences,
keyboard rows, a single dictionary word with a digit), and ones built from the email address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MAX_LENGTH = 256
# Werkzeug's scrypt with its 3.1 work factors; a stored hash made otherwise is redone at the
# next successful sign-in (see needs_rehash).
HASH_METHOD = "scrypt:32768:8:1"
# zxcvbn scores 0-4; 0 and 1 mean fewer than about a million guesses.
MIN_SCORE = 2
ESTIMATE_CHARS = 72  # zxcvbn refuses longer input; the start of a pass-phrase is enough
MIN_CONTEXT_LENGTH = 4  # a shorter local part ("al@…") would refuse half the dictionary

TOO_SHORT = "too_short"
TOO_LONG = "too_long"
COMMON = "common"
GUESSABLE = "guessable"
PERSONAL = "personal"
REASONS = (TOO_SHORT, TOO_LONG, COMMON, GUESSABLE, PERSONAL)


class PasswordRejected(ValueError):
    """The policy refuses a password; `reason` (one of REASONS) says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _context_words(email: str) -> list[str]:
    address = email.strip().lower()
    local = address.partition("@")[0]
    return [word for word in {address, local} if word]


def checked_password(password: str, email: str = "") -> str:
    """Return the password if the policy accepts it for the account `email`; else raise."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(TOO_LONG)
    folded = password.casefold()
    squeezed = "".join(folded.split())
    if folded in _common_passwords() or squeezed in _common_passwords():
        raise PasswordRejected(COMMON)
    for word in _context_words(email):
        if folded == word or (len(word) >= MIN_CONTEXT_LENGTH and word in squeezed):
            raise PasswordRejected(PERSONAL)
    estimate = zxcvbn(password[:ESTIMATE_CHARS], user_inputs=_context_words(email))
    if estimate["score"] < MIN_SCORE:
        raise PasswordRejected(GUESSABLE)
    return password


def hash_password(password: str) -> str:
    """Return a salted hash of the password, made with the current method and work factors."""
    return generate_password_hash(password, method=HASH_METHOD)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether the password matches the stored hash (in constant time)."""
    return check_password_hash(password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a stored hash was made with another method or other work factors."""
    return password_hash.partition("$")[0] != HASH_METHOD


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=HASH_METHOD)


def spend_a_check(password: str) -> None:
    """Check the password against a throw-away hash, so a missing account takes as long."""
    check_password_hash(_dummy_hash(), password)


def fingerprint(password_hash: str, secret_key: str) -> str:
    """A short keyed digest of a stored hash: changes whenever the password does."""
    digest = hmac.new(secret_key.encode(), password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
