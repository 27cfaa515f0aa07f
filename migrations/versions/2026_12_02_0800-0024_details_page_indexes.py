"""Details-page indexes (issue 15): each Asia/Shanghai day and each month of settlements and of
reversals, overall and (settlements) per hospital, as an index range already in the listing's
order ``(xact_id, id)`` (app/reconciliation/pages.py, docs/design.md §6).

``day`` is the rollups' day of migration 0023, ``(t AT TIME ZONE 'Asia/Shanghai')::date``,
written as the models compile it (``CAST(timezone('Asia/Shanghai', t) AS DATE)``, the same
expression to PostgreSQL); ``month`` is the first day of that day's month.

Building them takes a SHARE lock on ``settlements`` and ``reversals``: reads go on, settlements
and reversals wait until the builds end (bench/README.md: 80 s at 10,000,000 settlements on
the shared 2-core machine). To build them without blocking writers, create them beforehand
with ``CREATE INDEX CONCURRENTLY`` and the same names and definitions (docs/design.md §6 gives
the statements): this migration then keeps them. An index a failed concurrent build left
INVALID is dropped and built again here.

Hand-written (the DDL is what the models compile to, checked by tests/test_migrations.py).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DAY = "CAST(timezone('Asia/Shanghai', {col}) AS DATE)"
_MONTH = "CAST(date_trunc('month', timezone('Asia/Shanghai', {col})) AS DATE)"

INDEXES = {
    "ix_settlements_day_xact_id": "settlements ({day}, xact_id, id)".format(
        day=_DAY.format(col="settled_at")
    ),
    "ix_settlements_month_xact_id": "settlements ({month}, xact_id, id)".format(
        month=_MONTH.format(col="settled_at")
    ),
    "ix_settlements_hospital_code_day_xact_id": (
        "settlements (hospital_code, {day}, xact_id, id)".format(day=_DAY.format(col="settled_at"))
    ),
    "ix_settlements_hospital_code_month_xact_id": (
        "settlements (hospital_code, {month}, xact_id, id)".format(
            month=_MONTH.format(col="settled_at")
        )
    ),
    "ix_reversals_day_xact_id": "reversals ({day}, xact_id, settlement_id)".format(
        day=_DAY.format(col="reversed_at")
    ),
    "ix_reversals_month_xact_id": "reversals ({month}, xact_id, settlement_id)".format(
        month=_MONTH.format(col="reversed_at")
    ),
}


def upgrade() -> None:
    for name, definition in INDEXES.items():
        # a concurrent build that failed leaves its index INVALID: build it again
        op.execute(
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid ="
            f" i.indexrelid WHERE c.relname = '{name}' AND NOT i.indisvalid) THEN"
            f" DROP INDEX {name}; END IF; END $$"
        )
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    # the planner's estimates of one day or month come from the expressions' statistics
    op.execute("ANALYZE settlements")
    op.execute("ANALYZE reversals")


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.execute(f"DROP INDEX {name}")
