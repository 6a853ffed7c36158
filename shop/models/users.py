"""Staff accounts that sign in to the back office."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db
from shop.models.catalog import utcnow
from shop.models.types import value_enum
from shop.sealed import SealedString


class Role(enum.StrEnum):
    """What a staff account may do: admins also manage the staff accounts."""

    ADMIN = "admin"
    STAFF = "staff"


class User(UserMixin, db.Model):
    """A person who signs in at /admin with an email address and a password."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        value_enum(Role, "user_role", 16),
        default=Role.STAFF,
    )
    # Overrides UserMixin.is_active: Flask-Login refuses to sign in inactive accounts.
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on sign-out, password change and "sign out everywhere": every session signed in
    # before it stops working at once, wherever its cookie was copied to.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Two-factor sign-in (TOTP): the shared secret, sealed at rest (shop/sealed.py), and when
    # the staff member proved it works.
    totp_secret: Mapped[str | None] = mapped_column(SealedString())
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recovery_codes: Mapped[list[StaffRecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="StaffRecoveryCode.id"
    )

    def get_id(self) -> str:
        """Flask-Login's identity: "id:session_version", so a bumped version ends every session."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_admin(self) -> bool:
        """Whether this account holds the admin role."""
        return self.role == Role.ADMIN


class StaffRecoveryCode(db.Model):
    """A one-time code that signs a staff member in when their authenticator is lost (hashed)."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")
