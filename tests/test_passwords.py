"""The password policy shared by buyers and staff, and how passwords are hashed."""

from __future__ import annotations

import pytest

from shop.services.accounts import passwords
from shop.services.accounts import staff as users
from tests.conftest import PASSWORD


def reason(password: str, email: str = "") -> str | None:
    """Why the policy refuses the password, or None when it accepts it."""
    try:
        passwords.checked_password(password, email)
    except passwords.PasswordRejected as error:
        return error.reason
    return None


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "kopi susu gula aren",
        "日本語のパスワードです",  # any script, no composition rules
        "비밀번호는 안전해요 정말",
        "Tr0ub4dour&3x",
        "w" + "ayang kulit semalam suntuk " * 9,  # a long pass-phrase (244 characters)
    ],
)
def test_long_and_uncommon_passwords_of_any_kind_are_accepted(password) -> None:
    assert reason(password, "aiko@example.jp") is None


def test_length_is_from_10_to_256_characters() -> None:
    assert reason("kx9#mq2!z") == passwords.TOO_SHORT  # 9
    assert reason("kx9#mq2!zr") is None  # 10
    phrase = ("batik kites over bromo " * 12)[:256]
    assert reason(phrase) is None
    assert reason(phrase + "x") == passwords.TOO_LONG


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "qwertyuiop",
        "Password123",
        "PASSWORD123",
        "iloveyou123",
        "1q2w3e4r5t",
        "manchester",
    ],
)
def test_common_breached_passwords_are_refused(password) -> None:
    assert reason(password) == passwords.COMMON


@pytest.mark.parametrize(
    "password",
    ["passwordpassword", "aaaaaaaaaaaa", "abcdefghijkl", "hunter2hunter2", "p@ssw0rd1234"],
)
def test_trivially_guessable_passwords_are_refused(password) -> None:
    assert reason(password) == passwords.GUESSABLE


def test_the_email_address_and_its_name_are_refused() -> None:
    email = "Sari.Wulandari@example.co.id"
    assert reason("sari.wulandari@example.co.id", email) == passwords.PERSONAL
    assert reason("Sari.Wulandari", email) == passwords.PERSONAL
    assert reason("my name is sari.wulandari!", email) == passwords.PERSONAL
    # A short local part is refused whole but may appear inside a pass-phrase.
    assert reason("al@example.com and more", "al@example.com") == passwords.PERSONAL
    assert reason("mango and alpukat juice", "al@example.com") is None


def test_hashes_use_the_current_method_and_are_redone_when_outdated() -> None:
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith(passwords.HASH_METHOD + "$")
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "!")
    assert not passwords.needs_rehash(stored)
    assert passwords.needs_rehash("pbkdf2:sha256:600000$salt$hash")
    assert passwords.needs_rehash("scrypt:16384:8:1$salt$hash")


def test_the_fingerprint_changes_with_the_hash_and_the_key() -> None:
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    print_ = passwords.fingerprint
    assert print_(first, "key") == print_(first, "key")
    assert print_(first, "key") != print_(second, "key")  # a new salt: a new fingerprint
    assert print_(first, "key") != print_(first, "other key")


def test_staff_accounts_follow_the_same_policy(app) -> None:
    with pytest.raises(users.WeakPassword) as refused:
        users.create_user("staff@example.com", "qwertyuiop")
    assert refused.value.reason == passwords.COMMON
    with pytest.raises(users.WeakPassword) as refused:
        users.create_user("wulandari@example.com", "wulandari in the office")
    assert refused.value.reason == passwords.PERSONAL
    with pytest.raises(users.WeakPassword) as refused:
        users.checked_password("short")
    assert refused.value.reason == passwords.TOO_SHORT
    assert users.create_user("staff@example.com", PASSWORD).is_active
