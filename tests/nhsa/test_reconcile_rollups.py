"""The rollups of migration 0025 against the row queries they replaced: 3201 对总账
(app/nhsa/rollup.py against ``reconcile.our_figures_from_rows``) and the console's ledger over
every category (``ledger(registered_poor_only=False)`` against the same past
``MAX_OPEN_CELLS``, which reads the rows): equal for any history of settlements, reversals
(撤销), corrections (冲正), reinstates and moves in time across midnight, of registered-poor and
other persons of two counties, with and without ``setl_optins`` and refund records, with a
writer holding the horizon back or not; a correction on a later day than its settlement takes
the settlement out of its own day; and the rollups kept live equal what the migration's
backfill computes from the rows.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import uuid
from pathlib import Path
from typing import Any

import pytest
from api.conftest import bill_no, item, make_bill, new_person
from api.test_reconciliation import (
    POOR,
    local,
    move,
    new_hospital,
    reverse_ok,
    settle_ok,
    varied_items,
)
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth.service import Caller
from app.config import Settings
from app.errors import Conflict
from app.nhsa import reconcile
from app.nhsa.rollup import rolled
from app.reconciliation import ledger as ledger_module
from app.reconciliation.cursor import current_horizon
from app.settlement import service as settlement_service
from app.settlement.schemas import ReversalIn

pytestmark = pytest.mark.usefixtures("demo")

MIGRATION = next(
    Path(__file__)
    .resolve()
    .parents[2]
    .glob("migrations/versions/*-0025_nhsa_and_ledger_rollups.py")
)
ADMIN_CALLER = Caller(uuid.uuid4(), "admin", None)
COUNTIES = ("510402", "510421")
# Three days around two midnights; the instants a step puts a record at: the first and the last
# microsecond of a day, and noon.
DAYS = [dt.date(2006, 4, 1) + dt.timedelta(days=d) for d in range(3)]
INSTANTS = [(0, 0, 0, 0), (12, 0, 0, 0), (23, 59, 59, 999_999)]


def _at(day: int, instant: int) -> dt.datetime:
    return local(DAYS[day % 3], *INSTANTS[instant % 3])


async def correct(app: FastAPI, settlement_id: str) -> None:
    """A 冲正 of the settlement's 2304, as app.nhsa.tx_settle.undo_settle makes it: the service's
    reversal of kind ``correction``, committed."""
    async with app.state.sessionmaker() as session, session.begin():
        await settlement_service.reverse(
            session,
            ADMIN_CALLER,
            uuid.UUID(settlement_id),
            ReversalIn(reason="2601 test"),
            kind="correction",
        )


async def reinstate(app: FastAPI, reversal_setl_id: str) -> bool:
    """Delete a reversal or correction record (the service's reinstate); False when refused."""
    async with app.state.sessionmaker() as session:
        try:
            async with session.begin():
                await settlement_service.reinstate(session, ADMIN_CALLER, reversal_setl_id)
        except Conflict:
            return False
    return True


async def reversal_setl_id(engine: AsyncEngine, settlement_id: str) -> str:
    async with engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT setl_id FROM reversals WHERE settlement_id = :id"),
            {"id": uuid.UUID(settlement_id)},
        )
    assert found is not None
    return str(found)


async def both(
    app: FastAPI, code: str, optins: str | None, begin: dt.date, end: dt.date, refunds: bool
) -> tuple[reconcile.Figures, reconcile.Figures, int]:
    """3201's figures from the rollups and from the rows, in one read-write transaction as the
    request's, and the number of cells read from the rows."""
    async with app.state.sessionmaker() as session, session.begin():
        ours = await reconcile.our_figures(session, code, optins, begin, end, refunds)
        rows = await reconcile.our_figures_from_rows(session, code, optins, begin, end, refunds)
        horizon = await current_horizon(session)
        found = await rolled(session, code, optins, begin, end, refunds, horizon)
    return ours, rows, found.open_cells


async def ledgers(app: FastAPI, county: str | None, begin: dt.date, end: dt.date) -> Any:
    """The ledger over every category from the rollups and from the rows, each in its own
    snapshot (as a page reads it)."""
    async with app.state.sessionmaker() as session:
        rolled_up = await ledger_module.ledger(
            session, county, begin, end, registered_poor_only=False
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger_module, "MAX_OPEN_CELLS", -1)
        async with app.state.sessionmaker() as session:
            from_rows = await ledger_module.ledger(
                session, county, begin, end, registered_poor_only=False
            )
    return rolled_up, from_rows


# One step of a history: settle a bill of person i at an instant, reverse / correct /
# reinstate the k-th settlement, move the k-th settlement (and, separately, its reversal
# record) to another instant.
steps = st.lists(
    st.one_of(
        st.tuples(st.just("settle"), st.integers(0, 3), st.integers(0, 8), st.integers(0, 99)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0), st.just(0)),
        st.tuples(st.just("correct"), st.integers(0, 20), st.just(0), st.just(0)),
        st.tuples(st.just("reinstate"), st.integers(0, 20), st.just(0), st.just(0)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 8), st.just(0)),
        st.tuples(st.just("move_reversal"), st.integers(0, 20), st.integers(0, 8), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps, hold=st.booleans())
async def test_3201_from_the_rollups_is_the_row_query_for_any_history(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine, history: list[Any], hold: bool
) -> None:
    code, key = await new_hospital(client)
    persons = [
        await new_person(client),
        await new_person(client, POOR),
        await new_person(client, county=COUNTIES[1]),
        await new_person(client, POOR, county=COUNTIES[1]),
    ]
    settled: list[dict[str, Any]] = []
    undone: dict[str, str] = {}  # settlement id -> its reversal or correction record's setl_id
    for action, k, n, seed in history:
        if action == "settle":
            body = make_bill(
                bill_no("NR"), persons[k], hospital=code, items=varied_items(random.Random(seed))
            )
            settlement = await settle_ok(client, key, body)
            settled.append(settlement)
            await move(engine, settlement["settlement_id"], settled_at=_at(n // 3, n))
            continue
        if not settled:
            continue
        sid = settled[k % len(settled)]["settlement_id"]
        if action in ("reverse", "correct") and sid not in undone:
            if action == "reverse":
                await reverse_ok(client, key, settled[k % len(settled)])
            else:
                await correct(app, sid)
            undone[sid] = await reversal_setl_id(engine, sid)
        elif action == "reinstate" and undone:
            chosen = sorted(undone)[k % len(undone)]
            if await reinstate(app, undone[chosen]):
                del undone[chosen]
        elif action == "move":
            await move(engine, sid, settled_at=_at(n // 3, n))
        elif action == "move_reversal" and sid in undone:
            await move(engine, sid, reversed_at=_at(n // 3, n))

    async def compare() -> int:
        opened = 0
        for begin, end in ((DAYS[0], DAYS[2]), (DAYS[1], DAYS[1]), (DAYS[2], DAYS[2])):
            for optins in (None, *COUNTIES):
                for refunds in (True, False):
                    ours, rows, cells = await both(app, code, optins, begin, end, refunds)
                    assert ours == rows, (begin, end, optins, refunds)
                    opened += cells
            for county in (None, *COUNTIES):
                rolled_up, from_rows = await ledgers(app, county, begin, end)
                assert rolled_up == from_rows, (begin, end, county)
        return opened

    if not hold:
        await compare()
        return
    # Below the horizon on DAYS[1]: a corrected settlement (510402) and a reversed one
    # (510421), so the open cells below hold what the row predicate must leave out or count.
    corrected = await settle_ok(client, key, make_bill(bill_no("NR"), persons[0], hospital=code))
    await move(engine, corrected["settlement_id"], settled_at=_at(1, 0))
    await correct(app, corrected["settlement_id"])
    reversed_ = await settle_ok(client, key, make_bill(bill_no("NR"), persons[2], hospital=code))
    await reverse_ok(client, key, reversed_)
    await move(engine, reversed_["settlement_id"], settled_at=_at(0, 1), reversed_at=_at(1, 2))
    # A writer holds the horizon back: settlements and a correction committed after it started
    # are not counted, by the rollups (their cells are open: read from the rows) as by the rows.
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text("SELECT pg_current_xact_id()"))
        try:
            late = await settle_ok(client, key, make_bill(bill_no("NR"), persons[0], hospital=code))
            await move(engine, late["settlement_id"], settled_at=_at(1, 1))
            other = await settle_ok(
                client, key, make_bill(bill_no("NR"), persons[2], hospital=code)
            )
            await move(engine, other["settlement_id"], settled_at=_at(1, 1))
            standing = [s["settlement_id"] for s in settled if s["settlement_id"] not in undone]
            if standing:
                await correct(app, standing[0])
            assert await compare() > 0, "the late writes' cells are open"
        finally:
            await transaction.rollback()
    assert await compare() == 0, "with no writer left, every cell is closed"


async def test_a_correction_on_a_later_day_takes_its_settlement_out_of_its_own_day(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    """Two settlements of the demo line on DAYS[0], one corrected on DAYS[1], one reversed on
    DAYS[1]. Hand-worked (demo policy 2018, secondary hospital in county 510402, a person with
    no category): one A-grade line of 1280.00 pays (1280 − 400) × 0.75 = 660.00 from the fund,
    620.00 self-pay. So:

    - DAYS[0]: the corrected settlement is not there (neither it nor its correction existed);
      the other stands: 1 record, 1280.00, fund 660.00;
    - DAYS[1]: only the reversal record: 1 record, −1280.00, fund −660.00 (the correction is
      not a record); without refund records, nothing;
    - DAYS[0..1]: 2 records netting to 0.00.
    """
    small = [item(1, "XA06", "1280.00", "1", "1280.00")]
    code, key = await new_hospital(client)
    made = []
    for _ in range(2):
        body = make_bill(bill_no("NC"), await new_person(client), hospital=code, items=small)
        settlement = await settle_ok(client, key, body)
        assert (settlement["fund_paid"], settlement["self_pay"]) == ("660.00", "620.00")
        await move(engine, settlement["settlement_id"], settled_at=_at(0, 1))
        made.append(settlement)
    await correct(app, made[0]["settlement_id"])
    await reverse_ok(client, key, made[1])
    for settlement in made:
        await move(engine, settlement["settlement_id"], reversed_at=_at(1, 1))

    def figures(total: int, fund: int, self_pay: int, count: int) -> reconcile.Figures:
        return reconcile.Figures(total, fund, 0, self_pay, count)

    expected = {
        (DAYS[0], DAYS[0], True): figures(128000, 66000, 62000, 1),
        (DAYS[1], DAYS[1], True): figures(-128000, -66000, -62000, 1),
        (DAYS[1], DAYS[1], False): figures(0, 0, 0, 0),
        (DAYS[0], DAYS[1], True): figures(0, 0, 0, 2),
        (DAYS[0], DAYS[1], False): figures(128000, 66000, 62000, 1),
    }
    for (begin, end, refunds), want in expected.items():
        ours, rows, cells = await both(app, code, None, begin, end, refunds)
        assert (ours, rows, cells) == (want, want, 0), (begin, end, refunds)
    # Of another county's persons: nothing.
    ours, rows, _ = await both(app, code, COUNTIES[1], DAYS[0], DAYS[1], True)
    assert ours == rows == figures(0, 0, 0, 0)


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("migration_0025", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_rollups_kept_live_are_what_the_backfill_computes(
    own_app: FastAPI, own_client: AsyncClient, own_database_url: str
) -> None:
    """Nine settlements, three reversed, two corrected, one reversal reinstated, some moved:
    per cell (summed over slots) the live rollups (3201's and the all-category ledger's) equal
    the backfill over the rows."""
    client, app = own_client, own_app
    code, key = await new_hospital(client)
    persons = [await new_person(client, county=COUNTIES[n % 2]) for n in range(3)]
    rng = random.Random(25)
    made = []
    for n in range(9):
        body = make_bill(bill_no("NB"), persons[n % 3], hospital=code, items=varied_items(rng))
        made.append(await settle_ok(client, key, body))
    from app.db.session import make_engine

    engine = make_engine(own_database_url, Settings())
    try:
        for settlement in made[:3]:
            await reverse_ok(client, key, settlement)
        for settlement in made[3:5]:
            await correct(app, settlement["settlement_id"])
        await move(engine, made[3]["settlement_id"], settled_at=_at(0, 2), reversed_at=_at(2, 0))
        await move(engine, made[1]["settlement_id"], reversed_at=_at(1, 2))
        await reverse_ok(client, key, made[8])
        assert await reinstate(app, await reversal_setl_id(engine, made[8]["settlement_id"]))
        queries = {
            "report_nhsa_rollups": (
                "SELECT hospital_code, day, county_code, kind, sum(record_count), sum(total_fen),"
                " sum(fund_paid_fen), sum(self_pay_fen) FROM {t} GROUP BY 1, 2, 3, 4"
                " HAVING sum(record_count) <> 0 OR sum(total_fen) <> 0 ORDER BY 1, 2, 3, 4"
            ),
            "report_ledger_all_rollups": (
                "SELECT day, county_code, sum(settlement_count), sum(in_policy_fen),"
                " sum(self_pay_fen), sum(in_policy_self_pay_fen), sum(in_county_count),"
                " sum(in_county_in_policy_fen), sum(in_county_in_policy_self_pay_fen),"
                " sum(above_target_count) FROM {t} GROUP BY 1, 2"
                " HAVING sum(settlement_count) <> 0 ORDER BY 1, 2"
            ),
            "report_ledger_all_fund_rollups": (
                "SELECT day, county_code, fund_code, min(fund_name), min(position),"
                " sum(layer_count), sum(paid_fen) FROM {t} GROUP BY 1, 2, 3"
                " HAVING sum(layer_count) <> 0 ORDER BY 1, 2, 3"
            ),
        }
        migration = _migration()
        async with engine.connect() as conn:
            transaction = await conn.begin()
            try:
                await conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
                live = [(await conn.execute(text(q.format(t=t)))).all() for t, q in queries.items()]
                for table in queries:
                    await conn.execute(
                        text(f"CREATE TEMP TABLE b_{table} (LIKE {table} INCLUDING ALL)")
                    )
                for statement in migration.BACKFILL + migration.LEDGER_BACKFILL:
                    for table in queries:
                        statement = statement.replace(
                            f"INSERT INTO {table} ", f"INSERT INTO b_{table} "
                        )
                    await conn.execute(text(statement))
                backfilled = [
                    (await conn.execute(text(q.format(t=f"b_{t}")))).all()
                    for t, q in queries.items()
                ]
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()
    mine = [row for row in live[0] if row.hospital_code == code]
    # 9 settlement events, 3 reversal records (made[8]'s reversed, then reinstated: taken
    # back), 2 corrections taking out 2 settlement events.
    assert sum(row[4] for row in mine if row.kind == 0) == 9
    assert sum(row[4] for row in mine if row.kind == 1) == 3
    assert sum(row[4] for row in mine if row.kind == 2) == -2
    # In the ledger: the 9 − 3 − 2 = 4 standing settlements (the database's only ones).
    assert sum(row[2] for row in live[1]) == 4
    assert live == backfilled
