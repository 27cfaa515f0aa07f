"""Identifiers of the national interface (docs: NHSA.md "Identifiers"): ``persons.psn_no``,
``settlements.setl_id``, ``reversals.setl_id`` and ``settlements.mdtrt_id``.

The national platform names a person by ``psn_no`` (a number the insurer issues, not the ID
number), a settlement and its reversal record each by ``setl_id``, and a visit by ``mdtrt_id``;
each is at most 30 characters, so the settlement's UUID (36) cannot serve. Each new row gets the
next number from its own sequence (``P`` + 12 digits, ``S`` + 15 digits: settlements and
reversals share one sequence, so a ``setl_id`` names one record of either kind), filled by the
database as a column default; existing rows are numbered in creation order. ``mdtrt_id`` is NULL
for a settlement made through ``/v1`` (a bill, not a visit).

Hand-written.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PSN_NO = "'P' || lpad(nextval('psn_no_seq')::text, 12, '0')"
SETL_ID = "'S' || lpad(nextval('setl_id_seq')::text, 15, '0')"


def upgrade() -> None:
    op.execute("CREATE SEQUENCE psn_no_seq")
    op.execute("CREATE SEQUENCE setl_id_seq")
    op.add_column("persons", sa.Column("psn_no", sa.String(30), nullable=True))
    op.execute(
        f"UPDATE persons SET psn_no = n.psn_no FROM (SELECT id, {PSN_NO} AS psn_no "
        "FROM (SELECT id FROM persons ORDER BY id) o) n WHERE persons.id = n.id"
    )
    op.alter_column("persons", "psn_no", nullable=False, server_default=sa.text(PSN_NO))
    op.create_unique_constraint("uq_persons_psn_no", "persons", ["psn_no"])
    for table, order in (("settlements", "settled_at, id"), ("reversals", "reversed_at, id")):
        op.add_column(table, sa.Column("setl_id", sa.String(30), nullable=True))
        op.execute(
            f"UPDATE {table} SET setl_id = n.setl_id FROM (SELECT id, {SETL_ID} AS setl_id "
            f"FROM (SELECT id FROM {table} ORDER BY {order}) o) n WHERE {table}.id = n.id"
        )
        op.alter_column(table, "setl_id", nullable=False, server_default=sa.text(SETL_ID))
        op.create_unique_constraint(f"uq_{table}_setl_id", table, ["setl_id"])
    op.add_column("settlements", sa.Column("mdtrt_id", sa.String(30), nullable=True))
    op.create_index("ix_settlements_mdtrt_id", "settlements", ["mdtrt_id"])


def downgrade() -> None:
    op.drop_index("ix_settlements_mdtrt_id", "settlements")
    op.drop_column("settlements", "mdtrt_id")
    for table in ("reversals", "settlements"):
        op.drop_constraint(f"uq_{table}_setl_id", table)
        op.drop_column(table, "setl_id")
    op.drop_constraint("uq_persons_psn_no", "persons")
    op.drop_column("persons", "psn_no")
    op.execute("DROP SEQUENCE setl_id_seq")
    op.execute("DROP SEQUENCE psn_no_seq")
