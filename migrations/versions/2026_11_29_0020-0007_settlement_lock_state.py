"""``settlement_lock_state()``: the person-year lock and the bill's state in one call.

The settle path read the bill's history and the person-year's accumulators in a statement of its
own, after the statement that took the bill and person-year locks: a statement's snapshot is
taken when it starts, so only a later statement sees what the previous holder of a lock
committed. A PL/pgSQL function takes a new snapshot for each statement it runs, so this one
takes the person-year lock and then reads the state, and the settle path calls it from its first
statement (after that statement took the bill lock): one round trip fewer per settlement.

With ``person_id`` NULL (no such person) no person-year is locked and the accumulators are
empty; the bill's history is still read.

Hand-written.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 00:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
CREATE FUNCTION settlement_lock_state(hospital text, bill text, person bigint, year_ integer)
RETURNS TABLE (generations bigint, active_id uuid, active_request_hash text,
               accumulator_keys text[], accumulator_amounts bigint[])
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  IF person IS NOT NULL THEN
    -- app.settlement.repository.person_year_key
    PERFORM pg_advisory_xact_lock((person << 12) + (year_ - 1900));
  END IF;
  RETURN QUERY
  SELECT h.generations, h.active_id, h.active_request_hash, a.keys, a.amounts
  FROM (
    SELECT count(s.id) AS generations,
      (array_agg(s.id ORDER BY s.generation) FILTER (WHERE r.id IS NULL))[1] AS active_id,
      ((array_agg(s.request_hash ORDER BY s.generation) FILTER (WHERE r.id IS NULL))[1])::text
        AS active_request_hash
    FROM settlements s LEFT JOIN reversals r ON r.settlement_id = s.id
    WHERE s.hospital_code = hospital AND s.bill_no = bill) AS h,
   (SELECT array_agg(c.key)::text[] AS keys, array_agg(c.amount_fen) AS amounts
    FROM accumulators c WHERE c.person_id = person AND c.year = year_) AS a;
END
$$
"""
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION settlement_lock_state(text, text, bigint, integer)")
