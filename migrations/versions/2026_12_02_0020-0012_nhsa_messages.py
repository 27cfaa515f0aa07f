"""National interface (issue 17, the adapter's framework): ``nhsa_messages`` (message
idempotency and 冲正), ``nhsa_nonces`` (``x-tif-nonce`` values seen), ``nhsa_signins`` (9001) and
the sequences of ``inf_refmsgid`` and ``sign_no``.

``nhsa_messages`` keeps one row per ``(hospital_code, msgid)``: the exact answer bytes of a
message that succeeded (a replay sends them again), the hash of its ``infno`` and canonical
``input``, the ``effect`` 2601 needs to undo it and, once undone, ``reversed_by``; or a
``tombstone`` for a ``msgid`` that a 2601 cancelled before it arrived. A failed message is not
stored (it changed nothing). See docs/nhsa.md.

Hand-written.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMPTZ = postgresql.TIMESTAMP(timezone=True)
SIGN_NO = "lpad(nextval('nhsa_sign_no_seq')::text, 12, '0')"


def upgrade() -> None:
    op.execute("CREATE SEQUENCE nhsa_refmsgid_seq")
    op.execute("CREATE SEQUENCE nhsa_sign_no_seq")
    op.create_table(
        "nhsa_messages",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("hospital_code", sa.String(32), nullable=False),
        sa.Column("msgid", sa.String(30), nullable=False),
        sa.Column("infno", sa.String(6), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=True),
        sa.Column("answer", sa.LargeBinary(), nullable=True),
        sa.Column("content_type", sa.String(64), nullable=True),
        sa.Column("inf_refmsgid", sa.String(30), nullable=True),
        sa.Column("header", postgresql.JSONB(), nullable=True),
        sa.Column("effect", postgresql.JSONB(), nullable=True),
        sa.Column("reversed_by", sa.String(30), nullable=True),
        sa.Column("reversed_at", TIMESTAMPTZ, nullable=True),
        sa.Column("tombstone", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", TIMESTAMPTZ, server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "tombstone OR (input_hash IS NOT NULL AND answer IS NOT NULL"
            " AND content_type IS NOT NULL AND inf_refmsgid IS NOT NULL)",
            name=op.f("ck_nhsa_messages_answered_or_tombstone"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nhsa_messages")),
        sa.UniqueConstraint(
            "hospital_code", "msgid", name=op.f("uq_nhsa_messages_hospital_code_msgid")
        ),
    )
    op.create_table(
        "nhsa_nonces",
        sa.Column("key_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("expires_at", TIMESTAMPTZ, nullable=False),
        sa.PrimaryKeyConstraint("key_id", "nonce", name=op.f("pk_nhsa_nonces")),
    )
    op.create_index("ix_nhsa_nonces_expires_at", "nhsa_nonces", ["expires_at"])
    op.create_table(
        "nhsa_signins",
        sa.Column("sign_no", sa.String(30), server_default=sa.text(SIGN_NO), nullable=False),
        sa.Column("hospital_code", sa.String(32), nullable=False),
        sa.Column("msgid", sa.String(30), nullable=False),
        sa.Column("opter_no", sa.String(20), nullable=False),
        sa.Column("mac", sa.String(20), nullable=True),
        sa.Column("ip", sa.String(20), nullable=False),
        sa.Column("signed_at", TIMESTAMPTZ, nullable=False),
        sa.PrimaryKeyConstraint("sign_no", name=op.f("pk_nhsa_signins")),
    )


def downgrade() -> None:
    op.drop_table("nhsa_signins")
    op.drop_index("ix_nhsa_nonces_expires_at", table_name="nhsa_nonces")
    op.drop_table("nhsa_nonces")
    op.drop_table("nhsa_messages")
    op.execute("DROP SEQUENCE nhsa_sign_no_seq")
    op.execute("DROP SEQUENCE nhsa_refmsgid_seq")
