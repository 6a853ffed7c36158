"""axe-core accessibility checks for browser tests."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe


def assert_no_serious_violations(tab: Any, where: str) -> None:
    """Fail with a readable report if axe finds serious or critical violations."""
    results = Axe().run(tab)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )
    assert not serious, f"{where}:\n{report}"
