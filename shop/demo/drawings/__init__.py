"""Product pictures drawn with Pillow, so the demo catalog works offline without photos.

`draw()` and `KINDS` are the public API. Each product family draws itself in its own module
(aircraft, turboprop, tableware, woven, furniture, scenes) with the private helpers: `_canvas`
(frame size, colours, studio backdrop), `_pen` (the Pen) and `_shapes` (drawing primitives).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from PIL import Image

from shop.demo.drawings import aircraft, furniture, scenes, tableware, turboprop, woven
from shop.demo.drawings._canvas import SS, Colour, H, Point, W, rgb, shade, studio
from shop.demo.drawings._pen import Pen

DrawFn = Callable[[Pen, Random, Colour, Colour, bool], None]


@dataclass(frozen=True)
class _Kind:
    fn: DrawFn
    palettes: tuple[tuple[str, str], ...]
    extent: tuple[float, float]  # local width, height at view 0
    focus: Point  # local point the close-up (view 2) centres on
    on_floor: bool = False


_KINDS: dict[str, _Kind] = {
    "aircraft": _Kind(
        aircraft.jet,
        (("#c8102e", "#1d3f8f"), ("#0b5aa6", "#f2a900"), ("#00754a", "#c8a24a")),
        (1040, 800),
        (-300, -480),
    ),
    "turboprop": _Kind(
        turboprop.turboprop,
        (("#0057a8", "#e30613"), ("#1a7a4c", "#ffcc33"), ("#5b2a86", "#f29100")),
        (1080, 780),
        (-120, -470),
    ),
    "bowl": _Kind(
        tableware.bowl, (("#9a6233", "#5b3a1e"), ("#c28a52", "#7a4a22")), (960, 420), (-220, -330)
    ),
    "plate": _Kind(
        tableware.plate, (("#b57a45", "#6d4424"), ("#d19b62", "#8b5a2b")), (1000, 380), (-250, -190)
    ),
    "cutlery": _Kind(
        tableware.cutlery, (("#c48a4f", "#8a5a2e"), ("#d6a86e", "#a0522d")), (900, 820), (0, -650)
    ),
    "cup": _Kind(
        tableware.cup, (("#8d5a33", "#b58354"), ("#6f4326", "#c79a64")), (760, 560), (-60, -380)
    ),
    "basket": _Kind(
        woven.basket, (("#d2ab6f", "#8e6a3a"), ("#c59a5a", "#6e5a3a")), (1060, 620), (-120, -320)
    ),
    "tray": _Kind(
        tableware.tray, (("#a86d3b", "#5e3b1f"), ("#c89560", "#7a4f2a")), (1000, 400), (-300, -160)
    ),
    "lamp": _Kind(
        woven.lamp, (("#b98a4e", "#6b4a2b"), ("#9c7042", "#3f2d1d")), (800, 860), (-60, -640)
    ),
    "chair": _Kind(
        furniture.chair,
        (("#6e4426", "#d9bd86"), ("#3d2a1c", "#e3c995")),
        (760, 1040),
        (-80, -620),
        True,
    ),
    "stool": _Kind(
        furniture.stool,
        (("#a86f3e", "#6b4423"), ("#c8935a", "#7b5233")),
        (620, 820),
        (-60, -700),
        True,
    ),
    "table": _Kind(
        furniture.table,
        (("#8a5a34", "#5c3a20"), ("#b07a48", "#6b4423")),
        (1260, 640),
        (-300, -470),
        True,
    ),
    "shelf": _Kind(
        furniture.shelf,
        (("#9b6a3e", "#c9a36a"), ("#7a5234", "#d2b27c")),
        (900, 1100),
        (-150, -520),
        True,
    ),
    "vase": _Kind(
        woven.vase,
        (("#a4532f", "#f0dcb4"), ("#3f5e4a", "#e6c98c"), ("#2f3a56", "#d9b26a")),
        (620, 1150),
        (-40, -420),
    ),
    "workshop": _Kind(
        scenes.workshop, (("#7c8f7a", "#d8cdb8"), ("#8a6f58", "#e0d6c2")), (1280, 960), (860, 330)
    ),
}
KINDS: tuple[str, ...] = tuple(_KINDS)

_BACKDROPS = (
    ((238, 233, 226), (214, 205, 194)),
    ((226, 232, 234), (198, 205, 208)),
    ((240, 228, 210), (214, 196, 172)),
)
_NIGHT = ((62, 56, 54), (40, 36, 34))


def draw(
    kind: str, *, seed: int = 0, view: int = 0, palette: tuple[str, str] | None = None
) -> bytes:
    """Draw a 1280x960 JPEG picture of a product kind; same arguments give the same bytes."""
    spec = _KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown drawing kind {kind!r}; expected one of {', '.join(KINDS)}")
    if view not in range(4):
        raise ValueError("view must be 0, 1, 2 or 3")
    c1, c2 = (rgb(c) for c in (palette or spec.palettes[seed % len(spec.palettes)]))
    # Object proportions come from their own generator so every view shows the same piece.
    rng = Random(f"{kind}:{seed}")  # noqa: S311 - picture variety, not security
    scenery = Random(f"{kind}:{seed}:{view}:scenery")  # noqa: S311
    if kind == "workshop":
        img = scenes.workshop_view(rng, c1, c2, view)
    else:
        img = _product_view(spec, rng, scenery, c1, c2, view, seed)
    # Supersampling antialias: each output pixel is the mean of its 2x2 drawn pixels. That box
    # filter is the textbook SSAA downscale and ~10x cheaper than LANCZOS (which took a quarter
    # of the 0.3 s budget) with no visible difference at an exact 2:1 ratio.
    out = img.reduce(SS)
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=88)
    return buf.getvalue()


def _product_view(
    spec: _Kind, rng: Random, scenery: Random, c1: Colour, c2: Colour, view: int, seed: int
) -> Image.Image:
    ew, eh = spec.extent
    s0 = min(1480 / ew, 1180 / eh)
    if view == 3:  # in a room: furniture on the floor, everything else on a table
        img = Image.new("RGB", (W, H))
        scene = Pen(img, 0, 0, SS)
        wall = _BACKDROPS[(seed + 1) % len(_BACKDROPS)][0]
        mirror = seed % 2 == 1
        if spec.on_floor:
            scenes.room(scene, shade(wall, 0.95), (178, 140, 100), 600, mirror)
            pen = Pen(img, (560 if mirror else 720) * SS, 900 * SS, s0 * 0.6)
        else:
            scenes.room(scene, shade(wall, 0.95), (178, 140, 100), 960, mirror)
            scenes.tabletop(scene, scenery, (120, 84, 56), 680, 820)
            pen = Pen(img, (580 if mirror else 740) * SS, 780 * SS, s0 * 0.6)
        spec.fn(pen, rng, c1, c2, False)
        return img
    if view == 1 and spec.fn is woven.lamp:
        img = studio(*_NIGHT, light_x=0.5)
    else:
        img = studio(*_BACKDROPS[(seed + (view == 1)) % len(_BACKDROPS)])
    if view == 2:  # close-up on a detail
        s = s0 * 2.0
        pen = Pen(img, W / 2 - spec.focus[0] * s, H / 2 - spec.focus[1] * s, s)
    else:
        pen = Pen(img, W / 2, H / 2 + eh * s0 / 2 + 20 * SS, s0)
    spec.fn(pen, rng, c1, c2, view == 1)
    return img
