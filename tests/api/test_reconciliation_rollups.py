"""Report rollups (migration 0023, app/reconciliation/rollup.py): totals read closed days from
the rollups and open ones from the events, and must still equal the sum of the details to the
fen, for any history of settlements, reversals and reinstates, with a writer holding the horizon
back or not; the rollups kept live equal those the migration's backfill computes from the rows;
and reports run on ``DATABASE_READ_URL`` when it is set."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth.service import Caller
from app.config import Settings
from app.errors import Conflict
from app.main import create_app
from app.reconciliation import ledger as ledger_module
from app.settlement import service as settlement_service

from .conftest import AGENCY, bill_no, headers, make_bill, new_person, settle
from .test_reconciliation import (
    POOR,
    comparable,
    get_totals,
    local,
    move,
    new_hospital,
    reverse_ok,
    scope_params,
    settle_ok,
    totals_from_details,
    varied_items,
    walk,
)

pytestmark = pytest.mark.usefixtures("demo")

MIGRATION = next(
    Path(__file__).resolve().parents[2].glob("migrations/versions/*-0023_report_rollups.py")
)


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("migration_0023", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# One step of a history: settle a new bill (of person i), reverse the k-th settlement, reinstate
# the k-th reversal, or move the k-th settlement to another day (2005-03-01 + d).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("settle"), st.integers(0, 2), st.integers(0, 2**16)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("reinstate"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 2)),
    ),
    min_size=1,
    max_size=14,
)


async def get_ledger(client: AsyncClient, params: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(
        "/v1/reconciliation/poverty-ledger", params=params, headers=headers(AGENCY)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _reinstate(app: FastAPI, code: str, reversal_setl_id: str) -> bool:
    """The service's reinstate (the national interface's 冲正 of a 2305) in its own committed
    transaction; False when it is refused (the person-year moved on)."""
    async with app.state.sessionmaker() as session:
        try:
            async with session.begin():
                await settlement_service.reinstate(
                    session, Caller(uuid.uuid4(), "admin", None), reversal_setl_id
                )
        except Conflict:
            return False
    return True


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps, hold=st.booleans())
async def test_totals_equal_the_details_for_any_history(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine, history: list[Any], hold: bool
) -> None:
    code, key = await new_hospital(client)
    persons = [await new_person(client, POOR), await new_person(client, POOR, county="510421")]
    persons.append(await new_person(client))
    days = [dt.date(2005, 3, 1) + dt.timedelta(days=d) for d in range(3)]
    settled: list[dict[str, Any]] = []
    reversal_of: dict[str, str] = {}  # settlement id -> its reversal's setl_id
    for action, k, n in history:
        if action == "settle":
            body = make_bill(
                bill_no("RR"), persons[k], hospital=code, items=varied_items(random.Random(n))
            )
            settlement = await settle_ok(client, key, body)
            settled.append(settlement)
            await move(engine, settlement["settlement_id"], settled_at=local(days[n % 3], 10))
        elif not settled:
            continue
        elif action == "reverse":
            settlement = settled[k % len(settled)]
            if settlement["settlement_id"] not in reversal_of:
                await reverse_ok(client, key, settlement)
                got = await client.get(
                    f"/v1/settlements/{settlement['settlement_id']}", headers=headers(key)
                )
                reversal_of[settlement["settlement_id"]] = got.json()["reversal_setl_id"]
        elif action == "reinstate":
            reversed_ids = sorted(reversal_of)
            if reversed_ids:
                sid = reversed_ids[k % len(reversed_ids)]
                if await _reinstate(app, code, reversal_of[sid]):
                    del reversal_of[sid]
        else:  # move a settlement (and its reversal, to the same day) to another day
            settlement = settled[k % len(settled)]
            at = local(days[n], 9)
            await move(engine, settlement["settlement_id"], settled_at=at, reversed_at=at)

    async def compare() -> None:
        for date_from, date_to in ((days[0], days[2]), (days[1], days[1])):
            for who, hospital in ((AGENCY, code), (key, None)):
                params = scope_params(date_from, date_to, hospital)
                items, _ = await walk(client, who, params, limit=1000)
                totals = await get_totals(client, who, params)
                assert comparable(totals) == totals_from_details(items), (date_from, date_to)
            # The poverty ledger from the rollups is what it is from the rows alone (the code
            # before migration 0023, used past MAX_OPEN_CELLS open cells).
            ledger_params = scope_params(date_from, date_to)
            rolled_up = await get_ledger(client, ledger_params)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(ledger_module, "MAX_OPEN_CELLS", -1)
                from_rows = await get_ledger(client, ledger_params)
            assert rolled_up == from_rows

    if not hold:
        await compare()
        return
    # A writer holds the horizon back: what committed after it started is not counted, by the
    # rollups (their cells are open: read from the events) as by the details.
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text("SELECT pg_current_xact_id()"))
        try:
            person = await new_person(client)
            late = await settle_ok(client, key, make_bill(bill_no("RR"), person, hospital=code))
            await move(engine, late["settlement_id"], settled_at=local(days[1], 11))
            await compare()
        finally:
            await transaction.rollback()
    await compare()  # and counted once the writer is gone


async def _live_and_backfilled(engine: AsyncEngine) -> tuple[list[Any], list[Any]]:
    """Per cell and per fund cell: the live rollups (summed over slots) and what the migration's
    backfill computes from the rows now, both without the rows that add up to nothing."""
    migration = _migration()
    events = (
        "SELECT day, hospital_code, kind, sum(event_count), sum(total_fen),"
        " sum(hospital_borne_fen), sum(in_policy_fen), sum(fund_paid_fen), sum(self_pay_fen)"
        " FROM {t} GROUP BY 1, 2, 3 HAVING sum(event_count) <> 0 ORDER BY 1, 2, 3"
    )
    funds = (
        "SELECT day, hospital_code, kind, fund_code, min(fund_name), min(position),"
        " sum(event_count), sum(paid_count), sum(paid_fen) FROM {t} GROUP BY 1, 2, 3, 4"
        " HAVING sum(event_count) <> 0 ORDER BY 1, 2, 3, 4"
    )
    ledger = (
        "SELECT day, county_code, sum(settlement_count), sum(in_policy_fen), sum(self_pay_fen),"
        " sum(in_policy_self_pay_fen), sum(in_county_count), sum(in_county_in_policy_fen),"
        " sum(in_county_in_policy_self_pay_fen), sum(above_target_count) FROM {t}"
        " GROUP BY 1, 2 HAVING sum(settlement_count) <> 0 ORDER BY 1, 2"
    )
    ledger_funds = (
        "SELECT day, county_code, fund_code, min(fund_name), min(position), sum(layer_count),"
        " sum(paid_fen) FROM {t} GROUP BY 1, 2, 3 HAVING sum(layer_count) <> 0 ORDER BY 1, 2, 3"
    )
    queries = {
        "report_event_rollups": events,
        "report_fund_rollups": funds,
        "report_ledger_rollups": ledger,
        "report_ledger_fund_rollups": ledger_funds,
    }
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            await conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            live = [(await conn.execute(text(q.format(t=t)))).all() for t, q in queries.items()]
            for table in queries:
                await conn.execute(
                    text(f"CREATE TEMP TABLE b_{table} (LIKE {table} INCLUDING ALL)")
                )
            for statement in migration.BACKFILL:
                for table in queries:
                    statement = statement.replace(
                        f"INSERT INTO {table} ", f"INSERT INTO b_{table} "
                    )
                await conn.execute(text(statement))
            backfilled = [
                (await conn.execute(text(q.format(t=f"b_{t}")))).all() for t, q in queries.items()
            ]
        finally:
            await transaction.rollback()
    return live, backfilled


async def test_the_rollups_kept_live_are_what_the_backfill_computes(
    own_app: FastAPI, own_client: AsyncClient, own_database_url: str
) -> None:
    client = own_client
    code, key = await new_hospital(client)
    persons = [await new_person(client, POOR) for _ in range(3)]
    rng = random.Random(23)
    made = []
    for n in range(9):
        body = make_bill(bill_no("RB"), persons[n % 3], hospital=code, items=varied_items(rng))
        made.append(await settle_ok(client, key, body))
    for settlement in made[::3]:
        await reverse_ok(client, key, settlement)
    last = made[6]  # persons[0]'s last: nothing of its person-year after the reversal
    got = await client.get(f"/v1/settlements/{last['settlement_id']}", headers=headers(key))
    assert await _reinstate(own_app, code, got.json()["reversal_setl_id"])
    from app.db.session import make_engine

    engine = make_engine(own_database_url, Settings())
    try:
        live, backfilled = await _live_and_backfilled(engine)
    finally:
        await engine.dispose()
    # 9 settlements of the test's hospital (and none of the demo): 3 reversed, 1 reinstated.
    mine = [row for row in live[0] if row.hospital_code == code]
    assert sum(row[3] for row in mine if row.kind == 0) == 9
    assert sum(row[3] for row in mine if row.kind == 1) == 2
    assert live[2], "registered-poor settlements stand in the ledger's rollups"
    assert live == backfilled


async def test_reports_run_on_the_read_url_and_settlements_on_the_primary(
    database_url: str, client: AsyncClient
) -> None:
    """``DATABASE_READ_URL`` names a server that is not there: the reports answer 503
    ``database_unavailable`` (they went to it) while a settlement is stored on the primary."""
    person = await new_person(client)
    unreachable = "postgresql://onestop@127.0.0.1:9/onestop"  # discard port: refused
    configured = Settings(database_read_url=unreachable, db_connect_timeout_s=2)
    application = create_app(configured, database_url=database_url)
    async with (
        application.router.lifespan_context(application),
        AsyncClient(transport=ASGITransport(app=application), base_url="http://test") as c,
    ):
        response = await settle(c, make_bill(bill_no("RU"), person))
        assert response.status_code == 201, response.text
        params = scope_params(dt.date(2018, 6, 1), dt.date(2018, 6, 30))
        for path in ("totals", "settlements", "poverty-ledger"):
            answer = await c.get(
                f"/v1/reconciliation/{path}", params=params, headers=headers(AGENCY)
            )
            assert answer.status_code == 503, (path, answer.text)
            assert answer.json()["code"] == "database_unavailable", answer.text


async def test_concurrent_settlements_of_one_hospital_day_add_up(
    own_app: FastAPI, own_client: AsyncClient, own_database_url: str
) -> None:
    """24 settlements of one hospital on one day at once, then 8 reversals at once: none waits
    on a hot row (they spread over the slots), and afterwards the totals equal the details and
    the live rollups equal the backfill."""
    import asyncio

    client = own_client
    code, key = await new_hospital(client)
    persons = [await new_person(client, POOR if n % 2 else []) for n in range(24)]
    rng = random.Random(5)
    bodies = [
        make_bill(bill_no("RC"), person, hospital=code, items=varied_items(rng))
        for person in persons
    ]

    async def settle_admitted(body: dict[str, Any]) -> Any:
        # 24 at once against the default 8 settlement slots and 100 ms admission queue: on a
        # loaded test machine admission control may shed one (503 ``overloaded``, nothing
        # written; tests/api/test_admission.py covers it). A HIS retries that, and so does this
        # test: it is about the rollups' slots, not load shedding. Any other answer fails.
        for _ in range(20):
            answer = await settle(client, body, key=key)
            if answer.status_code != 503 or answer.json().get("code") != "overloaded":
                return answer
            await asyncio.sleep(0.2)
        return answer

    answers = await asyncio.gather(*(settle_admitted(body) for body in bodies))
    assert [a.status_code for a in answers] == [201] * 24, [a.text for a in answers]
    made = [a.json() for a in answers]
    await asyncio.gather(*(reverse_ok(client, key, s) for s in made[:8]))
    today = dt.date.fromisoformat(made[0]["settled_at"][:10])
    params = scope_params(today - dt.timedelta(days=1), today + dt.timedelta(days=1), code)
    items, _ = await walk(client, AGENCY, params, limit=1000)
    assert len(items) == 24 + 8
    assert comparable(await get_totals(client, AGENCY, params)) == totals_from_details(items)
    from app.db.session import make_engine

    engine = make_engine(own_database_url, Settings())
    try:
        async with engine.connect() as conn:
            slots = await conn.scalar(
                text(
                    "SELECT count(DISTINCT slot) FROM report_event_rollups WHERE hospital_code = :h"
                ),
                {"h": code},
            )
        live, backfilled = await _live_and_backfilled(engine)
    finally:
        await engine.dispose()
    # 32 transactions of consecutive ids over 8 slots: more than one slot is used.
    assert slots is not None and slots > 1
    assert live == backfilled
