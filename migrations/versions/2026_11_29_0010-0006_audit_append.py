"""``audit_append()``: append entries to the audit chain in one round trip.

The commit hook (``app.audit.service``) used three statements: take the chain's advisory lock,
read the last hash, insert. This function does the three in one call. In a PL/pgSQL function
each statement takes a new snapshot, so the last hash is read after the lock is held, as it was
before; ids are still drawn under the lock, so id order is chain order.

The entry's canonical JSON (``app.audit.service.entry_body``) is made by the caller, which knows
the canonical form; the function only chains it: ``hash = sha256(prev_hash || body)`` in hex,
exactly what ``entry_hash`` computes in Python when the chain is verified.

Hand-written.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 00:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
CREATE FUNCTION audit_append(lock_key bigint, entries jsonb, bodies text[])
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  prev text;
  digest text;
  entry jsonb;
BEGIN
  IF jsonb_array_length(entries) <> coalesce(array_length(bodies, 1), 0) THEN
    RAISE EXCEPTION 'audit_append: % entries but % bodies',
      jsonb_array_length(entries), coalesce(array_length(bodies, 1), 0);
  END IF;
  PERFORM pg_advisory_xact_lock(lock_key);
  SELECT a.hash INTO prev FROM audit_log a ORDER BY a.id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  FOR i IN 1 .. coalesce(array_length(bodies, 1), 0) LOOP
    entry := entries -> (i - 1);
    digest := encode(sha256(convert_to(prev || bodies[i], 'UTF8')), 'hex');
    INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id,
                           details, prev_hash, hash)
    VALUES ((entry ->> 'at')::timestamptz, (entry ->> 'key_id')::uuid, entry ->> 'role',
            entry ->> 'action', entry ->> 'entity_type', entry ->> 'entity_id',
            entry ->> 'request_id', entry -> 'details', prev, digest);
    prev := digest;
  END LOOP;
END
$$
"""
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION audit_append(bigint, jsonb, text[])")
