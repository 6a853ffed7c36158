"""PDF documents: the buyer's invoice and staff's packing slips and commercial invoices.

The PDFs are read back with pypdf: what a buyer or a customs officer would read in them.
"""

from __future__ import annotations

import io
import re
import time

import pypdf
import pytest

from shop.extensions import db
from shop.models import ExchangeRate, Order, OrderStatus, ProductTranslation, Variant
from shop.services.money import format_idr
from shop.services.ordering import status as order_status
from tests.factories import shop_with_stock
from tests.order_factories import make_order

NAMES = {"ja": "チーク材のボウル", "ko": "티크 나무 그릇"}


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    """Text without spaces or line breaks (a PDF's text keeps neither where a reader sees)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def variant(app) -> Variant:
    product = shop_with_stock(stock=10)
    variant = product.variants[0]
    product.hs_code, product.origin_country, product.materials = "442190", "ID", "Teak wood"
    variant.net_weight_g = 420
    for locale, name in NAMES.items():
        product.translations.append(ProductTranslation(locale=locale, name=name))
    db.session.add(ExchangeRate(currency="JPY", idr_per_unit_e4=1_050_000, updated_by="t"))
    db.session.commit()
    return variant


def paid_order(variant: Variant, locale: str, email: str = "aiko@example.jp") -> Order:
    """An order placed in `locale` and paid through the status door (which numbers it)."""
    order = make_order(variant, status=OrderStatus.PENDING_PAYMENT, email=email)
    order.locale = locale
    db.session.commit()
    locked = order_status.lock(order.id)
    order_status.pay(locked, actor="system", note="paid")
    db.session.commit()
    return locked


@pytest.mark.parametrize("locale", ["ja", "ko"])
def test_the_buyer_downloads_the_invoice_in_their_language(client, variant, locale) -> None:
    order = paid_order(variant, locale)
    page = client.get(f"/orders/{order.token}")
    assert f"/orders/{order.token}/invoice.pdf" in page.get_data(as_text=True)

    response = client.get(f"/orders/{order.token}/invoice.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert f'filename="{order.invoice_number}.pdf"' in response.headers["Content-Disposition"]
    text = squash(pdf_text(response.data))
    assert order.invoice_number in text and order.number in text
    assert squash(NAMES[locale]) in text
    assert squash(format_idr(order.total_idr, locale)) in text
    assert squash(format_idr(order.subtotal_idr, locale)) in text
    assert "(demo)" in text  # the shop's legal details (demo defaults)
    if locale == "ja":  # a rate is set for yen: the approximate total is beside the rupiah
        assert "≈" in text and ("￥" in text or "¥" in text)


def test_another_buyers_or_an_unpaid_invoice_is_not_found(client, variant) -> None:
    mine = paid_order(variant, "en")
    unpaid = make_order(variant, status=OrderStatus.PENDING_PAYMENT, email="bo@example.kr")
    assert client.get(f"/orders/{mine.token}x/invoice.pdf").status_code == 404
    assert client.get(f"/orders/{unpaid.token}/invoice.pdf").status_code == 404
    assert "invoice.pdf" not in client.get(f"/orders/{unpaid.token}").get_data(as_text=True)
    assert client.get(f"/admin/orders/{mine.id}/invoice.pdf").status_code in (302, 401, 403)


def test_staff_print_commercial_invoices_and_packing_slips_for_many_orders(
    client, auth, staff_user, variant
) -> None:
    auth.login(staff_user.email)
    first, second = paid_order(variant, "ja"), paid_order(variant, "ko", "bo@example.kr")
    unpaid = make_order(variant, status=OrderStatus.PENDING_PAYMENT)
    ids = [first.id, second.id, unpaid.id]
    started = time.perf_counter()
    response = client.get(
        "/admin/orders/documents/commercial-invoices.pdf", query_string={"order_id": ids}
    )
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.data[:200]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # a page per paid order; the unpaid one is left out
    text = squash(pdf_text(response.data))
    assert "4421.90" in text and "840g" in text  # HS code, net weight of 2 × 420 g
    assert first.invoice_number in text and second.invoice_number in text
    assert unpaid.number not in text
    assert squash(format_idr(first.total_idr, "en")) in text
    assert "≈" in text  # the Japanese buyer's total in yen beside the rupiah
    assert seconds < 10, f"two commercial invoices took {seconds:.1f} s"

    slips = client.get(
        "/admin/orders/documents/packing-slips.pdf", query_string={"order_id": [first.id]}
    )
    slip = squash(pdf_text(slips.data))
    assert first.number in slip and variant.sku in slip
    assert format_idr(first.total_idr, "en") not in slip  # no prices in the parcel

    invoice = client.get(f"/admin/orders/{first.id}/invoice.pdf")
    assert squash(NAMES["ja"]) in squash(pdf_text(invoice.data))
    assert client.get("/admin/orders/documents/other.pdf?order_id=1").status_code == 404
    # Nothing chosen: every order paid and waiting to be packed (both here; the unpaid one not).
    waiting = client.get("/admin/orders/documents/packing-slips.pdf")
    assert len(pypdf.PdfReader(io.BytesIO(waiting.data)).pages) == 2
    nothing = client.get(
        "/admin/orders/documents/packing-slips.pdf", query_string={"order_id": [unpaid.id]}
    )
    assert nothing.status_code == 303
