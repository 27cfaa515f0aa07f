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

from sqlalchemy import ColumnElement, and_, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine.money import BP, div_half_up, format_fen, format_ratio_bp
from app.settlement.models import REGISTERED_POOR, Reversal, Settlement, SettlementLayer

from .cursor import begin_snapshot
from .schemas import TIME_ZONE, LedgerFund, LedgerInCounty, LedgerOut, LedgerRow
from .scope import Scope, check_dates
from .sums import fen_sum

__all__ = ["ledger"]


async def ledger(
    session: AsyncSession, county_code: str | None, date_from: dt.date, date_to: dt.date
) -> LedgerOut:
    """Per county and month: the settlements' count and figures, the same in county (where the
    target applies) with how many settlements exceed it, and what each fund paid."""
    horizon = await begin_snapshot(session)
    check_dates(date_from, date_to, "query")
    scope = Scope(None, date_from, date_to)
    s = Settlement
    month = func.to_char(
        func.timezone(literal_column(f"'{TIME_ZONE}'"), s.settled_at), literal_column("'YYYY-MM'")
    )
    reversed_ = (
        select(Reversal.id)
        .where(Reversal.settlement_id == s.id, Reversal.xact_id < horizon)
        .exists()
    )
    standing: ColumnElement[bool] = and_(
        REGISTERED_POOR,  # literally the partial index's predicate, so the index serves it
        s.settled_at >= scope.start,
        s.settled_at < scope.end,
        s.xact_id < horizon,
        ~reversed_,
    )
    if county_code is not None:
        standing = and_(standing, s.person_county_code == county_code)
    in_county = s.in_county.is_(True)
    # NULL target (the tilted layer did not apply, or the policy has none): not above it.
    above_target = and_(in_county, s.in_policy_self_pay_fen > s.tilted_target_fen)
    figures = await session.execute(
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
        .order_by(s.person_county_code, month)
    )
    layer = SettlementLayer
    per_fund = await session.execute(
        select(
            s.person_county_code.label("county_code"),
            month.label("month"),
            layer.fund_code,
            func.min(layer.fund_name).label("fund_name"),
            fen_sum(layer.paid_fen).label("paid_fen"),
        )
        .join_from(s, layer, layer.settlement_id == s.id)
        .where(standing)
        .group_by(s.person_county_code, month, layer.fund_code)
        .order_by(s.person_county_code, month, func.min(layer.position), layer.fund_code)
    )
    funds: dict[tuple[str, str], list[LedgerFund]] = {}
    for fund in per_fund:
        funds.setdefault((fund.county_code, fund.month), []).append(
            LedgerFund(
                fund_code=fund.fund_code, fund_name=fund.fund_name, paid=format_fen(fund.paid_fen)
            )
        )
    rows = []
    for row in figures:
        in_county_in_policy_fen: int = row.in_county_in_policy_fen
        in_county_in_policy_self_pay_fen: int = row.in_county_in_policy_self_pay_fen
        in_county_ratio_bp = (
            div_half_up(in_county_in_policy_self_pay_fen * BP, in_county_in_policy_fen)
            if in_county_in_policy_fen
            else 0
        )
        rows.append(
            LedgerRow(
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
                funds=funds.get((row.county_code, row.month), []),
            )
        )
    return LedgerOut(county_code=county_code, date_from=date_from, date_to=date_to, rows=rows)
