"""Airliner display models on a wooden stand."""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import SHADOW, WHITE, Colour, ellipse_pts, rounded_pts, shade
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import grain


def stand(p: Pen, rng: Random, sx: float, pole_top: float) -> None:
    """Draw the display stand: a round wooden base with a brass plate and a steel pole."""
    wood = (112, 72, 42)
    p.shadow(sx, -30, 280, 55, 0.45)
    p.shadow(0, -30, 560, 70, 0.12)
    p.ellipse(sx, -30, 210, 44, shade(wood, 0.55))
    p.rect(sx - 210, -62, sx + 210, -30, shade(wood, 0.55))
    top = ellipse_pts(sx, -62, 210, 44)
    with p.clip(top, shade(wood, 1.05)) as q:
        grain(q, rng, (sx - 210, -110, sx + 210, -10), shade(wood, 0.8), 8, 3, 1.5)
    p.rect(sx - 40, -14, sx + 40, 4, (196, 164, 84))  # brass name plate
    p.rect(sx - 6, pole_top - 4, sx + 6, -62, (58, 58, 64))  # stand pole
    p.line([(sx - 2, pole_top), (sx - 2, -62)], (150, 150, 160), 3)


def jet(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    r, cy = 56 * rng.uniform(0.92, 1.08), -520
    hull, belly, glass = (246, 247, 249), (198, 203, 210), (40, 52, 72)
    if alt:
        _jet_top(p, r, c1, c2, hull)
        return
    stand(p, rng, 90, cy + r)  # the stand sits behind the engine, under the wing root
    far_wing = [(-30, cy - r + 12), (150, cy - r + 12), (330, cy - 210), (290, cy - 210)]
    p.poly(far_wing, shade(belly, 0.8))  # drawn first: it is behind the fuselage
    fin = [(320, cy - r + 6), (450, cy - 270), (520, cy - 270), (552, cy - r + 10)]
    p.poly(fin, c1)
    p.poly([(372, cy - r + 6), (408, cy - r + 6), (478, cy - 270), (458, cy - 270)], c2)
    body = ellipse_pts(-420, cy, 135, r, 90, 270) + [
        (552, cy - r + 10),
        (556, cy - r + 34),
        (250, cy + r),
    ]
    with p.clip(body, hull) as q:
        q.rect(-600, cy + r * 0.3, 600, cy + r + 10, belly)
        q.rect(-600, cy + 2, 600, cy + 16, c1)  # cheat line in the livery colours
        q.rect(-600, cy + 16, 600, cy + 23, c2)
        for x in range(-340, 300, 25):
            if not (-392 < x < -350 or 40 < x < 80):
                q.rounded(x, cy - 30, x + 11, cy - 13, 5, glass)
        for x in (-385, 55):
            q.poly(rounded_pts(x, cy - 40, x + 24, cy + 24, 6), None, (150, 156, 166), 2)
        q.poly([(-512, cy - 20), (-480, cy - 33), (-470, cy - 19), (-516, cy - 8)], glass)
        q.poly([(-466, cy - 34), (-440, cy - 36), (-440, cy - 21), (-462, cy - 19)], glass)
        for i in range(6):  # airline title on the crown, as abstract lettering
            q.rounded(-250 + i * 34, cy - 50, -226 + i * 34, cy - 38, 3, c1)
    p.overlay(body, SHADOW, lambda t: (max(0.0, t - 0.35) / 0.65) ** 1.5, 0.45, "y")
    p.overlay(body, WHITE, lambda t: math.exp(-(((t - 0.22) / 0.08) ** 2)), 0.55, "y")
    p.poly([(410, cy + 6), (495, cy + 2), (580, cy + 52), (548, cy + 54)], shade(belly, 1.05))
    wing = [(-110, cy + r - 14), (120, cy + r - 14), (340, cy + 215), (292, cy + 215)]
    p.poly(wing, (214, 218, 224))
    p.overlay(wing, SHADOW, lambda t: t, 0.25, "y")
    p.line([(-110, cy + r - 12), (292, cy + 213)], (238, 240, 243), 5)
    p.poly([(292, cy + 215), (340, cy + 215), (352, cy + 160), (338, cy + 160)], c1)
    ny = cy + r + 58
    p.poly([(-70, cy + r - 10), (10, cy + r - 10), (-20, ny), (-100, ny)], shade(belly, 0.9))
    nacelle = rounded_pts(-200, ny - 38, -10, ny + 38, 34)
    p.poly(nacelle, c2)
    p.overlay(nacelle, SHADOW, lambda t: t**1.5, 0.45, "y")
    p.poly([(-10, ny - 22), (40, ny - 4), (-10, ny + 16)], (120, 122, 130))
    p.ellipse(-200, ny, 16, 38, (70, 72, 80), (225, 228, 232), 4)


def _jet_top(p: Pen, r: float, c1: Colour, c2: Colour, hull: Colour) -> None:
    cy, grey = -400, (206, 211, 218)
    body = ellipse_pts(-430, cy, 120, r, 90, 270) + [
        (430, cy - r * 0.75),
        (552, cy - 10),
        (552, cy + 10),
        (430, cy + r * 0.75),
    ]
    wings = [
        [
            (-130, cy + k * (r - 4)),
            (120, cy + k * (r - 4)),
            (300, cy + k * 375),
            (238, cy + k * 375),
        ]
        for k in (-1, 1)
    ]
    tails = [
        [(395, cy + k * r * 0.6), (475, cy + k * r * 0.5), (550, cy + k * 165), (512, cy + k * 165)]
        for k in (-1, 1)
    ]
    engines = [rounded_pts(-170, cy + k * 175 - 22, 20, cy + k * 175 + 22, 20) for k in (-1, 1)]
    p.child(60, 90).soft([body, *wings, *tails], SHADOW, 0.28, 22)
    for e in engines:
        p.poly(e, c2)
        p.overlay(e, SHADOW, lambda t: t, 0.3, "y")
    for pts in wings + tails:
        p.poly(pts, grey)
        p.line(pts[2:] + pts[:1], shade(grey, 0.85), 3)
    for k in (-1, 1):
        p.line([(238, cy + k * 375), (300, cy + k * 375)], c1, 12)
    p.poly(body, hull)
    p.line([(-380, cy), (430, cy)], c1, 12)
    p.line([(420, cy), (552, cy)], shade(c1, 0.8), 16)  # fin seen edge-on from above
    p.poly([(-505, cy - 26), (-480, cy - 30), (-480, cy + 30), (-505, cy + 26)], (40, 52, 72))
    p.overlay(body, SHADOW, lambda t: abs(t - 0.4) * 1.6, 0.3, "y")
