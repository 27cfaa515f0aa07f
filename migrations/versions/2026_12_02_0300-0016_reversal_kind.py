"""What a reversal record is: ``reversals.kind``, and the national-interface messages by
``setl_id``.

``kind`` is ``'reversal'`` (撤销: ``/v1``'s reverse or the national interface's 2305) or
``'correction'`` (冲正: a 2601 that undid the 2304 which made the settlement). For the HIS a
corrected settlement and its correction never existed, so 3201/3202 leave both out, while
``/v1`` reconciliation keeps both (they net to zero). Existing rows are reversals.

The expression index serves ``app.nhsa.reconcile.nhsa_msgids_by_setl_id`` (3202's result names
the 2304 or 2305 message that made each record).

Hand-written.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "reversals",
        sa.Column("kind", sa.String(length=16), server_default="reversal", nullable=False),
    )
    op.create_check_constraint("kind", "reversals", "kind IN ('reversal', 'correction')")
    op.execute(
        "CREATE INDEX ix_nhsa_messages_setl_id ON nhsa_messages"
        " (hospital_code, (effect ->> 'setl_id')) WHERE effect ? 'setl_id'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_nhsa_messages_setl_id")
    op.drop_constraint("kind", "reversals", type_="check")
    op.drop_column("reversals", "kind")
