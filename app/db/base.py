"""Declarative base with a constraint naming convention, so Alembic diffs stay stable."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import DeclarativeBase

__all__ = ["NAMING_CONVENTION", "TIMESTAMPTZ", "Base"]

TIMESTAMPTZ = TIMESTAMP(timezone=True)
"""Every ``*_at`` column: time zone aware."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
