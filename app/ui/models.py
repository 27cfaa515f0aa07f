"""Web sessions (``/ui/``): server-side, so signing out or revoking the key ends them everywhere.

The browser holds a random 256-bit token; the table holds only its SHA-256 (``id``), like
``api_keys.key_hash``: a copy of the table lets nobody sign in. ``csrf_token`` is the
session's synchronizer token for its forms (docs/ui.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["UiSession"]


class UiSession(Base):
    __tablename__ = "ui_sessions"
    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_created"),
        Index("ix_ui_sessions_key_id", "key_id"),
        Index("ix_ui_sessions_expires_at", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("api_keys.id", ondelete="CASCADE")
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
