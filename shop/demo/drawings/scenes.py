"""Whole scenes: the prison workshop interior, and the room a product is shown in (view 3)."""

from __future__ import annotations

from random import Random

from PIL import Image

from shop.demo.drawings._canvas import SHADOW, SS, WHITE, Colour, H, W, ellipse_pts, rgb, shade
from shop.demo.drawings._pen import Pen
from shop.demo.drawings._shapes import grain
from shop.demo.drawings.tableware import bowl


def room(p: Pen, wall: Colour, floor: Colour, floor_y: float, mirror: bool) -> None:
    """Draw a living room in 1280x960 scene units: wall, window with daylight, plank floor."""
    p.gradient(0, 0, 1280, floor_y, shade(wall, 0.84), wall)
    wx = 1280 - 420 if mirror else 90
    sky = [(wx, 90), (wx + 330, 90), (wx + 330, 560), (wx, 560)]
    p.rect(wx - 22, 68, wx + 352, 582, (246, 244, 238))
    p.poly(sky, (214, 232, 244))
    p.overlay(sky, WHITE, lambda t: 1 - t * 0.6, 0.8, "y")
    trees = [
        (wx + 40, 380),
        (wx + 140, 250),
        (wx + 250, 330),
        (wx + 330, 300),
        (wx + 330, 560),
        (wx, 560),
        (wx, 420),
    ]
    p.soft([trees], (120, 150, 110), 0.5, 18)  # greenery outside the window
    for x in (wx + 160, wx + 170):
        p.rect(x, 90, x + 10, 560, (246, 244, 238))
    p.rect(wx, 318, wx + 330, 330, (246, 244, 238))
    p.rect(wx - 40, 582, wx + 370, 600, (232, 228, 220))
    lx = wx + 380 if not mirror else wx - 520
    sun = [(lx, 140), (lx + 300, 160), (lx + 340, 560), (lx + 20, 600)]
    p.soft([sun], (255, 246, 225), 0.22, 30)  # daylight falling on the wall
    if floor_y < 940:
        p.gradient(0, floor_y, 1280, 960, floor, shade(floor, 1.12))
        vx, vy = 640, floor_y - 900
        for i in range(-14, 15):
            x = 640 + i * 120
            top = (vx + (x - vx) * (floor_y - vy) / (960 - vy), floor_y)
            p.line([top, (x, 960)], shade(floor, 0.8), 2)
        for y in (floor_y + 60, floor_y + 150, floor_y + 270):
            p.line([(0, y), (1280, y)], shade(floor, 0.9), 1.2)
        p.rect(0, floor_y - 26, 1280, floor_y, shade(wall, 1.25))


def tabletop(p: Pen, rng: Random, colour: Colour, top: float, front: float) -> None:
    """Draw a wooden table top filling the lower part of a 1280x960 scene."""
    surface = [(0, top), (1280, top), (1280, front), (0, front)]
    with p.clip(surface, colour) as q:
        grain(q, rng, (0, top, 1280, front), shade(colour, 0.82), spacing=9, amp=3, width=1.5)
    p.overlay(surface, SHADOW, lambda t: 1 - t, 0.25, "y")
    p.rect(0, front, 1280, front + 34, shade(colour, 0.7))
    p.gradient(0, front + 34, 1280, 960, shade(colour, 0.28), shade(colour, 0.4))


def workshop(p: Pen, rng: Random, c1: Colour, c2: Colour, alt: bool) -> None:
    """Draw a prison workshop interior (no people) in 1280x960 scene units."""
    wood, steel = (176, 130, 84), (96, 100, 108)
    p.rect(0, 0, 1280, 700, c2)  # palette: (accent paint on the lower wall, wall colour)
    p.rect(0, 520, 1280, 700, c1)
    p.overlay([(0, 0), (1280, 0), (1280, 700), (0, 700)], SHADOW, lambda t: 1 - t, 0.25, "y")
    p.rect(0, 700, 1280, 960, (150, 143, 134))
    p.overlay([(0, 700), (1280, 700), (1280, 960), (0, 960)], SHADOW, lambda t: 1 - t, 0.3, "y")
    p.rect(60, 80, 400, 480, (70, 82, 76))
    sky = [(76, 96), (384, 96), (384, 464), (76, 464)]
    p.poly(sky, (226, 236, 240))
    p.overlay(sky, WHITE, lambda t: 1 - t, 0.7, "y")
    for x in (178, 280):
        p.rect(x, 96, x + 8, 464, (70, 82, 76))
    for y in (218, 340):
        p.rect(76, y, 384, y + 8, (70, 82, 76))
    p.soft([[(76, 96), (384, 96), (900, 960), (300, 960)]], (255, 246, 220), 0.16, 30)
    p.soft([[(420, 760), (760, 760), (900, 930), (480, 930)]], (255, 246, 220), 0.25, 20)
    for k in range(3):  # planks leaning on the wall
        x = 420 + k * 34
        p.poly([(x, 300), (x + 26, 296), (x + 70, 700), (x + 44, 704)], shade(wood, 0.9 + k * 0.07))
    board = [(560, 120), (1200, 120), (1200, 470), (560, 470)]
    p.poly(board, (200, 168, 120))
    for y in range(135, 470, 22):
        for x in range(575, 1200, 22):
            p.dot(x, y, 3, (120, 96, 64))
    _tools(p, wood, steel)
    p.rect(560, 76, 1200, 90, shade(wood, 0.8))
    for k in range(9):
        x = 580 + k * 68
        if k % 3 == 0:
            bowl(p.child(x + 25, 76, scale=0.07), rng, wood, wood, False)
        else:
            p.rect(x, 36, x + 44, 76, shade((150, 160, 170), 0.8 + 0.05 * k))
    bench = [(60, 560), (1230, 560), (1230, 600), (60, 600)]
    p.poly(bench, wood)
    with p.clip(bench) as q:
        grain(q, rng, (60, 560, 1230, 600), shade(wood, 0.8), 6, 2, 1.2)
    p.rect(60, 600, 1230, 628, shade(wood, 0.6))
    for x in (90, 620, 1180):
        p.rect(x, 628, x + 30, 900, shade(wood, 0.55))
    p.rect(90, 810, 1210, 826, shade(wood, 0.6))
    for k in range(4):
        p.rect(140 + k * 12, 790 - k * 14, 560 + k * 20, 810 - k * 14, shade(wood, 0.75 + k * 0.06))
    p.rect(1080, 520, 1190, 562, steel)
    p.rect(1100, 500, 1170, 524, shade(steel, 1.2))
    p.line([(1060, 544), (1210, 544)], (60, 60, 66), 6)
    # Finished pieces on the bench; which ones depends on the seed, so workshops differ. The kinds
    # table is imported here, not at the top, because it lists this module's workshop too.
    from shop.demo.drawings import _KINDS

    pieces = rng.sample(["aircraft", "bowl", "basket", "vase", "cup", "lamp"], 3)
    for x, kind in zip((300, 780, 940), pieces, strict=True):
        spec = _KINDS[kind]
        scale = 0.12 * 1000 / max(spec.extent)
        a, b = (rgb(c) for c in spec.palettes[0])
        spec.fn(p.child(x, 560, scale=scale), rng, a, b, False)
    p.soft([ellipse_pts(560, 556, 70, 6), ellipse_pts(640, 557, 40, 4)], (236, 210, 160), 0.9, 3)
    p.rect(470, 536, 560, 556, shade(wood, 1.1))  # blocks waiting to be carved
    p.rect(500, 516, 545, 536, shade(wood, 0.95))
    p.rounded(600, 520, 640, 552, 6, shade(wood, 0.7))  # mallet
    p.rect(640, 532, 700, 540, shade(wood, 0.8))
    p.rect(480, 0, 484, 150, (40, 40, 40))  # pendant lamp over the bench
    p.poly([(440, 190), (524, 190), (494, 150), (470, 150)], (60, 70, 66))
    p.soft([ellipse_pts(482, 200, 60, 20)], (255, 236, 190), 0.8, 16)


def _tools(p: Pen, wood: Colour, steel: Colour) -> None:
    """Hang hand tools on the pegboard."""
    handle = shade(wood, 0.85)
    p.rect(600, 160, 616, 330, handle)  # hammer
    p.poly([(572, 150), (650, 150), (650, 176), (572, 176)], steel)
    p.rounded(690, 140, 780, 215, 22, handle)  # hand saw: handle on top, teeth on the left
    p.rounded(712, 158, 758, 192, 12, (200, 168, 120))
    p.poly([(696, 205), (780, 205), (766, 440), (724, 440)], (176, 180, 186))
    for k in range(16):
        y = 210 + k * 14.5
        x = 696 + (y - 205) * 28 / 235
        p.poly([(x, y), (x - 7, y + 7), (x + 1.5, y + 14)], (176, 180, 186))
    for k in range(4):  # chisels
        x = 840 + k * 34
        p.rounded(x, 150, x + 18, 240, 6, handle)
        p.rect(x + 4, 240, x + 14, 330 - k * 12, (150, 154, 160))
    p.line([(1000, 150), (1020, 280), (1000, 380)], (180, 50, 40), 10)  # pliers
    p.line([(1040, 150), (1020, 280), (1040, 380)], (180, 50, 40), 10)
    p.poly([(1070, 150), (1090, 150), (1090, 420), (1070, 420)], (190, 192, 196))  # square
    p.poly([(1070, 400), (1180, 400), (1180, 420), (1070, 420)], (190, 192, 196))
    for k in range(3):  # screwdrivers
        x = 1110 + k * 28
        p.rounded(x, 160, x + 18, 230, 8, ((200, 60, 40), (240, 180, 40), (50, 90, 160))[k])
        p.rect(x + 7, 230, x + 11, 330, steel)
    p.line([(800, 440), (1000, 440)], (210, 180, 120), 14)  # spirit level
    p.rect(885, 434, 915, 446, (120, 200, 80))


def workshop_view(rng: Random, c1: Colour, c2: Colour, view: int) -> Image.Image:
    img = Image.new("RGB", (W, H))
    mirror = rng.random() < 0.5  # half of the workshops are seen from the other side
    if view == 1:  # the same room from the other side, later in the day
        mirror = not mirror
    # view 2: close-up of the tool wall; view 3: of the bench with finished pieces
    zoom, (fx, fy) = {2: (2.0, (880, 300)), 3: (1.9, (520, 520))}.get(view, (1.0, (640, 480)))
    s = SS * zoom
    pen = Pen(img, W / 2 + (fx if mirror else -fx) * s, H / 2 - fy * s, s, flip=mirror)
    workshop(pen, rng, c1, c2, view == 1)
    if view == 1:
        pen.overlay([(0, 0), (1280, 0), (1280, 960), (0, 960)], (255, 170, 90), lambda t: 1.0, 0.1)
    return img
