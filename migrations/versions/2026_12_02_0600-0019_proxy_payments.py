"""Proxy-payment runs (代缴/资助参保, issue 13; app/enrolment/models.py).

- ``proxy_payment_runs``: one computed list per scheme, year and county, with the rules' hash,
  the fingerprint of what it computed (a stale confirm is refused), its totals and its top-ups;
  at most one confirmed run per (scheme, year, county_code) (a partial unique index).
- ``proxy_payment_lines``: a person of a run: the category whose rule applied, the contribution,
  the pension tier and subsidy, a refused third-party excess and its notice.
- ``proxy_payment_shares``: who pays how much of a line's contribution (payer codes are data).
- ``person_enrolments.run_id`` and ``pension_enrolments.run_id`` now reference the runs.

Hand-written.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proxy_payment_runs",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="computed", nullable=False),
        sa.Column("rules_sha256", sa.String(length=64), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("contribution_fen", sa.BigInteger(), nullable=False),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        sa.Column("top_ups", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("skipped", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("key_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("confirmed_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("confirmed_key_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint(
            "scheme IN ('medical', 'pension')", name=op.f("ck_proxy_payment_runs_scheme")
        ),
        sa.CheckConstraint(
            "status IN ('computed', 'confirmed')", name=op.f("ck_proxy_payment_runs_status")
        ),
        sa.CheckConstraint(
            "county_code ~ '^[0-9]{6}$'", name=op.f("ck_proxy_payment_runs_county_code")
        ),
        sa.CheckConstraint(
            "persons >= 0 AND contribution_fen >= 0 AND subsidy_fen >= 0",
            name=op.f("ck_proxy_payment_runs_totals"),
        ),
        sa.CheckConstraint(
            "(status = 'confirmed') = (confirmed_at IS NOT NULL)",
            name=op.f("ck_proxy_payment_runs_confirmed_at_if_confirmed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proxy_payment_runs")),
    )
    op.create_index(
        "uq_proxy_payment_runs_confirmed",
        "proxy_payment_runs",
        ["scheme", "year", "county_code"],
        unique=True,
        postgresql_where=sa.text("status = 'confirmed'"),
    )
    op.create_index(
        "ix_proxy_payment_runs_scheme_year_county",
        "proxy_payment_runs",
        ["scheme", "year", "county_code"],
    )
    op.create_table(
        "proxy_payment_lines",
        sa.Column("run_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("contribution_fen", sa.BigInteger(), nullable=False),
        sa.Column("tier_fen", sa.BigInteger(), nullable=True),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=True),
        sa.Column("refused_fen", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("third_party_name", sa.String(length=200), nullable=True),
        sa.Column("notice", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "contribution_fen > 0", name=op.f("ck_proxy_payment_lines_contribution_positive")
        ),
        sa.CheckConstraint(
            "tier_fen IS NULL OR tier_fen > 0", name=op.f("ck_proxy_payment_lines_tier_positive")
        ),
        sa.CheckConstraint(
            "subsidy_fen IS NULL OR subsidy_fen >= 0",
            name=op.f("ck_proxy_payment_lines_subsidy_not_negative"),
        ),
        sa.CheckConstraint(
            "refused_fen >= 0", name=op.f("ck_proxy_payment_lines_refused_not_negative")
        ),
        sa.CheckConstraint(
            "category IN ('registered_poor', 'dibao', 'tekun')",
            name=op.f("ck_proxy_payment_lines_category"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["proxy_payment_runs.id"],
            name=op.f("fk_proxy_payment_lines_run_id_proxy_payment_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_proxy_payment_lines_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "person_id", name=op.f("pk_proxy_payment_lines")),
    )
    op.create_index("ix_proxy_payment_lines_person_id", "proxy_payment_lines", ["person_id"])
    op.create_table(
        "proxy_payment_shares",
        sa.Column("run_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("payer", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_proxy_payment_shares_amount_positive")),
        sa.ForeignKeyConstraint(
            ["run_id", "person_id"],
            ["proxy_payment_lines.run_id", "proxy_payment_lines.person_id"],
            name=op.f("fk_proxy_payment_shares_run_id_proxy_payment_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "person_id", "payer", name=op.f("pk_proxy_payment_shares")
        ),
    )
    for table in ("person_enrolments", "pension_enrolments"):
        op.create_foreign_key(
            op.f(f"fk_{table}_run_id_proxy_payment_runs"),
            table,
            "proxy_payment_runs",
            ["run_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    for table in ("pension_enrolments", "person_enrolments"):
        op.drop_constraint(op.f(f"fk_{table}_run_id_proxy_payment_runs"), table, type_="foreignkey")
    op.drop_table("proxy_payment_shares")
    op.drop_index("ix_proxy_payment_lines_person_id", table_name="proxy_payment_lines")
    op.drop_table("proxy_payment_lines")
    op.drop_index("ix_proxy_payment_runs_scheme_year_county", table_name="proxy_payment_runs")
    op.drop_index("uq_proxy_payment_runs_confirmed", table_name="proxy_payment_runs")
    op.drop_table("proxy_payment_runs")
