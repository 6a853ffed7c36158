"""Nonsense in the query string is clamped or ignored and echoed safely; a refused quote request
keeps no files, and `purge-files` deletes those of requests long closed."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from shop.extensions import db
from shop.models import QuoteRequest, QuoteStatus
from shop.services.ordering.shipping import install_default_zones
from shop.services.quotes import requests as quote_requests
from shop.services.quotes.files import Upload
from tests.factories import TODAY, csrf_from, make_category, make_product, make_workshop, png_bytes


@pytest.fixture
def bowls(app):
    category, workshop = make_category(), make_workshop()
    for i in range(3):
        make_product(f"Bowl {i}", category=category, workshop=workshop, prices=(100_000 * (i + 1),))
    db.session.commit()


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "max_price=-5",
        "min_price=99999999999999999999999",
        "page=-1",
        "page=0",
        "page=999999",
        "page=abc",
        "sort=drop",
        "sort=price_asc;DROP TABLE product",
        "available=maybe",
        "category=../../etc",
        "q=" + "x" * 5000,
        "q=%27%20OR%201%3D1%20--",
        "q=%00%01%02",
        "min_price=500000&max_price=100000",
    ],
)
def test_listing_never_fails_on_nonsense(client, bowls, query) -> None:
    response = client.get(f"/products?{query}")
    assert response.status_code == 200


def test_page_beyond_the_end_shows_the_last_page(client, bowls, app) -> None:
    app.config["PRODUCTS_PER_PAGE"] = 2
    page = client.get("/products?page=999999").get_data(as_text=True)
    assert "Page 2 of 2" in page


def test_html_in_the_search_box_is_escaped(client, bowls) -> None:
    page = client.get("/products?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_sql_in_the_search_box_is_just_text(client, bowls) -> None:
    page = client.get("/products?q=' OR 1=1 --").get_data(as_text=True)
    assert "0 results for" in page


def test_a_long_query_is_cut_to_a_sensible_length(client, bowls) -> None:
    page = client.get("/products?q=" + "bowl" * 1250).get_data(as_text=True)
    assert "bowl" * 25 in page
    assert "bowl" * 26 not in page


def test_swapped_price_bounds_are_put_in_order(client, bowls) -> None:
    page = client.get("/products?min_price=250000&max_price=150000").get_data(as_text=True)
    assert "Bowl 1" in page and "Bowl 0" not in page and "Bowl 2" not in page


def test_unknown_sort_falls_back_to_newest(client, bowls) -> None:
    page = client.get("/products?sort=drop").get_data(as_text=True)
    assert '<option value="newest" selected>' in page


def test_workshop_page_with_bad_page_number_still_works(client, app) -> None:
    make_workshop("woodcraft")
    db.session.commit()
    for query in ("page=-3", "page=abc", "page=99999999999"):
        assert client.get(f"/workshops/woodcraft?{query}").status_code == 200


# --- Quote requests keep their files only when saved; closed ones lose them later ---------


def _private_files(app) -> set[str]:
    root = Path(app.extensions["private_media"].root)
    return {p.name for p in root.iterdir() if p.is_file()} if root.exists() else set()


def _quote_form(client, files, **overrides):
    from tests.test_quotes import form_data

    token = csrf_from(client.get("/quote").get_data(as_text=True))
    data = form_data(**overrides) | {"csrf_token": token}
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/quote", data=data, content_type="multipart/form-data")


@pytest.fixture
def zones(app):
    install_default_zones()
    db.session.commit()


def test_a_request_refused_for_one_bad_file_keeps_none_of_its_files(app, client, zones) -> None:
    files = [("livery.png", png_bytes()), ("plan.pdf", _pdf()), ("broken.pdf", b"%PDF-1.4 junk")]
    response = _quote_form(client, files)
    assert response.status_code == 422
    assert "is damaged or incomplete" in response.get_data(as_text=True)
    assert _private_files(app) == set()
    assert db.session.scalar(select(func.count()).select_from(QuoteRequest)) == 0


def test_a_request_refused_for_a_bad_field_keeps_no_files(app, client, zones) -> None:
    past = (TODAY - timedelta(days=1)).isoformat()
    response = _quote_form(client, [("livery.png", png_bytes())], wanted_by=past)
    assert response.status_code == 422
    assert _private_files(app) == set()


def test_a_request_that_fails_to_save_deletes_the_files_it_stored(app, zones, monkeypatch) -> None:
    storage = app.extensions["private_media"]
    pdf = _pdf()
    kept = quote_requests.create_request(_details(), [Upload("a.pdf", pdf)], storage, locale="en")
    before = _private_files(app)

    def broken_flush(*args, **kwargs):
        raise RuntimeError("the database went away")

    uploads = [Upload("a.pdf", pdf), Upload("livery.png", png_bytes())]
    with monkeypatch.context() as patched, pytest.raises(RuntimeError):
        patched.setattr(db.session, "flush", broken_flush)
        quote_requests.create_request(_details(), uploads, storage, locale="en")
    # The PDF also belongs to the request saved before: it stays; the picture is gone.
    assert _private_files(app) == before
    assert storage.path(kept.files[0].storage_name) is not None


def _details(**overrides) -> quote_requests.RequestDetails:
    values = {
        "organisation": "Example Air", "contact_name": "Sari", "email": "sari@air.example",
        "phone": "", "country": "JP", "aircraft_type": "Boeing 737-800", "livery": "Blue",
        "scale": "1:100", "quantity": 10, "wanted_by": TODAY + timedelta(days=60),
    }  # fmt: skip
    return quote_requests.RequestDetails(**(values | overrides))


def _pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _closed_quote(app, status, days_ago, uploads):
    quote = quote_requests.create_request(
        _details(), uploads, app.extensions["private_media"], locale="en"
    )
    when = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.execute(
        update(QuoteRequest)
        .where(QuoteRequest.id == quote.id)
        .values(status=status, updated_at=when)
    )
    db.session.commit()
    return quote


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_purge_files_deletes_only_the_files_of_long_closed_requests(app, runner, zones) -> None:
    shared = png_bytes(color=(1, 2, 3))
    old_declined = _closed_quote(
        app, QuoteStatus.DECLINED, 200, [Upload("livery.png", png_bytes()), Upload("a.pdf", _pdf())]
    )
    old_expired = _closed_quote(app, QuoteStatus.EXPIRED, 181, [Upload("shared.png", shared)])
    recent = _closed_quote(app, QuoteStatus.DECLINED, 10, [Upload("b.pdf", _pdf(2))])
    old_open = _closed_quote(app, QuoteStatus.ANSWERED, 400, [Upload("c.pdf", _pdf(3))])
    reuse = _closed_quote(app, QuoteStatus.NEW, 0, [Upload("shared.png", shared)])
    storage = app.extensions["private_media"]
    gone = [f.storage_name for f in old_declined.files]
    kept = [f.storage_name for q in (recent, old_open, reuse) for f in q.files]
    numbers = (old_declined.number, old_expired.number)
    before = _counts()

    result = runner.invoke(args=["purge-files"])

    assert result.exit_code == 0, result.output
    assert f"{numbers[0]}: livery.webp" in result.output and f"{numbers[0]}: a.pdf" in result.output
    assert f"{numbers[1]}: shared.webp (kept on disk: another request" in result.output
    assert "3 files of closed quote requests older than 180 days removed." in result.output
    assert all(storage.path(name) is None for name in gone)
    assert all(storage.path(name) is not None for name in kept)  # the shared picture too
    after = _counts()
    assert after.pop("quote_file") == before.pop("quote_file") - 3
    assert after == before  # the requests, messages and history stay
    again = runner.invoke(args=["purge-files"])
    assert "0 files of closed quote requests older than 180 days removed." in again.output


def test_purge_files_takes_the_retention_in_days(app, runner, zones) -> None:
    quote = _closed_quote(app, QuoteStatus.DECLINED, 40, [Upload("a.pdf", _pdf())])
    assert "0 files" in runner.invoke(args=["purge-files", "--days", "60"]).output
    result = runner.invoke(args=["purge-files", "--days", "30"])
    assert f"{quote.number}: a.pdf" in result.output and "1 file of" in result.output
    refused = runner.invoke(args=["purge-files", "--days", "0"])
    assert refused.exit_code == 2 and "--days" in refused.output
