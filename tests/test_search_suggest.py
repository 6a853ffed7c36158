"""Suggestions as the buyer types: the same index as the search page, in the buyer's language,
cached, rate-limited, and calm about any input."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shop.catalog import suggest_views
from shop.extensions import db, limiter
from shop.models import Product
from tests.search_catalog import demo_catalog_app

GARUDA = "garuda-indonesia-boeing-737-800-model"
KOREAN_AIR = "korean-air-airbus-a330-300-model"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    yield from demo_catalog_app(tmp_path_factory.mktemp("suggest"))


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    """A buyer's client; the rate limit starts afresh (the app serves the whole module)."""
    with demo_app.app_context():
        limiter.reset()
    return demo_app.test_client()


def suggest(client: FlaskClient, q: str, lang: str = "en") -> tuple[int, dict]:
    response = client.get(f"/search/suggest?q={quote(q)}&lang={lang}")
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


def products(answer: dict) -> list[dict]:
    return [s for s in answer["suggestions"] if s["kind"] == "product"]


def test_japanese_buyer_gets_garuda_in_japanese(demo_client) -> None:
    status, answer = suggest(demo_client, "ガルーダ", "ja")
    assert status == 200
    first = products(answer)[0]
    assert first["label"] == "ガルーダ・インドネシア航空 ボーイング737-800 模型"
    assert first["lang"] == "ja"
    assert first["url"] == f"/products/{GARUDA}?lang=ja"
    categories = [s for s in answer["suggestions"] if s["kind"] == "category"]
    assert [c["url"] for c in categories] == ["/products?category=miniature-aircraft&lang=ja"]


def test_korean_buyer_gets_korean_air_in_korean(demo_client) -> None:
    _, answer = suggest(demo_client, "대한항공", "ko")
    first = products(answer)[0]
    assert first["label"] == "대한항공 에어버스 A330-300 모형"
    assert first["url"] == f"/products/{KOREAN_AIR}?lang=ko"


def test_indonesian_buyer_gets_a_half_typed_word_completed(demo_client) -> None:
    _, answer = suggest(demo_client, "miniatur garu", "id")
    assert products(answer)[0]["label"] == "Miniatur Boeing 737-800 Garuda Indonesia"


def test_a_typo_is_forgiven_as_on_the_search_page(demo_client) -> None:
    _, answer = suggest(demo_client, "garuda 737 modle")
    assert products(answer)[0]["url"] == f"/products/{GARUDA}"
    assert answer["message"].endswith("suggestions. Use the arrow keys to choose.")


def test_a_category_name_suggests_the_category(demo_client) -> None:
    _, answer = suggest(demo_client, "furnit")
    categories = [s for s in answer["suggestions"] if s["kind"] == "category"]
    assert categories[0] == {
        "kind": "category",
        "label": "Furniture",
        "lang": "en",
        "url": "/products?category=furniture",
    }


def test_nothing_found_is_an_empty_list_without_a_message(demo_client) -> None:
    assert suggest(demo_client, "zzzqqqxxx") == (200, {"suggestions": [], "message": ""})


HOSTILE = [
    "",
    "   ",
    "\x00",
    "\x1b[31m\x07",
    "%",
    "_",
    "\\",
    '"*',
    "' OR 1=1 --",
    "AND OR NOT NEAR",
    "<script>alert(1)</script>",
    "a" * 100,
    "ü" * 400,
    "🙂" * 50,
    "\u202e\u200b",
    "飛" * 300,
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_any_input_gets_a_calm_answer(demo_client, q) -> None:
    status, answer = suggest(demo_client, q)
    assert status == 200
    assert isinstance(answer["suggestions"], list)


def test_a_huge_query_is_refused_not_searched(demo_client) -> None:
    status, answer = suggest(demo_client, "boeing " * 200)
    assert status == 400 and answer["suggestions"] == []


def test_control_characters_are_not_searched(demo_client) -> None:
    _, plain = suggest(demo_client, "garuda")
    _, noisy = suggest(demo_client, "\x00gar\x01uda\x7f")
    assert products(noisy) == products(plain) != []


def test_answers_are_cached_until_the_product_changes(demo_app, demo_client, monkeypatch) -> None:
    calls: list[str] = []
    real = suggest_views.suggestions

    def counted(query: str, locale: str):
        calls.append(query)
        return real(query, locale)

    monkeypatch.setattr(suggest_views, "suggestions", counted)
    response = demo_client.get("/search/suggest?q=citilink&lang=en")
    assert response.headers["Cache-Control"] in {"public, max-age=60", "max-age=60, public"}
    _, answer = suggest(demo_client, "citilink")
    assert len(calls) == 1  # the second answer came from the cache
    assert products(answer)[0]["label"] == "Citilink Airbus A320neo model"

    product = db.session.scalar(db.select(Product).where(Product.slug.like("citilink-%")))
    product.name = "Citilink Airbus A320neo desk model"
    db.session.commit()
    _, answer = suggest(demo_client, "citilink")
    assert len(calls) == 2
    assert products(answer)[0]["label"] == "Citilink Airbus A320neo desk model"


def test_a_script_hammering_suggestions_is_slowed_down(app, client) -> None:
    limit = int(suggest_views.SUGGEST_LIMIT.split()[0])
    statuses = [client.get("/search/suggest?q=").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429


def test_the_count_is_announced_in_japanese(demo_client) -> None:
    # Passes once /tmp/kb/po/suggest.json is merged into the catalogs.
    _, answer = suggest(demo_client, "ガルーダ", "ja")
    assert answer["message"] == "候補が2件あります。矢印キーで選べます。"
