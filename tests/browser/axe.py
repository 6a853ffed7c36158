"""axe-core accessibility checks for browser tests.

axe-core is the copy pinned by axe-playwright-python (requirements-dev.txt). It is put into the
page through the DevTools protocol, so the shop's own Content-Security-Policy stays intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axe_playwright_python.sync_playwright import Axe

# Only violations: axe skips gathering the passes, which makes each run several times faster.
_RUN = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"


def assert_no_serious_violations(tab: Any, where: str) -> None:
    """Fail with a readable report if axe finds serious or critical violations."""
    results = Axe().run(tab)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )
    assert not serious, f"{where}:\n{report}"


def violations_at_widths(tab: Any, widths: Iterable[int], where: str) -> list[str]:
    """Every axe violation on the loaded page at each width, as readable lines.

    axe is put into the page once; the page is only resized between runs, not reloaded.
    """
    tab.evaluate(Axe().axe_script)
    height = tab.viewport_size["height"] if tab.viewport_size else 800
    found = []
    for width in widths:
        tab.set_viewport_size({"width": width, "height": height})
        for v in tab.evaluate(_RUN):
            targets = [n["target"] for n in v["nodes"]][:3]
            found.append(f"{where} @{width}px: {v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found
