"""Anyone who finds a vulnerability can see how to report it (RFC 9116)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def test_security_txt_names_a_contact_and_expires_within_a_year(client) -> None:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    fields = dict(
        line.split(": ", 1) for line in response.get_data(as_text=True).splitlines()
        if line and not line.startswith("#")
    )  # fmt: skip
    assert fields["Contact"] == "mailto:security@karyabinaan.example"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert datetime.now(UTC) < expires < datetime.now(UTC) + timedelta(days=365)
    assert fields["Canonical"].endswith("/.well-known/security.txt")


def test_the_contact_comes_from_the_config(app, client) -> None:
    app.config["SECURITY_CONTACT"] = "https://karyabinaan.example/security"
    body = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: https://karyabinaan.example/security" in body
