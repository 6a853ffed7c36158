"""Colour contrast (WCAG 2.x relative luminance) of a focused element's ring in a real browser."""

from __future__ import annotations

import re
from typing import Any

RGB = re.compile(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)")

# The ring's colours (outline and box-shadow) and the colours behind the element: the first
# ancestor with an opaque background colour, plus every stop of a gradient on the way there.
_READ_RING = """el => {
  const style = getComputedStyle(el);
  const ring = [style.outlineStyle !== 'none' ? style.outlineColor : '', style.boxShadow];
  const behind = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const s = getComputedStyle(node);
    if (s.backgroundImage && s.backgroundImage !== 'none') behind.push(s.backgroundImage);
    if (s.backgroundColor && !/rgba\\(.*,\\s*0\\)$/.test(s.backgroundColor)) {
      behind.push(s.backgroundColor);
      break;
    }
  }
  return [ring.join(' '), behind.join(' ')];
}"""


def _colours(text: str) -> list[tuple[int, int, int]]:
    return [
        (int(r), int(g), int(b)) for r, g, b, a in RGB.findall(text) if a == "" or float(a) >= 0.99
    ]


def _luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two opaque colours, 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ring_contrast(locator: Any) -> tuple[float, str]:
    """The weakest background's best ring contrast for a focused element, and a description."""
    ring_text, behind_text = locator.evaluate(_READ_RING)
    ring, behind = _colours(ring_text), _colours(behind_text)
    assert ring, f"no focus ring drawn: {ring_text!r}"
    assert behind, f"no background found: {behind_text!r}"
    worst = min(max(contrast(colour, bg) for colour in ring) for bg in behind)
    return worst, f"ring {ring} on {behind}"
