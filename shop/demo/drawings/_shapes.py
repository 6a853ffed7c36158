"""Drawing primitives on a pen: wood grain, cane weave, solid blocks and turned profiles."""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import Colour, Point, Proj, ellipse_pts, shade
from shop.demo.drawings._pen import Pen


def grain(
    p: Pen,
    rng: Random,
    box: tuple[float, float, float, float],
    colour: Colour,
    spacing: float = 16,
    amp: float = 6,
    width: float = 2,
    vertical: bool = False,
) -> None:
    """Draw wavy wood-grain lines across a local box (lines run along x unless vertical)."""
    x0, y0, x1, y1 = box
    if vertical:
        x0, y0, x1, y1 = y0, x0, y1, x1
    v = y0 + rng.uniform(0, spacing)
    while v < y1:
        phase, freq = rng.uniform(0, 6.3), rng.uniform(0.004, 0.012) * 12 / max(spacing, 4)
        a = amp * rng.uniform(0.4, 1.4)
        knot = rng.uniform(x0, x1) if rng.random() < 0.12 else None
        pts = []
        for i in range(33):
            u = x0 + (x1 - x0) * i / 32
            off = v + a * math.sin(u * freq + phase)
            if knot is not None:
                off += spacing * 1.4 * math.exp(-(((u - knot) / (spacing * 4)) ** 2))
            pts.append((off, u) if vertical else (u, off))
        p.line(pts, shade(colour, rng.uniform(0.88, 1.12)), width * rng.uniform(0.6, 1.6))
        v += spacing * rng.uniform(0.5, 1.5)


def cane(p: Pen, box: tuple[float, float, float, float], colour: Colour, cell: float) -> None:
    """Draw an open rattan-cane lattice (the octagon-hole chair-seat weave) over a box."""
    x0, y0, x1, y1 = box
    hole, strand = shade(colour, 0.42), shade(colour, 1.15)
    span = max(x1 - x0, y1 - y0)
    k = -span
    while k < span * 2:  # diagonal strands both ways
        p.line([(x0 + k, y0), (x0 + k + (y1 - y0), y1)], shade(colour, 0.9), cell * 0.14)
        p.line([(x0 + k, y1), (x0 + k + (y1 - y0), y0)], shade(colour, 0.9), cell * 0.14)
        k += cell
    y = y0 + cell / 2
    while y < y1:
        x = x0 + cell / 2
        while x < x1:
            p.dot(x, y, cell * 0.26, hole)
            x += cell
        p.line([(x0, y + cell / 2), (x1, y + cell / 2)], strand, cell * 0.16)
        y += cell
    x = x0
    while x < x1:
        p.line([(x, y0), (x, y1)], strand, cell * 0.16)
        x += cell


def proj(dx: float, dy: float) -> Proj:
    """Return an oblique projection: x right, y up, z (depth) drawn as (dx, dy) per unit."""
    return lambda x, y, z: (x + z * dx, -y + z * dy)


def block(
    p: Pen,
    pr: Proj,
    x: tuple[float, float],
    y: tuple[float, float],
    z: tuple[float, float],
    c: Colour,
) -> list[Point]:
    """Draw a solid block (front, top and right faces); return its top face."""
    (x0, x1), (y0, y1), (z0, z1) = x, y, z
    top = [pr(x0, y1, z0), pr(x1, y1, z0), pr(x1, y1, z1), pr(x0, y1, z1)]
    p.poly([pr(x1, y0, z0), pr(x1, y0, z1), pr(x1, y1, z1), pr(x1, y1, z0)], shade(c, 0.68))
    p.poly(top, shade(c, 1.12))
    p.poly([pr(x0, y0, z0), pr(x1, y0, z0), pr(x1, y1, z0), pr(x0, y1, z0)], c)
    return top


def lathe(profile: list[tuple[float, float]], tilt: float) -> list[Point]:
    """Return the outline of a turned (round) object from (y, radius) pairs, top first."""
    bottom_y, bottom_r = profile[-1]
    right = [(r, y) for y, r in profile]
    return (
        [(-r, y) for y, r in profile]
        + ellipse_pts(0, bottom_y, bottom_r, bottom_r * tilt, 180, 0)
        + right[::-1]
    )


def spline(keys: list[Point], steps: int = 8) -> list[Point]:
    """Return a smooth Catmull-Rom curve through keys (for turned profiles)."""
    out: list[Point] = []
    for i in range(len(keys) - 1):
        p0, p1, p2 = keys[max(i - 1, 0)], keys[i], keys[i + 1]
        p3 = keys[min(i + 2, len(keys) - 1)]
        for k in range(steps):
            t = k / steps
            x, y = (
                0.5
                * (
                    2 * b
                    + (c - a) * t
                    + (2 * a - 5 * b + 4 * c - d) * t * t
                    + (3 * b - a - 3 * c + d) * t**3
                )
                for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
            )
            out.append((x, y))
    out.append(keys[-1])
    return out
