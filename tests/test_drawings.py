"""Tests for the drawn demo product pictures."""

from __future__ import annotations

import functools
import io

import pytest
from PIL import Image

from shop.demo.drawings import KINDS, draw

REQUIRED_KINDS = {
    "aircraft", "turboprop", "bowl", "plate", "cutlery", "cup", "basket", "tray", "lamp",
    "chair", "stool", "table", "shelf", "vase", "workshop",
}  # fmt: skip


@functools.cache
def _drawn(kind: str, seed: int = 0, view: int = 0) -> bytes:
    """Draw once per test session: pictures are reused across tests to keep the file fast."""
    return draw(kind, seed=seed, view=view)


def _decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_all_required_kinds_exist() -> None:
    assert REQUIRED_KINDS <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_kind_draws_a_jpeg(kind: str) -> None:
    img = _decode(_drawn(kind))
    assert img.format == "JPEG"
    assert img.size == (1280, 960)
    assert img.mode == "RGB"
    # Not a blank canvas: a drawn product has plenty of distinct colours.
    assert len(img.resize((160, 120)).getcolors(maxcolors=20_000) or ()) > 200


def test_same_arguments_give_identical_bytes() -> None:
    assert draw("stool", seed=3, view=1) == _drawn("stool", 3, 1)


def test_views_seeds_and_palettes_differ() -> None:
    views = {_drawn("stool", 3, v) for v in range(4)}
    assert len(views) == 4
    assert _drawn("stool", 3) != _drawn("stool", 4)
    assert draw("stool", palette=("#112233", "#ddeeff")) != _drawn("stool")


def test_turboprop_has_four_distinct_views() -> None:
    assert len({_drawn("turboprop", 0, v) for v in range(4)}) == 4


def test_bad_arguments_raise_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown drawing kind"):
        draw("spaceship")
    with pytest.raises(ValueError):
        draw("bowl", view=4)
    with pytest.raises(ValueError):
        draw("bowl", palette=("red", "#000000"))
