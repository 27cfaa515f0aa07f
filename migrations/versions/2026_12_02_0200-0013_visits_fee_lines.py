"""Visits and fee lines of the national interface (NHSA.md 2401/2402/2404/2405, 2301/2302).

``visits``: one admission each, ``mdtrt_id`` (``M`` + 15 digits) from its own sequence as a
column default; ``status`` open or cancelled; at most one open visit per ``(hospital_code,
ipt_no)`` (a partial unique index); admission and discharge moments and dates, and the
2401/2402 input kept as JSONB for audit.

``fee_lines``: the lines a HIS uploads to a visit (2301), price in 1e-6 yuan, quantity in 1e-4
units, amount in fen; a refund has a negative quantity and amount and points at its original
line. A cancelled line (2302) keeps its row with ``cancelled_at``; ``feedetl_sn`` is unique per
visit among lines not cancelled (a partial unique index), so a cancelled number may be reused.

Hand-written.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MDTRT_ID = "'M' || lpad(nextval('mdtrt_id_seq')::text, 15, '0')"
TSTZ = postgresql.TIMESTAMP(timezone=True)


def upgrade() -> None:
    op.execute("CREATE SEQUENCE mdtrt_id_seq")
    op.create_table(
        "visits",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("mdtrt_id", sa.String(30), server_default=sa.text(MDTRT_ID), nullable=False),
        sa.Column("hospital_code", sa.String(32), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("ipt_no", sa.String(30), nullable=False),
        sa.Column("insutype", sa.String(6), nullable=False),
        sa.Column("med_type", sa.String(6), nullable=False),
        sa.Column("admitted_at", TSTZ, nullable=False),
        sa.Column("admission_date", sa.Date(), nullable=False),
        sa.Column("discharged_at", TSTZ, nullable=True),
        sa.Column("discharge_date", sa.Date(), nullable=True),
        sa.Column("admission", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("discharge", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("status", sa.String(16), server_default="open", nullable=False),
        sa.Column("cancelled_at", TSTZ, nullable=True),
        sa.Column("created_at", TSTZ, server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", TSTZ, server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('open', 'cancelled')", name="ck_visits_status"),
        sa.CheckConstraint(
            "(discharged_at IS NULL) = (discharge_date IS NULL)", name="ck_visits_discharge_pair"
        ),
        sa.CheckConstraint(
            "discharge_date IS NULL OR discharge_date >= admission_date",
            name="ck_visits_discharge_order",
        ),
        sa.ForeignKeyConstraint(
            ["hospital_code"], ["hospitals.code"], name="fk_visits_hospital_code_hospitals"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name="fk_visits_person_id_persons"),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
        sa.UniqueConstraint("mdtrt_id", name="uq_visits_mdtrt_id"),
    )
    op.create_index("ix_visits_person_id", "visits", ["person_id"])
    op.create_index(
        "uq_visits_open_ipt_no",
        "visits",
        ["hospital_code", "ipt_no"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "fee_lines",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.BigInteger(), nullable=False),
        sa.Column("feedetl_sn", sa.String(30), nullable=False),
        sa.Column("init_feedetl_sn", sa.String(30), nullable=True),
        sa.Column("original_id", sa.BigInteger(), nullable=True),
        sa.Column("med_list_codg", sa.String(64), nullable=False),
        sa.Column("medins_list_codg", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("occurred_at", TSTZ, nullable=False),
        sa.Column("pric_e6", sa.BigInteger(), nullable=False),
        sa.Column("cnt_e4", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("hospital_borne", sa.Boolean(), nullable=False),
        sa.Column("bilg_dept_codg", sa.String(30), nullable=True),
        sa.Column("bilg_dept_name", sa.String(100), nullable=True),
        sa.Column("bilg_dr_codg", sa.String(30), nullable=True),
        sa.Column("bilg_dr_name", sa.String(50), nullable=True),
        sa.Column("raw", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("uploaded_at", TSTZ, server_default=sa.text("now()"), nullable=False),
        sa.Column("cancelled_at", TSTZ, nullable=True),
        sa.CheckConstraint("pric_e6 >= 0", name="ck_fee_lines_price"),
        sa.CheckConstraint(
            "(cnt_e4 > 0 AND amount_fen >= 0 AND original_id IS NULL)"
            " OR (cnt_e4 < 0 AND amount_fen <= 0 AND original_id IS NOT NULL)",
            name="ck_fee_lines_sign",
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name="fk_fee_lines_visit_id_visits"),
        sa.ForeignKeyConstraint(
            ["original_id"], ["fee_lines.id"], name="fk_fee_lines_original_id_fee_lines"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_fee_lines"),
    )
    op.create_index("ix_fee_lines_visit_id", "fee_lines", ["visit_id"])
    op.create_index("ix_fee_lines_original_id", "fee_lines", ["original_id"])
    op.create_index(
        "uq_fee_lines_standing_sn",
        "fee_lines",
        ["visit_id", "feedetl_sn"],
        unique=True,
        postgresql_where=sa.text("cancelled_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("fee_lines")
    op.drop_table("visits")
    op.execute("DROP SEQUENCE mdtrt_id_seq")
