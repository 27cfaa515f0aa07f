"""Reconciliation: writing-transaction ids on settlements and reversals, and range indexes.

``xact_id`` is ``pg_current_xact_id()`` of the transaction that wrote the row (a BIGINT copy of
the xid8). Reconciliation lists events in ``xact_id`` order and only below the snapshot's xmin, so
a page boundary never skips a row that commits late (see ``app.reconciliation.cursor``). Rows
written before this revision all get the migrating transaction's id: they are committed, and ties
are broken by event kind and settlement id.

Hand-written. Indexes: ``settlements(hospital_code, settled_at)`` for one hospital's range, and a
partial ``settlements(settled_at) WHERE categories @> '{registered_poor}'`` for the poverty
ledger. ``settlements(settled_at)`` and ``reversals(reversed_at)`` exist since 0002.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CURRENT_XACT_ID = sa.text("(pg_current_xact_id())::text::bigint")
_REGISTERED_POOR = sa.text("categories @> '{registered_poor}'::varchar[]")


def upgrade() -> None:
    for table in ("settlements", "reversals"):
        op.add_column(
            table,
            sa.Column("xact_id", sa.BigInteger(), server_default=_CURRENT_XACT_ID, nullable=False),
        )
    op.create_index(
        "ix_settlements_hospital_code_settled_at",
        "settlements",
        ["hospital_code", "settled_at"],
        unique=False,
    )
    op.create_index(
        "ix_settlements_registered_poor_settled_at",
        "settlements",
        ["settled_at"],
        unique=False,
        postgresql_where=_REGISTERED_POOR,
    )


def downgrade() -> None:
    op.drop_index("ix_settlements_registered_poor_settled_at", table_name="settlements")
    op.drop_index("ix_settlements_hospital_code_settled_at", table_name="settlements")
    for table in ("reversals", "settlements"):
        op.drop_column(table, "xact_id")
