"""The pen: draws in local object units (fills, clips, shading overlays, soft shadows)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from shop.demo.drawings._canvas import (
    SHADOW,
    WHITE,
    Colour,
    Point,
    cyl_dark,
    ellipse_pts,
    highlight,
    mix,
    rounded_pts,
)


class Pen:
    """Draw in local object units; maps them to device pixels (offset, scale, turn, mirror)."""

    def __init__(
        self,
        img: Image.Image,
        ox: float = 0.0,
        oy: float = 0.0,
        s: float = 1.0,
        angle: float = 0.0,
        flip: bool = False,
    ) -> None:
        """Wrap img; a local point (x, y) lands at (ox, oy) + s * rotate(angle, (±x, y))."""
        self.img = img
        self.draw = ImageDraw.Draw(img)
        self.ox, self.oy, self.s, self.angle, self.flip = ox, oy, s, angle, flip
        self._cos, self._sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def xy(self, x: float, y: float) -> Point:
        """Map a local point to device pixels."""
        if self.flip:
            x = -x
        return (
            self.ox + self.s * (x * self._cos - y * self._sin),
            self.oy + self.s * (x * self._sin + y * self._cos),
        )

    def map(self, pts: Sequence[Point]) -> list[Point]:
        """Map local points to device pixels."""
        return [self.xy(x, y) for x, y in pts]

    def child(
        self, dx: float, dy: float, *, angle: float = 0, scale: float = 1, flip: bool = False
    ) -> Pen:
        """Return a pen whose origin is the local point (dx, dy), turned and scaled."""
        ox, oy = self.xy(dx, dy)
        turn = self.angle - angle if self.flip else self.angle + angle
        return Pen(self.img, ox, oy, self.s * scale, turn, self.flip != flip)

    def w(self, width: float) -> int:
        """Convert a local line width to whole device pixels."""
        return max(1, round(width * self.s))

    def poly(
        self,
        pts: Sequence[Point],
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 0,
    ) -> None:
        """Fill and/or outline a polygon."""
        self.draw.polygon(self.map(pts), fill=fill, outline=outline, width=self.w(width))

    def line(self, pts: Sequence[Point], fill: Colour, width: float) -> None:
        """Draw a polyline with round joints."""
        self.draw.line(self.map(pts), fill=fill, width=self.w(width), joint="curve")

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 0,
    ) -> None:
        """Fill and/or outline an ellipse (as a polygon, so it turns with the pen)."""
        self.poly(ellipse_pts(cx, cy, rx, ry, n=72), fill, outline, width)

    def dot(self, x: float, y: float, r: float, fill: Colour) -> None:
        """Fill a small circle (fast path: circles look the same however the pen turns)."""
        cx, cy = self.xy(x, y)
        rr = r * self.s
        self.draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=fill)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 0,
    ) -> None:
        """Fill and/or outline a rectangle."""
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill, outline, width)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, r: float, fill: Colour) -> None:
        """Fill a rectangle with rounded corners."""
        self.poly(rounded_pts(x0, y0, x1, y1, r), fill)

    def gradient(
        self, x0: float, y0: float, x1: float, y1: float, top: Colour, bottom: Colour
    ) -> None:
        """Fill an upright rectangle with a vertical gradient (cheap: no mask involved)."""
        (ax, ay), (bx, by) = self.xy(x0, y0), self.xy(x1, y1)
        left, right = max(0, round(min(ax, bx))), min(self.img.width, round(max(ax, bx)))
        upper, lower = max(0, round(min(ay, by))), min(self.img.height, round(max(ay, by)))
        if right <= left or lower <= upper:
            return
        # One colour per pixel row over the unclipped height, so clipping keeps colours put.
        y_top, full = min(ay, by), abs(by - ay) or 1
        strip = b"".join(
            bytes(mix(top, bottom, min(1.0, (y - y_top) / full))) for y in range(upper, lower)
        )
        band = Image.frombytes("RGB", (1, lower - upper), strip)
        self.img.paste(
            band.resize((right - left, lower - upper), Image.Resampling.NEAREST), (left, upper)
        )

    def _box(self, dev: Sequence[Point], pad: float = 0) -> tuple[int, int, int, int] | None:
        xs, ys = [x for x, _ in dev], [y for _, y in dev]
        x0, y0 = max(0, math.floor(min(xs) - pad)), max(0, math.floor(min(ys) - pad))
        x1 = min(self.img.width, math.ceil(max(xs) + pad) + 1)
        y1 = min(self.img.height, math.ceil(max(ys) + pad) + 1)
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    def _mask(self, pts: Sequence[Point]) -> tuple[Image.Image, tuple[int, int]] | None:
        dev = self.map(pts)
        box = self._box(dev)
        if box is None:
            return None
        x0, y0, x1, y1 = box
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in dev], fill=255)
        return mask, (x0, y0)

    @contextmanager
    def clip(self, pts: Sequence[Point], base: Colour | None = None) -> Iterator[Pen]:
        """Yield a pen whose drawing only shows inside the polygon (filled with base first)."""
        got = self._mask(pts)
        if got is None:  # off-canvas: draw into a throwaway image
            yield Pen(Image.new("RGB", (1, 1)), s=self.s)
            return
        mask, (x0, y0) = got
        box = (x0, y0, x0 + mask.width, y0 + mask.height)
        layer = Image.new("RGB", mask.size, base) if base else self.img.crop(box)
        yield Pen(layer, self.ox - x0, self.oy - y0, self.s, self.angle, self.flip)
        self.img.paste(layer, box[:2], mask)

    def overlay(
        self,
        pts: Sequence[Point],
        colour: Colour,
        profile: Callable[[float], float],
        strength: float,
        axis: str = "x",
    ) -> None:
        """Blend colour into a polygon with opacity strength * profile(t), t along axis."""
        got = self._mask(pts)
        if got is None:
            return
        mask, (x0, y0) = got
        # The ramp spans the polygon's full (unclipped) extent so shading stays put in close-ups.
        dev = self.map(pts)
        xs, ys = [x for x, _ in dev], [y for _, y in dev]
        lo, hi = (min(xs), max(xs)) if axis == "x" else (min(ys), max(ys))
        start = x0 if axis == "x" else y0
        length = mask.width if axis == "x" else mask.height
        ts = (min(1.0, max(0.0, (start + i - lo) / (hi - lo or 1))) for i in range(length))
        ramp = bytes(round(255 * max(0.0, min(1.0, strength * profile(t)))) for t in ts)
        # The ramp already has one value per pixel: NEAREST just repeats it (and is fast).
        strip = (length, 1) if axis == "x" else (1, length)
        grad = Image.frombytes("L", strip, ramp).resize(mask.size, Image.Resampling.NEAREST)
        self.img.paste(
            colour, (x0, y0, x0 + mask.width, y0 + mask.height), ImageChops.multiply(mask, grad)
        )

    def cylinder(self, pts: Sequence[Point], dark: float = 0.5, light: float = 0.3) -> None:
        """Shade a polygon like a lit cylinder standing upright."""
        self.overlay(pts, SHADOW, cyl_dark, dark)
        if light:
            self.overlay(pts, WHITE, highlight, light)

    def soft(
        self, shapes: Sequence[Sequence[Point]], colour: Colour, opacity: float, blur: float
    ) -> None:
        """Paint blurred polygons (soft shadows, glows) as one layer; blur is in local units."""
        devs = [self.map(pts) for pts in shapes]
        radius = max(1.0, blur * self.s)
        pad = radius * 2.5
        every = [pt for dev in devs for pt in dev]
        xs, ys = [x for x, _ in every], [y for _, y in every]
        full = (
            math.floor(min(xs) - pad),
            math.floor(min(ys) - pad),
            math.ceil(max(xs) + pad) + 1,
            math.ceil(max(ys) + pad) + 1,
        )
        box = self._box(every, pad)  # the same box clipped to the canvas
        if box is None:
            return
        k = 4.0  # blur at quarter resolution: it is smooth anyway and blurring is the slow part
        size = (
            max(1, math.ceil((full[2] - full[0]) / k)),
            max(1, math.ceil((full[3] - full[1]) / k)),
        )
        small = Image.new("L", size, 0)
        draw = ImageDraw.Draw(small)
        for dev in devs:
            draw.polygon([((x - full[0]) / k, (y - full[1]) / k) for x, y in dev], fill=255)
        small = small.filter(ImageFilter.GaussianBlur(radius / k))
        src = (
            (box[0] - full[0]) / k,
            (box[1] - full[1]) / k,
            (box[2] - full[0]) / k,
            (box[3] - full[1]) / k,
        )
        mask = small.resize((box[2] - box[0], box[3] - box[1]), Image.Resampling.BILINEAR, src)
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        self.img.paste(colour, box, mask)

    def shadow(self, cx: float, cy: float, rx: float, ry: float, opacity: float = 0.4) -> None:
        """Cast a soft elliptical contact shadow on the ground."""
        self.soft([ellipse_pts(cx, cy, rx, ry, n=48)], SHADOW, opacity, ry * 0.6)
