"""Tableware turned and carved from wood: bowl, plate, cutlery, cup and tray."""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import (
    SHADOW,
    WHITE,
    Colour,
    Point,
    ellipse_pts,
    mix,
    rounded_pts,
    shade,
)
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import grain, lathe


def bowl(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    rx, depth = 440 * rng.uniform(0.95, 1.05), 330 * rng.uniform(0.85, 1.1)
    ry, cy = rx * 0.3, -(depth + 30)
    if alt:
        _turned_top(p, rng, c1, 340, 0.1, rings=9)
        return
    p.shadow(0, -20, rx * 0.8, 55, 0.45)
    p.ellipse(0, -24, rx * 0.36, ry * 0.36, shade(c1, 0.5))
    body = ellipse_pts(0, cy, rx, depth, 0, 180)
    with p.clip(body, c1) as q:
        for k in range(1, 16):
            d = depth * k / 16 + rng.uniform(-6, 6)
            rr = rx * math.sqrt(max(0.0, 1 - (d / depth) ** 2))
            arc = [
                (x, y + 7 * math.sin(x / 40 + k))
                for x, y in ellipse_pts(0, cy + d, rr, rr * 0.3, 0, 180)
            ]
            q.line(arc, shade(c1, rng.uniform(0.7, 0.85)), rng.uniform(2, 6))
    p.cylinder(body, 0.55, 0.3)
    p.overlay(body, SHADOW, lambda t: t**2, 0.3, "y")
    p.ellipse(0, cy, rx, ry, shade(c1, 1.15))
    inner = ellipse_pts(0, cy + 3, rx - 24, ry - 8)
    with p.clip(inner, shade(c1, 0.92)) as q:
        for k in range(1, 10):
            f = k / 10
            q.line(
                ellipse_pts(
                    0,
                    cy + depth * 0.55 * f,
                    (rx - 24) * (1 - f * 0.8),
                    (ry - 8) * (1 - f * 0.8),
                    180,
                    360,
                ),
                shade(c1, rng.uniform(0.7, 0.82)),
                3,
            )
    p.overlay(inner, SHADOW, lambda t: max(0.0, 1 - t * 2.2), 0.45)
    p.overlay(inner, SHADOW, lambda t: (1 - t) ** 3, 0.35, "y")
    p.line(ellipse_pts(0, cy, rx - 10, ry - 3, 30, 150), shade(c1, 1.35), 4)


def _turned_top(p: Pen, rng: Random, c1: Colour, radius: float, rim: float, rings: int) -> None:
    """Draw a round turned piece (bowl, plate) seen from straight above."""
    cy = -radius - 20
    p.child(30, 40).soft([ellipse_pts(0, cy, radius, radius)], SHADOW, 0.35, 28)
    p.ellipse(0, cy, radius, radius, shade(c1, 1.15))
    inner = radius * (1 - rim)
    disc = ellipse_pts(0, cy, inner, inner)
    with p.clip(disc, c1) as q:
        for k in range(1, rings + 1):
            rr = inner * k / (rings + 1)
            ring = [(x + 5 * math.sin(y / 30), y) for x, y in ellipse_pts(0, cy, rr, rr, n=90)]
            q.line(ring, shade(c1, rng.uniform(0.72, 0.85)), rng.uniform(2, 4))
    p.overlay(disc, SHADOW, lambda t: max(0.0, 1 - t * 2.5), 0.4)
    p.overlay(disc, SHADOW, lambda t: max(0.0, 1 - t * 2.5), 0.3, "y")
    p.line(ellipse_pts(0, cy, radius - 4, radius - 4, 0, 120), shade(c1, 1.35), 5)


def plate(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    rx = 470 * rng.uniform(0.95, 1.05)
    ry, cy, th = rx * 0.32, -rx * 0.32 - 40, 26
    if alt:
        _turned_top(p, rng, c1, 360, 0.28, rings=0)
        cy2 = -380
        with p.clip(ellipse_pts(0, cy2, 360, 360)) as q:
            grain(q, rng, (-360, cy2 - 360, 360, cy2 + 360), shade(c1, 0.78), 14, 5, 2.5)
        p.line(ellipse_pts(0, cy2, 258, 258, n=120), shade(c1, 0.75), 5)
        return
    p.shadow(0, cy + th + ry * 0.5, rx * 0.95, ry * 0.6, 0.4)
    for lift in (0, -th - 6):  # a stack of two plates
        y = cy + lift
        p.ellipse(0, y + th, rx * 0.97, ry * 0.97, shade(c1, 0.55))
        p.rect(-rx * 0.97, y + 6, rx * 0.97, y + th, shade(c1, 0.55))
        p.ellipse(0, y + 6, rx, ry, shade(c1, 0.75))
        top = ellipse_pts(0, y, rx, ry)
        with p.clip(top, shade(c1, 1.05)) as q:
            grain(q, rng, (-rx, y - ry, rx, y + ry), shade(c1, 0.8), 9, 3, 2.2)
        well = ellipse_pts(0, y + 10, rx * 0.68, ry * 0.64)
        p.overlay(well, SHADOW, lambda t: max(0.0, 1 - t * 2.5), 0.35, "y")  # back wall shade
        p.line(ellipse_pts(0, y + 10, rx * 0.68, ry * 0.64, 180, 360), shade(c1, 0.65), 4)
        p.line(ellipse_pts(0, y + 10, rx * 0.68, ry * 0.64, 10, 170), shade(c1, 1.35), 5)
        p.overlay(top, SHADOW, lambda t: t, 0.22)
        p.overlay(top, WHITE, lambda t: math.exp(-(((t - 0.3) / 0.15) ** 2)), 0.18)


def _spoon() -> list[list[Point]]:
    return [
        [(-14, -185), (14, -185), (24, 300), (0, 318), (-24, 300)],
        ellipse_pts(0, -310, 74, 128),
    ]


def _fork() -> list[list[Point]]:
    tines = [rounded_pts(x, -470, x + 22, -320, 10) for x in (-60, -27, 5, 38)]
    return [
        rounded_pts(-60, -340, 60, -205, 24),
        [(-60, -215), (60, -215), (16, -120), (-16, -120)],
        [(-16, -125), (16, -125), (24, 300), (0, 318), (-24, 300)],
        *tines,
    ]


def _spatula() -> list[list[Point]]:
    return [
        rounded_pts(-64, -470, 64, -230, 42),
        [(-50, -240), (50, -240), (16, -150), (-16, -150)],
        [(-16, -155), (16, -155), (24, 300), (0, 318), (-24, 300)],
    ]


def _utensil(p: Pen, shapes: list[list[Point]], c: Colour, rng: Random) -> None:
    """Draw a carved wooden utensil: grain along its length, rounded by shading."""
    for pts in shapes:
        with p.clip(pts, c) as q:
            grain(q, rng, (-80, -480, 80, 330), shade(c, 0.82), 9, 3, 1.6, vertical=True)
        p.overlay(pts, SHADOW, lambda t: t**1.5, 0.35)
    if len(shapes) == 2:  # the spoon's hollow
        p.ellipse(0, -306, 56, 104, shade(c, 0.85))
        p.ellipse(-18, -340, 12, 34, shade(c, 1.25))


def cutlery(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    tools = (_spoon(), _fork(), _spatula())
    woods = (c1, c2, mix(c1, c2, 0.5))
    if alt:  # standing in a bamboo holder
        p.shadow(0, -10, 230, 50, 0.45)
        p.ellipse(0, -400, 170, 45, shade(c2, 0.35))
        for i, shapes in enumerate(tools):
            q = p.child(-90 + i * 90, -150, angle=-14 + i * 14, scale=0.8)
            _utensil(q, shapes, woods[i], rng)
        body = ellipse_pts(0, -400, 170, 45, 0, 180) + ellipse_pts(0, -20, 160, 42, 180, 0)
        with p.clip(body, mix(c2, (220, 200, 140), 0.5)) as q:
            grain(q, rng, (-170, -450, 170, 30), shade(c2, 0.85), 14, 2, 2, vertical=True)
            for y in (-300, -130):
                q.line(ellipse_pts(0, y, 170, 44, 0, 180), shade(c2, 0.7), 7)
        p.cylinder(body, 0.5, 0.35)
        p.line(ellipse_pts(0, -400, 170, 45, 0, 180), shade(c2, 1.3), 5)
        return
    for i, shapes in enumerate(tools):  # flat lay, seen from above
        q = p.child(-270 + i * 270, -380, angle=-8 + i * 8)
        q.child(14, 20).soft(shapes, SHADOW, 0.4, 12)
        _utensil(q, shapes, woods[i], rng)


def cup(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    rx, tilt = 190 * rng.uniform(0.92, 1.08), 0.4 if alt else 0.27
    if alt:
        p = p.child(0, 0, flip=True)
    p.shadow(0, -30, 360, 85 * tilt / 0.27, 0.4)
    p.ellipse(0, -22, 330, 330 * tilt, shade(c2, 0.6))
    p.rect(-330, -40, 330, -22, shade(c2, 0.6))
    p.ellipse(0, -40, 330, 330 * tilt, shade(c2, 1.1))
    p.ellipse(0, -40, 220, 220 * tilt, shade(c2, 0.92))
    p.line(ellipse_pts(rx, -280, 100, 115, -80, 80), shade(c1, 0.85), 42)
    p.line(ellipse_pts(rx, -280, 100, 115, -60, 60), shade(c1, 1.15), 6)
    body = lathe([(-440, rx), (-60, rx * 0.92)], tilt)
    with p.clip(body, c1) as q:
        grain(q, rng, (-rx, -460, rx, -30), shade(c1, 0.8), 13, 3, 2.4, vertical=True)
    p.cylinder(body, 0.55, 0.3)
    p.ellipse(0, -440, rx, rx * tilt, shade(c1, 1.2))
    inner = ellipse_pts(0, -436, rx - 16, (rx - 16) * tilt)
    with p.clip(inner, shade(c1, 0.45)) as q:
        q.ellipse(0, -405, rx - 18, (rx - 18) * tilt, (66, 40, 24))  # coffee
        q.ellipse(0, -405, rx - 40, (rx - 40) * tilt, None, (150, 104, 64), 5)
        q.ellipse(-40, -412, 40, 10, (120, 84, 56))


def tray(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    half, deep, wall = 480 * rng.uniform(0.95, 1.05), 300 if alt else 240, 70

    def pr(x: float, y: float, z: float) -> Point:  # z=0 front, z=1 back, mild perspective
        return (x * (1 - 0.16 * z), -z * deep - y - 20)

    outer = [pr(-half, wall, 0), pr(half, wall, 0), pr(half, wall, 1), pr(-half, wall, 1)]
    ih, iz0, iz1 = half - 18, 0.06, 0.94
    inner = [pr(-ih, wall, iz0), pr(ih, wall, iz0), pr(ih, wall, iz1), pr(-ih, wall, iz1)]
    floor = [pr(-ih, 12, iz0), pr(ih, 12, iz0), pr(ih, 12, iz1), pr(-ih, 12, iz1)]
    p.shadow(0, -deep * 0.45, half * 1.05, deep * 0.55, 0.45)
    p.poly(outer, shade(c1, 1.18))
    p.poly(inner, shade(c1, 0.7))
    with p.clip(floor, c1) as q:
        grain(q, rng, (-half, -deep - 40, half, 0), shade(c1, 0.8), 10, 3, 2)
    p.overlay(floor, SHADOW, lambda t: max(0.0, 1 - t * 3), 0.35, "y")
    for k in (-1, 1):
        side = [
            pr(k * ih, wall, iz0),
            pr(k * ih, 12, iz0),
            pr(k * ih, 12, iz1),
            pr(k * ih, wall, iz1),
        ]
        p.poly(side, shade(c1, 0.85 if k < 0 else 0.62))
        slot = [
            pr(k * ih, wall - 14, 0.3),
            pr(k * ih, wall - 40, 0.3),
            pr(k * ih, wall - 40, 0.7),
            pr(k * ih, wall - 14, 0.7),
        ]
        p.poly(slot, shade(c1, 0.3))
    p.poly([pr(-half, 0, 0), pr(half, 0, 0), pr(half, wall, 0), pr(-half, wall, 0)], c1)
    with p.clip([pr(-half, 0, 0), pr(half, 0, 0), pr(half, wall, 0), pr(-half, wall, 0)]) as q:
        grain(q, rng, (-half, -wall - 30, half, 0), shade(c1, 0.78), 12, 2, 2)
    p.line([pr(-half, wall, 0), pr(half, wall, 0)], shade(c1, 1.35), 4)
