"""Furniture standing on the floor: cane chair, stool, table and shelf."""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import SHADOW, WHITE, Colour, ellipse_pts, shade
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import block, cane, grain, proj


def chair(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    sw, sd, sh, bh, leg = 480 * rng.uniform(0.95, 1.05), 440, 460, 980, 40
    pr = proj(0.42, -0.3)
    x0 = -sw / 2 - 90
    x1 = x0 + sw
    if alt:
        p = p.child(0, 0, flip=True)
    p.shadow(*pr((x0 + x1) / 2, 0, sd / 2), sw * 0.8, 100, 0.4)
    for x in (x0, x1 - leg):
        block(p, pr, (x, x + leg), (0, bh), (sd - leg, sd), c1)
    panel = [
        pr(x0 + leg, sh + 110, sd - 20),
        pr(x1 - leg, sh + 110, sd - 20),
        pr(x1 - leg, bh - 90, sd - 20),
        pr(x0 + leg, bh - 90, sd - 20),
    ]
    with p.clip(panel, c2) as q:
        xs, ys = [x for x, _ in panel], [y for _, y in panel]
        cane(q, (min(xs), min(ys), max(xs), max(ys)), c2, 34)
    block(p, pr, (x0 + leg, x1 - leg), (bh - 90, bh - 20), (sd - leg, sd), c1)
    block(p, pr, (x0 + leg, x1 - leg), (sh + 70, sh + 110), (sd - leg, sd), c1)
    block(p, pr, (x0 + leg, x1 - leg), (150, 180), (sd - 30, sd - 10), c1)
    for x in (x0 + 8, x1 - 30):
        block(p, pr, (x, x + 22), (150, 180), (leg, sd - leg), c1)
    for x in (x0, x1 - leg):
        block(p, pr, (x, x + leg), (0, sh - 45), (0, leg), c1)
    block(p, pr, (x0 + leg, x1 - leg), (220, 250), (10, 30), c1)
    block(p, pr, (x0 - 10, x1 + 10), (sh - 45, sh), (-10, sd + 10), c1)
    seat = [
        pr(x0 + 28, sh, 25),
        pr(x1 - 28, sh, 25),
        pr(x1 - 28, sh, sd - 25),
        pr(x0 + 28, sh, sd - 25),
    ]
    with p.clip(seat, c2) as q:
        xs, ys = [x for x, _ in seat], [y for _, y in seat]
        cane(q, (min(xs), min(ys), max(xs), max(ys)), c2, 30)
    p.overlay(seat, SHADOW, lambda t: t, 0.2)


def stool(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    rx, top, tilt = 270 * rng.uniform(0.92, 1.08), -700, 0.4 if alt else 0.3
    ry = rx * tilt
    p.shadow(0, -40, 330, 330 * tilt * 0.5, 0.4)
    legs = [
        ((-110, top + 40), (-190, -80)),
        ((110, top + 40), (190, -80)),
        ((-170, top + 70), (-270, 0)),
        ((170, top + 70), (270, 0)),
    ]
    for n, ((tx, ty), (fx, fy)) in enumerate(legs):
        if n == 2:  # rungs between the back legs go behind the front legs
            p.line([(-150, -300), (150, -300)], shade(c1, 0.6), 26)
        leg = [(tx - 24, ty), (tx + 24, ty), (fx + 17, fy), (fx - 17, fy)]
        p.poly(leg, shade(c1, 0.75 if n < 2 else 1.0))
        p.cylinder(leg, 0.5, 0.3)
    for side in (-1, 1):
        p.line([(side * 222, -250), (side * 162, -330)], shade(c1, 0.85), 26)
    p.line([(-222, -250), (222, -250)], c1, 28)
    p.ellipse(0, top + 55, rx, ry, shade(c1, 0.55))
    p.rect(-rx, top, rx, top + 55, shade(c1, 0.55))
    seat = ellipse_pts(0, top, rx, ry)
    with p.clip(seat, c1) as q:
        grain(q, rng, (-rx, top - ry, rx, top + ry), shade(c1, 0.8), 11, 3, 2)
    p.overlay(seat, SHADOW, lambda t: t, 0.25)
    p.line(ellipse_pts(0, top, rx - 6, ry - 2, 20, 160), shade(c1, 1.3), 4)


def table(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    tw, td, th, leg = 1000 * rng.uniform(0.95, 1.05), 500, 440, 56
    pr = proj(0.42, -0.28)
    x0 = -tw / 2 - 100
    x1 = x0 + tw
    if alt:
        p = p.child(0, 0, flip=True)
    p.shadow(*pr((x0 + x1) / 2, 0, td / 2), tw * 0.7, 110, 0.4)
    for z in (td - 40 - leg, 40):
        for x in (x0 + 40, x1 - 40 - leg):
            block(p, pr, (x, x + leg), (0, th - 40), (z, z + leg), c1)
        if z > 40:
            block(p, pr, (x0 + 60, x1 - 60), (th - 100, th - 40), (z, z + 20), shade(c1, 0.8))
    block(p, pr, (x0 + 60, x1 - 60), (th - 100, th - 40), (40, 60), shade(c1, 0.9))
    top = block(p, pr, (x0, x1), (th - 40, th), (0, td), c1)
    with p.clip(top, shade(c1, 1.1)) as q:
        grain(q, rng, (x0, -th - td, x1 + td, -th + 10), shade(c1, 0.85), 12, 4, 2.2)
    p.overlay(top, WHITE, lambda t: math.exp(-(((t - 0.35) / 0.2) ** 2)), 0.2)


def shelf(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    sw, sd, sh, t = 760, 260, 1000 * rng.uniform(0.95, 1.05), 26
    pr = proj(0.4, -0.3)
    x0 = -sw / 2 - 50
    x1 = x0 + sw
    if alt:
        p = p.child(0, 0, flip=True)
    p.shadow(*pr(0 - 50, 0, sd / 2), sw * 0.7, 90, 0.4)
    p.poly([pr(x0, 0, sd), pr(x1, 0, sd), pr(x1, sh, sd), pr(x0, sh, sd)], shade(c1, 0.55))
    p.poly(
        [pr(x0 + t, 0, 0), pr(x0 + t, 0, sd), pr(x0 + t, sh, sd), pr(x0 + t, sh, 0)], shade(c1, 0.8)
    )
    levels = [0, sh * 0.3, sh * 0.58, sh * 0.84]
    books = [(150, 70, 60), (60, 90, 120), (190, 160, 90), (80, 110, 80), (120, 90, 140)]
    for i, y in enumerate(levels):
        block(p, pr, (x0 + t, x1 - t), (y, y + t + (30 if i == 0 else 0)), (0, sd), c1)
        if i == len(levels) - 1:
            break
        x, base = x0 + t + 20, y + t + (30 if i == 0 else 0)
        room_h = levels[i + 1] - base - 30
        while x < x1 - t - 60:
            if rng.random() < 0.2 and x < x1 - 200:  # a woven basket or a pot between books
                bw = rng.uniform(110, 150)
                block(p, pr, (x, x + bw), (base, base + room_h * 0.5), (40, 200), c2)
                x += bw + 20
                continue
            bw, bh = rng.uniform(24, 44), room_h * rng.uniform(0.6, 0.95)
            block(p, pr, (x, x + bw), (base, base + bh), (30, 200), rng.choice(books))
            x += bw + 3
    for x in (x0, x1 - t):
        block(p, pr, (x, x + t), (0, sh), (0, sd), c1)
    block(p, pr, (x0, x1), (sh - t, sh), (0, sd), c1)
