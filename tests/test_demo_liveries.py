"""The airline-livery demo models: priced like the real thing, some in stock and some made to
order, written in every storefront language."""

from __future__ import annotations

from shop.demo.liveries import livery_products, livery_texts
from shop.demo.products import demo_products


def test_prices_stock_and_lead_times_are_realistic() -> None:
    models = livery_products()
    assert len(models) == 6
    prices = [v.price_idr for m in models for v in m.variants]
    assert min(prices) >= 350_000 and max(prices) <= 4_500_000
    in_stock = [m for m in models if all(v.stock > 0 for v in m.variants)]
    to_order = [m for m in models if m.made_to_order and m.lead_time_days]
    assert in_stock and to_order and len(in_stock) + len(to_order) == len(models)
    assert all(v.stock == 0 for m in to_order for v in m.variants)


def test_every_model_speaks_every_language() -> None:
    for model in livery_products():
        texts = livery_texts(model.slug)
        assert set(texts) == {"id", "ja", "ko"}
        for values in texts.values():
            assert set(values) == {"name", "summary", "description_md", "materials", "care_notes"}
            assert all(v.strip() and "{" not in v for v in values.values())
        assert "{" not in model.name + model.summary + model.description
    assert livery_texts("teak-dining-chair") == {}


def test_they_come_last_so_a_limited_seed_is_unchanged() -> None:
    every = demo_products()
    slugs = [p.slug for p in every]
    assert slugs[-6:] == [m.slug for m in livery_products()]
    assert len(set(slugs)) == len(slugs)
    skus = [v.sku for p in every for v in p.variants]
    assert len(set(skus)) == len(skus)
