"""Wage payouts, closing and approving months, and the public /impact page.

Sales: woodcraft and rattan workshops in September and October 2026 (Jakarta time). The
rattan workshop sells once in September: with IMPACT_MIN_SALES = 2 its September is folded
into October.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.models import AuditEntry, ImpactMonth, OrderStatus, RevenueSplitRate, WagePayout
from shop.services import clock
from shop.services.impact import payouts, public, publication
from shop.services.reporting import revenue
from tests.factories import csrf_from, png_bytes
from tests.impact_factories import paid_order, shop_of_two_workshops, utc

SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
TODAY = date(2026, 12, 4)


@pytest.fixture
def sales(app):
    """September: two woodcraft orders, one rattan; October: one woodcraft, two rattan."""
    app.config["IMPACT_MIN_SALES"] = 2
    shop = shop_of_two_workshops()
    db.session.add(
        RevenueSplitRate(effective_from=SEP, pnbp_pct=10, default_maker_share_pct=30, set_by="a")
    )
    db.session.commit()
    orders = {
        "sep_wood_1": paid_order([(shop["bowl"], 2)], utc(2026, 9, 3, 4)),
        "sep_wood_2": paid_order([(shop["plane"], 1), (shop["basket"], 1)], utc(2026, 9, 9, 4)),
        "oct_wood": paid_order([(shop["plane"], 2)], utc(2026, 10, 2, 4)),
        "oct_rattan_1": paid_order([(shop["basket"], 3)], utc(2026, 10, 12, 4)),
        "oct_rattan_2": paid_order([(shop["basket"], 1)], utc(2026, 10, 20, 4)),
    }
    return {**shop, **orders}


def live(first: date, last: date) -> revenue.RevenueReport:
    return revenue.revenue_split(first, last, clock.shop_timezone())


def approve(month: date, user) -> ImpactMonth:
    return publication.approve_month(month, user, clock.shop_timezone(), TODAY)


def rows_of(report: public.PublicReport) -> dict[tuple[str, str], tuple]:
    return {
        (f"{row.month:%Y-%m}", row.workshop_name): (
            tuple(f"{m:%Y-%m}" for m in row.months), row.amounts.pieces, row.amounts.wages_idr,
            row.amounts.paid_idr, row.amounts.pnbp_idr,
        )
        for row in report.rows
    }  # fmt: skip


def test_an_unapproved_month_is_not_public(client, sales) -> None:
    page = client.get("/impact").get_data(as_text=True)
    assert "data-impact-empty" in page
    assert public.public_report(1).rows == []


def test_an_open_month_cannot_be_approved(sales, admin_user) -> None:
    with pytest.raises(publication.CannotApprove) as caught:
        publication.approve_month(date(2026, 12, 1), admin_user, clock.shop_timezone(), TODAY)
    assert caught.value.reason == "open"
    assert db.session.scalars(select(ImpactMonth)).all() == []


def test_approved_months_equal_the_staff_report_and_a_small_month_is_folded(
    sales, admin_user
) -> None:
    approve(SEP, admin_user)
    report = public.public_report(2)
    staff = {row.workshop_name: row.split for row in live(SEP, SEP).months[0].rows}
    wood = staff["Woodcraft workshop"]
    # Rattan sold once in September: not shown on its own.
    assert rows_of(report) == {
        ("2026-09", "Woodcraft workshop"): (("2026-09",), wood.pieces, wood.maker_share_idr, 0,
                                           wood.pnbp_idr),
    }  # fmt: skip
    approve(OCT, admin_user)
    report = public.public_report(2)
    both = live(SEP, OCT)
    rattan = [r.split for m in both.months for r in m.rows if r.workshop_name == "Rattan workshop"]
    assert rows_of(report)[("2026-10", "Rattan workshop")] == (
        ("2026-09", "2026-10"), sum(s.pieces for s in rattan),
        sum(s.maker_share_idr for s in rattan), 0, sum(s.pnbp_idr for s in rattan),
    )  # fmt: skip
    # Woodcraft sold once in October: held back until its next month.
    assert ("2026-10", "Woodcraft workshop") not in rows_of(report)
    wood_october = {r.workshop_name: r.split for r in live(OCT, OCT).months[0].rows}
    held = wood_october["Woodcraft workshop"]
    assert (report.held_back.wages_idr, report.held_back.pieces) == (held.maker_share_idr, 2)
    # What is shown and what is held back add up to the staff report, to the rupiah.
    assert report.total.wages_idr + report.held_back.wages_idr == both.total.maker_share_idr
    assert report.total.pnbp_idr + report.held_back.pnbp_idr == both.total.pnbp_idr
    assert report.total.pieces + report.held_back.pieces == both.total.pieces == 10


def test_a_refund_after_publication_is_a_correction_in_a_later_month(sales, admin_user) -> None:
    approve(SEP, admin_user)
    before = rows_of(public.public_report(2))[("2026-09", "Woodcraft workshop")]
    order = sales["sep_wood_1"]
    order.refunded_idr, order.status = 100_001, OrderStatus.PARTIALLY_REFUNDED
    db.session.commit()
    # The staff report changes at once; the published month does not.
    assert rows_of(public.public_report(2))[("2026-09", "Woodcraft workshop")] == before
    approve(OCT, admin_user)
    report = public.public_report(2)
    assert rows_of(report)[("2026-09", "Woodcraft workshop")] == before
    [correction] = report.corrections
    assert (correction.month, correction.corrects_month) == (OCT, SEP)
    # September woodcraft: ⌊(200.002 × 33% + 250.000 × 40%)⌋ = 166.000 became
    # ⌊(100.001 × 33% + 250.000 × 40%)⌋ = 133.000; PNBP 10% of 450.002 → of 350.001.
    assert (correction.amounts.wages_idr, correction.amounts.pnbp_idr) == (-33_000, -10_000)
    assert correction.amounts.pieces == 0  # the bowls were not refunded in full
    staff = live(SEP, OCT).total
    assert report.total.wages_idr + report.held_back.wages_idr == staff.maker_share_idr
    assert report.total.pnbp_idr + report.held_back.pnbp_idr == staff.pnbp_idr


def test_months_are_approved_once_and_in_order(sales, admin_user) -> None:
    approve(OCT, admin_user)
    for month, reason in ((OCT, "approved"), (SEP, "order")):
        with pytest.raises(publication.CannotApprove) as caught:
            approve(month, admin_user)
        assert caught.value.reason == reason


def test_payouts_update_promised_paid_and_owed_and_flag_late_months(app, sales, admin_user) -> None:
    wood = sales["bowl"].product.workshop
    report = live(SEP, OCT)
    promised = payouts.wage_ledger(report, date(2026, 10, 20))[(SEP, wood.id)].promised_idr
    assert not payouts.wage_ledger(report, date(2026, 11, 14))[(SEP, wood.id)].overdue
    assert payouts.wage_ledger(report, date(2026, 11, 15))[(SEP, wood.id)].overdue  # 45 days
    storage = app.extensions["private_media"]
    details = payouts.PayoutDetails(wood.id, SEP, date(2026, 10, 10), promised - 1000, "TRF-9")
    payouts.record_payout(details, None, storage, admin_user, TODAY)
    status = payouts.wage_ledger(live(SEP, OCT), TODAY)[(SEP, wood.id)]
    assert (status.promised_idr, status.paid_idr, status.owed_idr) == (
        promised,
        promised - 1000,
        1000,
    )
    assert status.overdue
    details = payouts.PayoutDetails(wood.id, SEP, date(2026, 10, 11), 1000, "TRF-10")
    payouts.record_payout(details, None, storage, admin_user, TODAY)
    status = payouts.wage_ledger(live(SEP, OCT), TODAY)[(SEP, wood.id)]
    assert (status.owed_idr, status.overdue) == (0, False)
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("payout.recorded") == 2
    # Paid out shows on /impact once the month is published.
    approve(SEP, admin_user)
    shown = rows_of(public.public_report(2))[("2026-09", "Woodcraft workshop")]
    assert shown[3] == promised


def test_the_admin_records_a_payout_with_a_receipt_scan(client, auth, sales, admin_user):
    wood = sales["bowl"].product.workshop
    auth.login(admin_user.email)
    page = client.get("/admin/reports/revenue-split?first=2026-09&last=2026-10")
    form = {
        "csrf_token": csrf_from(page.get_data(as_text=True)), "workshop_id": str(wood.id),
        "period": "2026-09", "paid_on": "2026-10-10", "amount_idr": "150.000",
        "reference": "BRI-0042", "receipt": (io.BytesIO(png_bytes()), "receipt.png"),
    }  # fmt: skip
    response = client.post("/admin/reports/revenue-split/payouts", data=form,
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 303
    payout = db.session.scalars(select(WagePayout)).one()
    assert (payout.amount_idr, payout.reference, payout.receipt_type) == (
        150_000,
        "BRI-0042",
        "image/webp",
    )
    with client.get(f"/admin/payouts/{payout.id}/receipt") as receipt:
        assert receipt.status_code == 200 and receipt.data[:4] == b"RIFF"  # a clean WebP copy
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "payout.recorded")
    ).one()
    assert entry.actor_email == admin_user.email


@pytest.mark.parametrize(
    "change, field",
    [({"amount_idr": "0"}, "amount_idr"), ({"amount_idr": "abc"}, "amount_idr"),
     ({"reference": ""}, "reference"), ({"period": "2027-05"}, "period"),
     ({"workshop_id": "999999"}, "workshop_id"),
     ({"receipt": (io.BytesIO(b"MZ not a picture"), "receipt.pdf")}, "receipt")],
)  # fmt: skip
def test_a_bad_payout_is_explained_and_records_nothing(
    client, auth, sales, admin_user, change, field
):
    wood = sales["bowl"].product.workshop
    auth.login(admin_user.email)
    page = client.get("/admin/reports/revenue-split")
    form = {
        "csrf_token": csrf_from(page.get_data(as_text=True)), "workshop_id": str(wood.id),
        "period": "2026-09", "paid_on": "2026-10-10", "amount_idr": "150000",
        "reference": "BRI-0042", **change,
    }  # fmt: skip
    response = client.post("/admin/reports/revenue-split/payouts", data=form,
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(WagePayout)).all() == []


def test_staff_may_not_record_payouts_or_publish(client, auth, sales, staff_user) -> None:
    auth.login(staff_user.email)
    page = client.get("/admin/reports/revenue-split").get_data(as_text=True)
    assert "Record a payout" not in page
    token = csrf_from(page)
    form = {"csrf_token": token, "month": "2026-09"}
    assert client.post("/admin/reports/revenue-split/approve", data=form).status_code == 403
    assert db.session.scalars(select(ImpactMonth)).all() == []


def test_the_admin_publishes_a_month_and_the_public_page_shows_it(client, auth, sales, admin_user):
    auth.login(admin_user.email)
    page = client.get("/admin/reports/revenue-split?first=2026-09&last=2026-10")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/admin/reports/revenue-split/approve",
                           data={"csrf_token": token, "month": "2026-09"})  # fmt: skip
    assert response.status_code == 303
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "impact.approved")
    ).one()
    assert entry.target_label == "2026-09" and entry.actor_email == admin_user.email
    again = client.post("/admin/reports/revenue-split/approve",
                        data={"csrf_token": token, "month": "2026-09"})  # fmt: skip
    assert again.status_code == 422 and "already published" in again.get_data(as_text=True)

    impact = client.get("/impact").get_data(as_text=True)
    wood = {r.workshop_name: r.split for r in live(SEP, SEP).months[0].rows}["Woodcraft workshop"]
    assert 'data-row="2026-09:' in impact
    assert "Rattan workshop" not in impact  # one sale: folded into a later month
    assert '<title id="impact-chart-title">' in impact and "<desc" in impact
    assert 'href="/workshops/woodcraft"' in impact
    csv_rows = list(
        csv.reader(io.StringIO(client.get("/impact.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    assert csv_rows[0] == list(public.CSV_HEADER)
    assert csv_rows[1][:5] == ["2026-09", "Woodcraft workshop", "2026-09", str(wood.pieces),
                               str(wood.maker_share_idr)]  # fmt: skip


def test_the_public_page_names_no_one_and_is_linked_from_footer_and_workshops(client, sales):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/impact"' in home
    workshop = client.get("/workshops/woodcraft").get_data(as_text=True)
    assert "data-impact-link" in workshop


@pytest.mark.parametrize("lang", ["en", "id", "ja", "ko"])
def test_the_impact_page_answers_in_every_language(client, sales, admin_user, lang) -> None:
    approve(SEP, admin_user)
    response = client.get(f"/impact?lang={lang}")
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.get_data(as_text=True)


def test_month_names_follow_the_pages_language_after_a_japanese_page(client, sales, admin_user):
    approve(SEP, admin_user)
    approve(OCT, admin_user)
    assert "2026年10月" in client.get("/impact?lang=ja").get_data(as_text=True)
    # Babel's "LLLL y" pattern gave the Indonesian page Japanese month names after this.
    page = client.get("/impact?lang=id").get_data(as_text=True)
    assert "Oktober 2026" in page and "10月" not in page
    assert "2026년 10월" in client.get("/impact?lang=ko").get_data(as_text=True)


def _approver(admin_id: int, month: date):
    """One side of a race: an admin publishing `month`; says "published" or why not."""

    def side() -> str:
        from shop.models import User

        try:
            approve(month, db.session.get(User, admin_id))
        except publication.CannotApprove as refused:
            return refused.reason
        return "published"

    return side


def test_two_admins_publishing_the_same_month_at_once_publish_it_once(app, sales, admin_user):
    from tests.races import run_together

    results = run_together(app, _approver(admin_user.id, SEP), _approver(admin_user.id, SEP))
    assert all(r.error is None for r in results), [r.trace for r in results]
    assert sorted(r.value for r in results) == ["approved", "published"]
    assert [entry.month for entry in publication.approved_months()] == [SEP]
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("impact.approved") == 1


def test_two_months_published_at_once_count_a_late_refund_once(app, sales, admin_user, monkeypatch):
    import time

    from tests.races import run_together

    approve(SEP, admin_user)
    order = sales["sep_wood_1"]
    order.refunded_idr, order.status = 100_001, OrderStatus.PARTIALLY_REFUNDED
    db.session.commit()
    read = publication.approved_months

    def slow_read() -> list[ImpactMonth]:
        found = read()
        time.sleep(0.3)  # both sides have read before either writes, unless they take turns
        return found

    monkeypatch.setattr(publication, "approved_months", slow_read)
    results = run_together(app, _approver(admin_user.id, OCT), _approver(admin_user.id, NOV))
    assert all(r.error is None for r in results), [r.trace for r in results]
    months = [entry.month for entry in read()]
    # October first and both published, or November first and October refused (months are
    # published in order); either way September's refund is corrected once.
    assert (months, [r.value for r in results]) in (
        ([SEP, OCT, NOV], ["published", "published"]),
        ([SEP, NOV], ["order", "published"]),
    )
    report = public.public_report(2)
    assert [c.amounts.wages_idr for c in report.corrections] == [-33_000]
    staff = sum(live(month, month).total.maker_share_idr for month in months)
    assert report.total.wages_idr + report.held_back.wages_idr == staff
