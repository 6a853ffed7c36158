"""Request body limits: the back office takes several photos at once, the storefront less."""

from __future__ import annotations


def test_the_storefront_refuses_a_body_over_its_limit(app, client) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = client.post("/cart/add", data={"variant": "x" * 10_000, "quantity": "1"})
    assert response.status_code == 413


def test_the_back_office_has_a_limit_of_its_own(app, client, auth, staff_user) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4096
    app.config["ADMIN_MAX_CONTENT_LENGTH"] = 64 * 1024
    auth.login(staff_user.email)
    fits = client.post("/admin/logout", data={"padding": "x" * 10_000})
    assert fits.status_code != 413
    app.config["ADMIN_MAX_CONTENT_LENGTH"] = 4096
    auth.login(staff_user.email)
    assert client.post("/admin/logout", data={"padding": "x" * 10_000}).status_code == 413
