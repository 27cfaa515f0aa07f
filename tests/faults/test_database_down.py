"""Stop the database in the middle of a stream of settlements: the service answers fast with
503 problem+json (no hang, no 500, no stack trace), ``/readyz`` goes 503, and once the database
is back the same process serves again by itself."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from .conftest import (
    OwnPostgres,
    bill_key,
    bills,
    check_ledger,
    client,
    new_persons,
    post_settlement,
    settle_all,
)

pytestmark = pytest.mark.faults

CONNECT_TIMEOUT_S = 2
STATEMENT_TIMEOUT_MS = 2000
# Every answer while the database is down must come within twice the larger timeout.
BOUND_S = 2 * max(CONNECT_TIMEOUT_S, STATEMENT_TIMEOUT_MS / 1000)
WORKERS = 6
SETTLED_BEFORE_STOP = 30
DOWN_FOR_S = 2.0
BACKOFF_S = 0.1
UNAVAILABLE_CODES = {"database_unavailable", "commit_failed"}


@dataclass
class Attempt:
    body: dict[str, Any]
    sent_at: float
    elapsed_s: float
    response: httpx.Response


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()
    assert problem["code"] in UNAVAILABLE_CODES, problem
    assert "Traceback" not in response.text and "asyncpg" not in response.text, problem


async def test_database_stops_mid_stream_then_recovers(
    own_postgres: OwnPostgres, start_server: Any
) -> None:
    server = start_server(
        own_postgres.url,
        ONESTOP_DB_CONNECT_TIMEOUT_S=str(CONNECT_TIMEOUT_S),
        ONESTOP_DB_STATEMENT_TIMEOUT_MS=str(STATEMENT_TIMEOUT_MS),
    )
    pid = server.proc.pid
    async with client(server) as http:
        persons = await new_persons(http, 4)
        stream = iter(bills(persons, 2000, prefix="DOWN"))
        attempts: list[Attempt] = []
        settled = asyncio.Event()
        done = asyncio.Event()

        async def worker() -> None:
            while not done.is_set():
                body = next(stream)
                sent_at = time.monotonic()
                # A transport error (hang past the client timeout, reset) fails the test here.
                response = await post_settlement(http, body)
                attempts.append(Attempt(body, sent_at, time.monotonic() - sent_at, response))
                if sum(a.response.status_code == 201 for a in attempts) >= SETTLED_BEFORE_STOP:
                    settled.set()
                if response.status_code == 503:
                    await asyncio.sleep(BACKOFF_S)  # a client backs off (not Retry-After's 2s)

        workers = [asyncio.create_task(worker()) for _ in range(WORKERS)]
        await asyncio.wait_for(settled.wait(), timeout=60)
        await asyncio.to_thread(own_postgres.stop, "immediate")
        stopped_at = time.monotonic()
        await asyncio.sleep(DOWN_FOR_S)

        started = time.monotonic()
        ready = await http.get("/readyz")
        assert time.monotonic() - started < BOUND_S
        assert ready.status_code == 503, ready.text
        assert ready.json()["code"] == "not_ready"

        done.set()
        await asyncio.wait_for(asyncio.gather(*workers), timeout=BOUND_S + 10)

        statuses = {a.response.status_code for a in attempts}
        assert statuses <= {201, 503}, {
            a.response.status_code: a.response.text[:300]
            for a in attempts
            if a.response.status_code not in (201, 503)
        }
        during = [a for a in attempts if a.sent_at >= stopped_at]
        assert len(during) >= WORKERS, "too few requests while the database was down"
        for attempt in during:
            assert_unavailable(attempt.response)
        slowest = max(a.elapsed_s for a in attempts)
        assert slowest < BOUND_S, f"an answer took {slowest:.2f}s"
        for attempt in attempts:
            if attempt.response.status_code == 503:
                assert_unavailable(attempt.response)

        # The database comes back; the same process recovers by itself.
        await asyncio.to_thread(own_postgres.start)
        deadline = time.monotonic() + 20
        while (await http.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "the service did not become ready again"
            await asyncio.sleep(0.2)
        assert server.proc.poll() is None and server.proc.pid == pid

        # More requests than the pool holds, so every pooled connection is exercised.
        fresh = list(itertools.islice(stream, 40))
        replies = await settle_all(http, fresh, concurrency=len(fresh))
        assert [r.status_code for r in replies] == [201] * len(fresh), [
            r.text[:300] for r in replies if r.status_code != 201
        ]
        told = {bill_key(b): r.json()["settlement_id"] for b, r in zip(fresh, replies, strict=True)}
        # Replay every bill that met the outage: 201, or 200 if its commit had landed.
        told |= {
            bill_key(a.body): a.response.json()["settlement_id"]
            for a in attempts
            if a.response.status_code == 201
        }
        failed = [a.body for a in attempts if a.response.status_code != 201]
        replays = await settle_all(http, failed)
        for body, replay in zip(failed, replays, strict=True):
            assert replay.status_code in (200, 201), replay.text
            told[bill_key(body)] = replay.json()["settlement_id"]
        await check_ledger(own_postgres.url, http, told)
