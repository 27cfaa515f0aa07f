"""What-if jobs: one row per replay asked for, in PostgreSQL so every uvicorn worker sees it.

``status``: ``queued`` (stored, its thread not started yet), ``running``, then ``done``,
``failed`` or ``cancelled``. At most one ``queued`` or ``running`` job per API key: the partial
unique index ``ux_what_if_jobs_one_active`` is the backstop of the 409. The thread running a
job writes ``heartbeat_at`` with its progress; a job whose heartbeat (or, never started, whose
``created_at``) is older than :data:`app.whatif.jobs.STALE_AFTER` belongs to a process that died
and is marked ``failed`` (``error = 'orphaned'``) by whoever reads it next. A finished job is
kept until ``expires_at`` (a day after it finished), then deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["ACTIVE", "STATUSES", "WhatIfJob"]

STATUSES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE = ("queued", "running")


class WhatIfJob(Base):
    __tablename__ = "what_if_jobs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status"
        ),
        Index(
            "ux_what_if_jobs_one_active",
            "key_id",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index("ix_what_if_jobs_expires_at", "expires_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("api_keys.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    # What was asked: the draft document (JSON), its content hash, the days and filters.
    request: Mapped[dict[str, Any]] = mapped_column(JSONB)
    progress_done: Mapped[int] = mapped_column(Integer, server_default="0")
    progress_total: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(String(32))
    error_detail: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    finished_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    expires_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
