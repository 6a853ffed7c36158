"""Staff sign in to the back office in a real browser, on a phone and a desktop."""

from __future__ import annotations

import uuid

import pytest

from shop.models import Role
from shop.services.accounts import staff as users
from tests.browser.axe import assert_no_serious_violations

PASSWORD = "a long enough password"


@pytest.fixture
def admin_email(live_app) -> str:
    """An admin account of this test's own on the live server."""
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        users.create_user(email, PASSWORD, role=Role.ADMIN)
    return email


@pytest.mark.parametrize("device", ["page", "phone"])
def test_admin_signs_in_sees_the_dashboard_and_signs_out(request, device, admin_email) -> None:
    tab = request.getfixturevalue(device)
    tab.goto("/admin/users")
    assert tab.url.endswith("/admin/login?next=/admin/users")
    assert_no_serious_violations(tab, f"sign-in page on {device}")

    tab.fill("#email", admin_email)
    tab.fill("#password", PASSWORD)
    tab.click("#submit")
    tab.wait_for_url("**/admin/users")
    assert_no_serious_violations(tab, f"staff accounts on {device}")

    if device == "phone":  # the sections fold into one "Menu" row on a phone
        tab.click("[data-admin-menu] summary")
    tab.click("nav.admin-nav >> text=Dashboard")
    tab.wait_for_url("**/admin/")
    assert tab.locator("svg.bar-chart rect.bar").count() == 30
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]
    tab.click("text=Show the numbers")
    assert tab.locator(".chart-numbers tbody tr").count() == 30
    assert_no_serious_violations(tab, f"dashboard on {device}")

    tab.click("button:has-text('Sign out')")
    tab.wait_for_url("**/admin/login")
    tab.goto("/admin/")
    assert "/admin/login" in tab.url
