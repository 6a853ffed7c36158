"""axe-core finds no serious or critical accessibility violations on the main pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "/",
    "/products",
    "/products?category=tableware&sort=price_desc",
    "/products/boeing-777-300er-display-model",
    "/workshops/model-aircraft-tangerang",
    "/workshops",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("device", ["page", "phone"])
def test_no_serious_or_critical_violations(request, device, path) -> None:
    tab = request.getfixturevalue(device)
    tab.goto(path)
    results = Axe().run(tab)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )
    assert not serious, f"{path} on {device}:\n{report}"
