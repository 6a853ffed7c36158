"""Woven and bamboo home pieces: rattan basket, rattan lamp and vase."""

from __future__ import annotations

import math
from random import Random

from shop.demo.drawings._canvas import SHADOW, Colour, Point, ellipse_pts, shade
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import lathe, spline


def basket(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    rt, rb, yt = 430 * rng.uniform(0.95, 1.05), 330, -540 * rng.uniform(0.9, 1.05)
    if alt:
        _basket_top(p, c1, c2)
        return

    def pt(t: float, th: float) -> Point:
        rr, ry = rb + (rt - rb) * t, (rb + (rt - rb) * t) * 0.26
        return (rr * math.cos(th), -20 + (yt + 20) * t + ry * math.sin(th))

    p.shadow(0, -20, rb * 1.15, 70, 0.5)
    p.ellipse(0, yt, rt, rt * 0.26, shade(c1, 0.4))
    for k in range(1, 6):
        p.line(
            ellipse_pts(0, yt + 50 * k, rt - 20 * k, (rt - 20 * k) * 0.26, 190, 350),
            shade(c1, 0.55),
            5,
        )
    for side in (-1, 1):
        loop = ellipse_pts(
            side * (rt + 5), yt + 60, 80, 60, 90 if side < 0 else -90, 270 if side < 0 else 90
        )
        p.line(loop, shade(c1, 0.75), 30)
        p.line(loop, c1, 16)
    rows, cols = 12, 26
    for i in range(rows):
        for j in range(cols):
            t0, t1 = i / rows, (i + 1) / rows
            a0, a1 = math.pi * j / cols, math.pi * (j + 1) / cols
            cell = [pt(t0, a0), pt(t0, a1), pt(t1, a1), pt(t1, a0)]
            over = (i + j) % 2 == 0
            p.poly(cell, shade(c1, 1.05 if over else 0.82), shade(c1, 0.5), 2)
            if over:  # the weaver shows: a horizontal highlight
                p.line(
                    [pt((t0 + t1) / 2, a0 + 0.02), pt((t0 + t1) / 2, a1 - 0.02)], shade(c1, 1.25), 4
                )
            else:  # the stake shows: a vertical strand
                am = (a0 + a1) / 2
                p.line([pt(t0, am), pt(t1, am)], shade(c2, 0.9), 6)
    body = [pt(1, math.pi * j / 40) for j in range(41)] + [
        pt(0, math.pi * j / 40) for j in range(40, -1, -1)
    ]
    p.cylinder(body, 0.55, 0.2)
    rim = ellipse_pts(0, yt, rt, rt * 0.26, n=120)
    p.line(rim, shade(c1, 0.7), 34)
    p.line(rim, shade(c1, 1.05), 24)
    for x, y in rim[::3]:
        p.line([(x - 7, y - 10), (x + 7, y + 10)], shade(c1, 0.6), 3)


def _basket_top(p: Pen, c1: Colour, c2: Colour) -> None:
    cy, radius = -370, 350
    p.child(30, 40).soft([ellipse_pts(0, cy, radius, radius)], SHADOW, 0.35, 28)
    rings, spokes = 9, 32
    for i in range(rings):
        for j in range(spokes):
            r0, r1 = radius * i / rings, radius * (i + 1) / rings
            a0, a1 = 360 * j / spokes, 360 * (j + 1) / spokes
            cell = ellipse_pts(0, cy, r0, r0, a0, a1, 3) + ellipse_pts(0, cy, r1, r1, a1, a0, 3)
            p.poly(cell, shade(c1, 1.05 if (i + j) % 2 else 0.8), shade(c1, 0.5), 2)
    p.ellipse(0, cy, 40, 40, shade(c2, 0.8))
    p.line(ellipse_pts(0, cy, radius, radius, n=120), shade(c1, 0.8), 30)
    p.overlay(ellipse_pts(0, cy, radius, radius), SHADOW, lambda t: max(0.0, 1 - 2 * t), 0.3)


def lamp(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    top_r, bot_r, glow = 160 * rng.uniform(0.9, 1.1), 290 * rng.uniform(0.95, 1.05), (255, 212, 140)
    p.soft([ellipse_pts(0, -560, 560, 430)], glow, 0.45 if alt else 0.22, 120)
    p.soft([ellipse_pts(0, -30, 440, 90)], glow, 0.45 if alt else 0.25, 40)
    p.shadow(0, -30, 200, 45, 0.35)
    p.ellipse(0, -26, 165, 40, shade(c2, 0.55))
    p.rect(-165, -54, 165, -26, shade(c2, 0.55))
    p.ellipse(0, -54, 165, 40, shade(c2, 1.1))
    stem = lathe(
        [(-470, 12), (-330, 12)]
        + spline([(-330, 14), (-300, 50), (-250, 112), (-180, 138), (-110, 118), (-60, 72)]),
        0.25,
    )
    p.poly(stem, c2)
    p.cylinder(stem, 0.55, 0.45)
    p.ellipse(0, -780, top_r, top_r * 0.22, (255, 236, 196))
    front = ellipse_pts(0, -780, top_r, top_r * 0.22, 0, 180) + ellipse_pts(
        0, -470, bot_r, bot_r * 0.22, 180, 0
    )
    with p.clip(front, (255, 230, 180) if alt else (236, 214, 170)) as q:
        for k in range(-30, 30):  # open rattan lattice, light shining through
            x = k * 40
            q.line([(x, -800), (x + 340, -440)], c1, 10)
            q.line([(x, -800), (x - 340, -440)], shade(c1, 0.9), 10)
    p.cylinder(front, 0.35, 0.0)
    for y, rr in ((-780, top_r), (-470, bot_r)):
        p.line(ellipse_pts(0, y, rr, rr * 0.22, 0, 180), shade(c1, 0.7), 16)


def vase(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    hgt, belly = 740 * rng.uniform(0.92, 1.08), 230 * rng.uniform(0.9, 1.1)
    keys = [
        (1.0, 0.47),
        (0.97, 0.44),
        (0.88, 0.34),
        (0.75, 0.4),
        (0.55, 0.86),
        (0.35, 1.0),
        (0.1, 0.74),
        (0.0, 0.52),
    ]
    profile = [(y, r) for r, y in spline([(belly * f, -hgt * t) for t, f in keys], 6)]
    rim_r = belly * keys[0][1]
    tilt = 0.38 if alt else 0.25
    if alt:  # without the stems: mirrored, seen from higher up and closer
        p = p.child(0, 0, flip=True, scale=1.3)
    p.shadow(0, -10, belly * 1.2, 60, 0.45)
    if not alt:
        for k in range(7):  # dried stems make it read as a vase at a glance
            a = math.radians(-35 + k * 12 + rng.uniform(-4, 4))
            ln = rng.uniform(300, 460)
            pts = [
                (math.sin(a) * ln * u * (1 + 0.3 * u), -hgt + 30 - math.cos(a) * ln * u)
                for u in (0, 0.3, 0.6, 0.8, 1.0)
            ]
            p.line(pts, (150, 120, 80), 5)
            for x, y in pts[2:]:
                p.ellipse(x, y, 14, 22, (214, 190, 150))
    outline = lathe(profile, tilt)
    with p.clip(outline, c1) as q:
        for y0, y1 in ((-hgt * 0.47, -hgt * 0.41), (-hgt * 0.72, -hgt * 0.69)):
            q.rect(-belly * 1.1, y0, belly * 1.1, y1, c2)
        y = -hgt * 0.56
        for k in range(-8, 9):  # batik-like dots along the shoulder band
            q.dot(k * 34, y + (k % 2) * 14, 9, c2)
    p.cylinder(outline, 0.6, 0.4)
    rr = rim_r
    p.ellipse(0, -hgt, rr, rr * tilt, shade(c1, 1.1))
    p.ellipse(0, -hgt + 2, rr - 14, (rr - 14) * tilt, shade(c1, 0.3))
