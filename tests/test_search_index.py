"""The search index stays in step with the catalog, ranks sensibly, and takes any input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.models import (
    CategoryTranslation,
    ProductStatus,
    ProductTranslation,
    SearchDocument,
    Variant,
    WorkshopTranslation,
)
from shop.services.catalog import synonyms
from shop.services.catalog.products import ListingFilters, search_products
from tests.factories import card_titles, make_category, make_product, make_workshop


def found(query: str, locale: str = "en") -> list[str]:
    page = search_products(ListingFilters(q=query, sort="relevance"), 24, locale)
    return [p.name for p in page.items]


def titles(client, url: str) -> tuple[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page, card_titles(page)


@pytest.fixture
def shop(app):
    category, workshop = make_category(), make_workshop()
    bowl = make_product("Teak salad bowl", category=category, workshop=workshop)
    tray = make_product("Rattan tray", category=category, workshop=workshop)
    db.session.commit()
    return bowl, tray


def test_edits_translations_and_deletes_keep_the_index_in_step(shop) -> None:
    bowl, tray = shop
    assert found("salad") == ["Teak salad bowl"]

    bowl.name = "Mahogany fruit bowl"
    db.session.commit()
    assert found("salad") == [] and found("mahogany") == ["Mahogany fruit bowl"]

    db.session.add(ProductTranslation(product_id=bowl.id, locale="ja", name="果物のボウル"))
    db.session.commit()
    assert found("果物", "ja") == ["Mahogany fruit bowl"]
    assert found("果物", "en") == ["Mahogany fruit bowl"]  # every language's words, any page

    translation = db.session.get(ProductTranslation, (bowl.id, "ja"))
    translation.name = "マホガニーの器"
    db.session.commit()
    assert found("果物", "ja") == [] and found("器", "ja") == ["Mahogany fruit bowl"]
    db.session.delete(translation)
    db.session.commit()
    assert found("器", "ja") == []

    variant = db.session.scalars(select(Variant).where(Variant.product_id == tray.id)).one()
    variant.sku = "RT-TRAY-40"
    db.session.commit()
    assert found("RT-TRAY-40") == ["Rattan tray"]

    tray.status = ProductStatus.ARCHIVED
    db.session.commit()
    assert found("rattan") == []
    assert db.session.get(SearchDocument, tray.id) is None  # a search reads documents alone

    tray.status = ProductStatus.ACTIVE
    db.session.commit()
    assert found("rattan") == ["Rattan tray"]

    db.session.delete(tray)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchDocument)) == 1


def test_a_draft_is_never_found_until_it_is_on_sale(shop) -> None:
    bowl, _ = shop
    draft = make_product(
        "Ebony salad servers",
        category=bowl.category,
        workshop=bowl.workshop,
        status=ProductStatus.DRAFT,
    )
    db.session.commit()
    assert found("ebony") == [] and found("salad") == ["Teak salad bowl"]
    assert found("salad ebony") == ["Teak salad bowl"]  # relaxed: any word, still not the draft
    assert found("ebony", "en") == [] and db.session.get(SearchDocument, draft.id) is None

    draft.status = ProductStatus.ACTIVE
    db.session.commit()
    assert found("ebony") == ["Ebony salad servers"]


def test_category_and_workshop_names_in_every_language_find_their_products(shop) -> None:
    bowl, tray = shop
    assert sorted(found("tableware")) == sorted([bowl.name, tray.name])
    bowl.category.name = "Kitchen goods"
    db.session.add(CategoryTranslation(category_id=bowl.category_id, locale="ko", name="주방용품"))
    db.session.add(
        WorkshopTranslation(workshop_id=bowl.workshop_id, locale="id", name="Bengkel jati")
    )
    db.session.commit()

    assert sorted(found("kitchen")) == sorted([bowl.name, tray.name])
    assert sorted(found("주방용품", "ko")) == sorted([bowl.name, tray.name])
    assert sorted(found("bengkel jati", "id")) == sorted([bowl.name, tray.name])


def test_names_rank_above_descriptions_and_all_words_above_some(app) -> None:
    category, workshop = make_category(), make_workshop()
    make_product("Bamboo tray", category=category, workshop=workshop,
                 description_md="A tray woven from bamboo strips.")  # fmt: skip
    make_product("Rattan basket", category=category, workshop=workshop,
                 description_md="Goes well with a bamboo lamp.")  # fmt: skip
    make_product("Bamboo lamp", category=category, workshop=workshop)
    db.session.commit()

    assert found("bamboo")[-1] == "Rattan basket"  # only its description says bamboo
    assert found("bamboo lamp") == ["Bamboo lamp", "Rattan basket"]

    # No product has all three words: those with two come first, then those with one.
    relaxed = found("bamboo lamp garuda")
    assert relaxed[0] == "Bamboo lamp" and set(relaxed) == {
        "Bamboo lamp", "Bamboo tray", "Rattan basket"
    }  # fmt: skip


def test_synonyms_staff_add_widen_a_search(shop) -> None:
    assert found("mangkok") == []
    synonyms.add_synonym("Mangkok", "id", "bowl")
    db.session.commit()
    assert found("mangkok", "id") == ["Teak salad bowl"]
    assert found("mangkok", "en") == []  # an Indonesian synonym, for Indonesian pages


def test_a_misspelled_word_is_corrected_and_offered_as_a_link(client, shop) -> None:
    page, names = titles(client, "/products?q=teak+salda")
    assert names == ["Teak salad bowl"]
    assert 'Did you mean: <a href="/products?q=teak+salad">teak salad</a>' in page


def test_no_hits_offers_the_categories(client, shop) -> None:
    page, names = titles(client, "/products?q=qqzzx")
    assert names == []
    assert "Nothing matches those filters" in page
    assert '<a href="/products?category=tableware"' in page


HOSTILE = [
    '"',
    '"teak',
    "*",
    "teak*",
    "NEAR(teak bowl)",
    "teak OR bowl",
    "teak AND NOT bowl",
    "-teak",
    "%",
    "_",
    "%_%",
    "teak:*",
    "'teak' & !bowl | (x <-> y)",
    "\\",
    "{}[]^$",
    "teak\x00bowl\x1f",
    "x" * 5000,
    "teak " * 200,
    "ボウル" * 300,
    "\u202e\u200bteak",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_give_a_normal_page(client, shop, query) -> None:
    response = client.get("/products", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "result" in page and "Traceback" not in page


def test_fts_syntax_is_matched_as_words(shop) -> None:
    assert found('"teak') == ["Teak salad bowl"]
    assert found("teak*") == ["Teak salad bowl"]
    assert found("teak NOT bowl") == ["Teak salad bowl"]  # words, not operators
    assert found("%") == [] and found("_") == []


def test_the_migration_indexes_the_products_already_there(tmp_path) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from shop import create_app
    from tests.conftest import _test_config
    from tests.databases import empty_database

    with empty_database(tmp_path, "kb_search_migration") as url:
        migrated = create_app(_test_config(tmp_path, url))
        with migrated.app_context():
            upgrade(revision="0012")
            with db.engine.begin() as connection:
                for statement in (
                    "INSERT INTO category (id, slug, name, description, position) "
                    "VALUES (1, 'aircraft', 'Miniature aircraft', '', 0)",
                    "INSERT INTO workshop (id, slug, name, institution, region, summary, story, "
                    "photo_widths, photo_alt, created_at) VALUES (1, 'models', 'Model workshop', "
                    "'Lapas', 'Banten', '', '', '', '', CURRENT_TIMESTAMP)",
                    "INSERT INTO product (id, slug, name, summary, description_md, category_id, "
                    "workshop_id, materials, care_notes, status, made_to_order, maker_share_pct, "
                    "featured, created_at, updated_at) VALUES (1, 'b737', 'Boeing 737 model', '', "
                    "'', 1, 1, '', '', 'active', false, 30, false, CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP)",
                ):
                    connection.execute(text(statement))
            upgrade()
            assert found("ボーイング", "ja") == ["Boeing 737 model"]  # a seeded synonym
            assert found("boing") == ["Boeing 737 model"]  # a word of the product, misspelled
            db.session.remove()
            db.engine.dispose()


def test_reindex_command_rebuilds_a_lost_index(runner, shop) -> None:
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    assert found("salad") == []

    result = runner.invoke(args=["search-reindex"])
    assert "Search index rebuilt: 2 products" in result.output
    assert found("salad") == ["Teak salad bowl"]
    assert found("ボーイング") == []  # synonyms are there, but no aircraft
    assert synonyms.expansions(["ボーイング"], "ja") == {"ボーイング": ["boeing"]}


def test_a_product_and_its_category_renamed_at_once_both_reach_the_index(app, shop) -> None:
    import threading

    from shop.models import Category, Product
    from tests.races import run_together

    bowl, _tray = shop
    product_id, category_id = bowl.id, bowl.category_id  # the sides use their own sessions
    for attempt in range(2):
        flushed = [threading.Event(), threading.Event()]

        def rename(model, key: int, name: str, me: int, flushed=flushed):
            def side() -> None:
                db.session.get(model, key).name = name
                db.session.flush()  # the document is rewritten here, before commit
                flushed[me].set()
                flushed[1 - me].wait(timeout=1)  # overlap both transactions, if they can
                db.session.commit()

            return side  # noqa: B023 - built and run within one iteration

        sides = run_together(
            app,
            rename(Product, product_id, f"Alpha{attempt} bowl", 0),
            rename(Category, category_id, f"Beta{attempt} goods", 1),
        )
        assert [side.error for side in sides] == [None, None], [s.trace for s in sides]
        # The document holds both new names (each word alone: no falling back to some words).
        assert found(f"alpha{attempt}") == [f"Alpha{attempt} bowl"]
        assert sorted(found(f"beta{attempt}")) == [f"Alpha{attempt} bowl", "Rattan tray"]
