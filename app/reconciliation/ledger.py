"""管理台帐, the poverty ledger: registered-poor settlements that stand (not reversed), per
person's county and month of settlement (Asia/Shanghai).

It reads settlements, not events: a settlement reversed by a transaction below the horizon is
left out, whenever the reversal was made. Like the other reports it reads one snapshot below its
horizon (:mod:`.cursor`). The tilted layer's target (倾斜支付: the in-policy self-pay it leaves
the person at most, 10% of the in-policy total in the notice) is the integer the settlement
stored with it (``settlements.tilted_target_fen``, migration 0009): no amount is read back from
the layers' display text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    literal_column,
    not_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine.money import BP, div_half_up, format_fen, format_ratio_bp
from app.settlement.models import REGISTERED_POOR, Reversal, Settlement, SettlementLayer

from .cursor import begin_snapshot
from .models import LedgerAllFundRollup, LedgerAllRollup, LedgerFundRollup, LedgerRollup
from .rollup import MAX_OPEN_CELLS
from .schemas import TIME_ZONE, LedgerFund, LedgerInCounty, LedgerOut, LedgerRow
from .scope import Scope, check_dates
from .sums import fen_sum

__all__ = ["AboveTarget", "above_target", "above_target_below", "ledger", "ledger_below"]


def _month() -> ColumnElement[str]:
    """A settlement's month of settlement, ``YYYY-MM`` in Asia/Shanghai."""
    return func.to_char(
        func.timezone(literal_column(f"'{TIME_ZONE}'"), Settlement.settled_at),
        literal_column("'YYYY-MM'"),
    )


def _standing(
    horizon: int,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    *,
    registered_poor_only: bool = True,
) -> ColumnElement[bool]:
    """Settlements made in the days (of a county's persons) below the horizon and not reversed
    below it; registered-poor ones only unless told otherwise."""
    check_dates(date_from, date_to, "query")
    scope = Scope(None, date_from, date_to)
    s = Settlement
    reversed_ = (
        select(Reversal.id)
        .where(Reversal.settlement_id == s.id, Reversal.xact_id < horizon)
        .exists()
    )
    standing: ColumnElement[bool] = and_(
        s.settled_at >= scope.start,
        s.settled_at < scope.end,
        s.xact_id < horizon,
        ~reversed_,
    )
    if registered_poor_only:
        # literally the partial index's predicate, so the index serves it
        standing = and_(REGISTERED_POOR, standing)
    if county_code is not None:
        standing = and_(standing, s.person_county_code == county_code)
    return standing


def _above_target() -> ColumnElement[bool]:
    """In county, with more in-policy self-pay than the tilted target the settlement stored.
    NULL target (the tilted layer did not apply, or the policy has none): not above it."""
    s = Settlement
    return and_(s.in_county.is_(True), s.in_policy_self_pay_fen > s.tilted_target_fen)


async def ledger(
    session: AsyncSession,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    *,
    registered_poor_only: bool = True,
) -> LedgerOut:
    """Per county and month: the settlements' count and figures, the same in county (where the
    target applies) with how many settlements exceed it, and what each fund paid.

    ``registered_poor_only=False`` (the agency console's dashboard): the same figures over every
    standing settlement of the county's persons, whatever their categories (from the rollups of
    migration 0025, as the registered poor's are from 0023's)."""
    horizon = await begin_snapshot(session)
    return await ledger_below(
        session,
        horizon,
        county_code,
        date_from,
        date_to,
        registered_poor_only=registered_poor_only,
    )


async def ledger_below(
    session: AsyncSession,
    horizon: int,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    *,
    registered_poor_only: bool = True,
) -> LedgerOut:
    """:func:`ledger` in a snapshot already begun (:func:`.cursor.begin_snapshot`), below its
    ``horizon``: for a page that reads several reports in one snapshot."""
    figures: dict[tuple[str, str], dict[str, int]] = {}
    funds: dict[tuple[str, str], dict[str, _LedgerFund]] = {}
    check_dates(date_from, date_to, "query")
    models = _POOR_MODELS if registered_poor_only else _ALL_MODELS
    cells = await _open_cells(session, models, horizon, county_code, date_from, date_to)
    if len(cells) > MAX_OPEN_CELLS:  # every settlement from the rows
        await _add_rows(
            session,
            _standing(
                horizon, county_code, date_from, date_to, registered_poor_only=registered_poor_only
            ),
            figures,
            funds,
        )
    else:
        await _add_rollups(session, models, county_code, date_from, date_to, cells, figures, funds)
        for day, county in cells:
            standing = _standing(
                horizon, county, day, day, registered_poor_only=registered_poor_only
            )
            await _add_rows(session, standing, figures, funds)
    rows = []
    for key in sorted(figures):
        row = _Figures(key[0], key[1], **figures[key])
        if row.settlement_count == 0:  # all of them reversed (or reinstated and reversed)
            continue
        listed = sorted(
            (f for f in funds.get(key, {}).values() if f.layers),
            key=lambda f: (f.position, f.fund_code),
        )
        rows.append(
            _ledger_row(
                row,
                [
                    LedgerFund(
                        fund_code=f.fund_code, fund_name=f.fund_name, paid=format_fen(f.paid_fen)
                    )
                    for f in listed
                ],
            )
        )
    return LedgerOut(county_code=county_code, date_from=date_from, date_to=date_to, rows=rows)


_FIGURES = (
    "settlement_count",
    "in_policy_fen",
    "self_pay_fen",
    "in_policy_self_pay_fen",
    "in_county_count",
    "in_county_in_policy_fen",
    "in_county_in_policy_self_pay_fen",
    "above_target_count",
)


@dataclass(frozen=True, slots=True)
class _Figures:
    county_code: str
    month: str
    settlement_count: int
    in_policy_fen: int
    self_pay_fen: int
    in_policy_self_pay_fen: int
    in_county_count: int
    in_county_in_policy_fen: int
    in_county_in_policy_self_pay_fen: int
    above_target_count: int


@dataclass(slots=True)
class _LedgerFund:
    fund_code: str
    fund_name: str
    position: int
    layers: int = 0
    paid_fen: int = 0


def _add(
    figures: dict[tuple[str, str], dict[str, int]],
    funds: dict[tuple[str, str], dict[str, _LedgerFund]],
    figure_rows: Iterable[Any],
    fund_rows: Iterable[Any],
) -> None:
    for row in figure_rows:
        into = figures.setdefault((row.county_code, row.month), dict.fromkeys(_FIGURES, 0))
        for name in _FIGURES:
            into[name] += row._mapping[name]
    for row in fund_rows:
        of_month = funds.setdefault((row.county_code, row.month), {})
        fund = of_month.setdefault(
            row.fund_code, _LedgerFund(row.fund_code, row.fund_name, row.position)
        )
        fund.fund_name = min(fund.fund_name, row.fund_name)
        fund.position = min(fund.position, row.position)
        fund.layers += row.layer_count
        fund.paid_fen += row.paid_fen


async def _add_rows(
    session: AsyncSession,
    standing: ColumnElement[bool],
    figures: dict[tuple[str, str], dict[str, int]],
    funds: dict[tuple[str, str], dict[str, _LedgerFund]],
) -> None:
    """Add the figures of the settlements ``standing`` selects, read from the rows."""
    s = Settlement
    month = _month()
    in_county = s.in_county.is_(True)
    above_target = _above_target()
    figure_rows = await session.execute(
        select(
            s.person_county_code.label("county_code"),
            month.label("month"),
            func.count().label("settlement_count"),
            fen_sum(s.in_policy_fen).label("in_policy_fen"),
            fen_sum(s.self_pay_fen).label("self_pay_fen"),
            fen_sum(s.in_policy_self_pay_fen).label("in_policy_self_pay_fen"),
            func.count().filter(in_county).label("in_county_count"),
            fen_sum(s.in_policy_fen, in_county).label("in_county_in_policy_fen"),
            fen_sum(s.in_policy_self_pay_fen, in_county).label("in_county_in_policy_self_pay_fen"),
            func.count().filter(above_target).label("above_target_count"),
        )
        .where(standing)
        .group_by(s.person_county_code, month)
    )
    layer = SettlementLayer
    fund_rows = await session.execute(
        select(
            s.person_county_code.label("county_code"),
            month.label("month"),
            layer.fund_code,
            func.min(layer.fund_name).label("fund_name"),
            func.min(layer.position).label("position"),
            func.count().label("layer_count"),
            fen_sum(layer.paid_fen).label("paid_fen"),
        )
        .join_from(s, layer, layer.settlement_id == s.id)
        .where(standing)
        .group_by(s.person_county_code, month, layer.fund_code)
    )
    _add(figures, funds, figure_rows, fund_rows)


_Figure = type[LedgerRollup] | type[LedgerAllRollup]
_Fund = type[LedgerFundRollup] | type[LedgerAllFundRollup]
# The rollups of the registered poor (migration 0023) and of every category (0025).
_POOR_MODELS: tuple[_Figure, _Fund] = (LedgerRollup, LedgerFundRollup)
_ALL_MODELS: tuple[_Figure, _Fund] = (LedgerAllRollup, LedgerAllFundRollup)


def _cells_where(
    model: _Figure | _Fund,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
) -> ColumnElement[bool]:
    where = and_(model.day >= date_from, model.day <= date_to)
    if county_code is not None:
        where = and_(where, model.county_code == county_code)
    return where


async def _open_cells(
    session: AsyncSession,
    models: tuple[_Figure, _Fund],
    horizon: int,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
) -> list[tuple[dt.date, str]]:
    """The (day, county) cells some transaction at or above the horizon changed (as
    :mod:`.rollup` for totals)."""
    queries = [
        select(m.day, m.county_code).where(
            _cells_where(m, county_code, date_from, date_to), m.max_xact_id >= horizon
        )
        for m in models
    ]
    cells = union_all(*queries).subquery("open_cells")
    rows = await session.execute(
        select(cells.c.day, cells.c.county_code)
        .distinct()
        .order_by(cells.c.day, cells.c.county_code)
    )
    return [(row.day, row.county_code) for row in rows]


async def _add_rollups(
    session: AsyncSession,
    models: tuple[_Figure, _Fund],
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    cells: list[tuple[dt.date, str]],
    figures: dict[tuple[str, str], dict[str, int]],
    funds: dict[tuple[str, str], dict[str, _LedgerFund]],
) -> None:
    """Add the closed cells' figures from the rollups."""

    def closed(model: _Figure | _Fund) -> ColumnElement[bool]:
        where = _cells_where(model, county_code, date_from, date_to)
        if cells:
            where = and_(where, not_(tuple_(model.day, model.county_code).in_(cells)))
        return where

    r, f = models
    month = func.to_char(r.day, literal_column("'YYYY-MM'"))
    figure_rows = await session.execute(
        select(
            r.county_code,
            month.label("month"),
            *(fen_sum(getattr(r, name)).label(name) for name in _FIGURES),
        )
        .where(closed(r))
        .group_by(r.county_code, month)
    )
    fund_month = func.to_char(f.day, literal_column("'YYYY-MM'"))
    fund_rows = await session.execute(
        select(
            f.county_code,
            fund_month.label("month"),
            f.fund_code,
            func.min(f.fund_name).label("fund_name"),
            func.min(f.position).label("position"),
            fen_sum(f.layer_count).label("layer_count"),
            fen_sum(f.paid_fen).label("paid_fen"),
        )
        .where(closed(f))
        .group_by(f.county_code, fund_month, f.fund_code)
    )
    _add(figures, funds, figure_rows, fund_rows)


def _ledger_row(row: _Figures, funds: list[LedgerFund]) -> LedgerRow:
    in_county_in_policy_fen = row.in_county_in_policy_fen
    in_county_in_policy_self_pay_fen = row.in_county_in_policy_self_pay_fen
    in_county_ratio_bp = (
        div_half_up(in_county_in_policy_self_pay_fen * BP, in_county_in_policy_fen)
        if in_county_in_policy_fen
        else 0
    )
    return LedgerRow(
        county_code=row.county_code,
        month=row.month,
        count=row.settlement_count,
        in_policy=format_fen(row.in_policy_fen),
        self_pay=format_fen(row.self_pay_fen),
        in_policy_self_pay=format_fen(row.in_policy_self_pay_fen),
        in_county=LedgerInCounty(
            count=row.in_county_count,
            in_policy=format_fen(in_county_in_policy_fen),
            in_policy_self_pay=format_fen(in_county_in_policy_self_pay_fen),
            in_policy_self_pay_ratio=format_ratio_bp(in_county_ratio_bp),
            above_target_count=row.above_target_count,
        ),
        funds=funds,
    )


@dataclass(frozen=True, slots=True)
class AboveTarget:
    """A registered-poor settlement in county whose in-policy self-pay exceeds its stored
    tilted target (the ledger's ``above_target_count``, one by one)."""

    settlement_id: uuid.UUID
    hospital_code: str
    bill_no: str
    month: str
    in_policy: str
    in_policy_self_pay: str
    in_policy_self_pay_ratio: str
    target: str


async def above_target(
    session: AsyncSession,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    limit: int = 200,
) -> list[AboveTarget]:
    """The settlements the ledger counts as above the target, newest first (at most ``limit``):
    the same predicate as :func:`ledger`'s ``above_target_count`` over the same standing set."""
    return await above_target_below(
        session, await begin_snapshot(session), county_code, date_from, date_to, limit
    )


async def above_target_below(
    session: AsyncSession,
    horizon: int,
    county_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    limit: int = 200,
) -> list[AboveTarget]:
    """:func:`above_target` in a snapshot already begun, below its ``horizon``."""
    standing = _standing(horizon, county_code, date_from, date_to)
    s = Settlement
    rows = await session.execute(
        select(
            s.id,
            s.hospital_code,
            s.bill_no,
            _month().label("month"),
            s.in_policy_fen,
            s.in_policy_self_pay_fen,
            s.in_policy_self_pay_ratio_bp,
            s.tilted_target_fen,
        )
        .where(standing, _above_target())
        .order_by(s.settled_at.desc(), s.id)
        .limit(limit)
    )
    return [
        AboveTarget(
            settlement_id=row.id,
            hospital_code=row.hospital_code,
            bill_no=row.bill_no,
            month=row.month,
            in_policy=format_fen(row.in_policy_fen),
            in_policy_self_pay=format_fen(row.in_policy_self_pay_fen),
            in_policy_self_pay_ratio=format_ratio_bp(row.in_policy_self_pay_ratio_bp),
            target=format_fen(row.tilted_target_fen),
        )
        for row in rows
    ]
