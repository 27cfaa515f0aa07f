"""2304 of one visit at the same time: one settlement, the accumulators moved once.

The overlap is forced, not hoped for (as tests/api/test_admission.py does with the bill lock):
a blocker transaction holds the lock both 2304s need — the visit's row lock
(``SELECT … FOR UPDATE``, different msgids) or the message's advisory lock (the same msgid) —
until PostgreSQL shows both requests waiting on it; then it lets go and they race.
"""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.nhsa.dispatch import lock_message
from app.visits.service import lock_visit

from .fsi import HOSPITAL, call, envelope, msgid
from .his import psn_no_of, register, settle_input, visit_with_lines

pytestmark = pytest.mark.usefixtures("demo")

# XA06 甲 1280.00 × 1 + XB01 乙 0.10 50.00 × 2 = 1380.00 (the settled figures are /v1's; only
# "once" matters here).
LINES = [("1", "XA06", "1280.00", "1"), ("2", "XB01", "50.00", "2")]
TOTAL = "1380.00"

_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    " AND datname = current_database()"
)


@pytest.fixture
def settings() -> Settings:
    """Two requests queue behind a held lock: no load shedding while they wait."""
    return Settings(admission_queue_ms=10_000)


async def until_waiting(engine: AsyncEngine, n: int, timeout_s: float = 10) -> None:
    """Return once ``n`` backends of the database wait for a lock (row or advisory)."""
    async with asyncio.timeout(timeout_s):
        while True:
            async with engine.connect() as conn:
                if (await conn.scalar(_WAITING) or 0) >= n:
                    return
            await asyncio.sleep(0.02)


async def ledger(engine: AsyncEngine, mdtrt_id: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """(settlements of the visit, Σ their accumulator deltas, the person's accumulators)."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT person_id, accumulator_deltas FROM settlements WHERE mdtrt_id = :m"),
                {"m": mdtrt_id},
            )
        ).all()
        person_id = (
            await conn.execute(
                text("SELECT person_id FROM visits WHERE mdtrt_id = :m"), {"m": mdtrt_id}
            )
        ).scalar_one()
        accumulators = {
            key: amount
            for key, amount in await conn.execute(
                text("SELECT key, amount_fen FROM accumulators WHERE person_id = :p"),
                {"p": person_id},
            )
            if amount
        }
    deltas: dict[str, int] = {}
    for _, delta in rows:
        for key, value in delta.items():
            deltas[key] = deltas.get(key, 0) + int(value)
    return len(rows), {k: v for k, v in deltas.items() if v}, accumulators


async def test_two_2304_under_different_msgids_settle_once(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    psn_no = await psn_no_of(client, await register(client))
    m = await visit_with_lines(client, psn_no, LINES)
    node = settle_input(psn_no, m, TOTAL)
    async with app.state.sessionmaker() as blocker, blocker.begin():
        await lock_visit(blocker, HOSPITAL, m)
        tasks = [
            asyncio.create_task(call(client, envelope("2304", node, msg=msgid()))) for _ in range(2)
        ]
        await until_waiting(engine, 2)
        assert not any(t.done() for t in tasks)
    answers = [(await asyncio.wait_for(t, 30)).json() for t in tasks]
    assert sorted(a["infcode"] for a in answers) == [-1, 0], answers
    (refused,) = [a for a in answers if a["infcode"] == -1]
    assert refused["err_msg"] == "FSI-输入[data].mdtrt_id：该就诊已结算，请勿重复结算"
    count, deltas, accumulators = await ledger(engine, m)
    assert count == 1
    assert deltas and accumulators == deltas  # the accumulators moved by that one settlement


async def test_two_identical_2304_under_one_msgid_answer_the_same_bytes(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    psn_no = await psn_no_of(client, await register(client))
    m = await visit_with_lines(client, psn_no, LINES)
    body = envelope("2304", settle_input(psn_no, m, TOTAL))
    async with app.state.sessionmaker() as blocker, blocker.begin():
        await lock_message(blocker, HOSPITAL, body["msgid"])
        tasks = [asyncio.create_task(call(client, body)) for _ in range(2)]
        await until_waiting(engine, 2)
        assert not any(t.done() for t in tasks)
    first, second = [await asyncio.wait_for(t, 30) for t in tasks]
    assert first.json()["infcode"] == 0, first.text
    assert first.content == second.content  # the stored answer, byte for byte
    count, deltas, accumulators = await ledger(engine, m)
    assert count == 1
    assert deltas and accumulators == deltas
