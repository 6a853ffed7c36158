"""Mail: SMTP delivery to a real server on loopback, the outbox, and the order emails."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from shop.gateways.mail import (
    Attachment,
    MailError,
    MailMessage,
    OutboxMailer,
    SMTPMailer,
    mailer_from_config,
)
from shop.models.orders import Order, OrderLine, OrderStatus
from shop.services.ordering.mail import send_order_confirmation, send_staff_new_order

SENDER = "Karya Binaan <shop@karyabinaan.example>"
ORDER_URL = "https://shop.example/orders/KB-1042?token=s3cret-token"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message and accept it."""
        raw = envelope.original_content or envelope.content
        self.messages.append(BytesParser(policy=policy.default).parsebytes(raw))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """Run a real SMTP server on 127.0.0.1 for one test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def make_order(locale: str = "en", **overrides: Any) -> Order:
    """Build an order with two lines in memory, totalling Rp1.500.000."""
    lines = [
        OrderLine(
            product_name="Boeing 737 model",
            option_label="1:100",
            sku="AC-737-100",
            unit_price_idr=600_000,
            quantity=2,
        ),
        OrderLine(
            product_name="Sono bowl",
            option_label="Ø 24 cm",
            sku="TW-BOWL-24",
            unit_price_idr=100_000,
            quantity=1,
        ),
    ]
    fields: dict[str, Any] = {
        "number": "KB-1042",
        "token": "s3cret-token",
        "email": "hanako@example.jp",
        "locale": locale,
        "status": OrderStatus.PAID,
        "currency": "IDR",
        "subtotal_idr": 1_300_000,
        "shipping_idr": 200_000,
        "total_idr": 1_500_000,
        "shipping_country": "JP",
        "shipping_zone": "EA",
        "ship_name": "Hanako Yamada",
        "delivery_min_days": 7,
        "delivery_max_days": 14,
        "lines": lines,
    }
    fields.update(overrides)
    return Order(**fields)


class RecordingMailer:
    """A mailer that keeps messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        """Keep the message."""
        self.sent.append(message)


class BrokenMailer:
    """A mailer whose server is always down."""

    def send(self, message: MailMessage) -> None:
        """Fail like an unreachable server."""
        raise MailError("connection refused")


def test_smtp_mailer_delivers_multipart_message_with_japanese_subject(smtp_server):
    controller, inbox = smtp_server
    mailer = SMTPMailer("127.0.0.1", controller.port, SENDER)

    mailer.send(
        MailMessage(
            to="hanako@example.jp",
            subject="ご注文ありがとうございます KB-1042",
            text="Terima kasih — ご注文を承りました。",
            html="<p>ご注文を<b>承りました</b>。</p>",
            reply_to="staff@karyabinaan.example",
        )
    )

    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert inbox.envelopes[0] == ("shop@karyabinaan.example", ["hanako@example.jp"])
    assert received["Subject"] == "ご注文ありがとうございます KB-1042"
    assert received["From"] == SENDER
    assert received["To"] == "hanako@example.jp"
    assert received["Reply-To"] == "staff@karyabinaan.example"
    assert received["Message-ID"].endswith("@karyabinaan.example>")
    assert received["Date"]
    assert received.get_content_type() == "multipart/alternative"
    assert (
        received.get_body(("plain",)).get_content().strip() == "Terima kasih — ご注文を承りました。"
    )
    assert "<b>承りました</b>" in received.get_body(("html",)).get_content()


def test_smtp_mailer_sends_plain_text_when_no_html(smtp_server):
    controller, inbox = smtp_server

    SMTPMailer("127.0.0.1", controller.port, SENDER).send(
        MailMessage(to="budi@example.id", subject="Pesanan baru KB-1042", text="Halo")
    )

    assert inbox.messages[0].get_content_type() == "text/plain"
    assert inbox.messages[0]["Subject"] == "Pesanan baru KB-1042"


def test_smtp_failure_raises_mail_error_without_leaking_password():
    mailer = SMTPMailer(
        "127.0.0.1", free_port(), SENDER, username="shop", password="hunter2", timeout=2
    )

    with pytest.raises(MailError) as caught:
        mailer.send(MailMessage(to="a@example.com", subject="Hi", text="Hi"))

    assert "hunter2" not in str(caught.value)
    assert "hunter2" not in repr(mailer)


def test_smtp_failure_after_server_stopped_raises_mail_error():
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.stop()

    with pytest.raises(MailError):
        SMTPMailer("127.0.0.1", controller.port, SENDER, timeout=2).send(
            MailMessage(to="a@example.com", subject="Hi", text="Hi")
        )


def test_header_injection_is_refused_as_mail_error(tmp_path: Path):
    mailer = OutboxMailer(tmp_path, SENDER)

    with pytest.raises(MailError):
        mailer.send(MailMessage(to="a@example.com\r\nBcc: all@example.com", subject="x", text="x"))

    assert list(tmp_path.iterdir()) == []


def test_outbox_mailer_writes_parseable_eml(tmp_path: Path):
    folder = tmp_path / "outbox" / "nested"
    mailer = OutboxMailer(folder, SENDER)

    mailer.send(MailMessage(to="a@example.com", subject="Pesanan Anda", text="x", html="<p>x</p>"))
    mailer.send(MailMessage(to="b@example.com", subject="ご注文", text="y"))

    files = sorted(folder.iterdir())
    assert len(files) == 2
    assert all(f.suffix == ".eml" for f in files)
    parsed = [BytesParser(policy=policy.default).parsebytes(f.read_bytes()) for f in files]
    assert {m["Subject"] for m in parsed} == {"Pesanan Anda", "ご注文"}
    assert {m["From"] for m in parsed} == {SENDER}


def test_outbox_mail_with_japanese_names_and_a_file_reads_back_as_sent(tmp_path: Path):
    OutboxMailer(tmp_path, "カルヤ・ビナアン <shop@karyabinaan.example>").send(
        MailMessage(
            to="田中 愛子 <aiko@example.jp>", subject="見積書 Q-2026-0007",
            text="添付をご覧ください。", html="<p>添付を<b>ご覧</b>ください。</p>",
            reply_to="Budi Santoso <budi@karyabinaan.example>",
            attachments=(Attachment("見積書-Q-2026-0007.pdf", "application/pdf", b"%PDF-1.7 x"),),
        )
    )  # fmt: skip

    [path] = list(tmp_path.iterdir())
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert mail["To"].addresses[0].display_name == "田中 愛子"
    assert mail["To"].addresses[0].addr_spec == "aiko@example.jp"
    assert mail["From"].addresses[0].display_name == "カルヤ・ビナアン"
    assert mail["Subject"] == "見積書 Q-2026-0007"
    assert mail["Reply-To"] == "Budi Santoso <budi@karyabinaan.example>"
    assert mail.get_content_type() == "multipart/mixed"
    assert mail.get_body(("plain",)).get_content().strip() == "添付をご覧ください。"
    assert "<b>ご覧</b>" in mail.get_body(("html",)).get_content()
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_filename() == "見積書-Q-2026-0007.pdf"
    assert pdf.get_content() == b"%PDF-1.7 x"


def test_mail_text_is_readable_in_the_raw_message_unless_a_line_is_too_long(tmp_path: Path):
    long_line = "<p>" + "ご注文ありがとうございます。" * 40 + "</p>"  # 1,687 octets
    OutboxMailer(tmp_path, SENDER).send(
        MailMessage(to="a@example.com", subject="x", text="Terima kasih — ご注文", html=long_line)
    )

    [path] = list(tmp_path.iterdir())
    raw = path.read_bytes()
    assert "Terima kasih — ご注文".encode() in raw  # as it is: readable, 8bit
    assert max(len(line) for line in raw.splitlines()) <= 998  # the HTML went in base64
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    assert mail.get_body(("html",)).get_content().strip() == long_line


def test_a_non_ascii_address_or_a_line_break_in_any_header_is_refused(tmp_path: Path):
    mailer = OutboxMailer(tmp_path, SENDER)
    for message in (
        MailMessage(to="愛子 <あいこ@example.jp>", subject="x", text="x"),
        MailMessage(to="a@example.com", subject="x\nBcc: all@example.com", text="x"),
        MailMessage(to="a@example.com", subject="x", text="x", reply_to="b@example.com\r\nX: y"),
    ):
        with pytest.raises(MailError):
            mailer.send(message)
    assert list(tmp_path.iterdir()) == []


def test_mailer_from_config_picks_smtp_when_server_is_set():
    mailer = mailer_from_config(
        {
            "MAIL_SERVER": "smtp.example.com",
            "MAIL_PORT": "587",
            "MAIL_USE_TLS": "true",
            "MAIL_USE_SSL": "0",
            "MAIL_USERNAME": "shop",
            "MAIL_PASSWORD": "hunter2",
            "MAIL_DEFAULT_SENDER": "Shop <s@example.com>",
        }
    )

    assert isinstance(mailer, SMTPMailer)
    assert (mailer.host, mailer.port, mailer.sender) == (
        "smtp.example.com",
        587,
        "Shop <s@example.com>",
    )
    assert mailer.starttls and not mailer.use_ssl
    assert mailer.username == "shop"


def test_mailer_from_config_defaults_to_outbox(tmp_path: Path):
    mailer = mailer_from_config({"MAIL_OUTBOX": str(tmp_path / "outbox")})

    assert isinstance(mailer, OutboxMailer)
    assert mailer.folder == tmp_path / "outbox"
    assert mailer.sender == SENDER
    smtp = mailer_from_config({"MAIL_SERVER": "localhost"})
    assert isinstance(smtp, SMTPMailer) and smtp.port == 25


def test_order_confirmation_in_english_lists_lines_total_and_private_link(app):
    mailer = RecordingMailer()

    assert send_order_confirmation(mailer, make_order("en"), ORDER_URL) is True

    message = mailer.sent[0]
    assert message.to == "hanako@example.jp"
    assert message.subject == "Your Karya Binaan order KB-1042"
    for body in (message.text, message.html):
        assert "Hello Hanako Yamada," in body
        assert "KB-1042" in body
        assert "Paid" in body
        assert "IDR\xa01,500,000" in body
        assert "usually 7–14 days" in body
        assert "private" in body
        assert "wage to the maker" in body
    assert "Boeing 737 model — 1:100 × 2: IDR\xa01,200,000" in message.text
    assert "Sono bowl — Ø 24 cm × 1: IDR\xa0100,000" in message.text
    assert ORDER_URL in message.text
    assert 'href="https://shop.example/orders/KB-1042?token=s3cret-token"' in message.html


def test_order_confirmation_in_indonesian_formats_rupiah(app):
    mailer = RecordingMailer()

    assert send_order_confirmation(mailer, make_order("id"), ORDER_URL) is True

    message = mailer.sent[0]
    assert "KB-1042" in message.subject
    assert "Rp\xa01.500.000" in message.text
    assert "Rp\xa01.500.000" in message.html
    assert "Boeing 737 model — 1:100 × 2: Rp\xa01.200.000" in message.text
    assert ORDER_URL in message.text


def test_order_confirmation_escapes_html_in_product_names(app):
    mailer = RecordingMailer()
    order = make_order("en")
    order.lines[0].product_name = "<script>alert(1)</script>"

    send_order_confirmation(mailer, order, ORDER_URL)

    assert "<script>" not in mailer.sent[0].html
    assert "&lt;script&gt;" in mailer.sent[0].html


def test_order_confirmation_reaches_a_real_smtp_server(app, smtp_server):
    controller, inbox = smtp_server
    mailer = SMTPMailer("127.0.0.1", controller.port, SENDER)

    assert send_order_confirmation(mailer, make_order("en"), ORDER_URL) is True

    received = inbox.messages[0]
    assert received["Subject"] == "Your Karya Binaan order KB-1042"
    assert "IDR\xa01,500,000" in received.get_body(("plain",)).get_content()


def test_order_confirmation_returns_false_when_mail_fails(app, caplog):
    order = make_order("en")

    with caplog.at_level("WARNING"):
        assert send_order_confirmation(BrokenMailer(), order, ORDER_URL) is False

    assert "KB-1042" in caplog.text
    assert "MailError" in caplog.text
    assert "hanako@example.jp" not in caplog.text


def test_order_confirmation_returns_false_when_smtp_server_is_down(app):
    mailer = SMTPMailer("127.0.0.1", free_port(), SENDER, timeout=2)

    assert send_order_confirmation(mailer, make_order("en"), ORDER_URL) is False


def test_staff_notice_has_email_country_lines_total_and_admin_link(app):
    mailer = RecordingMailer()

    sent = send_staff_new_order(
        mailer, make_order("ja"), "staff@karyabinaan.example", "https://shop.example/admin/o/7"
    )

    assert sent is True
    message = mailer.sent[0]
    assert message.to == "staff@karyabinaan.example"
    assert "KB-1042" in message.subject
    assert message.html is None
    assert "hanako@example.jp" in message.text
    assert "JP" in message.text
    assert "AC-737-100" in message.text
    # Staff read Indonesian: money in Indonesian format whatever the customer's language.
    assert "Rp\xa01.500.000" in message.text
    assert "https://shop.example/admin/o/7" in message.text


def test_staff_notice_returns_false_when_mail_fails(app):
    assert send_staff_new_order(BrokenMailer(), make_order(), "staff@example.com") is False
