"""``roster_imports`` (migration 0018): one row per accepted roster file of one source."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, Date, Index, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["ROSTER_SOURCES", "RosterImport"]

ROSTER_SOURCES = ("poverty_office", "civil_affairs", "medical_insurance")
"""扶贫 (建档立卡), 民政 (低保, 特困) and 医保 (the agency's own identity list)."""


class RosterImport(Base):
    """A roster file as imported: its source, date, content hash, counts and rejected rows.

    ``(source, sha256)`` is unique: the same file of the same source again is the same import.
    """

    __tablename__ = "roster_imports"
    __table_args__ = (
        CheckConstraint(
            "source IN ('poverty_office', 'civil_affairs', 'medical_insurance')", name="source"
        ),
        CheckConstraint("file_format IN ('csv', 'xlsx')", name="file_format"),
        CheckConstraint(
            "rows >= 0 AND new >= 0 AND changed >= 0 AND ended >= 0 AND unchanged >= 0 "
            "AND rejected >= 0",
            name="counts",
        ),
        UniqueConstraint("source", "sha256", name="uq_roster_imports_source_sha256"),
        Index("ix_roster_imports_source_as_of", "source", "as_of"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(Integer)
    new: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    ended: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
