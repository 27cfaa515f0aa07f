"""The person-year lock has one key, ``person_year_lock_key(person, year)`` (the SQL function of
migration 0010), and a settlement and a reversal take the same lock by it.

Each test stops one request at its COMMIT with its locks held: it holds ``audit_log`` in SHARE
mode, which the commit of every transaction that writes an audit entry waits for (the trigger
of migrations 0006/0022 inserts the entry there at COMMIT). It then reads ``pg_locks``: an
advisory lock on a bigint key shows its high 32 bits as ``classid``, its low 32 bits as
``objid`` and ``objsubid`` 1.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.settlement.repository import bill_key

from .conftest import bill_no, make_bill, new_person, reverse, settle

pytestmark = pytest.mark.usefixtures("demo")

HOSPITAL = "H510402001"


@pytest.fixture
def settings() -> Settings:
    """A request waits here on purpose: no load shedding while it does."""
    return Settings(admission_queue_ms=10_000)


@dataclass(frozen=True)
class AdvisoryLock:
    pid: int
    classid: int
    objid: int
    objsubid: int
    granted: bool

    @property
    def key(self) -> int:
        """The signed bigint key the lock was taken with."""
        key = (self.classid << 32) | self.objid
        return key - (1 << 64) if key >= 1 << 63 else key


async def advisory_locks(engine: AsyncEngine) -> list[AdvisoryLock]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT pid, classid::bigint, objid::bigint, objsubid, granted FROM pg_locks"
                " WHERE locktype = 'advisory'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
        return [AdvisoryLock(*row) for row in rows]


async def waiting_for(engine: AsyncEngine, key: int) -> int:
    """The pid of the backend that waits for the advisory lock ``key``; fail after 10 s."""
    for _ in range(200):
        waiting = [
            lock.pid
            for lock in await advisory_locks(engine)
            if not lock.granted and lock.key == key
        ]
        if waiting:
            (pid,) = waiting
            return pid
        await asyncio.sleep(0.05)
    raise AssertionError(f"nobody waited for advisory lock {key}")


async def person_year(engine: AsyncEngine, id_number: str, year: int) -> tuple[int, int]:
    """``(person id, person_year_lock_key(person id, year))``."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT id, person_year_lock_key(id, :year) FROM persons"
                    " WHERE id_number = :id_number"
                ),
                {"id_number": id_number, "year": year},
            )
        ).one()
    return int(row[0]), int(row[1])


# A transaction frozen at its COMMIT: there the audit trigger inserts its entry into audit_log
# (migration 0022), which waits while another transaction holds the table in SHARE mode.
_FREEZE_COMMITS = "LOCK TABLE audit_log IN SHARE MODE"


async def waiting_at_commit(engine: AsyncEngine) -> int:
    """The pid of the one backend whose COMMIT waits for audit_log; fail after 10 s.

    Only a backend whose statement is ``COMMIT`` counts: under load another backend may queue
    on the table for a moment (full runs on a loaded machine saw a second waiter), and it is
    not the request this test froze; two COMMITs waiting fails, naming both."""
    for _ in range(200):
        async with engine.connect() as conn:
            waiting = (
                await conn.execute(
                    text(
                        "SELECT l.pid, a.backend_type, left(a.query, 60) AS query"
                        " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        " WHERE l.locktype = 'relation' AND NOT l.granted"
                        " AND l.relation = 'audit_log'::regclass"
                    )
                )
            ).all()
        commits = [row for row in waiting if row.query.strip().upper().startswith("COMMIT")]
        if commits:
            assert len(commits) == 1, f"more than one COMMIT waits for audit_log: {waiting}"
            return int(commits[0].pid)
        await asyncio.sleep(0.05)
    raise AssertionError("no COMMIT waited for audit_log")


def held_by(locks: list[AdvisoryLock], pid: int) -> dict[int, AdvisoryLock]:
    return {lock.key: lock for lock in locks if lock.pid == pid and lock.granted}


async def test_a_settlement_holds_the_person_year_lock_and_a_reversal_waits_for_it(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client)
    first = await settle(client, make_bill(bill_no(), person))
    assert first.status_code == 201, first.text
    person_id, key = await person_year(engine, person, 2018)
    # By hand: person * 4096 + (2018 - 1900), positive (a bill's key is negative).
    assert key == person_id * 4096 + 118 > 0
    second = make_bill(bill_no(), person)
    async with engine.connect() as holder:
        await holder.execute(text(_FREEZE_COMMITS))
        settling = asyncio.create_task(settle(client, second))
        settler = await waiting_at_commit(engine)
        held = held_by(await advisory_locks(engine), settler)
        # Its bill's lock and its person-year's, by the one key function.
        assert set(held) == {bill_key(HOSPITAL, second["bill_no"]), key}
        lock = held[key]
        assert (lock.classid, lock.objid, lock.objsubid) == (key >> 32, key & 0xFFFFFFFF, 1)

        # A reversal of the person's other bill of 2018 waits for that very lock.
        reversing = asyncio.create_task(reverse(client, first.json()))
        reverser = await waiting_for(engine, key)
        assert reverser != settler
        await holder.rollback()  # lets commits through
    settled, reversed_ = await asyncio.gather(settling, reversing)
    assert settled.status_code == 201, settled.text
    assert reversed_.status_code == 200, reversed_.text
    assert reversed_.json()["status"] == "reversed"


async def test_a_reversal_holds_the_person_year_lock_and_a_settlement_waits_for_it(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client)
    first = await settle(client, make_bill(bill_no(), person))
    assert first.status_code == 201, first.text
    _, key = await person_year(engine, person, 2018)
    async with engine.connect() as holder:
        await holder.execute(text(_FREEZE_COMMITS))
        reversing = asyncio.create_task(reverse(client, first.json()))
        reverser = await waiting_at_commit(engine)
        held = held_by(await advisory_locks(engine), reverser)
        assert set(held) == {bill_key(HOSPITAL, first.json()["bill_no"]), key}

        # A settlement of another bill of the person's 2018 waits for the reversal's lock.
        settling = asyncio.create_task(settle(client, make_bill(bill_no(), person)))
        settler = await waiting_for(engine, key)
        assert settler != reverser
        await holder.rollback()
    reversed_, settled = await asyncio.gather(reversing, settling)
    assert reversed_.status_code == 200, reversed_.text
    assert settled.status_code == 201, settled.text
