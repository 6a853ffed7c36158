"""The mail queue: nothing lost while SMTP is down, nothing sent twice, staff see failures."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select

from shop import mail_queue
from shop.extensions import db
from shop.gateways.mail import Attachment, MailError, MailMessage
from shop.models import MailStatus, OutboundMail
from shop.services.outbox import delivery
from tests.conftest import build_app
from tests.factories import shop_with_stock
from tests.races import run_together, values
from tests.staff_security_helpers import outbox
from tests.test_mail import Inbox, free_port

MESSAGE = MailMessage(to="aiko@example.jp", subject="Your order KB-1", text="Thank you, Aiko.")


def aware(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rows() -> list[OutboundMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboundMail).order_by(OutboundMail.id)))


def test_mail_waits_while_smtp_is_down_and_goes_once_when_it_is_back(
    tmp_path: Path, postgres_schema_ready: bool
) -> None:
    port = free_port()  # nothing listens here yet: the mail server is down
    for app in build_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port):
        before = datetime.now(UTC)
        app.extensions["mailer"].send(MESSAGE)  # what every service does

        [row] = rows()
        assert row.status == MailStatus.QUEUED and row.attempts == 1
        assert f"127.0.0.1:{port}" in (row.last_error or "")
        assert aware(row.next_attempt_at) >= before + timedelta(seconds=60)  # backoff

        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            assert mail_queue.deliver_due().sent == []  # not due yet
            transport, policy = app.extensions["mail_transport"], mail_queue.retry_policy()
            later = datetime.now(UTC) + timedelta(minutes=2)
            assert delivery.deliver_due(db.engine, transport, policy, now=later).sent == [row.id]
            assert delivery.deliver_due(db.engine, transport, policy, now=later).sent == []
            assert mail_queue.deliver_due().sent == []
        finally:
            controller.stop()
        assert [m["Subject"] for m in inbox.messages] == ["Your order KB-1"]
        sent = [(m.status, m.attempts, m.last_error) for m in rows()]
        assert sent == [(MailStatus.SENT, 2, None)]


def test_a_message_is_stored_with_its_change_or_not_at_all(app: Any) -> None:
    product = shop_with_stock()
    product.name = "Rattan basket, large"  # a change not committed yet
    app.extensions["mailer"].send(MESSAGE)
    assert outbox(app) == []  # nothing goes before the change is committed
    db.session.rollback()
    assert rows() == [] and outbox(app) == []  # rolled back together

    product.name = "Rattan basket, large"
    app.extensions["mailer"].send(MESSAGE)
    db.session.commit()
    assert [m["Subject"] for m in outbox(app)] == ["Your order KB-1"]
    assert [m.status for m in rows()] == [MailStatus.SENT]


def test_a_message_on_its_own_is_committed_and_delivered_at_once(app: Any) -> None:
    app.extensions["mailer"].send(MESSAGE)
    assert [m["To"] for m in outbox(app)] == ["aiko@example.jp"]
    assert [(m.status, m.text, m.html) for m in rows()] == [(MailStatus.SENT, "", None)]


def test_a_message_that_could_never_go_is_refused_when_queued(app: Any) -> None:
    injected = [
        MailMessage(to="aiko@example.jp", subject="Order KB-1\r\nBcc: all@example.com", text="x"),
        MailMessage(to="aiko@example.jp\nBcc: all@example.com", subject="Order KB-1", text="x"),
        MailMessage(to="aiko@example.jp", subject="Order KB-1", text="x",
                    attachments=(Attachment("q.pdf\r\nX-Evil: 1", "application/pdf", b"%PDF"),)),
    ]  # fmt: skip
    for message in injected:
        try:
            app.extensions["mailer"].send(message)
        except MailError as refused:
            assert "line break" in str(refused)
        else:
            raise AssertionError(f"queued: {message}")
    assert rows() == [] and outbox(app) == []

    # Joined to a change, it is left out and the change goes on.
    product = shop_with_stock()
    product.name = "Rattan basket, large"
    app.extensions["mailer"].join(injected[0])
    app.extensions["mailer"].join(MESSAGE)
    db.session.commit()
    assert [m["Subject"] for m in outbox(app)] == ["Your order KB-1"]
    assert db.session.get(type(product), product.id).name == "Rattan basket, large"


class CountingTransport:
    """Counts every message handed to it, slowly enough for deliverers to overlap."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def send(self, message: MailMessage) -> None:
        threading.Event().wait(0.005)
        with self._lock:
            self.sent.append(message.subject)


def test_two_deliverers_racing_send_each_message_exactly_once(app: Any, monkeypatch) -> None:
    monkeypatch.setattr(mail_queue, "dispatch", lambda ids: None)  # nobody delivers but us
    transport, policy = CountingTransport(), delivery.RetryPolicy()
    for round_ in range(3):
        for n in range(8):
            app.extensions["mailer"].send(MailMessage(to="a@example.jp", subject=f"{round_}-{n}",
                                                      text="x"))  # fmt: skip
        ids = [m.id for m in rows() if m.status == MailStatus.QUEUED]
        assert len(ids) == 8

        def deliverer(ids: list[int] = ids) -> list[int]:
            return delivery.deliver(db.engine, transport, ids, policy).sent

        first, second = values(run_together(app, deliverer, deliverer))
        assert sorted(first + second) == sorted(ids)
        assert not set(first) & set(second)
    assert sorted(transport.sent) == sorted(f"{r}-{n}" for r in range(3) for n in range(8))
    assert all(m.status == MailStatus.SENT and m.attempts == 1 for m in rows())


class RefusingTransport:
    """Refuses the messages whose subject it names, sends the others."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        if message.subject in self.refused:
            raise MailError("550 mailbox unavailable")
        self.sent.append(message)


def test_messages_delivered_together_each_keep_their_own_outcome(app: Any, monkeypatch) -> None:
    """A request's messages are claimed and recorded together; one refused by the mail server
    waits for its retry alone, and each sent one goes out once with its own files."""
    monkeypatch.setattr(mail_queue, "dispatch", lambda ids: None)
    for n in range(7):  # more than one batch
        files = (Attachment(f"invoice-{n}.pdf", "application/pdf", b"%PDF " + bytes([n])),)
        app.extensions["mailer"].send(MailMessage(to="a@example.jp", subject=f"mail {n}",
                                                  text=f"body {n}", attachments=files))  # fmt: skip
    ids = [m.id for m in rows()]
    transport = RefusingTransport({"mail 1", "mail 6"})
    report = delivery.deliver(db.engine, transport, ids, delivery.RetryPolicy())
    assert sorted(report.retrying) == [ids[1], ids[6]] and report.failed == []
    assert sorted(report.sent) == sorted(set(ids) - {ids[1], ids[6]})
    assert [(m.subject, m.text, [a.filename for a in m.attachments]) for m in transport.sent] == [
        (f"mail {n}", f"body {n}", [f"invoice-{n}.pdf"]) for n in (0, 2, 3, 4, 5)
    ]
    assert [m.attachments[0].data[-1] for m in transport.sent] == [0, 2, 3, 4, 5]
    states = {m.subject: (m.status, m.attempts, m.text, len(m.attachments)) for m in rows()}
    for n in (0, 2, 3, 4, 5):
        assert states[f"mail {n}"] == (MailStatus.SENT, 1, "", 0)  # body and files dropped
    for n in (1, 6):
        assert states[f"mail {n}"] == (MailStatus.QUEUED, 1, f"body {n}", 1)
    # Delivered again at once, nothing goes twice and the refused ones are not due yet.
    assert delivery.deliver(db.engine, transport, ids, delivery.RetryPolicy()).sent == []
    assert len(transport.sent) == 5


class BrokenTransport:
    def send(self, message: MailMessage) -> None:
        raise MailError("SMTP delivery via mail.example:25 failed: ConnectionRefusedError()")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_staff_see_failing_mail_and_retry_it(app: Any, auth: Any, client: Any, staff_user: Any,
                                             monkeypatch) -> None:  # fmt: skip
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    real = app.extensions["mail_transport"]
    monkeypatch.setitem(app.extensions, "mail_transport", BrokenTransport())
    app.extensions["mailer"].send(MESSAGE)
    auth.login(staff_user.email)

    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "1 email is waiting for the mail server to answer." in dashboard

    later = datetime.now(UTC) + timedelta(hours=1)
    report = delivery.deliver_due(db.engine, BrokenTransport(), mail_queue.retry_policy(), later)
    assert report.failed == [rows()[0].id]
    assert "1 email could not be delivered." in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Your order KB-1" in page and "aiko@example.jp" in page
    assert "ConnectionRefusedError" in page and "Failed" in page
    assert outbox(app) == []

    monkeypatch.setitem(app.extensions, "mail_transport", real)  # the mail server is back
    mail_id = rows()[0].id
    response = client.post(f"/admin/mail/{mail_id}/retry", data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    assert [m["Subject"] for m in outbox(app)] == ["Your order KB-1"]
    assert [(m.status, m.attempts) for m in rows()] == [(MailStatus.SENT, 1)]
    assert "could not be delivered" not in client.get("/admin/").get_data(as_text=True)
    assert "Your order KB-1" in client.get("/admin/mail?view=sent").get_data(as_text=True)
    # A sent message, or one that does not exist, is not sent again.
    again = client.post(f"/admin/mail/{mail_id}/retry", data={"csrf_token": csrf(page)})
    assert again.status_code == 404
    assert client.post("/admin/mail/999/retry", data={"csrf_token": csrf(page)}).status_code == 404
    assert len(outbox(app)) == 1


def test_the_mail_page_needs_a_signed_in_account(client: Any) -> None:
    assert client.get("/admin/mail").status_code == 302
    assert client.post("/admin/mail/1/retry").status_code in (302, 400)


def test_metrics_count_the_mail_queue(tmp_path: Path, postgres_schema_ready: bool) -> None:
    token = "m" * 32
    for app in build_app(tmp_path, METRICS_TOKEN=token):
        app.extensions["mail_transport"] = BrokenTransport()
        app.extensions["mailer"].send(MESSAGE)
        body = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {token}"})
        text = body.get_data(as_text=True)
        assert 'shop_mail_queue_messages{state="retrying"} 1.0' in text
        assert 'shop_mail_queue_messages{state="failed"} 0.0' in text


def test_on_a_server_mail_goes_out_after_the_response(app: Any, staff_user: Any, client: Any,
                                                      monkeypatch) -> None:  # fmt: skip
    """Not in the request: a reset link for an account takes as long as one for no account."""
    monkeypatch.setattr(app, "testing", False)
    page = client.get("/admin/forgot-password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token is not None
    form = {"email": staff_user.email, "csrf_token": token.group(1)}
    response = client.post("/admin/forgot-password", data=form, buffered=False)
    assert response.status_code == 303
    assert outbox(app) == [] and [m.status for m in rows()] == [MailStatus.QUEUED]
    response.close()  # the server has sent the response
    assert [m["To"] for m in outbox(app)] == [staff_user.email]
    assert [m.status for m in rows()] == [MailStatus.SENT]


def test_messages_sent_together_are_stored_in_one_commit_as_the_block_ends(app: Any) -> None:
    """A paid order's two mails: neither is stored (or sent) before both are written."""
    mailer = app.extensions["mailer"]
    with db.engine.connect() as other:
        with mailer.together():
            mailer.send(MESSAGE)
            mailer.send(MailMessage(to="staff@example.jp", subject="New order KB-1", text="."))
            assert other.execute(select(OutboundMail.id)).all() == []
            assert outbox(app) == []
        assert len(other.execute(select(OutboundMail.id)).all()) == 2
    assert sorted(m["Subject"] for m in outbox(app)) == ["New order KB-1", "Your order KB-1"]
    mailer.send(MESSAGE)  # and alone again after the block: stored at once
    assert len(rows()) == 3
