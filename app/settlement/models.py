"""Settlement tables. Settlements, their lines and reversals are append-only.

A bill ``(hospital_code, bill_no)`` may be settled, reversed and settled again; each settlement
of the bill has the next ``generation`` and ``(hospital_code, bill_no, generation)`` is unique,
which is the backstop against two concurrent settlements of one bill. A settlement is active
while no row in ``reversals`` points at it, so reversing inserts and never updates.

``xact_id`` (on settlements and reversals) is the writing transaction's id, filled in by the
database; reconciliation pages by it (see ``app.reconciliation.cursor``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = [
    "CORRECTION",
    "ITEM_COLUMNS",
    "REVERSAL_KINDS",
    "Accumulator",
    "Reversal",
    "Settlement",
    "SettlementItemList",
    "SettlementLayer",
    "shanghai_day",
    "shanghai_month",
]


# pg_current_xact_id() is xid8; its text fits BIGINT (epoch << 32 | xid) for any real lifetime.
CURRENT_XACT_ID = text("(pg_current_xact_id())::text::bigint")
# The national interface's settlement number, shared by settlements and reversals (migration
# 0011): at most 30 characters, unique across both tables.
SETL_ID = text("'S' || lpad(nextval('setl_id_seq')::text, 15, '0')")
REGISTERED_POOR = text("categories @> '{registered_poor}'::varchar[]")


# The Asia/Shanghai day of an instant, as the rollups of migration 0023 define it
# (``(t AT TIME ZONE 'Asia/Shanghai')::date``), and the first day of its month. Both are
# IMMUTABLE for a zone named by a literal, so they can be index expressions; a query matches
# the index only if it spells the zone as the same literal (a bound parameter would not match).
_ZONE: ColumnElement[str] = literal_column("'Asia/Shanghai'")
Instant = ColumnElement[dt.datetime] | InstrumentedAttribute[dt.datetime]


def shanghai_day(instant: Instant) -> ColumnElement[dt.date]:
    return cast(func.timezone(_ZONE, instant), Date)


def shanghai_month(instant: Instant) -> ColumnElement[dt.date]:
    return cast(func.date_trunc(literal_column("'month'"), func.timezone(_ZONE, instant)), Date)


class Settlement(Base):
    __tablename__ = "settlements"
    __table_args__ = (
        UniqueConstraint("hospital_code", "bill_no", "generation"),
        CheckConstraint(
            "total_fen = hospital_borne_fen + full_self_pay_fen + over_limit_fen"
            " + pre_self_pay_fen + in_policy_fen",
            name="classes_add_up",
        ),
        CheckConstraint(
            "total_fen = hospital_borne_fen + fund_paid_fen + self_pay_fen", name="conserved"
        ),
        CheckConstraint(
            "LEAST(total_fen, hospital_borne_fen, full_self_pay_fen, over_limit_fen,"
            " pre_self_pay_fen,"
            " in_policy_fen, fund_paid_fen, self_pay_fen, in_policy_self_pay_fen) >= 0",
            name="non_negative",
        ),
        # Reconciliation: one hospital's settlements in a time range.
        Index("ix_settlements_hospital_code_settled_at", "hospital_code", "settled_at"),
        # Poverty ledger: registered-poor settlements in a time range.
        Index(
            "ix_settlements_registered_poor_settled_at",
            "settled_at",
            postgresql_where=REGISTERED_POOR,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    hospital_code: Mapped[str] = mapped_column(ForeignKey("hospitals.code"))
    bill_no: Mapped[str] = mapped_column(String(64))
    generation: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(ForeignKey("policy_versions.id"))
    policy_hash: Mapped[str] = mapped_column(String(64))
    admission_date: Mapped[dt.date] = mapped_column(Date)
    discharge_date: Mapped[dt.date] = mapped_column(Date)
    accumulator_year: Mapped[int] = mapped_column(SmallInteger)
    referral: Mapped[bool] = mapped_column(Boolean)
    in_county: Mapped[bool] = mapped_column(Boolean)
    hospital_level: Mapped[str] = mapped_column(String(16))
    hospital_county_code: Mapped[str] = mapped_column(String(6))
    person_county_code: Mapped[str] = mapped_column(String(6))
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    hospital_borne_fen: Mapped[int] = mapped_column(BigInteger)
    full_self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    over_limit_fen: Mapped[int] = mapped_column(BigInteger)
    pre_self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    in_policy_fen: Mapped[int] = mapped_column(BigInteger)
    fund_paid_fen: Mapped[int] = mapped_column(BigInteger)
    self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    in_policy_self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    in_policy_self_pay_ratio_bp: Mapped[int] = mapped_column(Integer)
    # The tilted layer's target (the most in-policy self-pay it leaves the person), as an integer
    # for the poverty ledger; NULL when that layer did not apply (migration 0009).
    tilted_target_fen: Mapped[int | None] = mapped_column(BigInteger)
    accumulator_deltas: Mapped[dict[str, int]] = mapped_column(JSONB)
    settled_at: Mapped[dt.datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), index=True
    )
    created_by_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    xact_id: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_XACT_ID)
    # The reversed settlement of the same bill this one settled again (migration 0008).
    replaces_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("settlements.id"))
    # National-interface identifiers (migration 0011): ``setl_id`` always; ``mdtrt_id`` the
    # visit a settlement through the national interface settled (NULL for a /v1 bill).
    setl_id: Mapped[str] = mapped_column(String(30), unique=True, server_default=SETL_ID)
    mdtrt_id: Mapped[str | None] = mapped_column(String(30), index=True)


class SettlementLayer(Base):
    __tablename__ = "settlement_layers"
    __table_args__ = (
        CheckConstraint(
            "paid_fen >= 0 AND paid_fen <= base_fen AND left_fen = base_fen - paid_fen", name="paid"
        ),
    )

    settlement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("settlements.id"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    layer: Mapped[str] = mapped_column(String(32))
    fund_code: Mapped[str] = mapped_column(String(16))
    fund_name: Mapped[str] = mapped_column(String(100))
    base_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    left_fen: Mapped[int] = mapped_column(BigInteger)
    params: Mapped[dict[str, str | None]] = mapped_column(JSONB)
    rule: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


# The columns of one stored bill line, in order: each line of ``SettlementItemList.items`` is a
# JSON array of these (and the view ``settlement_items``, migration 0005, shows them as columns).
# Unit price and price cap in 1e-6 yuan, quantity in 1e-4 units: the engine's scale (migration
# 0014; they were 1e-4 yuan and 1e-3 units before).
ITEM_COLUMNS = (
    "seq",
    "code",
    "name",
    "unit_price_e6",
    "quantity_e4",
    "amount_fen",
    "hospital_borne",
    "grade",
    "self_pay_ratio_bp",
    "price_cap_e6",
)


class SettlementItemList(Base):
    """The bill lines as settled, with the catalogue facts used (so a replay needs no catalogue):
    one JSON array per settlement, in bill order, each line an array in ``ITEM_COLUMNS`` order.
    Read them as rows through the view ``settlement_items``."""

    __tablename__ = "settlement_item_lists"
    __table_args__ = (CheckConstraint("jsonb_typeof(items) = 'array'", name="array"),)

    settlement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("settlements.id"), primary_key=True)
    items: Mapped[list[list[object]]] = mapped_column(JSONB)


REVERSAL_KINDS = ("reversal", "correction")
CORRECTION = "correction"  # a 冲正 of the 2304 that made the settlement (app.nhsa)


class Reversal(Base):
    """撤销: points at the settlement it reverses; one per settlement.

    ``kind`` (migration 0016): ``reversal`` (撤销: ``/v1`` or 2305) or ``correction`` (冲正: a
    2601 undid the 2304 that made the settlement; the national interface's reconciliation then
    leaves the settlement and this record out, ``/v1``'s keeps both)."""

    __tablename__ = "reversals"
    __table_args__ = (CheckConstraint("kind IN ('reversal', 'correction')", name="kind"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    settlement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("settlements.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    reversed_at: Mapped[dt.datetime] = mapped_column(
        TIMESTAMPTZ, server_default=func.now(), index=True
    )
    created_by_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    xact_id: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_XACT_ID)
    setl_id: Mapped[str] = mapped_column(String(30), unique=True, server_default=SETL_ID)
    kind: Mapped[str] = mapped_column(String(16), server_default="reversal")


class Accumulator(Base):
    """Annual amounts per person and year (what each layer paid, cumulative bases)."""

    __tablename__ = "accumulators"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="non_negative"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


# The details pages (app/reconciliation/pages.py, migration 0024): each Asia/Shanghai day and
# each month, overall and per hospital, is one index range already in the listing's order
# (``xact_id``, then the settlement's id), so a page merges a few such ranges instead of sorting
# every event of the range asked for.
Index(
    "ix_settlements_day_xact_id",
    shanghai_day(Settlement.settled_at),
    Settlement.xact_id,
    Settlement.id,
)
Index(
    "ix_settlements_month_xact_id",
    shanghai_month(Settlement.settled_at),
    Settlement.xact_id,
    Settlement.id,
)
Index(
    "ix_settlements_hospital_code_day_xact_id",
    Settlement.hospital_code,
    shanghai_day(Settlement.settled_at),
    Settlement.xact_id,
    Settlement.id,
)
Index(
    "ix_settlements_hospital_code_month_xact_id",
    Settlement.hospital_code,
    shanghai_month(Settlement.settled_at),
    Settlement.xact_id,
    Settlement.id,
)
Index(
    "ix_reversals_day_xact_id",
    shanghai_day(Reversal.reversed_at),
    Reversal.xact_id,
    Reversal.settlement_id,
)
Index(
    "ix_reversals_month_xact_id",
    shanghai_month(Reversal.reversed_at),
    Reversal.xact_id,
    Reversal.settlement_id,
)
