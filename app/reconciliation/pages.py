"""One details page (对明细账) without sorting the range: the first ``n`` events after a cursor,
in the listing's order ``(xact_id, kind, settlement_id)`` (:mod:`.cursor`), read from indexes
that already hold each day and each month of events in that order (migration 0024).

Why
---
The listing's order is by transaction id, the range asked for is by time. A page used to be a
top-N sort of every event of the range below the horizon: its cost grew with the events in the
range (a year of a province: millions). An index on ``(xact_id, id)`` does not help either: the
range's events are scattered along it among every other day's.

How
---
Cut the range into *buckets*: each whole Asia/Shanghai month in it, and each remaining day at its
ends (so at most 30 + 30 days and the months between). Within one bucket, an index on
``(bucket, xact_id, id)`` lists the bucket's events already in the listing's order, from the
cursor on (a row comparison ``(xact_id, id) > (x, s)``: an index bound, not a filter). One
branch per bucket, each ``ORDER BY xact_id, id LIMIT n``, under a ``UNION ALL`` with an outer
``ORDER BY xact_id, id LIMIT n``: PostgreSQL merges the branches (Merge Append) and pulls only
what the page needs: about ``n`` index entries plus one descent per bucket, whatever the size of
the table or of the range. Settlements and reversals are merged apart (each by ``(xact_id, id)``,
its kind constant), giving at most ``n`` of each, and the two short lists are then ordered by
``(xact_id, kind, settlement_id)``: the first ``n`` of that are the page.

It does not rely on transaction ids following time (the seeded benchmark's do not; production's
roughly do): every bucket is read in its own index order. The cursor is the same
:class:`.cursor.Position` as before; events below the horizon only, checked per branch
(``xact_id < horizon``: an index bound too). A day is the rollups' day (migration 0023):
``(t AT TIME ZONE 'Asia/Shanghai')::date``, which for every day this service accepts is the day
:class:`.scope.Scope`'s ``start``/``end`` instants bound (Asia/Shanghai has been UTC+8 with no
daylight saving since 1991; see :data:`FIXED_OFFSET_SINCE`).

Past :data:`MAX_BUCKETS` buckets (a range of over ten years of whole months) or for a range
reaching before :data:`FIXED_OFFSET_SINCE`, the page is the plain top-N sort of
:func:`.events.events`: the same events in the same order, only slower.

A hospital's page reads the per-hospital indexes for its settlements; its reversals are read
from the all-hospital reversal indexes and joined to their settlement for the hospital (a
reversal row carries no hospital): that branch passes over the other hospitals' reversals of the
bucket, about (hospitals) entries per reversal listed, but not more as the table grows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Row,
    Select,
    SmallInteger,
    Subquery,
    Uuid,
    cast,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Caller
from app.engine.money import format_fen
from app.settlement.models import Instant, Reversal, Settlement, shanghai_day, shanghai_month

from .cursor import SETTLEMENT, Position, begin_snapshot, decode_cursor, encode_cursor
from .events import events, funds_of, reversed_events, settled_events
from .schemas import EventFund, EventOut
from .scope import SHANGHAI, Scope, resolve_scope

__all__ = [
    "FIXED_OFFSET_SINCE",
    "MAX_BUCKETS",
    "Bucket",
    "EventsPage",
    "buckets",
    "list_events",
    "page_of_events",
    "plain_page",
]

# Past this many buckets (over ten years of whole months; fewer with partial months' days at
# the ends) a page is the plain sort: planning a union of more branches costs more than it saves.
MAX_BUCKETS = 128

# Asia/Shanghai's offset is +08:00 with no daylight saving from this day on (the last DST of
# the PRC ended in September 1991), so a database's and Python's idea of a Shanghai day agree
# whatever their copies of the time-zone data; before it the plain sort is used.
FIXED_OFFSET_SINCE = dt.date(1992, 1, 1)

Rows = Select[*tuple[Any, ...]]  # a query of event rows (:func:`.events.settled_events`)
Bucket = tuple[bool, dt.date]  # (a whole month?, its first day or the day)


def buckets(date_from: dt.date, date_to: dt.date) -> list[Bucket]:
    """``date_from..date_to`` cut into whole months and the days left at its ends, in order."""
    out: list[Bucket] = []
    day = date_from
    while day <= date_to:
        month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if day.day == 1 and month_end <= date_to:  # so month_end < LAST_DAY: no overflow
            out.append((True, day))
            day = month_end + dt.timedelta(days=1)
        else:
            out.append((False, day))
            day += dt.timedelta(days=1)
        if len(out) > MAX_BUCKETS:
            break
    return out


def page_of_events(scope: Scope, horizon: int, after: Position, n: int) -> Subquery:
    """The first ``n`` events of :func:`.events.events` of ``scope`` below ``horizon`` after
    ``after``, in ``(xact_id, kind, settlement_id)`` order: a subquery with the events' columns."""
    cut = buckets(scope.date_from, scope.date_to)
    if len(cut) > MAX_BUCKETS or scope.date_from < FIXED_OFFSET_SINCE:
        return plain_page(scope, horizon, after, n)
    s, r = Settlement, Reversal
    x, sid = literal(after.xact_id, BigInteger), literal(after.settlement_id, Uuid)
    if after.kind == SETTLEMENT:  # (x, 0, s) > (cx, 0, cs) iff (x, s) > (cx, cs)
        settled_after = tuple_(s.xact_id, s.id) > tuple_(x, sid)
        reversed_after = r.xact_id >= x  # (x, 1, s) > (cx, 0, cs) iff x >= cx
    else:  # after a reversal: a settlement only at a later transaction
        settled_after = s.xact_id > x
        reversed_after = tuple_(r.xact_id, r.settlement_id) > tuple_(x, sid)
    settled = [
        _branch(settled_events(), s.settled_at, month, first, scope)
        .where(settled_after, s.xact_id < horizon)
        .order_by(s.xact_id, s.id)
        .limit(n)
        for month, first in cut
    ]
    reversed_ = [
        _branch(reversed_events(), r.reversed_at, month, first, scope)
        .where(reversed_after, r.xact_id < horizon)
        .order_by(r.xact_id, r.settlement_id)
        .limit(n)
        for month, first in cut
    ]
    merged = [_merged(branches, n, name) for branches, name in ((settled, "s"), (reversed_, "r"))]
    both = union_all(*merged).subquery("both")
    return (
        select(both)
        .order_by(both.c.xact_id, both.c.kind, both.c.settlement_id)
        .limit(n)
        .subquery("page")
    )


def plain_page(scope: Scope, horizon: int, after: Position, n: int) -> Subquery:
    """The same page as :func:`page_of_events` by a top-N sort of all the range's events below
    the horizon (what every page was before migration 0024)."""
    ev = events(scope, horizon)
    key = (ev.c.xact_id, ev.c.kind, ev.c.settlement_id)
    return (
        select(ev)
        .where(
            tuple_(*key)
            > tuple_(
                literal(after.xact_id, BigInteger),
                literal(after.kind, SmallInteger),
                literal(after.settlement_id, Uuid),
            )
        )
        .order_by(*key)
        .limit(n)
        .subquery("page")
    )


def _branch(
    query: Rows,
    instant: Instant,
    month: bool,
    first: dt.date,
    scope: Scope,
) -> Rows:
    """One bucket's events: the rows whose day (or month) is ``first``, of the hospital."""
    bucket = shanghai_month(instant) if month else shanghai_day(instant)
    query = query.where(bucket == first)
    if scope.hospital_code is not None:
        query = query.where(Settlement.hospital_code == scope.hospital_code)
    return query


def _merged(branches: list[Rows], n: int, name: str) -> Rows:
    """The first ``n`` rows of the branches' union by ``(xact_id, settlement_id)``."""
    union = union_all(*(select(b.subquery()) for b in branches)).subquery(name)
    return select(union).order_by(union.c.xact_id, union.c.settlement_id).limit(n)


# -- the details pages (对明细账) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventsPage:
    items: list[EventOut]
    next_cursor: str
    has_more: bool


async def list_events(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    cursor: str | None,
    limit: int,
) -> EventsPage:
    """Up to ``limit`` events after ``cursor`` in ``(xact_id, kind, settlement_id)`` order, each
    with what every fund paid in it: the events of :func:`.events.events`, read page by page
    from the day and month indexes (:func:`page_of_events`), not sorted."""
    horizon = await begin_snapshot(session)
    scope = await resolve_scope(session, caller, hospital_code, date_from, date_to, "query")
    after = decode_cursor(scope, cursor)
    page = page_of_events(scope, horizon, after, limit + 1)  # one more: is there more?
    funds = funds_of(page.c.settlement_id, page.c.sign, "funds")
    rows = await session.execute(
        select(
            page,
            funds.c.fund_code,
            funds.c.fund_name,
            # not "fund_paid_fen": the event's own column of that name is what all funds paid
            cast(funds.c.paid_fen, BigInteger).label("this_fund_paid_fen"),
        )
        .outerjoin(funds, true())
        .order_by(page.c.xact_id, page.c.kind, page.c.settlement_id, funds.c.position)
    )
    listed: list[tuple[Position, EventOut]] = []  # one row per event and fund: one item per event
    for row in rows:
        position = Position(row.xact_id, row.kind, row.settlement_id)
        if not listed or listed[-1][0] != position:
            listed.append((position, _event_out(row)))
        if row.fund_code is not None:
            listed[-1][1].funds.append(
                EventFund(
                    fund_code=row.fund_code,
                    fund_name=row.fund_name,
                    paid=format_fen(row.this_fund_paid_fen),
                )
            )
    has_more = len(listed) > limit
    listed = listed[:limit]
    last = listed[-1][0] if listed else after
    return EventsPage([event for _, event in listed], encode_cursor(scope, last), has_more)


def _event_out(row: Row[Any]) -> EventOut:
    """The item of one event row of :func:`events` (its funds are appended after)."""
    event_at = row.event_at.astimezone(SHANGHAI)
    return EventOut(
        event="settlement" if row.kind == SETTLEMENT else "reversal",
        sign=row.sign,
        day=event_at.date(),
        event_at=event_at,
        settlement_id=row.settlement_id,
        hospital_code=row.hospital_code,
        bill_no=row.bill_no,
        setl_id=row.setl_id,
        mdtrt_id=row.mdtrt_id,
        discharge_date=row.discharge_date,
        settled_at=row.settled_at.astimezone(SHANGHAI),
        reversed_at=None if row.reversed_at is None else row.reversed_at.astimezone(SHANGHAI),
        total=format_fen(row.total_fen),
        hospital_borne=format_fen(row.hospital_borne_fen),
        in_policy=format_fen(row.in_policy_fen),
        fund_paid=format_fen(row.fund_paid_fen),
        self_pay=format_fen(row.self_pay_fen),
        funds=[],
    )
