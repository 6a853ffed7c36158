"""Staff accounts that sign in to the back office."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db
from shop.models.catalog import utcnow
from shop.models.types import value_enum


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

    @property
    def is_admin(self) -> bool:
        """Whether this account holds the admin role."""
        return self.role == Role.ADMIN
