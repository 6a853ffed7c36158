"""The picture frame: size and supersampling, colours, outline points and the studio backdrop."""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image

SS = 2  # supersampling: everything is drawn at 2x and reduced 2:1 at the end (antialiasing)
OUT_W, OUT_H = 1280, 960
W, H = OUT_W * SS, OUT_H * SS

Colour = tuple[int, int, int]
Point = tuple[float, float]
Proj = Callable[[float, float, float], Point]
SHADOW: Colour = (38, 30, 24)
WHITE: Colour = (255, 255, 255)


def rgb(value: str) -> Colour:
    """Parse a #rrggbb (or #rgb) colour, raising ValueError if it is malformed."""
    v = value.strip().lstrip("#")
    if len(v) == 3:
        v = "".join(ch * 2 for ch in v)
    if len(v) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in v):
        raise ValueError(f"Not a hex colour: {value!r}")
    return (int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16))


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """Blend from a (t=0) to b (t=1)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: Colour, f: float) -> Colour:
    """Darken (f < 1) or lighten towards white (f > 1)."""
    if f <= 1:
        return (round(c[0] * f), round(c[1] * f), round(c[2] * f))
    return mix(c, WHITE, min(1.0, f - 1))


def ellipse_pts(
    cx: float, cy: float, rx: float, ry: float, a0: float = 0, a1: float = 360, n: int = 0
) -> list[Point]:
    """Return points on an ellipse arc; angles in degrees, 90 is the front (bottom) point."""
    n = n or max(8, int(abs(a1 - a0) / 4))
    out = []
    for i in range(n + 1):
        a = math.radians(a0 + (a1 - a0) * i / n)
        out.append((cx + rx * math.cos(a), cy + ry * math.sin(a)))
    return out


def rounded_pts(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    """Return the outline of a rounded rectangle."""
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    return (
        ellipse_pts(x1 - r, y0 + r, r, r, -90, 0, 6)
        + ellipse_pts(x1 - r, y1 - r, r, r, 0, 90, 6)
        + ellipse_pts(x0 + r, y1 - r, r, r, 90, 180, 6)
        + ellipse_pts(x0 + r, y0 + r, r, r, 180, 270, 6)
    )


def cyl_dark(t: float) -> float:
    """Shading profile of a cylinder lit from the front left: dark right edge."""
    return ((t - 0.35) / 0.65) ** 1.6 if t > 0.35 else ((0.35 - t) / 0.35) ** 2 * 0.45


def highlight(t: float) -> float:
    """Narrow specular band profile."""
    return math.exp(-(((t - 0.27) / 0.07) ** 2))


def studio(top: Colour, floor: Colour, horizon: float = 0.6, light_x: float = 0.3) -> Image.Image:
    """Return a photo-studio backdrop: a paper sweep from wall to floor with a soft light."""
    w, h = 64, 48
    buf = bytearray()
    for j in range(h):
        v = j / (h - 1)
        t = min(1.0, max(0.0, (v - horizon + 0.15) / 0.3))
        base = mix(top, floor, t * t * (3 - 2 * t))  # smoothstep: a sweep, not a hard horizon
        for i in range(w):
            d = ((i / (w - 1)) - light_x) ** 2 + ((v - 0.3) ** 2) * 1.3
            f = max(0.7, 1.07 - 0.42 * d)
            buf.extend(min(255, round(c * f)) for c in base)
    small = Image.frombytes("RGB", (w, h), bytes(buf))
    # Bicubic keeps the gradient smooth; the backdrop has no edges, so it is built at output
    # resolution and merely doubled (NEAREST), which the final downscale undoes exactly.
    smooth = small.resize((W // 8, H // 8), Image.Resampling.BICUBIC).resize((OUT_W, OUT_H))
    return smooth.resize((W, H), Image.Resampling.NEAREST)
