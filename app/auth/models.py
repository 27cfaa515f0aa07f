"""API keys: stored as SHA-256 of the secret only; the secret is shown once at creation."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["ApiKey"]


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("role IN ('hospital', 'agency', 'admin', 'work_injury')", name="role"),
        CheckConstraint("(role = 'hospital') = (hospital_code IS NOT NULL)", name="hospital_bound"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    hospital_code: Mapped[str | None] = mapped_column(ForeignKey("hospitals.code"))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
