"""Visit and fee-line tables (migration 0013).

A visit (``mdtrt_id``, ``'M'`` + 15 digits from its own sequence) is an admission of a person at
a hospital; it is ``open`` until cancelled (2404). At most one open visit per
``(hospital_code, ipt_no)``; a cancelled one frees its ``ipt_no``. Whether it is settled is not a
column: a settlement with ``settlements.mdtrt_id`` = the visit's that no reversal points at
*stands*, and while one stands the visit's lines are frozen.

A fee line keeps what the HIS sent (price in 1e-6 yuan, quantity in 1e-4 units, amount in fen)
and the raw line. A refund is a line of its own with a negative quantity and amount that points
at the original line (``original_id``). A cancelled line (2302) keeps its row with
``cancelled_at`` set; its ``feedetl_sn`` is free again, so a HIS may delete a line and upload
the corrected one under the same number (N7 deletes everything with ``"0000"`` and re-uploads).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["MDTRT_ID", "FeeLine", "Visit"]

MDTRT_ID = text("'M' || lpad(nextval('mdtrt_id_seq')::text, 15, '0')")


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'cancelled')", name="status"),
        CheckConstraint(
            "(discharged_at IS NULL) = (discharge_date IS NULL)", name="discharge_pair"
        ),
        CheckConstraint(
            "discharge_date IS NULL OR discharge_date >= admission_date", name="discharge_order"
        ),
        Index(
            "uq_visits_open_ipt_no",
            "hospital_code",
            "ipt_no",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    mdtrt_id: Mapped[str] = mapped_column(String(30), unique=True, server_default=MDTRT_ID)
    hospital_code: Mapped[str] = mapped_column(ForeignKey("hospitals.code"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    ipt_no: Mapped[str] = mapped_column(String(30))
    insutype: Mapped[str] = mapped_column(String(6))
    med_type: Mapped[str] = mapped_column(String(6))
    admitted_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
    admission_date: Mapped[dt.date] = mapped_column(Date)
    discharged_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    discharge_date: Mapped[dt.date | None] = mapped_column(Date)
    admission: Mapped[dict[str, Any]] = mapped_column(JSONB)
    discharge: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), server_default="open")
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class FeeLine(Base):
    __tablename__ = "fee_lines"
    __table_args__ = (
        CheckConstraint("pric_e6 >= 0", name="price"),
        CheckConstraint(
            "(cnt_e4 > 0 AND amount_fen >= 0 AND original_id IS NULL)"
            " OR (cnt_e4 < 0 AND amount_fen <= 0 AND original_id IS NOT NULL)",
            name="sign",
        ),
        Index(
            "uq_fee_lines_standing_sn",
            "visit_id",
            "feedetl_sn",
            unique=True,
            postgresql_where=text("cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    feedetl_sn: Mapped[str] = mapped_column(String(30))
    init_feedetl_sn: Mapped[str | None] = mapped_column(String(30))
    original_id: Mapped[int | None] = mapped_column(ForeignKey("fee_lines.id"), index=True)
    med_list_codg: Mapped[str] = mapped_column(String(64))
    medins_list_codg: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    occurred_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
    pric_e6: Mapped[int] = mapped_column(BigInteger)
    cnt_e4: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    hospital_borne: Mapped[bool] = mapped_column(Boolean)
    bilg_dept_codg: Mapped[str | None] = mapped_column(String(30))
    bilg_dept_name: Mapped[str | None] = mapped_column(String(100))
    bilg_dr_codg: Mapped[str | None] = mapped_column(String(30))
    bilg_dr_name: Mapped[str | None] = mapped_column(String(50))
    raw: Mapped[dict[str, Any]] = mapped_column(JSONB)
    uploaded_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
