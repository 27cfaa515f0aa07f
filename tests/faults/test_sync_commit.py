"""No acknowledged settlement without a standby (app/db/durability.py), on a PostgreSQL of this
test alone that requires a synchronous standby that never comes:
``synchronous_standby_names = 'nosuchstandby'``, so every commit that wrote WAL waits
(``pg_stat_activity.wait_event = 'SyncRep'``) until the setting is reset. Never on the shared
test server: it would hang every other test.

The service runs with ``ONESTOP_DB_STATEMENT_TIMEOUT_MS=1000`` (asyncpg's client-side command
timeout is then 1 + 5 = 6 s):

1. a settlement's COMMIT waits past the 1 s statement timeout, not cancelled, no answer yet;
   releasing the standby requirement lets it answer 201;
2. the waiting backend's wait is cancelled (``pg_cancel_backend``): the answer is 503
   ``commit_unconfirmed``, not 201, although the settlement is committed on the primary; the
   same request again, while the standby is still required, waits too (the barrier gives the
   replay a WAL record and a commit to wait for) and answers 200 with the same settlement id
   only once released;
3. a GET on the read-write session answers at once (no barrier, nothing to wait for);
4. the same for a national-interface 2304 and its replay under the same msgid (the stored
   answer, byte for byte, only once released);
5. the ledger holds: one settlement per bill, accumulators = their sum, the audit log verifies.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import pytest
from api.conftest import headers
from nhsa.fsi import HOSPITAL, call, envelope, msgid
from nhsa.his import psn_no_of, register, settle_input, visit_with_lines

from .conftest import (
    OwnPostgres,
    bill_key,
    bills,
    check_ledger,
    client,
    new_persons,
    post_settlement,
    settle,
)

pytestmark = pytest.mark.faults

STATEMENT_TIMEOUT_MS = 1000
# XA06 甲 1280.00 × 2 + XC01 丙 100.00 × 1 = 2660.00 (as tests/faults/test_kill_fsi.py)
LINES = [("1", "XA06", "1280.00", "2"), ("2", "XC01", "100.00", "1")]
TOTAL = "2660.00"
DEADLINE_S = 30.0  # generous: the machine is shared; each poll is quick
POLL_S = 0.05

# The backend of a request on the settle path, waiting in COMMIT for the standby: it touched the
# settlements table (/v1) or the national interface's messages (the sequencer, also waiting,
# touches neither).
WAITING = """
SELECT a.pid FROM pg_stat_activity a
WHERE a.wait_event = 'SyncRep' AND a.application_name = 'onestop'
  AND EXISTS (SELECT FROM pg_locks l WHERE l.pid = a.pid AND l.relation = $1::regclass)
"""


def dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def sql(url: str, query: str, *args: Any) -> Any:
    conn = await asyncpg.connect(dsn(url))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def sync_blocks(url: str) -> bool:
    """Does a commit that wrote WAL wait for a standby right now? (A probe transaction, its
    wait cancelled straight away if so.)"""
    probe = await asyncpg.connect(dsn(url))
    try:
        transaction = probe.transaction()
        await transaction.start()
        await probe.execute("SELECT pg_logical_emit_message(true, 'onestop.test', '')")
        committing = asyncio.create_task(transaction.commit())
        await asyncio.wait({committing}, timeout=0.2)
        if committing.done():
            committing.result()
            return False
        await sql(url, "SELECT pg_cancel_backend($1)", probe.get_server_pid())
        await committing  # committed locally, a WARNING only
        return True
    finally:
        await probe.close()


async def require_standby(url: str, names: str | None) -> None:
    """Set (or reset, ``None``) synchronous_standby_names and wait until commits obey it."""
    setting = (
        "RESET synchronous_standby_names"
        if names is None
        else (f"SET synchronous_standby_names = '{names}'")
    )
    await sql(url, f"ALTER SYSTEM {setting}")
    await sql(url, "SELECT pg_reload_conf()")
    deadline = time.monotonic() + DEADLINE_S
    while await sync_blocks(url) != (names is not None):
        assert time.monotonic() < deadline, f"synchronous_standby_names {names!r} never applied"
        await asyncio.sleep(POLL_S)


async def waiting_settle(url: str, pending: asyncio.Task[Any], table: str = "settlements") -> int:
    """The pid of the one settle-path backend waiting for the standby (the request unanswered)."""
    deadline = time.monotonic() + DEADLINE_S
    while not (rows := await sql(url, WAITING, table)):
        assert not pending.done(), f"answered without waiting: {pending.result().text}"
        assert time.monotonic() < deadline, "no settle-path COMMIT ever waited for the standby"
        await asyncio.sleep(POLL_S)
    assert len(rows) == 1, rows
    return int(rows[0]["pid"])


async def stored(url: str, body: dict[str, Any]) -> list[str]:
    rows = await sql(
        url,
        "SELECT id::text FROM settlements WHERE hospital_code = $1 AND bill_no = $2",
        *bill_key(body),
    )
    return [row["id"] for row in rows]


async def test_no_acknowledgement_before_a_standby_has_the_settlement(
    own_postgres: OwnPostgres, start_server: Any
) -> None:
    pg = own_postgres
    server = start_server(pg.url, ONESTOP_DB_STATEMENT_TIMEOUT_MS=str(STATEMENT_TIMEOUT_MS))
    # The client waits longer than the service's own 6 s command timeout.
    async with client(server, timeout_s=60) as http:
        persons = await new_persons(http, 2)
        warm, first, second = bills(persons, 3, prefix="SYNC")
        # Every key this test uses verified once (and its last_used_at just written) before the
        # standby is required: authentication's own short transaction writes nothing more.
        answered = await settle(http, warm)
        assert answered.status_code == 201, answered.text
        told = {bill_key(warm): answered.json()["settlement_id"]}
        for body in (first, second):  # the other hospitals' keys: verified, nothing found
            lookup = await http.get(
                "/v1/settlements",
                params={"hospital_code": body["hospital_code"], "bill_no": body["bill_no"]},
                headers=headers(f"demo-{body['hospital_code']}"),
            )
            assert lookup.status_code == 404, lookup.text

        # 1. Past the statement timeout, still waiting; released, it answers 201.
        await require_standby(pg.url, "nosuchstandby")
        pending = asyncio.create_task(post_settlement(http, first))
        pid = await waiting_settle(pg.url, pending)
        deadline = time.monotonic() + DEADLINE_S
        while True:
            (row,) = await sql(
                pg.url,
                "SELECT wait_event, extract(epoch FROM clock_timestamp() - query_start)::float8 "
                "AS waited_s FROM pg_stat_activity WHERE pid = $1",
                pid,
            )
            assert row["wait_event"] == "SyncRep", row  # not cancelled by the statement timeout
            assert not pending.done()
            if row["waited_s"] > 1.5 * STATEMENT_TIMEOUT_MS / 1000:
                break
            assert time.monotonic() < deadline
            await asyncio.sleep(POLL_S)
        await require_standby(pg.url, None)
        response = await pending
        assert response.status_code == 201, response.text
        told[bill_key(first)] = response.json()["settlement_id"]
        assert await stored(pg.url, first) == [told[bill_key(first)]]

        # 2. The wait cancelled: 503, not 201, though committed on the primary.
        await require_standby(pg.url, "nosuchstandby")
        pending = asyncio.create_task(post_settlement(http, second))
        pid = await waiting_settle(pg.url, pending)
        [[cancelled]] = await sql(pg.url, "SELECT pg_cancel_backend($1)", pid)
        assert cancelled is True
        response = await pending
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "commit_unconfirmed"
        assert response.headers["retry-after"] == "2"
        [local_id] = await stored(pg.url, second)  # committed locally, once

        # 3. Meanwhile a GET on the read-write session answers at once: no barrier for it.
        reader = await http.get(
            f"/v1/settlements/{local_id}", headers=headers(f"demo-{second['hospital_code']}")
        )
        assert reader.status_code == 200, reader.text
        assert reader.json()["settlement_id"] == local_id

        # The HIS retries: a replay, which waits for the standby like a first settlement...
        retry = asyncio.create_task(post_settlement(http, second))
        await waiting_settle(pg.url, retry)
        assert not retry.done()
        # ...and answers once the standby requirement is met (here: lifted).
        await require_standby(pg.url, None)
        response = await retry
        assert response.status_code == 200, response.text  # a replay, not a second settlement
        assert response.json()["settlement_id"] == local_id
        told[bill_key(second)] = local_id
        assert await stored(pg.url, second) == [local_id]

        # 4. The same for the national interface: a 2304 whose wait is cancelled is 503; its
        # retry (same msgid: the stored answer replayed) waits for the standby as well.
        psn_no = await psn_no_of(http, await register(http))
        mdtrt_id = await visit_with_lines(http, psn_no, LINES)
        body = envelope("2304", settle_input(psn_no, mdtrt_id, TOTAL), msg=msgid())
        await require_standby(pg.url, "nosuchstandby")
        pending = asyncio.create_task(call(http, body))
        pid = await waiting_settle(pg.url, pending, "nhsa_messages")
        [[cancelled]] = await sql(pg.url, "SELECT pg_cancel_backend($1)", pid)
        assert cancelled is True
        response = await pending
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "commit_unconfirmed"
        [[answer]] = await sql(
            pg.url,
            "SELECT answer FROM nhsa_messages WHERE hospital_code = $1 AND msgid = $2",
            HOSPITAL,
            body["msgid"],
        )  # committed on the primary, with the answer the HIS did not get
        retry = asyncio.create_task(call(http, body))
        await waiting_settle(pg.url, retry, "nhsa_messages")
        await require_standby(pg.url, None)
        response = await retry
        assert response.status_code == 200, response.text
        assert response.content == answer  # the stored answer, byte for byte
        assert response.json()["infcode"] == 0
        [[nhsa_id]] = await sql(
            pg.url, "SELECT id::text FROM settlements WHERE mdtrt_id = $1", mdtrt_id
        )  # one settlement
        told[(HOSPITAL, mdtrt_id)] = nhsa_id

        # 5. One settlement per bill, accumulators once, the audit log intact.
        await check_ledger(pg.url, http, told)
