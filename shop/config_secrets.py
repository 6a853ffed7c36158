"""The secrets production refuses to run without, or with weak ones: the key that signs
sessions and links (and its fallbacks while rotating), and Stripe's keys."""

from __future__ import annotations

import os

from shop.config_values import HOW_TO_MAKE_ONE, UnsafeConfiguration, list_of

MIN_SECRET_BYTES = 32
# Words that give away a secret typed by a person or copied from an example.
PLACEHOLDER_WORDS = (
    "changeme", "change-me", "change_me", "secret", "password", "example", "placeholder",
    "default", "dev-only", "insecure", "replace",
)  # fmt: skip
DEVELOPMENT_SECRET = "dev-only-not-secret"  # noqa: S105 - development default, refused in production
STRIPE_PREFIXES = {"STRIPE_SECRET_KEY": ("sk_", "rk_"), "STRIPE_WEBHOOK_SECRET": ("whsec_",)}


def secret_key_weakness(secret: str) -> str | None:
    """Say why a SECRET_KEY is unfit for production, or None when it looks random enough."""
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"it is shorter than {MIN_SECRET_BYTES} bytes"
    lowered = secret.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return "it looks like a placeholder, not a random value"
    if len(set(secret)) < 10:
        return "it repeats too few different characters to be random"
    return None


def secret_key(debug: bool) -> str:
    secret = os.environ.get("SECRET_KEY", "")
    if debug:
        return secret or DEVELOPMENT_SECRET
    if not secret:
        raise UnsafeConfiguration(f"SECRET_KEY must be set outside debug mode. {HOW_TO_MAKE_ONE}")
    weakness = secret_key_weakness(secret)
    if weakness:
        raise UnsafeConfiguration(f"SECRET_KEY is too weak: {weakness}. {HOW_TO_MAKE_ONE}")
    return secret


def secret_fallbacks(debug: bool) -> list[str]:
    """Old keys still accepted while rotating; outside debug each must be as strong as a key,
    since anything signed with a weak one (a session, a reset link) could be forged."""
    fallbacks = list_of("SECRET_KEY_FALLBACKS")
    for position, old in enumerate(fallbacks, start=1):
        weakness = None if debug else secret_key_weakness(old)
        if weakness:
            raise UnsafeConfiguration(
                f"SECRET_KEY_FALLBACKS entry {position} is too weak: {weakness}; drop it "
                "(sessions signed with it will ask to sign in again)."
            )
    return fallbacks


def check_payments(stripe: dict[str, str], demo: bool) -> None:
    """Refuse to take orders in production without a way to be paid, unless a demo on purpose."""
    if demo:
        if stripe["STRIPE_SECRET_KEY"]:
            raise UnsafeConfiguration(
                "DEMO_PAYMENTS=1 and STRIPE_SECRET_KEY are both set: unset one of them "
                "(demo payments take no money; Stripe takes real payments)."
            )
        return
    missing = [name for name, value in stripe.items() if not value]
    if missing:
        raise UnsafeConfiguration(
            f"{' and '.join(missing)} must be set outside debug mode to take payments "
            "with Stripe, or set DEMO_PAYMENTS=1 to run a demo shop that takes no money."
        )
    for name, prefixes in STRIPE_PREFIXES.items():
        if not stripe[name].startswith(prefixes):
            raise UnsafeConfiguration(
                f"{name} does not look like a Stripe key: it should start with "
                f"{' or '.join(prefixes)}."
            )
