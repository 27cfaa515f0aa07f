"""Files of the national interface's file exchange (NHSA.md 9101 文件上传, 3202, 9102 文件下载):
table ``nhsa_files``.

A 9101 upload (the hospital's detail file for 3202) and a 3202 result (for 9102) are stored as
bytes with the hospital that owns them and the instant they expire (24 h after they were stored:
``dld_endtime``). ``file_qury_no`` (C30 on the wire) is ``F`` + 15 digits from its own sequence.

Hand-written.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILE_QURY_NO = "'F' || lpad(nextval('nhsa_file_qury_no_seq')::text, 15, '0')"


def upgrade() -> None:
    op.execute("CREATE SEQUENCE nhsa_file_qury_no_seq")
    op.create_table(
        "nhsa_files",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("hospital_code", sa.String(length=32), nullable=False),
        sa.Column(
            "file_qury_no",
            sa.String(length=30),
            server_default=sa.text(FILE_QURY_NO),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column("expires_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('upload', 'result')", name=op.f("ck_nhsa_files_kind")),
        sa.ForeignKeyConstraint(
            ["hospital_code"],
            ["hospitals.code"],
            name=op.f("fk_nhsa_files_hospital_code_hospitals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nhsa_files")),
        sa.UniqueConstraint("file_qury_no", name=op.f("uq_nhsa_files_file_qury_no")),
    )


def downgrade() -> None:
    op.drop_table("nhsa_files")
    op.execute("DROP SEQUENCE nhsa_file_qury_no_seq")
