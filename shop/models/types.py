"""Column types shared by the models."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def value_enum(cls: type[enum.Enum], name: str, length: int) -> Enum:
    """Store an enum's values as a short string with a CHECK, the same on every database."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )
