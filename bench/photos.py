"""Time the photo pipeline on one core: a 12-megapixel camera JPEG into every rendition.

The test photo is made here (4000 x 3000, noise over gradients so it compresses and decodes
like a real photo, about 4-5 MB at quality 92) and carries EXIF with GPS, as a phone's would.
Each run stores into an empty folder, so every rendition is really encoded.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shop.media import LocalMediaStorage  # noqa: E402
from shop.services.media.images import RENDITION_WIDTHS, process_image  # noqa: E402

RUNS = int(os.environ.get("BENCH_PHOTO_RUNS", "5"))
SIZE = (4000, 3000)


def camera_jpeg(orientation: int) -> bytes:
    """A 12-megapixel JPEG with photo-like detail, EXIF orientation and a GPS position."""
    width, height = SIZE
    gradient = Image.linear_gradient("L").resize(SIZE)
    channels = []
    for sigma, angle in ((30, 0), (45, 90), (60, 180)):
        noise = Image.effect_noise(SIZE, sigma).filter(ImageFilter.GaussianBlur(0.6))
        channels.append(ImageChops.add(gradient.rotate(angle, expand=False), noise, 2.0))
    img = Image.merge("RGB", channels)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Bench camera"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (7.0, 46.0, 12.5)  # somewhere in Java
    gps[3], gps[4] = "E", (110.0, 22.0, 4.2)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def measure(orientation: int) -> dict[str, float]:
    """Median and worst wall time of process_image over RUNS fresh runs."""
    data = camera_jpeg(orientation)
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            storage = LocalMediaStorage(folder)
            started = time.perf_counter()
            stored = process_image(data, storage)
            times.append(time.perf_counter() - started)
            if stored.widths != RENDITION_WIDTHS:
                raise RuntimeError(f"renditions {stored.widths}, expected {RENDITION_WIDTHS}")
    return {
        "bytes": len(data),
        "median_s": statistics.median(times),
        "max_s": max(times),
    }


def main() -> int:
    # One core, as the target says: the pipeline must not lean on a second one.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    results = {
        "12 MP JPEG, landscape": measure(1),
        "12 MP JPEG, EXIF-rotated": measure(6),
    }
    if "--json" in sys.argv:
        print(json.dumps(results))
        return 0
    print_table(results)
    return 0


def print_table(results: dict[str, dict[str, float]]) -> None:
    """Print the pipeline timings."""
    print(f"\nphoto pipeline, one core, {RUNS} runs each, renditions {RENDITION_WIDTHS} WebP")
    print(f"{'photo':<26}{'MB':>7}{'median s':>10}{'max s':>8}")
    for name, r in results.items():
        print(f"{name:<26}{r['bytes'] / 1e6:>7.1f}{r['median_s']:>10.2f}{r['max_s']:>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
