"""The mail gateway: SMTP in production, an outbox folder of .eml files in development.

Services build a MailMessage and hand it to a Mailer; they never see smtplib. A Mailer raises
MailError when a message cannot be handed over, and nothing else.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.charset import Charset
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any, Protocol

DEFAULT_SENDER = "Karya Binaan <shop@karyabinaan.example>"
DEFAULT_OUTBOX = "instance/outbox"
MAX_LINE_OCTETS = 998  # RFC 5322
UTF8_AS_IS = Charset("utf-8")
UTF8_AS_IS.body_encoding = None  # 8bit: no base64 or quoted-printable


class MailError(Exception):
    """A message could not be delivered to the mail server or outbox."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (e.g. a PDF quote)."""

    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class MailMessage:
    """One email: plain text always, HTML optionally, files optionally."""

    to: str
    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    """Anything that can send a MailMessage."""

    def send(self, message: MailMessage) -> None:
        """Send one message; raise MailError on failure."""
        ...


def build_email(message: MailMessage, sender: str) -> Message:
    """Build the MIME message: text/plain, or multipart/alternative when HTML is given, inside
    a multipart/mixed when files go with it.

    Built with the email package's classic classes: they make the same standard message at
    a third of the cost of EmailMessage's header objects, which matters on the mail every
    paid order sends. Headers are checked and encoded here instead (RFC 2047 for non-ASCII).
    """
    body: Message = _text(message.text, "plain")
    if message.html is not None:
        body = MIMEMultipart("alternative", _subparts=[body, _text(message.html, "html")])
    email = body
    if message.attachments:
        email = MIMEMultipart("mixed", _subparts=[body, *map(_attachment, message.attachments)])
    email["From"] = _addresses(sender)
    email["To"] = _addresses(message.to)
    email["Subject"] = _text_header(message.subject)
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = make_msgid(domain=_domain_of(sender))
    if message.reply_to:
        email["Reply-To"] = _addresses(message.reply_to)
    return email


def _text(text: str, subtype: str) -> MIMEText:
    """A UTF-8 text part, sent as it is (8bit, readable in the raw message, as the standard
    policy does) unless a line is too long for SMTP (998 octets): then in base64."""
    fits = all(len(line) <= MAX_LINE_OCTETS for line in text.encode().splitlines())
    return MIMEText(text, subtype, UTF8_AS_IS if fits else "utf-8")


def _breaks_header(value: str) -> bool:
    # A line break in a header (e.g. a crafted address) would let text inject headers.
    return any(c in value for c in "\r\n\x00")


def _checked(value: str) -> str:
    if _breaks_header(value):
        raise MailError(f"invalid mail header: line break in {value[:40]!r}")
    return value


def header_problem(message: MailMessage) -> str | None:
    """What no transport could send in this message's headers (a line break in an address,
    the subject or a file's name), or None. Checked when a message is queued, so a message
    that could never go is refused there, not tried for hours."""
    names = [("to", message.to), ("subject", message.subject)]
    names.append(("reply-to", message.reply_to or ""))
    for attachment in message.attachments:
        names += [("file name", attachment.filename), ("file type", attachment.content_type)]
    for name, value in names:
        if _breaks_header(value):
            return f"invalid mail header: line break in the {name}"
    return None


def _text_header(value: str) -> str | Header:
    value = _checked(value)
    return value if value.isascii() else Header(value, "utf-8")


def _addresses(value: str) -> str:
    """Addresses with any non-ASCII display name encoded (RFC 2047); the address itself
    must be ASCII, as every mail server takes it."""
    value = _checked(value)
    if value.isascii():
        return value
    pairs = getaddresses([value])
    if not pairs or any(not address.isascii() or "@" not in address for _, address in pairs):
        raise MailError(f"invalid mail address: {value[:40]!r}")
    return ", ".join(formataddr(pair, charset="utf-8") for pair in pairs)


def _attachment(attachment: Attachment) -> Message:
    maintype, _, subtype = attachment.content_type.partition("/")
    part = MIMEBase(maintype, subtype or "octet-stream")
    part.set_payload(attachment.data)
    encode_base64(part)
    name = _checked(attachment.filename)
    part.add_header("Content-Disposition", "attachment",
                    filename=name if name.isascii() else ("utf-8", "", name))  # fmt: skip
    return part


def _domain_of(sender: str) -> str | None:
    # The sender's domain, so Message-IDs do not leak the host name of the machine.
    address = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    _, at, domain = address.rpartition("@")
    return domain if at and domain else None


class SMTPMailer:
    """Send mail through an SMTP server, optionally with STARTTLS or implicit TLS."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        use_ssl: bool = False,
        timeout: float = 10.0,
    ) -> None:
        """Remember the server settings; no connection is made until send()."""
        if starttls and use_ssl:
            raise ValueError("choose either STARTTLS or implicit TLS (SSL), not both")
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self._password = password
        self.starttls = starttls
        self.use_ssl = use_ssl
        self.timeout = timeout

    def __repr__(self) -> str:
        # Deliberately without the password: reprs end up in logs and tracebacks.
        return f"SMTPMailer(host={self.host!r}, port={self.port!r}, sender={self.sender!r})"

    def send(self, message: MailMessage) -> None:
        """Deliver one message over a fresh SMTP connection."""
        email = build_email(message, self.sender)
        try:
            with self._connect() as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self._password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            # The class and server reply only: never the credentials.
            raise MailError(f"SMTP delivery via {self.host}:{self.port} failed: {exc!r}") from None

    def _connect(self) -> smtplib.SMTP:
        if self.use_ssl:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)


class OutboxMailer:
    """Write each message as an .eml file into a folder, for development and demos."""

    def __init__(self, folder: str | Path, sender: str) -> None:
        """Remember the folder; it is created on the first send."""
        self.folder = Path(folder)
        self.sender = sender

    def __repr__(self) -> str:
        return f"OutboxMailer(folder={str(self.folder)!r}, sender={self.sender!r})"

    def send(self, message: MailMessage) -> None:
        """Write the message atomically as <timestamp>-<random>.eml."""
        data = build_email(message, self.sender).as_bytes()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.folder / f"{stamp}-{secrets.token_hex(4)}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Write beside the target, then rename: readers never see half a message.
            fd, partial = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(partial, target)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise MailError(f"could not write to outbox {self.folder}: {exc!r}") from None


def mailer_from_config(config: Mapping[str, Any]) -> Mailer:
    """Choose SMTP when MAIL_SERVER is set, else the local outbox folder."""
    sender = config.get("MAIL_DEFAULT_SENDER") or DEFAULT_SENDER
    server = config.get("MAIL_SERVER")
    if server:
        return SMTPMailer(
            server,
            int(config.get("MAIL_PORT") or 25),
            sender,
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            starttls=_flag(config.get("MAIL_USE_TLS")),
            use_ssl=_flag(config.get("MAIL_USE_SSL")),
        )
    return OutboxMailer(config.get("MAIL_OUTBOX") or DEFAULT_OUTBOX, sender)


def _flag(value: Any) -> bool:
    # Environment variables arrive as strings: "0" and "false" must mean off.
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
