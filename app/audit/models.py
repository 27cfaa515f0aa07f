"""The audit log: one row per state change, a leaf of a Merkle tree once the sequencer has
integrated it (migration 0022; before it, each row's hash covered the previous row's hash)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, SmallInteger, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base

__all__ = ["AuditEntry", "AuditPending", "SigningKey", "TreeHead", "TreeNode"]

_CURRENT_XACT_ID = text("(pg_current_xact_id())::text::bigint")


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index(
            "ix_audit_log_unsequenced",
            "xact_id",
            "id",
            postgresql_where=text("leaf_index IS NULL"),
        ),
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True))
    key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(128))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # The pre-0022 chain: kept and verifiable; NULL for entries written since.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    xact_id: Mapped[int] = mapped_column(BigInteger, server_default=_CURRENT_XACT_ID)
    # Set once by the sequencer (app.audit.sequencer); NULL until then.
    leaf_index: Mapped[int | None] = mapped_column(BigInteger, unique=True)


class AuditPending(Base):
    """An entry waiting for its transaction's COMMIT, when a trigger chains it into ``audit_log``
    and deletes it (migration 0006); never seen by another transaction."""

    __tablename__ = "audit_pending"
    __table_args__ = {"prefixes": ["UNLOGGED"]}  # noqa: RUF012 - SQLAlchemy's declarative form

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    lock_key: Mapped[int] = mapped_column(BigInteger)
    entry: Mapped[dict[str, Any]] = mapped_column(JSONB)
    body: Mapped[str] = mapped_column(Text)


class TreeNode(Base):
    """A complete (perfect) subtree: the hash of leaves ``idx·2^level .. (idx+1)·2^level - 1``;
    level 0 holds the leaf hashes. Written once, when its last leaf is integrated."""

    __tablename__ = "audit_tree_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class SigningKey(Base):
    """A public key that signed tree heads (``key_id``: hex SHA-256 of the raw key)."""

    __tablename__ = "audit_signing_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    first_used: Mapped[dt.datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=text("now()")
    )


class TreeHead(Base):
    """A signed tree head: the root of the first ``tree_size`` leaves, signed with Ed25519."""

    __tablename__ = "audit_tree_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[dt.datetime] = mapped_column(TIMESTAMP(timezone=True))
    key_id: Mapped[str] = mapped_column(ForeignKey("audit_signing_keys.key_id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
