"""The details pages read from the day and month indexes (app/reconciliation/pages.py,
migration 0024): a walk lists exactly the scope's events below the horizon in
``(xact_id, kind, settlement_id)`` order, the same as the plain sort, for ranges cut into whole
months and single days across Shanghai midnights, month ends and a leap day, for one hospital or
all, from each cursor a walk hands out, with transaction ids shared by many events and by both
kinds; and the query really reads those indexes.

The events are placed with direct UPDATEs (test setup only: ``settled_at``, ``reversed_at`` and
``xact_id``) in 1996, a year no other test uses, and the expected listing is computed here from
the values placed, in Python (the day is the instant's Asia/Shanghai calendar day)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.reconciliation.cursor import REVERSAL, SETTLEMENT, START, Position
from app.reconciliation.pages import (
    FIXED_OFFSET_SINCE,
    MAX_BUCKETS,
    buckets,
    page_of_events,
    plain_page,
)
from app.reconciliation.scope import LAST_DAY, Scope

from .conftest import bill_no, make_bill, new_person
from .test_reconciliation import new_hospital, reverse_ok, scope_params, settle_ok, walk

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


# -- the cut into buckets -------------------------------------------------------------------------


def test_buckets_are_whole_months_and_the_days_at_the_ends() -> None:
    # 06-15..06-30 are 16 days, July is whole, 08-01..08-10 are 10 days: 16 + 1 + 10 = 27
    cut = buckets(D(2018, 6, 15), D(2018, 8, 10))
    assert cut[:2] == [(False, D(2018, 6, 15)), (False, D(2018, 6, 16))]
    assert cut[15:18] == [(False, D(2018, 6, 30)), (True, D(2018, 7, 1)), (False, D(2018, 8, 1))]
    assert len(cut) == 27 and cut[-1] == (False, D(2018, 8, 10))
    # a calendar year: its twelve months
    assert buckets(D(2018, 1, 1), D(2018, 12, 31)) == [(True, D(2018, m, 1)) for m in range(1, 13)]
    # February 2018 has 28 days (whole); February 1996 has 29, so 02-01..02-28 is 28 days
    assert buckets(D(2018, 2, 1), D(2018, 2, 28)) == [(True, D(2018, 2, 1))]
    assert buckets(D(1996, 2, 1), D(1996, 2, 28)) == [
        (False, D(1996, 2, 1) + dt.timedelta(days=d)) for d in range(28)
    ]
    # across the new year
    new_year = [(True, D(2018, 12, 1)), (True, D(2019, 1, 1))]
    assert buckets(D(2018, 12, 1), D(2019, 1, 31)) == new_year
    assert buckets(D(2018, 6, 3), D(2018, 6, 3)) == [(False, D(2018, 6, 3))]
    # the last days the API accepts: December 9999 has 31 days, so ..12-30 is 30 day buckets
    # (and no month after it is ever computed)
    assert buckets(D(9999, 12, 1), LAST_DAY) == [(False, D(9999, 12, d)) for d in range(1, 31)]


@given(
    start=st.dates(min_value=D(1992, 1, 1), max_value=D(2030, 12, 31)),
    length=st.integers(0, 5000),  # past 128 buckets from about 10 years on
)
def test_buckets_cover_every_day_of_the_range_once_in_order(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    cut = buckets(start, end)
    covered: list[dt.date] = []
    for month, first in cut:
        if month:
            assert first.day == 1
            day = first
            while day.month == first.month:
                covered.append(day)
                day += dt.timedelta(days=1)
        else:
            covered.append(first)
    if len(cut) <= MAX_BUCKETS:
        assert covered == [start + dt.timedelta(days=d) for d in range(length + 1)]
        # days only at the ends: at most 30 before the first whole month and 30 after the last
        assert sum(1 for month, _ in cut if not month) <= 60
    else:  # the cut stops past MAX_BUCKETS: the caller sorts instead
        assert len(cut) == MAX_BUCKETS + 1


# -- the pages against the events placed --------------------------------------------------------

# Instants around the Shanghai midnights of month ends and the leap day: 23:59:59.999999 belongs
# to the day before, 00:00:00 to the day itself.
_DAYS = [D(1996, 1, 30), D(1996, 1, 31), D(1996, 2, 1), D(1996, 2, 14), D(1996, 2, 28)]
_DAYS += [D(1996, 2, 29), D(1996, 3, 1), D(1996, 3, 31), D(1996, 4, 1)]
_TIMES = [dt.time(0, 0), dt.time(0, 0, 0, 1), dt.time(12, 0), dt.time(23, 59, 59, 999999)]
_XACT_IDS = [100, 101, 102, 103]  # few: many events share one, of both kinds

SCOPES = [
    (D(1996, 1, 30), D(1996, 3, 2)),  # 2 days, February whole, 2 days
    (D(1996, 2, 1), D(1996, 2, 29)),  # February: one month
    (D(1996, 2, 29), D(1996, 2, 29)),  # the leap day
    (D(1996, 1, 1), D(1996, 3, 31)),  # three whole months
    (D(1996, 2, 2), D(1996, 3, 31)),  # 28 days then March whole
]


def _placed(rng: random.Random) -> tuple[dt.datetime, int]:
    day, time = rng.choice(_DAYS), rng.choice(_TIMES)
    return dt.datetime.combine(day, time, SHANGHAI), rng.choice(_XACT_IDS)


async def _walk_pages(
    engine: AsyncEngine, scope: Scope, horizon: int, n: int, indexed: bool
) -> list[Position]:
    """Every event of the scope below the horizon, ``n`` at a time, from :data:`START`."""
    page = page_of_events if indexed else plain_page
    out: list[Position] = []
    after = START
    async with engine.connect() as conn:
        while True:
            query = page(scope, horizon, after, n)
            rows = (await conn.execute(select(query))).all()
            assert len(rows) <= n
            positions = [Position(r.xact_id, r.kind, r.settlement_id) for r in rows]
            out += positions
            if len(rows) < n:
                return out
            after = positions[-1]


async def test_pages_list_the_placed_events_like_the_plain_sort(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    hospitals = [await new_hospital(client), await new_hospital(client)]
    person = await new_person(client)
    settled: list[tuple[str, dict[str, Any]]] = []  # (hospital code, settlement)
    for k in range(16):
        code, key = hospitals[k % 2]
        body = make_bill(bill_no("PG"), person, hospital=code)
        settled.append((code, await settle_ok(client, key, body)))
    reversed_ = settled[::3]  # 6 of the 16
    for code, settlement in reversed_:
        await reverse_ok(client, dict(hospitals)[code], settlement)
    reversed_ids = {s["settlement_id"] for _, s in reversed_}

    for seed in range(3):
        rng = random.Random(seed)
        events: list[tuple[Position, str, dt.date]] = []  # (position, hospital, day)
        async with engine.begin() as conn:
            for code, settlement in settled:
                sid = uuid.UUID(settlement["settlement_id"])
                at, xact = _placed(rng)
                await conn.execute(
                    text("UPDATE settlements SET settled_at = :at, xact_id = :x WHERE id = :id"),
                    {"at": at, "x": xact, "id": sid},
                )
                events.append((Position(xact, SETTLEMENT, sid), code, at.date()))
                if settlement["settlement_id"] in reversed_ids:
                    at, xact = _placed(rng)
                    await conn.execute(
                        text(
                            "UPDATE reversals SET reversed_at = :at, xact_id = :x"
                            " WHERE settlement_id = :id"
                        ),
                        {"at": at, "x": xact, "id": sid},
                    )
                    events.append((Position(xact, REVERSAL, sid), code, at.date()))
        assert len(events) == 16 + 6
        ours = {position.settlement_id for position, _, _ in events}
        for date_from, date_to in SCOPES:
            for hospital in (None, hospitals[0][0]):
                scope = Scope(hospital, date_from, date_to)
                for horizon in (101, 10**15):  # 101: only xact 100's events
                    expected = sorted(
                        (
                            position
                            for position, code, day in events
                            if date_from <= day <= date_to
                            and position.xact_id < horizon
                            and hospital in (None, code)
                        ),
                        # PostgreSQL orders uuids as Python does: by their 128-bit value
                        key=lambda p: (p.xact_id, p.kind, p.settlement_id.int),
                    )
                    plain = await _walk_pages(engine, scope, horizon, 1000, indexed=False)
                    for n in (2, 1000):
                        listed = await _walk_pages(engine, scope, horizon, n, indexed=True)
                        assert listed == plain  # other tests' events too, if any
                        mine = [p for p in listed if p.settlement_id in ours]
                        assert mine == expected, (seed, scope, horizon, n)


async def test_a_walk_through_the_api_of_months_and_days_lists_each_event_once(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    """Through the endpoint and its cursor: two settlements on 1996-02-29 23:59:59.999999 and
    1996-03-01 00:00 Shanghai, one reversed on 1996-03-31; the range 02-29..04-30 is the leap day
    (a day bucket), March and April (month buckets)."""
    code, key = await new_hospital(client)
    person = await new_person(client)
    a = await settle_ok(client, key, make_bill(bill_no("PW"), person, hospital=code))
    b = await settle_ok(client, key, make_bill(bill_no("PW"), person, hospital=code))
    await reverse_ok(client, key, a)
    async with engine.begin() as conn:
        for settlement, at in (
            (a, dt.datetime(1996, 2, 29, 23, 59, 59, 999999, SHANGHAI)),
            (b, dt.datetime(1996, 3, 1, 0, 0, tzinfo=SHANGHAI)),
        ):
            await conn.execute(
                text("UPDATE settlements SET settled_at = :at WHERE id = :id"),
                {"at": at, "id": uuid.UUID(settlement["settlement_id"])},
            )
        await conn.execute(
            text("UPDATE reversals SET reversed_at = :at WHERE settlement_id = :id"),
            {
                "at": dt.datetime(1996, 3, 31, 12, 0, tzinfo=SHANGHAI),
                "id": uuid.UUID(a["settlement_id"]),
            },
        )
    params = scope_params(D(1996, 2, 29), D(1996, 4, 30))
    # a's settlement and b's were two transactions, in that order; a's reversal a third after
    expected = [
        ("settlement", a["settlement_id"], "1996-02-29"),
        ("settlement", b["settlement_id"], "1996-03-01"),
        ("reversal", a["settlement_id"], "1996-03-31"),
    ]
    for limit in (1, 2, 1000):
        items, _ = await walk(client, key, params, limit=limit)
        assert [(i["event"], i["settlement_id"], i["day"]) for i in items] == expected
    # the leap day alone holds a's settlement; March alone b's and the reversal
    items, _ = await walk(client, key, scope_params(D(1996, 2, 29), D(1996, 2, 29)))
    assert [i["settlement_id"] for i in items] == [a["settlement_id"]]
    items, _ = await walk(client, key, scope_params(D(1996, 3, 1), D(1996, 3, 31)))
    assert [(i["event"], i["settlement_id"]) for i in items] == [
        ("settlement", b["settlement_id"]),
        ("reversal", a["settlement_id"]),
    ]
    # the last month the API accepts (its December is cut into days: no month 10000-01)
    items, _ = await walk(client, key, scope_params(D(9999, 12, 1), LAST_DAY))
    assert items == []
    # a range reaching before FIXED_OFFSET_SINCE, and one of more than MAX_BUCKETS buckets
    # (12 whole years, 144 months), are the plain sort: the same listing
    for date_from, date_to in ((D(1991, 12, 1), D(1996, 4, 30)), (D(1992, 1, 1), D(2003, 12, 31))):
        assert date_from < FIXED_OFFSET_SINCE or len(buckets(date_from, date_to)) > MAX_BUCKETS
        items, _ = await walk(client, key, scope_params(date_from, date_to), limit=2)
        assert [(i["event"], i["settlement_id"], i["day"]) for i in items] == expected


async def test_the_page_reads_the_day_and_month_indexes(app: FastAPI, engine: AsyncEngine) -> None:
    """The query's day and month expressions match migration 0024's index expressions (a zone
    given as a bound parameter would not): with sequential scans off, every branch of a range
    of days and a whole month is an index scan of those indexes, for all hospitals and for one."""
    for hospital, expected in (
        (None, {"ix_settlements_day_xact_id", "ix_settlements_month_xact_id"}),
        ("H510402001", {f"ix_settlements_hospital_code_{b}_xact_id" for b in ("day", "month")}),
    ):
        scope = Scope(hospital, D(1996, 1, 31), D(1996, 2, 29))  # one day, then February
        query = select(page_of_events(scope, 10**15, START, 10))
        sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        async with engine.begin() as conn:
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
            await conn.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
        used = {name for name in expected | _REVERSAL_INDEXES if name in plan}
        assert used == expected | _REVERSAL_INDEXES, plan
        assert "Seq Scan" not in plan, plan


_REVERSAL_INDEXES = {"ix_reversals_day_xact_id", "ix_reversals_month_xact_id"}
