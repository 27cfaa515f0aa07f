"""A settlement's bill lines as one JSON document instead of one row per line.

The lines are written once, with every settlement, and read only to explain or replay it. As
rows, a 200-line bill cost 200 heap tuples, 200 primary-key entries and 200 foreign-key checks,
about 1.5 ms of PostgreSQL per settlement and a third of its database time (bench/README.md).
Now ``settlement_item_lists`` holds one row per settlement: ``items`` is a JSON array of the
lines in bill order, each an array in the column order of the old table (see
``app.settlement.models.ITEM_COLUMNS``).

``settlement_items`` stays, as a view with the old columns and types, so every query written
against the old table still reads the same rows.

Hand-written. The downgrade rebuilds the table from the documents.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VIEW = """
CREATE VIEW settlement_items AS
SELECT l.settlement_id,
       (e.line->>0)::integer AS seq,
       (e.line->>1)::varchar(64) AS code,
       (e.line->>2)::varchar(200) AS name,
       (e.line->>3)::bigint AS unit_price_e4,
       (e.line->>4)::bigint AS quantity_e3,
       (e.line->>5)::bigint AS amount_fen,
       (e.line->>6)::boolean AS hospital_borne,
       (e.line->>7)::varchar(1) AS grade,
       (e.line->>8)::integer AS self_pay_ratio_bp,
       (e.line->>9)::bigint AS price_cap_e4
FROM settlement_item_lists AS l
CROSS JOIN LATERAL jsonb_array_elements(l.items) AS e(line)
"""


def upgrade() -> None:
    op.create_table(
        "settlement_item_lists",
        sa.Column("settlement_id", sa.UUID(), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint(
            "jsonb_typeof(items) = 'array'", name=op.f("ck_settlement_item_lists_array")
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlements.id"],
            name=op.f("fk_settlement_item_lists_settlement_id_settlements"),
        ),
        sa.PrimaryKeyConstraint("settlement_id", name=op.f("pk_settlement_item_lists")),
    )
    op.execute(
        """
        INSERT INTO settlement_item_lists (settlement_id, items)
        SELECT settlement_id,
               jsonb_agg(jsonb_build_array(seq, code, name, unit_price_e4, quantity_e3,
                                           amount_fen, hospital_borne, grade, self_pay_ratio_bp,
                                           price_cap_e4) ORDER BY seq)
        FROM settlement_items GROUP BY settlement_id
        """
    )
    op.drop_table("settlement_items")
    op.execute(_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW settlement_items")
    op.create_table(
        "settlement_items",
        sa.Column("settlement_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_price_e4", sa.BigInteger(), nullable=False),
        sa.Column("quantity_e3", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("hospital_borne", sa.Boolean(), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("self_pay_ratio_bp", sa.Integer(), nullable=False),
        sa.Column("price_cap_e4", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlements.id"],
            name=op.f("fk_settlement_items_settlement_id_settlements"),
        ),
        sa.PrimaryKeyConstraint("settlement_id", "seq", name=op.f("pk_settlement_items")),
    )
    op.execute(
        "INSERT INTO settlement_items SELECT * FROM ("
        + _VIEW.replace("CREATE VIEW settlement_items AS", "")
        + ") AS lines"
    )
    op.drop_table("settlement_item_lists")
