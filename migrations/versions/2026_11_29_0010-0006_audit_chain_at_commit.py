"""The audit chain is extended at COMMIT, inside PostgreSQL, by a deferred trigger.

The commit hook (``app.audit.service``) used three statements: take the chain's advisory lock,
read the last hash, insert; the lock was then held until the client's ``COMMIT`` came back,
which includes a round trip to a Python worker that may be busy with another request, and every
settlement of the city queues on that lock. Now the hook inserts its entries into
``audit_pending`` (one statement, no lock) and a deferred constraint trigger on that table runs
at ``COMMIT``: it takes the lock, reads the last hash, inserts the entry into ``audit_log`` and
deletes the pending row. The lock is held from then to the end of the commit only; ids are
still drawn under it, so id order is chain order, and a rolled-back transaction leaves nothing.

In a PL/pgSQL function each statement takes a new snapshot, so the last hash is read after the
lock is held and sees every earlier holder's commit (locks are released after a commit becomes
visible). The entry's canonical JSON (``app.audit.service.entry_body``) is made by the caller,
which knows the canonical form; the trigger only chains it: ``hash = sha256(prev_hash || body)``
in hex, exactly what ``entry_hash`` computes in Python when the chain is verified.

``audit_pending`` is UNLOGGED (its rows never outlive their transaction). The trigger function is
SECURITY DEFINER, so the application's role needs only INSERT on ``audit_pending`` and SELECT on
``audit_log`` (deploy/postgres-roles.sql): the trigger is the only way into the chain.

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
CREATE UNLOGGED TABLE audit_pending (
  id bigserial PRIMARY KEY,
  lock_key bigint NOT NULL,
  entry jsonb NOT NULL,
  body text NOT NULL
)
"""
    )
    op.execute(
        """
CREATE FUNCTION audit_chain_pending() RETURNS trigger
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
        "CREATE CONSTRAINT TRIGGER audit_pending_chain AFTER INSERT ON audit_pending"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_pending()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_pending_chain ON audit_pending")
    op.execute("DROP FUNCTION audit_chain_pending()")
    op.execute("DROP TABLE audit_pending")
