"""Totals and check from the rollups (app/reconciliation/models.py, migration 0023) where they
are exact, and from the rows where they may not be, so a report costs the days it covers, not
the events in them, and still equals the sum of the details to the fen.

A report at horizon H (:mod:`.cursor`) counts the events of transactions below H. A rollup row
holds the events of every transaction that changed it and committed before the snapshot; when
all of them are below H (``max_xact_id < H``) it holds exactly the events below H. So a cell
(day × hospital) all of whose rollup rows are below H is *closed* and read from the rollups; the
others (*open*: a transaction at or above H touched them: in practice today's, and a day whose
settlement was just reversed or reinstated) are read from the events themselves
(:func:`.events.events` over that one day and hospital), and the two are added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, Subquery, and_, func, not_, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from .cursor import REVERSAL, SETTLEMENT
from .events import AMOUNTS, FundRow, events, fund_rows
from .models import EventRollup, FundRollup
from .scope import Scope
from .sums import fen_sum

__all__ = ["MAX_OPEN_CELLS", "Rolled", "rolled"]

# Past this many open cells the whole scope is read from the events (still exact, as before
# the rollups): a union of that many one-day scans would cost more than one scan of the range.
MAX_OPEN_CELLS = 64


@dataclass(slots=True)
class Figures:
    """A number of events and their amounts in fen by ``<name>_fen`` (negative for reversals)."""

    count: int = 0
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AMOUNTS, 0))

    def add(self, count: int, amounts: dict[str, int]) -> None:
        self.count += count
        for name in AMOUNTS:
            self.amounts[name] += amounts[name]


@dataclass(frozen=True, slots=True)
class Rolled:
    """A scope's events below a horizon, added up: per kind, and per fund in layer order."""

    by_kind: dict[int, Figures]
    funds: list[FundRow]
    open_cells: int  # cells read from the events (for tests and the docs' explanation)


def _in_scope(model: type[EventRollup] | type[FundRollup], scope: Scope) -> ColumnElement[bool]:
    where = and_(model.day >= scope.date_from, model.day <= scope.date_to)
    if scope.hospital_code is not None:
        where = and_(where, model.hospital_code == scope.hospital_code)
    return where


async def _open_cells(
    session: AsyncSession, scope: Scope, horizon: int
) -> list[tuple[dt.date, str]]:
    """The cells of the scope some transaction at or above the horizon changed."""
    queries: list[Select[dt.date, str]] = [
        select(m.day, m.hospital_code).where(_in_scope(m, scope), m.max_xact_id >= horizon)
        for m in (EventRollup, FundRollup)
    ]
    cells = union_all(*queries).subquery("open_cells")
    rows = await session.execute(
        select(cells.c.day, cells.c.hospital_code)
        .distinct()
        .order_by(cells.c.day, cells.c.hospital_code)
    )
    return [(row.day, row.hospital_code) for row in rows]


def _closed(
    model: type[EventRollup] | type[FundRollup], scope: Scope, cells: Sequence[tuple[dt.date, str]]
) -> ColumnElement[bool]:
    where = _in_scope(model, scope)
    if cells:
        where = and_(where, not_(tuple_(model.day, model.hospital_code).in_(list(cells))))
    return where


def _open_events(scope: Scope, horizon: int, cells: Sequence[tuple[dt.date, str]]) -> Subquery:
    """The events of the open cells, one day and hospital each."""
    parts = [events(Scope(hospital, day, day), horizon) for day, hospital in cells]
    return union_all(*(select(part) for part in parts)).subquery("open_events")


async def rolled(session: AsyncSession, scope: Scope, horizon: int) -> Rolled:
    """What :func:`.events.events` of ``scope`` below ``horizon`` adds up to, per kind and per
    fund: the closed cells from the rollups, the open ones from the events."""
    cells = await _open_cells(session, scope, horizon)
    by_kind = {SETTLEMENT: Figures(), REVERSAL: Figures()}
    funds: dict[str, _Fund] = {}
    if len(cells) > MAX_OPEN_CELLS:  # every cell from the events
        ev: Subquery | None = events(scope, horizon)
        rollups = False
    else:
        ev = _open_events(scope, horizon, cells) if cells else None
        rollups = True
    if rollups:
        e = EventRollup
        for row in await session.execute(
            select(
                e.kind,
                fen_sum(e.event_count).label("event_count"),
                *(fen_sum(getattr(e, f"{n}_fen")).label(f"{n}_fen") for n in AMOUNTS),
            )
            .where(_closed(e, scope, cells))
            .group_by(e.kind)
        ):
            by_kind[row.kind].add(row.event_count, {n: row._mapping[f"{n}_fen"] for n in AMOUNTS})
        f = FundRollup
        for fund_sums in await session.execute(
            select(
                f.fund_code,
                f.kind,
                func.min(f.fund_name).label("fund_name"),
                func.min(f.position).label("position"),
                fen_sum(f.event_count).label("event_count"),
                fen_sum(f.paid_count).label("paid_count"),
                fen_sum(f.paid_fen).label("paid_fen"),
            )
            .where(_closed(f, scope, cells))
            .group_by(f.fund_code, f.kind)
        ):
            fund = funds.setdefault(
                fund_sums.fund_code,
                _Fund(fund_sums.fund_code, fund_sums.fund_name, fund_sums.position),
            )
            fund.merge(fund_sums.fund_name, fund_sums.position, fund_sums.event_count)
            fund.add(fund_sums.kind, fund_sums.paid_count, fund_sums.paid_fen)
    if ev is not None:
        for row in await session.execute(
            select(
                ev.c.kind,
                func.count().label("event_count"),
                *(fen_sum(ev.c[f"{n}_fen"]).label(f"{n}_fen") for n in AMOUNTS),
            ).group_by(ev.c.kind)
        ):
            by_kind[row.kind].add(row.event_count, {n: row._mapping[f"{n}_fen"] for n in AMOUNTS})
        for found in await fund_rows(session, ev):
            fund = funds.setdefault(
                found.fund_code, _Fund(found.fund_code, found.fund_name, found.position)
            )
            fund.merge(found.fund_name, found.position, 1)  # listed: it has events
            fund.add(SETTLEMENT, found.settled_count, found.settled_paid_fen)
            fund.add(REVERSAL, found.reversed_count, found.reversed_paid_fen)
    listed = sorted(
        (fund for fund in funds.values() if fund.events > 0),
        key=lambda fund: (fund.position, fund.fund_code),
    )
    return Rolled(by_kind, [fund.row() for fund in listed], len(cells))


@dataclass(slots=True)
class _Fund:
    """One fund's figures as they are added up."""

    fund_code: str
    fund_name: str
    position: int
    events: int = 0  # events with a layer of this fund: none, the fund is not listed
    counts: dict[int, int] = field(default_factory=lambda: {SETTLEMENT: 0, REVERSAL: 0})
    paid_fen: dict[int, int] = field(default_factory=lambda: {SETTLEMENT: 0, REVERSAL: 0})

    def merge(self, fund_name: str, position: int, events: int) -> None:
        self.fund_name = min(self.fund_name, fund_name)
        self.position = min(self.position, position)
        self.events += events

    def add(self, kind: int, count: int, paid_fen: int) -> None:
        self.counts[kind] += count
        self.paid_fen[kind] += paid_fen

    def row(self) -> FundRow:
        return FundRow(
            fund_code=self.fund_code,
            fund_name=self.fund_name,
            settled_count=self.counts[SETTLEMENT],
            settled_paid_fen=self.paid_fen[SETTLEMENT],
            reversed_count=self.counts[REVERSAL],
            reversed_paid_fen=self.paid_fen[REVERSAL],
            position=self.position,
        )
