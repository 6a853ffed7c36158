"""Settings printed on documents: the shop's legal details and the bank account for transfers.

Each has a demo default marked "(demo)", so `make run` prints complete documents; a shop
taking real money sets them all (README, Configuration).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

DOCUMENT_DEFAULTS: dict[str, str] = {
    "SHOP_LEGAL_NAME": "PT Karya Binaan Nusantara (demo)",
    "SHOP_LEGAL_ADDRESS": "Jl. Veteran No. 11\nJakarta Pusat 10110\nIndonesia",
    "SHOP_TAX_ID": "NPWP 00.000.000.0-000.000 (demo)",
    "SHOP_DOCUMENTS_EMAIL": "orders@karyabinaan.example",
    "BANK_NAME": "Bank Mandiri (demo)",
    "BANK_ACCOUNT_NUMBER": "123-00-0000000-0",
    "BANK_SWIFT_BIC": "BMRIIDJA",
    "BANK_BENEFICIARY_NAME": "PT Karya Binaan Nusantara (demo)",
    "BANK_BENEFICIARY_ADDRESS": "Jl. Veteran No. 11, Jakarta Pusat 10110, Indonesia",
}


def document_settings(*, required: bool = False) -> dict[str, str]:
    """The document settings from the environment, each falling back to its demo default.

    With `required` (a shop taking real payments) none may be missing or still a demo value:
    they are the issuer on every invoice and where buyers send their money.
    """
    settings = {
        name: (os.environ.get(name) or default).replace("\\n", "\n").strip()
        for name, default in DOCUMENT_DEFAULTS.items()
    }
    if required:
        from shop.config_values import UnsafeConfiguration

        missing = [name for name in DOCUMENT_DEFAULTS if not os.environ.get(name, "").strip()]
        if missing:
            raise UnsafeConfiguration(
                f"{', '.join(missing)} must be set outside debug mode to take real payments: "
                "they are printed on invoices and pro-formas, and buyers send bank transfers "
                "to them (or set DEMO_PAYMENTS=1 for a demo shop)."
            )
        demo = [name for name, value in settings.items() if "(demo)" in value]
        if demo:
            raise UnsafeConfiguration(
                f'{", ".join(demo)} still say "(demo)": set the shop\'s real details.'
            )
    return settings


@dataclass(frozen=True)
class ShopDetails:
    """Who issues the documents and where transfers go."""

    legal_name: str
    legal_address: str
    tax_id: str
    email: str
    bank_name: str
    account_number: str
    swift_bic: str
    beneficiary_name: str
    beneficiary_address: str


def shop_details(config: Any) -> ShopDetails:
    """The details from an app's config."""
    value = {name: config.get(name, default) for name, default in DOCUMENT_DEFAULTS.items()}
    return ShopDetails(
        legal_name=value["SHOP_LEGAL_NAME"],
        legal_address=value["SHOP_LEGAL_ADDRESS"],
        tax_id=value["SHOP_TAX_ID"],
        email=value["SHOP_DOCUMENTS_EMAIL"],
        bank_name=value["BANK_NAME"],
        account_number=value["BANK_ACCOUNT_NUMBER"],
        swift_bic=value["BANK_SWIFT_BIC"],
        beneficiary_name=value["BANK_BENEFICIARY_NAME"],
        beneficiary_address=value["BANK_BENEFICIARY_ADDRESS"],
    )
