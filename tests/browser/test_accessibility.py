"""axe-core finds no serious or critical accessibility violations on the main pages."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_no_serious_violations

PAGES = [
    "/",
    "/products",
    "/products?category=tableware&sort=price_desc",
    "/products/boeing-777-300er-display-model",
    "/workshops/model-aircraft-tangerang",
    "/workshops",
    "/impact",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("device", ["page", "phone"])
def test_no_serious_or_critical_violations(request, device, path) -> None:
    tab = request.getfixturevalue(device)
    tab.goto(path)
    assert_no_serious_violations(tab, f"{path} on {device}")
