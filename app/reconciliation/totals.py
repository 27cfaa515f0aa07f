"""对总账 totals and 对账 check: aggregates of a scope's events (:func:`.events.events`), in the
request's one snapshot, below its horizon (:mod:`.cursor`): the closed days from the rollups,
the open ones from the events (:mod:`.rollup`). They add up exactly what the details pages list,
so totals equal the sum of the details to the fen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Subquery, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Caller
from app.engine.money import format_fen

from .cursor import REVERSAL, SETTLEMENT, begin_snapshot
from .events import FundRow, events
from .rollup import Figures, rolled
from .schemas import (
    CheckIn,
    CheckOut,
    FundDifference,
    FundFigures,
    FundTotal,
    IdDifference,
    ReconciliationTotals,
    Sums,
)
from .scope import resolve_scope

__all__ = ["MAX_IDS_LISTED", "check", "totals"]

MAX_IDS_LISTED = 1000  # of each side of an id difference; the counts are always complete


# -- totals (对总账) ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Figures:
    """A number of events and their amounts in fen (negative for reversals)."""

    count: int = 0
    total_fen: int = 0
    hospital_borne_fen: int = 0
    in_policy_fen: int = 0
    fund_paid_fen: int = 0
    self_pay_fen: int = 0

    @classmethod
    def of(cls, figures: Figures) -> _Figures:
        """From what :func:`.rollup.rolled` added up for one kind."""
        a = figures.amounts
        return cls(
            count=figures.count,
            total_fen=a["total"],
            hospital_borne_fen=a["hospital_borne"],
            in_policy_fen=a["in_policy"],
            fund_paid_fen=a["fund_paid"],
            self_pay_fen=a["self_pay"],
        )

    def __add__(self, other: _Figures) -> _Figures:
        return _Figures(
            count=self.count + other.count,
            total_fen=self.total_fen + other.total_fen,
            hospital_borne_fen=self.hospital_borne_fen + other.hospital_borne_fen,
            in_policy_fen=self.in_policy_fen + other.in_policy_fen,
            fund_paid_fen=self.fund_paid_fen + other.fund_paid_fen,
            self_pay_fen=self.self_pay_fen + other.self_pay_fen,
        )

    def sums(self) -> Sums:
        return Sums(
            count=self.count,
            total=format_fen(self.total_fen),
            hospital_borne=format_fen(self.hospital_borne_fen),
            in_policy=format_fen(self.in_policy_fen),
            fund_paid=format_fen(self.fund_paid_fen),
            self_pay=format_fen(self.self_pay_fen),
        )


def _fund_total(fund: FundRow) -> FundTotal:
    return FundTotal(
        fund_code=fund.fund_code,
        fund_name=fund.fund_name,
        count=fund.count,
        paid=format_fen(fund.paid_fen),
        settled_count=fund.settled_count,
        settled_paid=format_fen(fund.settled_paid_fen),
        reversed_count=fund.reversed_count,
        reversed_paid=format_fen(fund.reversed_paid_fen),
    )


async def totals(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
) -> ReconciliationTotals:
    """Per kind of event its count and amounts, netted (a reversal's amounts are negative), and
    per fund what it paid."""
    horizon = await begin_snapshot(session)
    scope = await resolve_scope(session, caller, hospital_code, date_from, date_to, "query")
    added = await rolled(session, scope, horizon)
    settled = _Figures.of(added.by_kind[SETTLEMENT])
    reversed_ = _Figures.of(added.by_kind[REVERSAL])
    net = settled + reversed_
    return ReconciliationTotals(
        hospital_code=scope.hospital_code,
        date_from=date_from,
        date_to=date_to,
        count=settled.count - reversed_.count,  # reversals are counted, not negated
        total=format_fen(net.total_fen),
        hospital_borne=format_fen(net.hospital_borne_fen),
        in_policy=format_fen(net.in_policy_fen),
        fund_paid=format_fen(net.fund_paid_fen),
        self_pay=format_fen(net.self_pay_fen),
        funds=[_fund_total(fund) for fund in added.funds],
        settlements=settled.sums(),
        reversals=reversed_.sums(),
    )


# -- check (对账) -------------------------------------------------------------------------------


async def check(session: AsyncSession, caller: Caller, body: CheckIn) -> CheckOut:
    """Compare a hospital's per-fund figures (and optionally its settlement ids) with ours."""
    horizon = await begin_snapshot(session)
    scope = await resolve_scope(
        session, caller, body.hospital_code, body.date_from, body.date_to, "body"
    )
    recorded = {fund.fund_code: fund for fund in (await rolled(session, scope, horizon)).funds}
    submitted = {fund.fund_code: (fund.count, fund.paid) for fund in body.funds}
    # Ours in layer order, then the codes only the hospital sent.
    order = list(recorded) + sorted(set(submitted) - set(recorded))
    differences = []
    for code in order:
        ours = recorded.get(code)
        recorded_figures = (ours.count, ours.paid_fen) if ours is not None else (0, 0)
        submitted_figures = submitted.get(code, (0, 0))
        if recorded_figures != submitted_figures:
            differences.append(
                FundDifference(
                    fund_code=code,
                    fund_name=ours.fund_name if ours is not None else None,
                    submitted=_fund_figures(*submitted_figures),
                    recorded=_fund_figures(*recorded_figures),
                )
            )
    ev = events(scope, horizon)  # the ids are compared row by row
    settlements = (
        None
        if body.settlement_ids is None
        else await _id_difference(session, ev, SETTLEMENT, body.settlement_ids)
    )
    reversals = (
        None
        if body.reversed_settlement_ids is None
        else await _id_difference(session, ev, REVERSAL, body.reversed_settlement_ids)
    )
    ids_match = all(
        d is None or (d.only_submitted_count == 0 and d.only_recorded_count == 0)
        for d in (settlements, reversals)
    )
    return CheckOut(
        result="match" if not differences and ids_match else "mismatch",
        hospital_code=body.hospital_code,
        date_from=body.date_from,
        date_to=body.date_to,
        funds=differences,
        settlements=settlements,
        reversals=reversals,
    )


def _fund_figures(count: int, paid_fen: int) -> FundFigures:
    return FundFigures(count=count, paid=format_fen(paid_fen))


async def _id_difference(
    session: AsyncSession, ev: Subquery, kind: int, ids: Sequence[uuid.UUID]
) -> IdDifference:
    """The settlement ids of ``kind`` events only the hospital sent, and only we recorded."""
    submitted = select(
        func.unnest(
            cast(sorted(set(ids)), ARRAY(UUID(as_uuid=True))), type_=UUID(as_uuid=True)
        ).label("id")
    ).subquery("submitted")
    recorded = select(ev.c.settlement_id.label("id")).where(ev.c.kind == kind).subquery("recorded")

    async def only(first: Subquery, second: Subquery) -> tuple[list[uuid.UUID], int]:
        """Up to MAX_IDS_LISTED ids in ``first`` and not in ``second``, sorted, and how many."""
        diff = select(first.c.id).except_(select(second.c.id)).subquery("diff")
        rows = (
            await session.execute(
                select(diff.c.id, func.count().over()).order_by(diff.c.id).limit(MAX_IDS_LISTED)
            )
        ).all()
        return [row[0] for row in rows], rows[0][1] if rows else 0

    only_submitted, only_submitted_count = await only(submitted, recorded)
    only_recorded, only_recorded_count = await only(recorded, submitted)
    return IdDifference(
        only_submitted=only_submitted,
        only_submitted_count=only_submitted_count,
        only_recorded=only_recorded,
        only_recorded_count=only_recorded_count,
    )
