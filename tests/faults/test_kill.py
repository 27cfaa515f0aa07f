"""kill -9 the server in the middle of a stream of settlements, restart it, replay what was lost:
every bill is settled exactly once, and nothing half-written is visible."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from .conftest import bill_key, bills, check_ledger, client, new_persons, settle, settle_all

pytestmark = pytest.mark.faults

BILLS = 160
CONCURRENCY = 12
KILL_AFTER = 40  # answers received before the kill


async def test_kill_9_mid_stream_then_replay(fault_database_url: str, start_server: Any) -> None:
    server = start_server(fault_database_url)
    async with client(server) as http:
        persons = await new_persons(http, 6)
    stream = bills(persons, BILLS, prefix="KILL")
    answers: dict[tuple[str, str], httpx.Response] = {}
    lost: list[dict[str, Any]] = []
    answered = asyncio.Event()
    slots = asyncio.Semaphore(CONCURRENCY)

    async def send(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
        async with slots:
            try:
                response = await settle(http, body)
            except httpx.TransportError:  # refused, reset, or the answer never came
                lost.append(body)
                return
            answers[bill_key(body)] = response
            if len(answers) >= KILL_AFTER:
                answered.set()

    async with client(server) as http:
        tasks = [asyncio.create_task(send(http, body)) for body in stream]
        await asyncio.wait_for(answered.wait(), timeout=60)
        server.kill()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)

    assert lost, "the kill came after the stream ended: nothing was in flight"
    assert {r.status_code for r in answers.values()} == {201}, {
        k: (r.status_code, r.text[:200]) for k, r in answers.items() if r.status_code != 201
    }
    told = {k: r.json()["settlement_id"] for k, r in answers.items()}

    server.start()  # same database, same port
    replay = lost + random.sample(
        [b for b in stream if bill_key(b) in answers], k=min(8, len(answers))
    )
    async with client(server) as http:
        replies = await settle_all(http, replay)
        for body, response in zip(replay, replies, strict=True):
            key = bill_key(body)
            if key in told:  # the answer arrived: the replay is a replay
                assert response.status_code == 200, response.text
                assert response.json()["settlement_id"] == told[key]
            else:  # 200 when the commit landed before the kill, else 201
                assert response.status_code in (200, 201), response.text
                told[key] = response.json()["settlement_id"]
        await check_ledger(
            fault_database_url, http, {bill_key(b): told[bill_key(b)] for b in stream}
        )
