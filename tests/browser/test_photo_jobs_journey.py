"""Staff watch a photo made in the background turn ready, and retry one that failed."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from shop.extensions import db
from shop.models import PhotoState, Product, ProductPhoto, Role, User
from shop.services.accounts import staff as users
from shop.services.media import photo_jobs
from tests.browser.axe import assert_no_serious_violations
from tests.factories import png_bytes

PASSWORD = "a long enough password"


def test_a_processing_photo_turns_ready_on_screen_and_a_failed_one_can_be_retried(
    page, live_app
) -> None:
    email = f"staff-{uuid.uuid4().hex[:8]}@example.com"
    with live_app.app_context():
        user = users.create_user(email, PASSWORD, role=Role.STAFF)
        product = db.session.scalars(select(Product).order_by(Product.id)).first()
        media, private = live_app.extensions["media"], live_app.extensions["private_media"]
        waiting, failing = (
            photo_jobs.add_upload(product, png_bytes((700, 500), colour), media, private, user,
                                  background_from=1).id
            for colour in ((10, 120, 60), (120, 10, 60))
        )  # fmt: skip
        photo_jobs.mark_failed(failing)
        product_id, user_id = product.id, user.id
    page.goto("/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/products/{product_id}/photos")
    processing = page.locator(f"#photo-{waiting}")
    expect(processing).to_contain_text("Being processed…")
    expect(page.locator(f"#photo-{failing}")).to_contain_text("This photo could not be processed.")
    assert_no_serious_violations(page, "photo manager with processing and failed photos")

    with live_app.app_context():  # the job, done while the page is open
        assert photo_jobs.render_photo(waiting, media, private) == "ready"
    expect(processing.locator("img")).to_be_visible(timeout=12_000)  # the page looks again

    page.locator(f"#photo-retry-{failing}").click()  # no job queue here: made at once
    expect(page.locator(f"#photo-{failing} img")).to_be_visible()
    expect(page.locator("[data-photo-status]")).to_contain_text("being processed again")
    with live_app.app_context():
        photos = [db.session.get(ProductPhoto, i) for i in (waiting, failing)]
        assert [p.state for p in photos] == [PhotoState.READY, PhotoState.READY]
        staff = db.session.get(User, user_id)
        for photo in photos:  # leave the shared demo catalog as it was
            photo_jobs.delete_photo(photo, staff, media, private)
