"""A high-wing twin turboprop display model: ATR 72 style (T-tail) or CN-235 style (upswept tail).

The side view is drawn as the jet's is: the fuselage in profile, with wings, tailplanes and
propeller discs sheared by a fixed oblique depth so the near wing comes towards the viewer.
"""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import SHADOW, WHITE, Colour, Point, ellipse_pts, rounded_pts, shade
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import spline
from shop.demo.drawings.aircraft import stand

KX, KY = 0.44, 0.3  # oblique depth: a point z nearer the viewer is drawn (z*KX, z*KY) off
Plan = tuple[tuple[float, float, float], ...]  # a flying surface: (depth, leading x, trailing x)
WING: Plan = ((0, -70, 40), (210, -70, 40), (500, -44, 8))
ENGINE_Z, PROP_R = 165, 80
BLADE = ((0, -7), (0.35, -10), (0.92, -6), (1, 0), (0.92, 5), (0.35, 8), (0, 6))  # (out, across)
HULL, BELLY, GREY, GLASS = (246, 247, 249), (200, 205, 212), (222, 225, 230), (40, 52, 72)
# Fuselage side outlines as (x, height in radii below the axis), clockwise from the nose.
ATR = ((-524, 0.25), (-512, -0.35), (-480, -0.78), (-430, -0.98), (-350, -1), (320, -1))
ATR += ((440, -0.88), (520, -0.6), (540, -0.35), (500, -0.15), (400, 0.35), (280, 0.85))
ATR += ((180, 1), (-420, 1), (-490, 0.8), (-516, 0.55))
CN = ((-524, 0.1), (-516, -0.45), (-488, -0.85), (-440, -1), (-350, -1), (330, -1))
CN += ((450, -0.95), (530, -0.9), (546, -0.7), (470, -0.55), (330, 0.2), (200, 0.85))
CN += ((120, 1), (-430, 1), (-495, 0.8), (-518, 0.5))


def pr(x: float, y: float, z: float) -> Point:
    """Project a point at depth z (positive: nearer the viewer) onto the side view."""
    return (x + z * KX, y + z * KY)


def _surface(p: Pen, plan: Plan, y: float, side: int, c: Colour) -> None:
    """Draw one half (side -1 far, 1 near) of a wing or tailplane, with its leading-edge face."""
    le = [pr(x0, y, side * z) for z, x0, _ in plan]
    te = [pr(x1, y, side * z) for z, _, x1 in plan]
    p.poly([(x, yy + 9) for x, yy in le] + le[::-1], shade(c, 0.62))
    p.poly(le + te[::-1], c)
    p.overlay(le + te[::-1], SHADOW, lambda t: t, 0.18, "y")
    p.line([le[-1], *te[::-1]], shade(c, 0.78), 2.5)
    p.line(le, shade(c, 1.15), 3)


def _prop(p: Pen, x: float, y: float, blades: int, spin: float) -> None:
    """Draw a propeller: a faint disc (in the height-depth plane), the blades and a spinner."""

    def at(a: float, out: float, across: float) -> Point:
        ca, sa = math.cos(a), math.sin(a)
        return pr(x, y + out * sa + across * ca, out * ca - across * sa)

    disc = [at(math.radians(d), PROP_R, 0) for d in range(0, 360, 5)]
    p.overlay(disc, (236, 238, 242), lambda t: 1.0, 0.4)
    p.line([*disc, disc[0]], (160, 164, 172), 1.5)
    for k in range(blades):
        a = math.radians(spin + 360 * k / blades)
        p.poly([at(a, f * PROP_R, w) for f, w in BLADE], (46, 48, 54))
        p.line([at(a, 0.2 * PROP_R, 1), at(a, 0.9 * PROP_R, 0)], (118, 122, 132), 2)
    cone = [(x - 38, y), (x - 16, y - 15), (x + 4, y - 18), (x + 4, y + 18), (x - 16, y + 15)]
    p.poly(cone, (238, 240, 244))
    p.overlay(cone, SHADOW, lambda t: t**1.5, 0.55, "y")


def _engine(p: Pen, z: float, y: float, skin: Colour, c2: Colour, blades: int, spin: float):
    """Draw a nacelle hung under the wing at depth z (y: wing height), with its propeller."""
    q = p.child(*pr(0, y + 30, z))
    x0, x1 = WING[0][1] - 95, WING[0][2] + 25
    nacelle = [(x0, -20), (x0 + 30, -26), (x1 - 30, -26), (x1 + 30, -20), (x1, -4)]
    nacelle += [(x1 - 50, 16), (x0 + 60, 32), (x0 + 14, 28), (x0, 10)]
    q.poly(nacelle, skin)
    q.poly([(x0 + 22, -25), (x0 + 36, -26), (x0 + 36, 31), (x0 + 22, 30)], c2)
    q.overlay(nacelle, SHADOW, lambda t: t**1.3, 0.55, "y")
    q.poly([(x0 + 4, 18), (x0 + 34, 24), (x0 + 32, 31), (x0 + 10, 28)], (60, 62, 70))  # intake
    _prop(q, x0 - 4, -4, blades, spin)


def turboprop(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    cn = rng.random() < 0.5  # CN-235 style (upswept tail, low tailplane) or ATR 72 (T-tail)
    r, cy, spin = 50 * rng.uniform(0.95, 1.05), -480, rng.uniform(0, 90)
    blades = 4 if cn else 6
    if alt:
        _top(p.child(0, -420, scale=0.9), r, c1, c2, cn, blades, spin)
        return
    stand(p, rng, 40, cy + r * 1.2)
    wy, top = cy - r - 4, cy - r - (195 if cn else 178)  # the wing sits on the fuselage
    if cn:  # a tall fin over the upswept tail, the tailplane low on the fuselage
        fin = [(220, cy - r + 4), (340, cy - r - 30), (455, top), (525, top), (545, cy - 0.75 * r)]
        stab, tail_y = ((0, 430, 520), (150, 475, 515)), cy - 0.6 * r
    else:  # ATR: a T-tail, the tailplane on top of the fin
        fin = [(250, cy - r + 4), (350, cy - r - 28), (470, top), (535, top), (548, cy - 0.4 * r)]
        stab, tail_y = ((0, 462, 535), (150, 497, 530)), top + 2
    _surface(p, stab, tail_y, -1, shade(GREY, 0.9))
    p.poly(fin, c1)
    p.poly([fin[2], (fin[2][0] + 34, top), (fin[1][0] + 50, cy - r), (fin[0][0] + 40, cy - r)], c2)
    _engine(p, -ENGINE_Z, wy, shade(HULL, 0.9), c2, blades, spin)
    keys = CN if cn else ATR
    body = spline([(x, cy + k * r) for x, k in (*keys, keys[0])], 6)
    with p.clip(body, HULL) as q:
        q.rect(-600, cy + r * 0.35, 600, cy + r + 10, BELLY)
        q.rect(-600, cy + 6, 600, cy + 18, c1)  # cheat line in the livery colours
        q.rect(-600, cy + 18, 600, cy + 24, c2)
        for x in range(-360, 300, 60 if cn else 30):
            if not (-392 < x < -350 or 250 < x < 290):
                q.rounded(x, cy - 24, x + 12, cy - 8, 6, GLASS)
        for x in (-385, 255):  # doors
            q.poly(rounded_pts(x, cy - 36, x + 26, cy + 28, 6), None, (150, 156, 166), 2)
        q.poly([(-505, cy - 16), (-480, cy - 30), (-470, cy - 16), (-509, cy - 4)], GLASS)
        q.poly([(-464, cy - 32), (-436, cy - 35), (-436, cy - 18), (-460, cy - 15)], GLASS)
        for i in range(5):  # airline title on the crown, as abstract lettering
            q.rounded(-300 + i * 32, cy - 44, -276 + i * 32, cy - 33, 3, c1)
    p.overlay(body, SHADOW, lambda t: (max(0.0, t - 0.35) / 0.65) ** 1.5, 0.45, "y")
    p.overlay(body, WHITE, lambda t: math.exp(-(((t - 0.22) / 0.08) ** 2)), 0.55, "y")
    sponson = rounded_pts(-80, cy + r * 0.25, 150, cy + r * 1.2, 28)  # main gear fairing
    p.poly(sponson, BELLY)
    p.overlay(sponson, SHADOW, lambda t: t**1.3, 0.45, "y")
    _surface(p, stab, tail_y, 1, GREY)
    _surface(p, WING, wy, -1, shade(GREY, 0.92))
    _surface(p, WING, wy, 1, GREY)
    p.line([pr(-40, wy, 500), pr(8, wy, 500)], c1, 7)
    _engine(p, ENGINE_Z, wy, HULL, c2, blades, spin + 17)


def _top(p: Pen, r: float, c1: Colour, c2: Colour, cn: bool, blades: int, spin: float) -> None:
    """Draw the turboprop seen from above, centred on the pen's origin, nose to the left."""
    body = ellipse_pts(-430, 0, 95, r, 90, 270) + [(420, -r * 0.7), (545, -8), (545, 8)]
    body += [(420, r * 0.7)]
    plan = [(x0, z) for z, x0, _ in WING] + [(x1, z) for z, _, x1 in WING[::-1]]
    wings = [[(x, k * z) for x, z in plan] for k in (-1, 1)]
    stab = (462, 535, 497, 530) if not cn else (430, 520, 475, 515)
    tails = [
        [(stab[0], k * r * 0.5), (stab[2], k * 150), (stab[3], k * 150), (stab[1], k * r * 0.5)]
        for k in (-1, 1)
    ]
    p.child(60, 90).soft([body, *wings, *tails], SHADOW, 0.28, 22)
    x0, x1 = WING[0][1] - 95, WING[0][2] + 25
    for k in (-1, 1):
        p.poly(wings[(k + 1) // 2], GREY, shade(GREY, 0.8), 2)
        p.line([(-40, k * 500), (4, k * 500)], c1, 10)
        nacelle = rounded_pts(x0, k * ENGINE_Z - 26, x1 + 30, k * ENGINE_Z + 26, 24)
        p.poly(nacelle, HULL)
        p.overlay(nacelle, SHADOW, lambda t: abs(t - 0.4) * 1.6, 0.35, "y")
        p.rect(x0 + 22, k * ENGINE_Z - 25, x0 + 36, k * ENGINE_Z + 25, c2)
        disc = ellipse_pts(x0 - 8, k * ENGINE_Z, 9, PROP_R, n=36)  # seen edge-on from above
        p.overlay(disc, (236, 238, 242), lambda t: 1.0, 0.55)
        for j in range(blades):  # each blade shows as long as its share of the disc's depth
            out = PROP_R * math.cos(math.radians(spin + 360 * j / blades))
            p.line([(x0 - 8, k * ENGINE_Z), (x0 - 8, k * ENGINE_Z + out)], (46, 48, 54), 9)
        p.poly([(x0 - 40, k * ENGINE_Z), (x0, k * ENGINE_Z - 18), (x0, k * ENGINE_Z + 18)], HULL)
    for pts in tails if cn else ():
        p.poly(pts, GREY, shade(GREY, 0.8), 2)
    p.poly(body, HULL)
    p.line([(-380, 0), (420, 0)], c1, 12)
    p.line([(250, 0), (545, 0)], shade(c1, 0.8), 14)  # fin seen edge-on from above
    for pts in () if cn else tails:  # the T-tail's tailplane sits on top of the fin
        p.poly(pts, GREY, shade(GREY, 0.8), 2)
    p.poly([(-500, -24), (-478, -28), (-478, 28), (-500, 24)], GLASS)
    p.overlay(body, SHADOW, lambda t: abs(t - 0.4) * 1.6, 0.3, "y")
