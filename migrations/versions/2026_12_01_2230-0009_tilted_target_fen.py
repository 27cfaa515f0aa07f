"""The tilted layer's target as an integer: ``settlements.tilted_target_fen``.

The poverty ledger counts in-county settlements whose in-policy self-pay is above the target
the tilted layer (倾斜支付) applied. It read that target back from the layer's ``params``, which
hold it as display text (``"1850.00"``), with a cast to numeric. Now the settle path stores the
engine's integer beside the settlement (NULL when the tilted layer did not apply: not eligible,
out of county, or a policy without one), and the ledger compares integers (issue 18).

Existing rows are filled from the stored params. Exactly, with no float on the way: the text is
what ``format_fen`` wrote (an integer part, a point, two digits), ``numeric`` holds it exactly,
``× 100`` is then an integral numeric and ``round`` changes nothing, so the BIGINT is the fen
the engine computed. Rows whose tilted layer recorded no target keep NULL. The downgrade drops
the column (the params still hold the text).

Hand-written.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("settlements", sa.Column("tilted_target_fen", sa.BigInteger(), nullable=True))
    op.execute(
        """
        UPDATE settlements AS s
        SET tilted_target_fen = round(CAST(l.params ->> 'target' AS numeric) * 100)::bigint
        FROM settlement_layers AS l
        WHERE l.settlement_id = s.id AND l.layer = 'tilted' AND l.params ->> 'target' IS NOT NULL
        """
    )


def downgrade() -> None:
    op.drop_column("settlements", "tilted_target_fen")
