"""The audit log becomes a Merkle log (RFC 9162 style): no lock at COMMIT, a sequencer.

Until now (migrations 0003, 0006) a deferred trigger took one advisory lock at ``COMMIT`` and
chained each entry to the previous one's hash; the lock was held through the commit's WAL flush,
so settlements committed one flush at a time. Now:

- the trigger on ``audit_pending`` only moves the entry into ``audit_log`` (no lock, no hash);
  the row records the id of the transaction that wrote it (``xact_id``, like settlements);
- a sequencer (``app.audit.sequencer``) integrates *committed* entries into a Merkle tree in
  ``(xact_id, id)`` order, only below its snapshot's xmin (every transaction with a smaller id
  has finished, so nothing can ever appear before a leaf it has placed): it sets ``leaf_index``
  once, stores the complete subtrees in ``audit_tree_nodes`` and a signed tree head in
  ``audit_tree_heads``, in one transaction;
- the existing chain keeps ``prev_hash``/``hash`` (now NULL for new entries) and becomes the
  first leaves: its rows get this migration's transaction id, so they sort first, in id order
  (which is chain order), and the sequencer integrates them first.

Hand-written.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 07:00:00
"""

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL")
    op.execute("ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL")
    op.execute(
        "ALTER TABLE audit_log ADD COLUMN xact_id bigint NOT NULL"
        " DEFAULT (pg_current_xact_id())::text::bigint"
    )
    op.execute("ALTER TABLE audit_log ADD COLUMN leaf_index bigint")
    op.execute("ALTER TABLE audit_log ADD CONSTRAINT uq_audit_log_leaf_index UNIQUE (leaf_index)")
    op.execute(
        "CREATE INDEX ix_audit_log_unsequenced ON audit_log (xact_id, id)"
        " WHERE leaf_index IS NULL"
    )
    # The proof of a settlement's entry finds it by entity.
    op.execute("CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id)")
    op.execute(
        """
CREATE TABLE audit_tree_nodes (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  CONSTRAINT pk_audit_tree_nodes PRIMARY KEY (level, idx)
)
"""
    )
    op.execute(
        """
CREATE TABLE audit_signing_keys (
  key_id varchar(64) NOT NULL,
  public_key bytea NOT NULL,
  first_used timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pk_audit_signing_keys PRIMARY KEY (key_id)
)
"""
    )
    op.execute(
        """
CREATE TABLE audit_tree_heads (
  tree_size bigint NOT NULL,
  root_hash bytea NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id varchar(64) NOT NULL,
  signature bytea NOT NULL,
  CONSTRAINT pk_audit_tree_heads PRIMARY KEY (tree_size),
  CONSTRAINT fk_audit_tree_heads_key_id_audit_signing_keys FOREIGN KEY (key_id)
    REFERENCES audit_signing_keys (key_id)
)
"""
    )
    # Still append-only, except the sequencer setting a leaf index once (nothing else changes).
    op.execute(
        """
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.leaf_index IS NULL AND NEW.leaf_index IS NOT NULL
       AND (to_jsonb(NEW) - 'leaf_index') = (to_jsonb(OLD) - 'leaf_index') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$
"""
    )
    # The same trigger, its function now without the lock and the hash.
    op.execute(
        """
CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  entry jsonb := NEW.entry;
BEGIN
  INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id, details)
  VALUES ((entry ->> 'at')::timestamptz, (entry ->> 'key_id')::uuid, entry ->> 'role',
          entry ->> 'action', entry ->> 'entity_type', entry ->> 'entity_id',
          entry ->> 'request_id', entry -> 'details');
  DELETE FROM audit_pending WHERE id = NEW.id;
  RETURN NULL;
END
$$
"""
    )


def _canonical(values: dict[str, Any]) -> str:
    # As app.audit.service._canonical / entry_body (kept here: a migration stands alone).
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _rechain() -> None:
    """Chain the entries written since 0022 after the old chain, in id order (the order the
    0006 chain is walked in), as its trigger would have: ``sha256(prev_hash || body)``."""
    bind = op.get_bind()
    prev = bind.execute(
        sa.text("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1")
    ).scalar()
    prev = prev or "0" * 64
    rows = bind.execute(
        sa.text(
            "SELECT id, at, key_id, role, action, entity_type, entity_id, request_id, details"
            " FROM audit_log WHERE hash IS NULL ORDER BY id"
        )
    ).all()
    for row in rows:
        body = _canonical(
            {
                "at": row.at.astimezone(dt.UTC).isoformat(),
                "key_id": str(row.key_id) if row.key_id else None,
                "role": row.role,
                "action": row.action,
                "entity_type": row.entity_type,
                "entity_id": row.entity_id,
                "request_id": row.request_id,
                "details": row.details,
            }
        )
        digest = hashlib.sha256((prev + body).encode()).hexdigest()
        bind.execute(
            sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :id"),
            {"p": prev, "h": digest, "id": row.id},
        )
        prev = digest


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    _rechain()
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    op.execute(
        """
CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  prev text;
  entry jsonb := NEW.entry;
BEGIN
  PERFORM pg_advisory_xact_lock(NEW.lock_key);
  SELECT a.hash INTO prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id, details,
                         prev_hash, hash)
  VALUES ((entry ->> 'at')::timestamptz, (entry ->> 'key_id')::uuid, entry ->> 'role',
          entry ->> 'action', entry ->> 'entity_type', entry ->> 'entity_id',
          entry ->> 'request_id', entry -> 'details', prev,
          encode(sha256(convert_to(prev || NEW.body, 'UTF8')), 'hex'));
  DELETE FROM audit_pending WHERE id = NEW.id;
  RETURN NULL;
END
$$
"""
    )
    op.execute(
        """
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$
"""
    )
    op.execute("DROP TABLE audit_tree_heads")
    op.execute("DROP TABLE audit_signing_keys")
    op.execute("DROP TABLE audit_tree_nodes")
    op.execute("DROP INDEX ix_audit_log_unsequenced")
    op.execute("DROP INDEX ix_audit_log_entity")
    op.execute("ALTER TABLE audit_log DROP CONSTRAINT uq_audit_log_leaf_index")
    op.execute("ALTER TABLE audit_log DROP COLUMN leaf_index")
    op.execute("ALTER TABLE audit_log DROP COLUMN xact_id")
    op.execute("ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL")
    op.execute("ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL")
