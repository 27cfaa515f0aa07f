"""Settlement and reversal events, what each fund paid in them, and the details pages (对明细账).

A settlement is a ``+1`` event at ``settled_at``; its reversal is a ``-1`` event at
``reversed_at`` carrying the settlement's amounts negated, so every net figure is the plain sum
of the events behind it. :func:`events` is the one definition of a scope's events below a
horizon (:mod:`.cursor`): the details pages list it (:mod:`.pages`, from indexes in the same
order), and totals and check aggregate over it in SQL, so totals equal the sum of the details to
the fen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SmallInteger,
    Subquery,
    cast,
    func,
    literal_column,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import LateralFromClause

from app.db.base import TIMESTAMPTZ
from app.settlement.models import Reversal, Settlement, SettlementLayer

from .cursor import REVERSAL, SETTLEMENT
from .scope import Scope
from .sums import fen_sum

__all__ = [
    "AMOUNTS",
    "FundRow",
    "events",
    "fund_rows",
    "funds_of",
    "reversed_events",
    "settled_events",
]

# The amounts every event carries (``<name>_fen`` columns of ``settlements``).
AMOUNTS = ("total", "hospital_borne", "in_policy", "fund_paid", "self_pay")


def events(scope: Scope, horizon: int) -> Subquery:
    """The scope's settlement (+) and reversal (−) events whose transaction is below the
    horizon: one row per event, keyed ``(xact_id, kind, settlement_id)``. ``setl_id`` is the
    record's own national-interface number (a reversal record has its own), ``mdtrt_id`` the
    visit's (NULL for a /v1 bill); ``person_id`` and ``person_county_code`` (the person's county:
    the national interface's clearing agency ``setl_optins``) are for the adapter's 3201/3202."""
    s, r = Settlement, Reversal
    settled = settled_events().where(
        s.settled_at >= scope.start, s.settled_at < scope.end, s.xact_id < horizon
    )
    reversed_ = reversed_events().where(
        r.reversed_at >= scope.start, r.reversed_at < scope.end, r.xact_id < horizon
    )
    if scope.hospital_code is not None:
        settled = settled.where(s.hospital_code == scope.hospital_code)
        reversed_ = reversed_.where(s.hospital_code == scope.hospital_code)
    return union_all(settled, reversed_).subquery("events")


def _amounts(sign: int) -> list[ColumnElement[Any]]:
    columns = [getattr(Settlement, f"{name}_fen") for name in AMOUNTS]
    return [
        (c if sign > 0 else -c).label(f"{n}_fen") for c, n in zip(columns, AMOUNTS, strict=True)
    ]


def settled_events() -> Select[*tuple[Any, ...]]:
    """Every settlement as a (+) event row of :func:`events`, unfiltered."""
    s = Settlement
    return select(
        s.xact_id.label("xact_id"),
        literal_column(str(SETTLEMENT), SmallInteger).label("kind"),
        literal_column("1", SmallInteger).label("sign"),
        s.id.label("settlement_id"),
        s.settled_at.label("event_at"),
        s.hospital_code,
        s.bill_no,
        s.discharge_date,
        s.settled_at,
        cast(null(), TIMESTAMPTZ).label("reversed_at"),
        s.setl_id.label("setl_id"),  # the record's own: the settlement's, or the reversal's
        s.mdtrt_id,
        s.person_id,
        s.person_county_code,
        *_amounts(+1),
    )


def reversed_events() -> Select[*tuple[Any, ...]]:
    """Every reversal as a (−) event row of :func:`events` (its settlement's amounts negated),
    unfiltered."""
    s, r = Settlement, Reversal
    return select(
        r.xact_id.label("xact_id"),
        literal_column(str(REVERSAL), SmallInteger).label("kind"),
        literal_column("-1", SmallInteger).label("sign"),
        s.id.label("settlement_id"),
        r.reversed_at.label("event_at"),
        s.hospital_code,
        s.bill_no,
        s.discharge_date,
        s.settled_at,
        r.reversed_at.label("reversed_at"),
        r.setl_id.label("setl_id"),
        s.mdtrt_id,
        s.person_id,
        s.person_county_code,
        *_amounts(-1),
    ).join_from(r, s, r.settlement_id == s.id)


def funds_of(
    settlement_id: ColumnElement[uuid.UUID], sign: ColumnElement[int], name: str
) -> LateralFromClause:
    """Per fund code, what one settlement's layers paid, times ``sign`` (a policy could give two
    layers one fund): a lateral lookup of the event's few layer rows by primary key, so no join
    of the whole layers table. ``position`` orders the funds as the policy's layers."""
    layer = SettlementLayer
    return (
        select(
            layer.fund_code,
            func.min(layer.fund_name).label("fund_name"),
            func.min(layer.position).label("position"),
            (func.sum(layer.paid_fen) * sign).label("paid_fen"),
        )
        .where(layer.settlement_id == settlement_id)
        .group_by(layer.fund_code)
        .lateral(name)
    )


@dataclass(frozen=True, slots=True)
class FundRow:
    """What one fund paid in a set of events, by kind: the number of events in which it paid a
    non-zero amount, and the amount (negative for reversals)."""

    fund_code: str
    fund_name: str
    settled_count: int
    settled_paid_fen: int
    reversed_count: int
    reversed_paid_fen: int
    position: int = 0  # the smallest layer position of the fund: the order of the funds

    @property
    def count(self) -> int:
        return self.settled_count - self.reversed_count

    @property
    def paid_fen(self) -> int:
        return self.settled_paid_fen + self.reversed_paid_fen


async def fund_rows(session: AsyncSession, ev: Subquery) -> list[FundRow]:
    """Per fund code of the events ``ev`` (:func:`events`), in layer order."""
    funds = funds_of(ev.c.settlement_id, ev.c.sign, "funds")
    settled, reversed_ = ev.c.kind == SETTLEMENT, ev.c.kind == REVERSAL
    paid = funds.c.paid_fen != 0
    rows = await session.execute(
        select(
            funds.c.fund_code,
            func.min(funds.c.fund_name).label("fund_name"),
            func.min(funds.c.position).label("position"),
            func.count().filter(settled & paid).label("settled_count"),
            fen_sum(funds.c.paid_fen, settled).label("settled_paid_fen"),
            func.count().filter(reversed_ & paid).label("reversed_count"),
            fen_sum(funds.c.paid_fen, reversed_).label("reversed_paid_fen"),
        )
        .select_from(ev)
        .join(funds, true())
        .group_by(funds.c.fund_code)
        .order_by(func.min(funds.c.position), funds.c.fund_code)
    )
    return [
        FundRow(
            fund_code=row.fund_code,
            fund_name=row.fund_name,
            settled_count=row.settled_count,
            settled_paid_fen=row.settled_paid_fen,
            reversed_count=row.reversed_count,
            reversed_paid_fen=row.reversed_paid_fen,
            position=row.position,
        )
        for row in rows
    ]
