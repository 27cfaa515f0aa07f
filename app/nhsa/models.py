"""Tables of the national-interface adapter (migration 0012): the messages it answered (message
idempotency and 冲正), the ``x-tif-nonce`` values it has seen, and operators' 9001 sign-ins."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["SIGN_NO", "NhsaMessage", "NhsaNonce", "NhsaSignin"]

SIGN_NO = text("lpad(nextval('nhsa_sign_no_seq')::text, 12, '0')")


class NhsaMessage(Base):
    """One answered message, or a tombstone: the ``msgid`` a 2601 cancelled before it arrived.

    ``answer`` holds the exact bytes sent (a replay sends them again), ``input_hash`` the SHA-256
    of ``infno`` and the canonical ``input``; ``effect`` what 2601 needs to undo it;
    ``reversed_by`` the ``msgid`` of the 2601 that did."""

    __tablename__ = "nhsa_messages"
    __table_args__ = (
        UniqueConstraint("hospital_code", "msgid"),
        CheckConstraint(
            "tombstone OR (input_hash IS NOT NULL AND answer IS NOT NULL"
            " AND content_type IS NOT NULL AND inf_refmsgid IS NOT NULL)",
            name="answered_or_tombstone",
        ),
        # 3202's result: the 2304/2305 message that made a setl_id (migration 0016).
        Index(
            "ix_nhsa_messages_setl_id",
            "hospital_code",
            text("(effect ->> 'setl_id')"),
            postgresql_where=text("effect ? 'setl_id'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    hospital_code: Mapped[str] = mapped_column(String(32))
    msgid: Mapped[str] = mapped_column(String(30))
    infno: Mapped[str] = mapped_column(String(6))
    input_hash: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_type: Mapped[str | None] = mapped_column(String(64))
    inf_refmsgid: Mapped[str | None] = mapped_column(String(30))
    header: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    effect: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    reversed_by: Mapped[str | None] = mapped_column(String(30))
    reversed_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    tombstone: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class NhsaNonce(Base):
    """An ``x-tif-nonce`` seen with a valid signature, refused again until ``expires_at``."""

    __tablename__ = "nhsa_nonces"
    __table_args__ = (Index("ix_nhsa_nonces_expires_at", "expires_at"),)

    key_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)


class NhsaSignin(Base):
    """A 9001 签到: the operator, the machine, the ``sign_no`` answered."""

    __tablename__ = "nhsa_signins"

    sign_no: Mapped[str] = mapped_column(String(30), primary_key=True, server_default=SIGN_NO)
    hospital_code: Mapped[str] = mapped_column(String(32))
    msgid: Mapped[str] = mapped_column(String(30))
    opter_no: Mapped[str] = mapped_column(String(20))
    mac: Mapped[str | None] = mapped_column(String(20))
    ip: Mapped[str] = mapped_column(String(20))
    signed_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
