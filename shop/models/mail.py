"""Outgoing mail, kept in the database until it is delivered (or given up on)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import utcnow
from shop.models.types import value_enum


class MailStatus(enum.StrEnum):
    """Where a message is: waiting (first try or a retry), delivered, or given up on."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboundMail(db.Model):
    """One message to deliver: written with the change it tells of, sent afterwards.

    A deliverer claims a due row by moving `next_attempt_at` past now in one guarded UPDATE
    (the lease), so two deliverers never send the same message; a deliverer that dies
    mid-send leaves the row to be claimed again when the lease runs out.
    """

    __tablename__ = "outbound_mail"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_outbound_mail_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[MailStatus] = mapped_column(
        value_enum(MailStatus, "mail_status", 10), default=MailStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    attachments: Mapped[list[OutboundMailAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="OutboundMailAttachment.id"
    )


class OutboundMailAttachment(db.Model):
    """A file sent with a queued message (a quote's PDFs); dropped once the message is sent."""

    __tablename__ = "outbound_mail_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(
        ForeignKey("outbound_mail.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
