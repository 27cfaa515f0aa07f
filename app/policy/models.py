"""Published policy versions: the document as JSON and its content hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["PolicyVersion"]


class PolicyVersion(Base):
    """A published policy document; immutable (a fix is a new version)."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("region_code", "effective_from"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
