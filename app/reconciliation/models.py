"""Report rollups (migration 0023): per Asia/Shanghai day × hospital × kind of event, and per
fund, what the settlements and reversals of that cell add up to, maintained by triggers in the
writing transaction (docs/design.md §6).

No hot row: each cell has ``SLOTS`` rows and a transaction adds to the slot of its own
transaction id (``xid % SLOTS``), so two concurrent settlements of one hospital-day wait for
each other only when their ids fall in one slot. ``max_xact_id`` is the largest id of a
transaction that changed the row: a report at horizon H uses a cell only when every row of it
has ``max_xact_id < H`` (then it holds exactly the events below H), and reads the events of
every other cell from the rows (:mod:`.rollup`).

Amounts are BIGINT: a bill is at most 2^34 fen (app/bounds.py), so a row overflows only past
2^29 bills in one hospital-day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base

__all__ = [
    "SLOTS",
    "EventRollup",
    "FundRollup",
    "LedgerAllFundRollup",
    "LedgerAllRollup",
    "LedgerFundRollup",
    "LedgerRollup",
]

SLOTS = 8  # rows per cell; the triggers of migration 0023 say the same


class EventRollup(Base):
    """The events of one day, hospital and kind (0 settlement, 1 reversal) in one slot: how
    many, and their amounts (a reversal's negated)."""

    __tablename__ = "report_event_rollups"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    hospital_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    event_count: Mapped[int] = mapped_column(BigInteger)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    hospital_borne_fen: Mapped[int] = mapped_column(BigInteger)
    in_policy_fen: Mapped[int] = mapped_column(BigInteger)
    fund_paid_fen: Mapped[int] = mapped_column(BigInteger)
    self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    max_xact_id: Mapped[int] = mapped_column(BigInteger)


class FundRollup(Base):
    """What one fund paid in the events of one day, hospital and kind in one slot: the events
    with a layer of that fund (``event_count``), those in which it paid a non-zero amount
    (``paid_count``), the amount (negative for reversals), and the smallest layer name and
    position seen (the report's name and order of the fund)."""

    __tablename__ = "report_fund_rollups"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    hospital_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    fund_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    fund_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(SmallInteger)
    event_count: Mapped[int] = mapped_column(BigInteger)
    paid_count: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    max_xact_id: Mapped[int] = mapped_column(BigInteger)


class _LedgerFigures:
    """The columns of a ledger rollup (0023's registered-poor one and 0025's over every
    category): one day, county and slot."""

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    settlement_count: Mapped[int] = mapped_column(BigInteger)
    in_policy_fen: Mapped[int] = mapped_column(BigInteger)
    self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    in_policy_self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    in_county_count: Mapped[int] = mapped_column(BigInteger)
    in_county_in_policy_fen: Mapped[int] = mapped_column(BigInteger)
    in_county_in_policy_self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    above_target_count: Mapped[int] = mapped_column(BigInteger)
    max_xact_id: Mapped[int] = mapped_column(BigInteger)


class _LedgerFundFigures:
    """The columns of a ledger fund rollup: one day, county, fund and slot."""

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    fund_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    fund_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(SmallInteger)
    layer_count: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    max_xact_id: Mapped[int] = mapped_column(BigInteger)


class LedgerRollup(_LedgerFigures, Base):
    """The poverty ledger's figures (app/reconciliation/ledger.py) of the registered-poor
    settlements that stand (no reversal), by day of settlement and the person's county, in one
    slot: a reversal takes its settlement out of the day it was *settled*, a reinstate puts it
    back."""

    __tablename__ = "report_ledger_rollups"


class LedgerFundRollup(_LedgerFundFigures, Base):
    """What each fund paid in those settlements: the layer rows and their amount."""

    __tablename__ = "report_ledger_fund_rollups"


class LedgerAllRollup(_LedgerFigures, Base):
    """:class:`LedgerRollup` over every standing settlement, whatever the person's categories
    (migration 0025): the agency console's dashboard reads it."""

    __tablename__ = "report_ledger_all_rollups"


class LedgerAllFundRollup(_LedgerFundFigures, Base):
    """:class:`LedgerFundRollup` over every standing settlement (migration 0025)."""

    __tablename__ = "report_ledger_all_fund_rollups"
