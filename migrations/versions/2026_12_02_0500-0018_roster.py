"""The poverty roster and enrolment records (issue 13; app/roster, app/registry/models.py).

- ``roster_imports``: one row per accepted roster file of a source (扶贫, 民政, 医保), unique by
  ``(source, sha256)`` so the same file again is the same import.
- ``person_categories`` gains who said it (``source``: ``manual`` for the admin PUT, or the
  roster source), the import that wrote it and the one that ended it, and the 脱贫 mark
  (``exited``, ``exit_year``). Existing rows become ``manual``.
- ``persons.death_date``; ``external_enrolments`` (enrolled outside the region in a scheme and
  year); ``pension_enrolments`` (the resident pension's tier and subsidy per year);
  ``person_enrolments.run_id`` (the proxy-payment run that recorded the enrolment).

Hand-written.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roster_imports",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("ended", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("key_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "source IN ('poverty_office', 'civil_affairs', 'medical_insurance')",
            name=op.f("ck_roster_imports_source"),
        ),
        sa.CheckConstraint(
            "file_format IN ('csv', 'xlsx')", name=op.f("ck_roster_imports_file_format")
        ),
        sa.CheckConstraint(
            "rows >= 0 AND new >= 0 AND changed >= 0 AND ended >= 0 AND unchanged >= 0 "
            "AND rejected >= 0",
            name=op.f("ck_roster_imports_counts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_imports")),
        sa.UniqueConstraint("source", "sha256", name="uq_roster_imports_source_sha256"),
    )
    op.create_index("ix_roster_imports_source_as_of", "roster_imports", ["source", "as_of"])

    op.add_column(
        "person_categories",
        sa.Column("source", sa.String(length=32), server_default="manual", nullable=False),
    )
    op.add_column(
        "person_categories", sa.Column("import_id", postgresql.UUID(as_uuid=True), nullable=True)
    )
    op.add_column(
        "person_categories",
        sa.Column("ended_import_id", postgresql.UUID(as_uuid=True), nullable=True),
    )
    op.add_column(
        "person_categories",
        sa.Column("exited", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("person_categories", sa.Column("exit_year", sa.SmallInteger(), nullable=True))
    op.create_check_constraint(
        op.f("ck_person_categories_source"),
        "person_categories",
        "source IN ('manual', 'poverty_office', 'civil_affairs', 'medical_insurance')",
    )
    op.create_check_constraint(
        op.f("ck_person_categories_import_of_source"),
        "person_categories",
        "(source = 'manual') = (import_id IS NULL)",
    )
    op.create_check_constraint(
        op.f("ck_person_categories_exit_year_if_exited"),
        "person_categories",
        "exit_year IS NULL OR exited",
    )
    op.create_foreign_key(
        op.f("fk_person_categories_import_id_roster_imports"),
        "person_categories",
        "roster_imports",
        ["import_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        op.f("fk_person_categories_ended_import_id_roster_imports"),
        "person_categories",
        "roster_imports",
        ["ended_import_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index(
        "ix_person_categories_source_person", "person_categories", ["source", "person_id"]
    )

    op.add_column("persons", sa.Column("death_date", sa.Date(), nullable=True))
    op.add_column(
        "person_enrolments", sa.Column("run_id", postgresql.UUID(as_uuid=True), nullable=True)
    )

    op.create_table(
        "external_enrolments",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("import_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint(
            "scheme IN ('medical', 'pension')", name=op.f("ck_external_enrolments_scheme")
        ),
        sa.CheckConstraint(
            "region_code ~ '^[0-9]{6}$'", name=op.f("ck_external_enrolments_region_code")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_external_enrolments_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["roster_imports.id"],
            name=op.f("fk_external_enrolments_import_id_roster_imports"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("person_id", "scheme", "year", name=op.f("pk_external_enrolments")),
    )
    op.create_table(
        "pension_enrolments",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("tier_fen", sa.BigInteger(), nullable=False),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        sa.Column("run_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint("tier_fen > 0", name=op.f("ck_pension_enrolments_tier_positive")),
        sa.CheckConstraint(
            "subsidy_fen >= 0", name=op.f("ck_pension_enrolments_subsidy_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_pension_enrolments_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "year", name=op.f("pk_pension_enrolments")),
    )


def downgrade() -> None:
    op.drop_table("pension_enrolments")
    op.drop_table("external_enrolments")
    op.drop_column("person_enrolments", "run_id")
    op.drop_column("persons", "death_date")
    op.drop_index("ix_person_categories_source_person", table_name="person_categories")
    op.drop_constraint(
        op.f("fk_person_categories_ended_import_id_roster_imports"),
        "person_categories",
        type_="foreignkey",
    )
    op.drop_constraint(
        op.f("fk_person_categories_import_id_roster_imports"),
        "person_categories",
        type_="foreignkey",
    )
    for name in ("exit_year_if_exited", "import_of_source", "source"):
        op.drop_constraint(op.f(f"ck_person_categories_{name}"), "person_categories")
    for column in ("exit_year", "exited", "ended_import_id", "import_id", "source"):
        op.drop_column("person_categories", column)
    op.drop_index("ix_roster_imports_source_as_of", table_name="roster_imports")
    op.drop_table("roster_imports")
