"""Reconciliation over HTTP (docs/api.md "Reconciliation", issue 5).

The database is shared by the test session, so every test registers its own hospitals (and
persons) and reads only them. Settlements go through the API; to place events on chosen days the
test then moves ``settled_at``/``reversed_at`` with a direct UPDATE (test setup only), into years
no other test uses, so an agency query without ``hospital_code`` sees only this test's events.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth.service import Caller
from app.config import Settings
from app.main import create_app
from app.settlement import service as settlement_service
from app.settlement.schemas import SettlementIn

from .conftest import (
    ADMIN,
    AGENCY,
    assert_problem,
    bill_no,
    headers,
    item,
    make_bill,
    new_person,
    reverse,
    settle,
)

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = "/v1/reconciliation"
AMOUNTS = ("total", "hospital_borne", "in_policy", "fund_paid", "self_pay")
POOR = ["registered_poor"]


# -- helpers ------------------------------------------------------------------------------------


def fen(amount: str) -> int:
    return int(Decimal(amount) * 100)


def yuan(amount_fen: int) -> str:
    sign = "-" if amount_fen < 0 else ""
    return f"{sign}{abs(amount_fen) // 100}.{abs(amount_fen) % 100:02d}"


async def new_hospital(client: AsyncClient, county: str = "510402") -> tuple[str, str]:
    """A fresh designated hospital and a hospital key for it: ``(code, key)``."""
    code = f"RQ{uuid.uuid4().hex[:12].upper()}"
    response = await client.put(
        f"/v1/hospitals/{code}",
        headers=headers(ADMIN),
        json={
            "name": "对账测试医院",
            "level": "secondary",
            "county_code": county,
            "designated": True,
        },
    )
    assert response.status_code == 201, response.text
    response = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital", "hospital_code": code}
    )
    assert response.status_code == 201, response.text
    return code, response.json()["key"]


def varied_items(rng: random.Random) -> list[dict[str, Any]]:
    """A bill whose figures vary: A-grade days, a B-grade drug, sometimes C and hospital-borne."""
    days, doses = rng.randint(1, 30), rng.randint(1, 200)
    lines = [
        item(1, "XA06", "1280.00", str(days), yuan(128000 * days)),
        item(2, "XB01", "50.00", str(doses), yuan(5000 * doses)),
    ]
    if rng.random() < 0.5:
        lines.append(item(3, "XC01", "1000.00", "1", "1000.00"))
    if rng.random() < 0.3:
        lines.append(item(4, "XA01", "35.50", "2", "71.00", hospital_borne=True))
    return lines


async def settle_ok(client: AsyncClient, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await settle(client, body, key=key)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def reverse_ok(client: AsyncClient, key: str, settlement: dict[str, Any]) -> None:
    response = await reverse(client, settlement, key=key)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "reversed"


async def move(
    engine: AsyncEngine,
    settlement_id: str,
    *,
    settled_at: dt.datetime | None = None,
    reversed_at: dt.datetime | None = None,
) -> None:
    """Test setup: put a settlement (and its reversal) at a chosen instant."""
    async with engine.begin() as conn:
        if settled_at is not None:
            await conn.execute(
                text("UPDATE settlements SET settled_at = :at WHERE id = :id"),
                {"at": settled_at, "id": uuid.UUID(settlement_id)},
            )
        if reversed_at is not None:
            await conn.execute(
                text("UPDATE reversals SET reversed_at = :at WHERE settlement_id = :id"),
                {"at": reversed_at, "id": uuid.UUID(settlement_id)},
            )


def local(
    day: dt.date, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, SHANGHAI)


def scope_params(
    date_from: dt.date, date_to: dt.date, hospital: str | None = None, **extra: Any
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        **extra,
    }
    if hospital is not None:
        params["hospital_code"] = hospital
    return params


async def get_totals(client: AsyncClient, key: str, params: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"{BASE}/totals", params=params, headers=headers(key))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def walk(
    client: AsyncClient, key: str, params: dict[str, Any], limit: int = 7, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Every event after ``cursor``, page by page; returns them and the last cursor."""
    items: list[dict[str, Any]] = []
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"{BASE}/settlements", params=query, headers=headers(key))
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def totals_from_details(items: list[dict[str, Any]]) -> dict[str, Any]:
    """What totals must say, computed from detail rows alone."""

    def block(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"count": len(rows), **{a: yuan(sum(fen(r[a]) for r in rows)) for a in AMOUNTS}}

    settled = [i for i in items if i["event"] == "settlement"]
    reversed_ = [i for i in items if i["event"] == "reversal"]
    funds: dict[str, dict[str, Any]] = {}
    for i in items:
        for f in i["funds"]:
            line = funds.setdefault(
                f["fund_code"],
                {
                    "fund_code": f["fund_code"],
                    "fund_name": f["fund_name"],
                    "count": 0,
                    "paid": 0,
                    "settled_count": 0,
                    "settled_paid": 0,
                    "reversed_count": 0,
                    "reversed_paid": 0,
                },
            )
            paid, kind = fen(f["paid"]), "settled" if i["sign"] == 1 else "reversed"
            line[f"{kind}_paid"] += paid
            line["paid"] += paid
            if paid:
                line[f"{kind}_count"] += 1
                line["count"] += i["sign"]
    for line in funds.values():
        for k in ("paid", "settled_paid", "reversed_paid"):
            line[k] = yuan(line[k])
    return {
        "count": len(settled) - len(reversed_),
        **{a: yuan(sum(fen(i[a]) for i in items)) for a in AMOUNTS},
        "funds": funds,
        "settlements": block(settled),
        "reversals": block(reversed_),
    }


def comparable(totals: dict[str, Any]) -> dict[str, Any]:
    out = {k: totals[k] for k in ("count", *AMOUNTS, "settlements", "reversals")}
    out["funds"] = {f["fund_code"]: f for f in totals["funds"]}
    return out


# -- totals equal the details ------------------------------------------------------------------


@pytest.mark.parametrize("seed", [3, 11])
async def test_totals_equal_sum_of_details_across_hospitals_days_and_the_shanghai_midnight(
    client: AsyncClient, engine: AsyncEngine, seed: int
) -> None:
    rng = random.Random(seed)
    day0 = dt.date(2003, 1 + seed % 12, 10)  # a year nobody else settles in
    days = [day0 + dt.timedelta(days=n) for n in range(3)]
    # Instants on both sides of each Shanghai midnight (16:00 UTC), and ordinary ones.
    instants = [local(d, 0, 0, 0) for d in days] + [local(d, 23, 59, 59, 999999) for d in days]
    instants += [local(d, 7, 59, 59) for d in days]  # 23:59:59 UTC of the day before
    instants += [local(d, 8, 0, 0) for d in days]  # 00:00 UTC
    instants += [local(d, rng.randrange(24), rng.randrange(60)) for d in days for _ in range(2)]
    hospitals = [await new_hospital(client, county) for county in ("510402", "510402", "510421")]
    persons = [
        await new_person(client, POOR),
        await new_person(client),
        await new_person(client, ["dibao"], county="510421"),
        await new_person(client, POOR, county="510421"),
    ]

    settled: list[tuple[dict[str, Any], dt.datetime]] = []
    reversed_: list[tuple[dict[str, Any], dt.datetime]] = []
    for _ in range(18):
        code, key = rng.choice(hospitals)
        body = make_bill(bill_no("RC"), rng.choice(persons), hospital=code, items=varied_items(rng))
        settlement = await settle_ok(client, key, body)
        at = rng.choice(instants)
        await move(engine, settlement["settlement_id"], settled_at=at)
        settled.append((settlement, at))
        if rng.random() < 0.4:
            await reverse_ok(client, key, settlement)
            later = [i for i in instants if i >= at]
            rev_at = rng.choice(later)
            await move(engine, settlement["settlement_id"], reversed_at=rev_at)
            reversed_.append((settlement, rev_at))
            if rng.random() < 0.5:  # settled again: a new settlement id for the same bill
                again = await settle_ok(
                    client, key, {**body, "replaces": settlement["settlement_id"]}
                )
                again_at = rng.choice([i for i in instants if i >= rev_at])
                await move(engine, again["settlement_id"], settled_at=again_at)
                settled.append((again, again_at))
    assert reversed_, "the seed must produce reversals"

    ranges = [(days[0], days[0]), (days[1], days[1]), (days[2], days[2]), (days[0], days[2])]
    scopes = [(AGENCY, None)] + [(AGENCY, c) for c, _ in hospitals]
    scopes += [(key, None) for _, key in hospitals]  # a hospital key defaults to its own
    for date_from, date_to in ranges:
        for key, hospital in scopes:
            params = scope_params(date_from, date_to, hospital)
            items, _ = await walk(client, key, params, limit=rng.choice([1, 4, 7, 1000]))
            totals = await get_totals(client, key, params)
            assert comparable(totals) == totals_from_details(items), (key, hospital, date_from)
            assert len({(i["event"], i["settlement_id"]) for i in items}) == len(items)
            assert all(date_from <= dt.date.fromisoformat(i["day"]) <= date_to for i in items)

        # Independently of the service: which events fall in the range, by Shanghai calendar day.
        def inside(at: dt.datetime, lo: dt.date = date_from, hi: dt.date = date_to) -> bool:
            return lo <= at.astimezone(SHANGHAI).date() <= hi

        in_s = [s for s, at in settled if inside(at)]
        in_r = [s for s, at in reversed_ if inside(at)]
        totals = await get_totals(client, AGENCY, scope_params(date_from, date_to))
        assert totals["count"] == len(in_s) - len(in_r)
        assert totals["settlements"]["count"] == len(in_s)
        assert totals["reversals"]["count"] == len(in_r)
        for a in AMOUNTS:

            def of(s: dict[str, Any], a: str = a) -> int:
                return fen(s[a] if a in s else s["totals"][a])

            assert fen(totals[a]) == sum(map(of, in_s)) - sum(map(of, in_r)), a
        paid_by_fund: Counter[str] = Counter()
        for s, sign in [(s, 1) for s in in_s] + [(s, -1) for s in in_r]:
            for line in s["layers"]:
                paid_by_fund[line["fund_code"]] += sign * fen(line["paid"])
        assert {f["fund_code"]: fen(f["paid"]) for f in totals["funds"]} == dict(paid_by_fund)


async def test_day_boundary_is_midnight_in_shanghai(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    day = dt.date(2004, 2, 29)
    code, key = await new_hospital(client)
    person = await new_person(client, POOR)
    late = await settle_ok(client, key, make_bill(bill_no("RB"), person, hospital=code))
    early = await settle_ok(client, key, make_bill(bill_no("RB"), person, hospital=code))
    # 15:59:59.999999 UTC is the last instant of Feb 29 in Shanghai; 16:00 UTC is Mar 1.
    await move(engine, late["settlement_id"], settled_at=local(day, 23, 59, 59, 999999))
    await move(engine, early["settlement_id"], settled_at=local(day + dt.timedelta(days=1)))
    await reverse_ok(client, key, late)
    await move(engine, late["settlement_id"], reversed_at=local(day + dt.timedelta(days=1)))

    feb = await get_totals(client, key, scope_params(day, day))
    mar = await get_totals(
        client, key, scope_params(day + dt.timedelta(days=1), day + dt.timedelta(days=1))
    )
    both = await get_totals(client, key, scope_params(day, day + dt.timedelta(days=1)))
    assert (feb["count"], feb["settlements"]["count"], feb["reversals"]["count"]) == (1, 1, 0)
    assert (mar["count"], mar["settlements"]["count"], mar["reversals"]["count"]) == (0, 1, 1)
    assert (both["count"], both["fund_paid"]) == (1, early["fund_paid"])
    assert mar["fund_paid"] == yuan(fen(early["fund_paid"]) - fen(late["fund_paid"]))
    assert mar["reversals"]["fund_paid"] == "-" + late["fund_paid"]

    items, _ = await walk(client, key, scope_params(day, day + dt.timedelta(days=1)))
    by_event = {(i["event"], i["settlement_id"]): i for i in items}
    row = by_event[("settlement", late["settlement_id"])]
    assert (row["day"], row["event_at"]) == ("2004-02-29", "2004-02-29T23:59:59.999999+08:00")
    row = by_event[("reversal", late["settlement_id"])]
    assert (row["day"], row["sign"], row["total"]) == ("2004-03-01", -1, "-20000.00")
    assert row["reversed_at"] == "2004-03-01T00:00:00+08:00"
    assert {f["fund_code"]: f["paid"] for f in row["funds"]} == {
        line["fund_code"]: "-" + line["paid"] if line["paid"] != "0.00" else "0.00"
        for line in late["layers"]
    }


# -- pagination while settlements arrive -------------------------------------------------------


async def test_pages_never_skip_or_repeat_while_settlements_arrive_and_commit_late(
    app: FastAPI, client: AsyncClient
) -> None:
    code, key = await new_hospital(client)
    persons = [await new_person(client, POOR) for _ in range(3)]
    today = dt.datetime.now(SHANGHAI).date()
    params = scope_params(today - dt.timedelta(days=1), today + dt.timedelta(days=1))

    first = [
        await settle_ok(client, key, make_bill(bill_no("RP"), persons[0], hospital=code))
        for _ in range(5)
    ]
    page, cursor = await walk(client, key, params, limit=2)  # all five, in pages of 2
    seen = [(i["event"], i["settlement_id"]) for i in page]
    assert seen == [("settlement", s["settlement_id"]) for s in first]

    # A transaction starts, settles (settled_at = its start time) and stays open...
    late_session = app.state.sessionmaker()
    await late_session.begin()
    late_body = make_bill(bill_no("RL"), persons[1], hospital=code)
    late, created = await settlement_service.settle_bill(
        late_session,
        app.state.policies,
        Caller(uuid.uuid4(), "hospital", code),
        SettlementIn.model_validate(late_body),
    )
    assert created
    try:
        # ...while others settle and reverse and commit, and the agency keeps paging.
        more = [
            await settle_ok(client, key, make_bill(bill_no("RP"), persons[2], hospital=code))
            for _ in range(3)
        ]
        await reverse_ok(client, key, first[1])
        page, cursor = await walk(client, key, params, limit=2, cursor=cursor)
        seen += [(i["event"], i["settlement_id"]) for i in page]
        # Listed by timestamp, these would come before the late one's; held back instead.
        assert page == []
        assert late.settled_at is not None
        assert all(dt.datetime.fromisoformat(s["settled_at"]) > late.settled_at for s in more)
    finally:
        await late_session.commit()
        await late_session.close()
    page, cursor = await walk(client, key, params, limit=2, cursor=cursor)
    seen += [(i["event"], i["settlement_id"]) for i in page]
    extra = [await settle_ok(client, key, make_bill(bill_no("RP"), persons[0], hospital=code))]
    page, cursor = await walk(client, key, params, limit=3, cursor=cursor)
    seen += [(i["event"], i["settlement_id"]) for i in page]
    page, _ = await walk(client, key, params, limit=3, cursor=cursor)
    assert page == []  # nothing new: the last cursor is a place to resume, not a repeat

    expected = {("settlement", s["settlement_id"]) for s in [*first, *more, *extra]}
    expected |= {("settlement", str(late.settlement_id)), ("reversal", first[1]["settlement_id"])}
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    # The order is stable: a fresh walk gives the same sequence, whatever the page size.
    for limit in (1, 4, 1000):
        again, _ = await walk(client, key, params, limit=limit)
        assert [(i["event"], i["settlement_id"]) for i in again] == seen
    totals = await get_totals(client, key, params)
    assert totals["count"] == len(expected) - 2  # one reversal, counted against its settlement


async def test_cursor_is_bound_to_its_filters(client: AsyncClient) -> None:
    _, key = await new_hospital(client)
    params = scope_params(dt.date(2005, 1, 1), dt.date(2005, 1, 31))
    response = await client.get(f"{BASE}/settlements", params=params, headers=headers(key))
    cursor = response.json()["next_cursor"]
    other = {**params, "date_to": "2005-02-28", "cursor": cursor}
    response = await client.get(f"{BASE}/settlements", params=other, headers=headers(key))
    assert_problem(response, 422, "invalid_cursor", [["query", "cursor"]])
    response = await client.get(
        f"{BASE}/settlements", params={**params, "cursor": "garbage!"}, headers=headers(key)
    )
    assert_problem(response, 422, "invalid_cursor", [["query", "cursor"]])


def _raw_cursor(fields: dict[str, str]) -> str:
    """A cursor from raw JSON member texts (so values Python would not write, like ``1e400``)."""
    raw = "{" + ",".join(f'"{name}":{value}' for name, value in fields.items()) + "}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# (member, raw JSON value): the types and ranges a position may not take. xact ids are xid8 and
# bigint in the query: 0..2**63-1, and -1 marks the start; the kind is 0 (settlement) or 1
# (reversal); the settlement id is a UUID string.
FORGED = [
    ("x", str(2**63)),  # one past bigint: PostgreSQL cannot compare it
    ("x", str(2**64 + 5)),
    ("x", "1e400"),  # a float, infinite in Python
    ("x", "Infinity"),
    ("x", "-Infinity"),
    ("x", "NaN"),
    ("x", "-2"),  # below the start sentinel
    ("x", "1.0"),
    ("x", "true"),
    ("x", '"5"'),
    ("x", "null"),
    ("k", "2"),
    ("k", "-1"),
    ("k", str(2**15)),  # past smallint
    ("k", "false"),
    ("k", "0.5"),
    ("s", "0"),
    ("s", '"not-a-uuid"'),
    ("s", "null"),
    ("v", "true"),  # == 1 in Python, but not the version number 1
    ("v", "1.0"),
    ("f", "0"),
]


@pytest.mark.parametrize(("member", "value"), FORGED, ids=[f"{m}={v}" for m, v in FORGED])
async def test_forged_cursor_values_are_invalid_cursor(
    client: AsyncClient, member: str, value: str
) -> None:
    params = scope_params(dt.date(1999, 3, 1), dt.date(1999, 3, 31))
    first = await client.get(f"{BASE}/settlements", params=params, headers=headers(AGENCY))
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    issued = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    fields = {name: json.dumps(v) for name, v in issued.items()}
    assert set(fields) == {"v", "f", "x", "k", "s"}
    # The cursor rebuilt from its own members is accepted: only the forged member differs.
    same = {**params, "cursor": _raw_cursor(fields)}
    response = await client.get(f"{BASE}/settlements", params=same, headers=headers(AGENCY))
    assert response.status_code == 200, response.text
    forged = {**params, "cursor": _raw_cursor({**fields, member: value})}
    response = await client.get(f"{BASE}/settlements", params=forged, headers=headers(AGENCY))
    assert_problem(response, 422, "invalid_cursor", [["query", "cursor"]])


@pytest.mark.parametrize(
    "members",
    [
        {"x": str(2**63 - 1), "k": "1"},  # the largest xact id bigint holds
        {"x": "0", "k": "0"},
    ],
)
async def test_cursor_positions_at_the_ends_of_the_range_are_accepted(
    client: AsyncClient, members: dict[str, str]
) -> None:
    params = scope_params(dt.date(1999, 3, 1), dt.date(1999, 3, 31))
    first = await client.get(f"{BASE}/settlements", params=params, headers=headers(AGENCY))
    cursor = first.json()["next_cursor"]
    issued = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    fields = {**{name: json.dumps(v) for name, v in issued.items()}, **members}
    query = {**params, "cursor": _raw_cursor(fields)}
    response = await client.get(f"{BASE}/settlements", params=query, headers=headers(AGENCY))
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []  # no test settles in 1999


# -- statement timeout --------------------------------------------------------------------------

TIMEOUT_MS = 300


@pytest.fixture
async def impatient(database_url: str) -> AsyncIterator[AsyncClient]:
    """The app with a statement timeout of TIMEOUT_MS (the demo data is already loaded)."""
    application = create_app(
        Settings(db_statement_timeout_ms=TIMEOUT_MS), database_url=database_url
    )
    async with (
        application.router.lifespan_context(application),
        AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as c,
    ):
        yield c


@asynccontextmanager
async def settlements_locked(engine: AsyncEngine) -> AsyncIterator[None]:
    """Hold an ACCESS EXCLUSIVE lock on ``settlements`` and the report rollups (totals of closed
    days read only those, migration 0023): every statement that reads or writes them waits,
    until the statement timeout cancels it (SQLSTATE 57014): a query that takes too long."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(
            text(
                "LOCK TABLE settlements, report_event_rollups, report_fund_rollups,"
                " report_ledger_rollups, report_ledger_fund_rollups"
                " IN ACCESS EXCLUSIVE MODE"
            )
        )
        try:
            yield
        finally:
            await transaction.rollback()


async def test_a_report_past_the_statement_timeout_is_query_timeout(
    impatient: AsyncClient, engine: AsyncEngine
) -> None:
    days = scope_params(dt.date(1999, 4, 1), dt.date(1999, 4, 30))
    books = {"hospital_code": "H510402001", **days, "funds": []}
    async with settlements_locked(engine):
        answers = [
            await impatient.get(f"{BASE}/totals", params=days, headers=headers(AGENCY)),
            await impatient.get(f"{BASE}/settlements", params=days, headers=headers(AGENCY)),
            await impatient.get(f"{BASE}/poverty-ledger", params=days, headers=headers(AGENCY)),
            # A read sent as POST: the read-only session marks it, not the method.
            await impatient.post(f"{BASE}/check", json=books, headers=headers(AGENCY)),
        ]
    for response in answers:
        problem = assert_problem(response, 503, "query_timeout")
        assert f"({TIMEOUT_MS} ms)" in problem["detail"], problem
        assert "shorter range" in problem["detail"]
        assert "settlement" not in problem["detail"]  # not "the same settlement body is safe"
        assert "retry-after" not in response.headers  # the same range would time out again
    # Unlocked, the same report answers (nothing in April 1999: no test settles in 1999).
    response = await impatient.get(f"{BASE}/totals", params=days, headers=headers(AGENCY))
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 0


async def test_a_settlement_past_the_statement_timeout_is_still_database_unavailable(
    impatient: AsyncClient, client: AsyncClient, engine: AsyncEngine
) -> None:
    """A write that timed out stored nothing: 503 database_unavailable, safe to send again."""
    body = make_bill(bill_no(), await new_person(client))
    async with settlements_locked(engine):
        response = await settle(impatient, body)
    problem = assert_problem(response, 503, "database_unavailable")
    assert response.headers["retry-after"] == "2"
    assert "safe to send again" in problem["detail"]
    again = await settle(impatient, body)  # the same body, once the database answers in time
    assert again.status_code == 201, again.text


# -- downloads ----------------------------------------------------------------------------------


async def _two_hospitals_with_events(
    client: AsyncClient, engine: AsyncEngine, day: dt.date
) -> list[tuple[str, str]]:
    hospitals = [await new_hospital(client), await new_hospital(client, "510421")]
    poor, plain = await new_person(client, POOR), await new_person(client)
    rng = random.Random(7)
    for n in range(6):
        code, key = hospitals[n % 2]
        body = make_bill(
            bill_no("RX"), poor if n % 3 else plain, hospital=code, items=varied_items(rng)
        )
        s = await settle_ok(client, key, body)
        await move(engine, s["settlement_id"], settled_at=local(day, 9 + n, 30))
        if n in (1, 4):
            await reverse_ok(client, key, s)
            await move(engine, s["settlement_id"], reversed_at=local(day, 20, n))
    return hospitals


def _expected_rows(items: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    funds: dict[str, str] = {}
    for i in items:
        for f in i["funds"]:
            funds.setdefault(f["fund_code"], f["fund_name"])
    header = [
        "类型",
        "对账日期",
        "发生时间(北京时间)",
        "结算ID",
        "医疗机构编码",
        "结算单号",
        "就诊ID(mdtrt_id)",
        "医保结算ID(setl_id)",
        "出院日期",
        "结算时间(北京时间)",
        "撤销时间(北京时间)",
        "医疗费总额",
        "医院承担金额",
        "政策范围内费用",
        "基金支付总额",
        "个人现金支付",
    ]
    header += [f"{name}({code})" for code, name in funds.items()]
    rows = []
    for i in items:
        paid = {f["fund_code"]: f["paid"] for f in i["funds"]}
        rows.append(
            [
                {"settlement": "结算", "reversal": "撤销"}[i["event"]],
                i["day"],
                i["event_at"],
                i["settlement_id"],
                i["hospital_code"],
                i["bill_no"],
                i["mdtrt_id"] or "",
                i["setl_id"],
                i["discharge_date"],
                i["settled_at"],
                i["reversed_at"] or "",
                *(i[a] for a in AMOUNTS),
                *(paid[c] for c in funds),
            ]
        )
    return header, rows


async def test_csv_and_xlsx_downloads_hold_the_json_rows(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    day = dt.date(2006, 5, 20)
    await _two_hospitals_with_events(client, engine, day)
    params = scope_params(day, day)
    items, cursor = await walk(client, AGENCY, params, limit=5)
    assert len(items) == 8  # 6 settlements, 2 reversals
    header, rows = _expected_rows(items)
    assert len(header) == 16 + 5  # five funds in the demo policy

    response = await client.get(
        f"{BASE}/settlements/export", params={**params, "format": "csv"}, headers=headers(AGENCY)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="reconciliation-all-2006-05-20-2006-05-20.csv"'
    )
    assert response.headers["x-has-more"] == "false"
    assert response.headers["x-next-cursor"] == cursor
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert parsed == [header, *rows]
    # The download's first address, `format=csv` on the list itself, still answers the same file
    # (undocumented now: scripts written against it keep working).
    legacy = await client.get(
        f"{BASE}/settlements", params={**params, "format": "csv"}, headers=headers(AGENCY)
    )
    assert legacy.status_code == 200, legacy.text
    assert legacy.content == response.content
    assert legacy.headers["content-disposition"] == response.headers["content-disposition"]

    response = await client.get(
        f"{BASE}/settlements/export", params={**params, "format": "xlsx"}, headers=headers(AGENCY)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book["对账明细"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert len(values) == 1 + len(rows)
    for got, want in zip(values[1:], rows, strict=True):
        texts = [got[0], str(got[3]), got[4], got[5], got[6], got[7]]
        assert texts == [want[0], want[3], want[4], want[5], None, want[7]]  # /v1: no mdtrt_id
        assert got[1].date().isoformat() == want[1]  # dates come back as midnight datetimes
        assert got[8].date().isoformat() == want[8]
        for col in (2, 9, 10):  # local times, no zone in a spreadsheet
            if want[col] == "":
                assert got[col] is None
            else:
                expected = dt.datetime.fromisoformat(want[col]).replace(tzinfo=None)
                assert abs(got[col] - expected) < dt.timedelta(milliseconds=1)
        amounts = [Decimal(str(v)).quantize(Decimal("0.01")) for v in got[11:]]
        assert amounts == [Decimal(v) for v in want[11:]]
    book.close()


async def test_download_of_one_hospital_after_a_cursor(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    day = dt.date(2006, 6, 2)
    (code, key), _ = await _two_hospitals_with_events(client, engine, day)
    params = scope_params(day, day)
    items, _ = await walk(client, key, params)
    assert {i["hospital_code"] for i in items} == {code} and len(items) == 4
    first = (
        await client.get(f"{BASE}/settlements", params={**params, "limit": 1}, headers=headers(key))
    ).json()
    response = await client.get(
        f"{BASE}/settlements/export",
        params={**params, "format": "csv", "cursor": first["next_cursor"]},
        headers=headers(key),
    )
    assert response.status_code == 200, response.text
    assert f'filename="reconciliation-{code}-' in response.headers["content-disposition"]
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[3] for r in parsed[1:]] == [i["settlement_id"] for i in items[1:]]


# -- check ----------------------------------------------------------------------------------


async def test_check_matching_and_mismatching_submissions(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    day = dt.date(2007, 3, 15)
    (code, key), _ = await _two_hospitals_with_events(client, engine, day)
    params = scope_params(day, day)
    totals = await get_totals(client, key, params)
    items, _ = await walk(client, key, params)
    settled_ids = [i["settlement_id"] for i in items if i["event"] == "settlement"]
    reversed_ids = [i["settlement_id"] for i in items if i["event"] == "reversal"]
    books = {
        "hospital_code": code,
        "date_from": day.isoformat(),
        "date_to": day.isoformat(),
        "funds": [
            {"fund_code": f["fund_code"], "count": f["count"], "paid": f["paid"]}
            for f in totals["funds"]
        ],
    }

    response = await client.post(
        f"{BASE}/check",
        headers=headers(key),
        json={**books, "settlement_ids": settled_ids, "reversed_settlement_ids": reversed_ids},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == "match"
    assert body["funds"] == []
    assert body["settlements"] == {
        "only_submitted": [],
        "only_submitted_count": 0,
        "only_recorded": [],
        "only_recorded_count": 0,
    }
    # Funds that paid nothing may be left out; the agency may check on a hospital's behalf.
    response = await client.post(
        f"{BASE}/check",
        headers=headers(AGENCY),
        json={**books, "funds": [f for f in books["funds"] if f["paid"] != "0.00"]},
    )
    assert response.json()["result"] == "match"
    assert response.json()["settlements"] is None

    basic = next(f for f in totals["funds"] if f["fund_code"] == "390100")
    wrong = [dict(f) for f in books["funds"]]
    for f in wrong:
        if f["fund_code"] == "390100":
            f["paid"] = yuan(fen(f["paid"]) + 1)  # one fen off
    wrong.append({"fund_code": "999999", "count": 1, "paid": "5.00"})
    stranger = str(uuid.uuid4())
    response = await client.post(
        f"{BASE}/check",
        headers=headers(key),
        json={**books, "funds": wrong, "settlement_ids": [*settled_ids[1:], stranger]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["result"] == "mismatch"
    assert body["funds"] == [
        {
            "fund_code": "390100",
            "fund_name": basic["fund_name"],
            "submitted": {"count": basic["count"], "paid": yuan(fen(basic["paid"]) + 1)},
            "recorded": {"count": basic["count"], "paid": basic["paid"]},
        },
        {
            "fund_code": "999999",
            "fund_name": None,
            "submitted": {"count": 1, "paid": "5.00"},
            "recorded": {"count": 0, "paid": "0.00"},
        },
    ]
    assert body["settlements"] == {
        "only_submitted": [stranger],
        "only_submitted_count": 1,
        "only_recorded": [settled_ids[0]],
        "only_recorded_count": 1,
    }
    assert body["reversals"] is None

    # Only the ids differ: still a mismatch.
    response = await client.post(
        f"{BASE}/check", headers=headers(key), json={**books, "reversed_settlement_ids": []}
    )
    body = response.json()
    assert (body["result"], body["funds"]) == ("mismatch", [])
    assert body["reversals"]["only_recorded"] == sorted(reversed_ids)


async def test_check_refuses_bad_input(client: AsyncClient) -> None:
    code, key = await new_hospital(client)
    other, _ = await new_hospital(client)
    books = {"hospital_code": code, "date_from": "2007-01-02", "date_to": "2007-01-01", "funds": []}
    response = await client.post(f"{BASE}/check", headers=headers(key), json=books)
    assert_problem(response, 422, "dates_out_of_order", [["body", "date_to"]])
    response = await client.post(
        f"{BASE}/check",
        headers=headers(key),
        json={**books, "date_to": "2007-01-03", "hospital_code": other},
    )
    assert_problem(response, 403, "forbidden", [["body", "hospital_code"]])
    response = await client.post(
        f"{BASE}/check",
        headers=headers(key),
        json={
            **books,
            "date_to": "2007-01-03",
            "funds": [
                {"fund_code": "390100", "count": 1, "paid": "1.001"},
                {"fund_code": "390100", "count": 1, "paid": "1.00"},
            ],
        },
    )
    assert_problem(response, 422, "validation_error")
    # Issue 11 item 10: paid is a string, as the schema says; a JSON number (even an integer,
    # once taken as yuan) and other scripts' digits are refused, naming the field.
    for paid in (0, 100, 1.5, "１.00", "1.00\n"):
        fund = {"fund_code": "390100", "count": 0, "paid": paid}
        response = await client.post(
            f"{BASE}/check",
            headers=headers(key),
            json={**books, "date_to": "2007-01-03", "funds": [fund]},
        )
        assert_problem(response, 422, "validation_error", [["body", "funds", 0, "paid"]])


# -- roles --------------------------------------------------------------------------------------


async def test_roles_hospital_sees_only_its_own_agency_sees_all(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    day = dt.date(2008, 8, 8)
    (code_a, key_a), (code_b, key_b) = await _two_hospitals_with_events(client, engine, day)
    params = scope_params(day, day)

    own_a = await get_totals(client, key_a, params)
    assert own_a["hospital_code"] == code_a
    assert own_a == await get_totals(client, AGENCY, {**params, "hospital_code": code_a})
    assert own_a == await get_totals(client, key_a, {**params, "hospital_code": code_a})
    own_b = await get_totals(client, key_b, params)
    everyone = await get_totals(client, AGENCY, params)
    assert everyone["hospital_code"] is None
    assert everyone["count"] == own_a["count"] + own_b["count"] == 4
    assert fen(everyone["fund_paid"]) == fen(own_a["fund_paid"]) + fen(own_b["fund_paid"])
    assert everyone == await get_totals(client, ADMIN, params)
    items, _ = await walk(client, key_a, params)
    assert {i["hospital_code"] for i in items} == {code_a}
    items, _ = await walk(client, AGENCY, params)
    assert {i["hospital_code"] for i in items} == {code_a, code_b}

    for path in ("/totals", "/settlements"):
        response = await client.get(
            f"{BASE}{path}", headers=headers(key_a), params={**params, "hospital_code": code_b}
        )
        assert_problem(response, 403, "forbidden", [["query", "hospital_code"]])
    response = await client.get(f"{BASE}/poverty-ledger", params=params, headers=headers(key_a))
    assert_problem(response, 403, "forbidden")
    response = await client.get(f"{BASE}/totals", params=params)
    assert_problem(response, 401, "unauthorized")
    response = await client.get(
        f"{BASE}/totals", headers=headers(AGENCY), params={**params, "hospital_code": "NOSUCH"}
    )
    assert_problem(response, 422, "unknown_hospital", [["query", "hospital_code"]])
    response = await client.get(
        f"{BASE}/totals",
        headers=headers(AGENCY),
        params=scope_params(day, day - dt.timedelta(days=1)),
    )
    assert_problem(response, 422, "dates_out_of_order", [["query", "date_to"]])


# -- poverty ledger -----------------------------------------------------------------------------


async def test_poverty_ledger_per_county_and_month(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    county = f"5104{random.randrange(60, 100)}"  # a county of this test only
    home, home_key = await new_hospital(client, county)
    away, away_key = await new_hospital(client, "510402")
    poor = [await new_person(client, POOR, county=county) for _ in range(3)]
    plain = await new_person(client, county=county)
    june, july = dt.date(2009, 6, 30), dt.date(2009, 7, 1)

    async def settle_at(key: str, hospital: str, person: str, at: dt.datetime) -> dict[str, Any]:
        s = await settle_ok(client, key, make_bill(bill_no("RL"), person, hospital=hospital))
        await move(engine, s["settlement_id"], settled_at=at)
        return s

    june_in = [
        await settle_at(home_key, home, poor[0], local(june, 23, 59, 59)),
        await settle_at(home_key, home, poor[1], local(june, 10)),
    ]
    june_out = [await settle_at(away_key, away, poor[2], local(june, 11))]
    await settle_at(home_key, home, plain, local(june, 12))  # not poor: not in the ledger
    gone = await settle_at(home_key, home, poor[2], local(june, 13))
    await reverse_ok(client, home_key, gone)  # reversed: not in the ledger
    july_in = [await settle_at(home_key, home, poor[0], local(july, 0))]

    # The settle path stores the tilted layer's target as an integer (migration 0009): the fen
    # of the target the layer shows where it applied (in county), NULL where it did not (the
    # person's hospital outside their county: the tilted layer shows no target).
    async def stored_target_fen(s: dict[str, Any]) -> int | None:
        async with engine.connect() as conn:
            target: int | None = (
                await conn.execute(
                    text("SELECT tilted_target_fen FROM settlements WHERE id = :id"),
                    {"id": uuid.UUID(s["settlement_id"])},
                )
            ).scalar_one()
            return target

    def tilted_params(s: dict[str, Any]) -> dict[str, Any]:
        (tilted,) = [line["params"] for line in s["layers"] if line["layer"] == "tilted"]
        return tilted

    for s in [*june_in, *july_in]:
        assert await stored_target_fen(s) == fen(tilted_params(s)["target"])
    assert "target" not in tilted_params(june_out[0])
    assert await stored_target_fen(june_out[0]) is None

    # Test setup: pretend the tilted layer of one July settlement had applied a lower target,
    # 1.00 yuan (100 fen, below its in-policy self-pay), so the "above target" counter has
    # something to count.
    assert fen(july_in[0]["in_policy_self_pay"]) > 100
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE settlements SET tilted_target_fen = 100 WHERE id = :id"),
            {"id": uuid.UUID(july_in[0]["settlement_id"])},
        )

    response = await client.get(
        f"{BASE}/poverty-ledger",
        headers=headers(AGENCY),
        params={"date_from": "2009-06-01", "date_to": "2009-07-31", "county_code": county},
    )
    assert response.status_code == 200, response.text
    ledger = response.json()
    assert ledger["county_code"] == county and ledger["time_zone"] == "Asia/Shanghai"
    rows = {r["month"]: r for r in ledger["rows"]}
    assert list(rows) == ["2009-06", "2009-07"]
    assert {r["county_code"] for r in ledger["rows"]} == {county}

    def total(rows_: list[dict[str, Any]], get: Any) -> str:
        return yuan(sum(fen(get(s)) for s in rows_))

    jun = rows["2009-06"]
    all_june = june_in + june_out
    assert jun["count"] == 3
    assert jun["in_policy"] == total(all_june, lambda s: s["totals"]["in_policy"])
    assert jun["self_pay"] == total(all_june, lambda s: s["self_pay"])
    assert jun["in_policy_self_pay"] == total(all_june, lambda s: s["in_policy_self_pay"])
    in_policy = sum(fen(s["totals"]["in_policy"]) for s in june_in)
    self_pay = sum(fen(s["in_policy_self_pay"]) for s in june_in)
    assert jun["in_county"] == {
        "count": 2,
        "in_policy": yuan(in_policy),
        "in_policy_self_pay": yuan(self_pay),
        "in_policy_self_pay_ratio": str(
            (Decimal(self_pay) / Decimal(in_policy)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        ),
        "above_target_count": 0,
    }
    paid: Counter[str] = Counter()
    for s in all_june:
        for line in s["layers"]:
            paid[line["fund_code"]] += fen(line["paid"])
    assert {f["fund_code"]: fen(f["paid"]) for f in jun["funds"]} == dict(paid)
    assert [f["fund_code"] for f in jun["funds"]] == [
        "390100",
        "390200",
        "390300",
        "640100",
        "610100",
    ]
    jul = rows["2009-07"]
    assert jul["count"] == jul["in_county"]["count"] == 1
    assert jul["in_county"]["above_target_count"] == 1

    response = await client.get(
        f"{BASE}/poverty-ledger",
        headers=headers(ADMIN),
        params={"date_from": "2009-07-01", "date_to": "2009-07-31", "county_code": county},
    )
    assert [r["month"] for r in response.json()["rows"]] == ["2009-07"]

    # The agency keeps the ledger in Excel: the same rows as a download.
    scope = {"date_from": "2009-06-01", "date_to": "2009-07-31", "county_code": county}
    response = await client.get(
        f"{BASE}/poverty-ledger/export", headers=headers(AGENCY), params={**scope, "format": "xlsx"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"] == (
        f'attachment; filename="poverty-ledger-{county}-2009-06-01-2009-07-31.xlsx"'
    )
    header, expected = _ledger_rows(ledger["rows"])
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    values = [list(r) for r in book["管理台帐"].iter_rows(values_only=True)]
    book.close()
    assert values[0] == header
    assert len(values) == 1 + len(expected) == 3
    for got, want in zip(values[1:], expected, strict=True):
        assert got[:2] == want[:2]
        assert [Decimal(str(v)) for v in got[2:]] == [Decimal(v) for v in want[2:]]  # numbers

    response = await client.get(
        f"{BASE}/poverty-ledger/export", headers=headers(AGENCY), params={**scope, "format": "csv"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert parsed == [header, *expected]
    response = await client.get(
        f"{BASE}/poverty-ledger/export",
        headers=headers(home_key),
        params={**scope, "format": "csv"},
    )
    assert_problem(response, 403, "forbidden")


def _ledger_rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Header and rows the ledger download must hold, from the JSON rows alone."""
    funds = {f["fund_code"]: f["fund_name"] for r in rows for f in r["funds"]}
    header = [
        "参保地编码",
        "结算月份",
        "结算人次",
        "政策范围内费用",
        "个人现金支付",
        "政策范围内个人自付",
        "县域内结算人次",
        "县域内政策范围内费用",
        "县域内政策范围内个人自付",
        "县域内政策范围内自付比例",
        "县域内超目标人次",
        *(f"{name}({code})" for code, name in funds.items()),
    ]
    out = []
    for r in rows:
        c = r["in_county"]
        paid = {f["fund_code"]: f["paid"] for f in r["funds"]}
        out.append(
            [
                r["county_code"],
                r["month"],
                str(r["count"]),
                r["in_policy"],
                r["self_pay"],
                r["in_policy_self_pay"],
                str(c["count"]),
                c["in_policy"],
                c["in_policy_self_pay"],
                c["in_policy_self_pay_ratio"],
                str(c["above_target_count"]),
                *(paid.get(code, "0.00") for code in funds),
            ]
        )
    return header, out
