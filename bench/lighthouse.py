"""Lighthouse at its default phone profile on the home, listing and product pages.

Serves a freshly seeded demo catalog with gunicorn, runs the pinned `lighthouse` npm package
against Debian's Chromium, and prints the four category scores and the bytes transferred.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import BIN, ROOT, flask, free_port, wait_for  # noqa: E402

HERE = Path(__file__).resolve().parent / "lighthouse"
PAGES = {
    "home": "/",
    "listing": "/products",
    "product": "/products/boeing-777-300er-display-model",
}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> int:
    if not (HERE / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    scratch = Path(tempfile.mkdtemp(prefix="kb-lighthouse-"))
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{scratch / 'shop.db'}",
        "MEDIA_ROOT": str(scratch / "media"),
        # Production mode: a fresh random key, and the demo gateway switched on explicitly.
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEMO_PAYMENTS": "1",
        "STRIPE_SECRET_KEY": "",
        "FLASK_DEBUG": "0",
        "SITE_URL": "http://127.0.0.1",  # required outside debug; the port is added below
    }
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["SITE_URL"] = base  # canonical links point at the server Lighthouse audits
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--no-control-socket", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "app:app"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    rows = []
    try:
        wait_for(base + "/healthz")
        for name, path in PAGES.items():
            report = scratch / f"{name}.json"
            subprocess.run(
                [str(HERE / "node_modules" / ".bin" / "lighthouse"), base + path,
                 "--output=json", f"--output-path={report}", "--quiet",
                 f"--chrome-flags={CHROME_FLAGS}",
                 "--only-categories=" + ",".join(CATEGORIES)],
                env=env | {"CHROME_PATH": "/usr/bin/chromium"}, check=True,
            )  # fmt: skip
            data = json.loads(report.read_text())
            scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
            weight = data["audits"]["total-byte-weight"]["numericValue"] / 1024
            failing = [
                a["id"]
                for a in data["audits"].values()
                if a.get("score") is not None
                and a["score"] < 0.9
                and a["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
            ]
            rows.append((name, scores, weight, failing))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{'page':<10}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'KB':>8}  audits below 90")
    for name, s, weight, failing in rows:
        print(
            f"{name:<10}{s['performance']:>6}{s['accessibility']:>6}{s['best-practices']:>6}"
            f"{s['seo']:>6}{weight:>8.0f}  {', '.join(failing) or '-'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
