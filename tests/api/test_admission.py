"""Load shedding (app/admission.py): past ONESTOP_MAX_CONCURRENT_SETTLEMENTS settlement writes in
flight, more queue; once the oldest has queued ONESTOP_ADMISSION_QUEUE_MS, new ones are refused at
once with 503 ``overloaded`` and Retry-After, before their body is read, and a queued one gives
up after 3 times that. A burst is served; other requests are never limited."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from starlette.types import Receive, Scope, Send
from support import until_waiting_on_a_lock

from app.admission import AdmissionControl, is_settlement_write
from app.config import Settings
from app.settlement import repository

from .conftest import (
    ADMIN,
    assert_problem,
    bill_no,
    headers,
    make_bill,
    new_person,
    settle,
)


@pytest.fixture
def settings() -> Settings:
    """The app of this module admits one settlement write at a time; its queue target is 50 ms."""
    return Settings(max_concurrent_settlements=1, admission_queue_ms=50)


@pytest.mark.parametrize(
    ("method", "path", "limited"),
    [
        ("POST", "/v1/settlements", True),
        ("POST", "/v1/settlements/preview", True),
        ("POST", "/v1/settlements/0b6e0cbe-5d5c-4a57-9b4a-d3f2b2d0b3a1/reversal", True),
        ("GET", "/v1/settlements", False),
        ("GET", "/v1/settlements/0b6e0cbe-5d5c-4a57-9b4a-d3f2b2d0b3a1", False),
        ("POST", "/v1/reconciliation/check", False),
        ("PUT", "/v1/persons/510402195001010014", False),
        ("GET", "/readyz", False),
        ("POST", "/fsi/api/rsfComIfsService/callService", True),
        ("POST", "/fsi/api/rsfComIfsService/callService/2304", True),
        ("GET", "/fsi/api/rsfComIfsService/callService", False),
        ("POST", "/fsi/api/rsfComIfsService/callService/2304/x", False),
    ],
)
def test_only_settlement_writes_are_limited(method: str, path: str, limited: bool) -> None:
    assert is_settlement_write(method, path) is limited


class Blocking:
    """An ASGI app whose requests all wait for ``release``; counts the bodies it read."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = 0
        self.bodies_read = 0
        self._progress = asyncio.Condition()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with self._progress:
            self.started += 1
            self._progress.notify_all()
        await receive()
        self.bodies_read += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def until_started(self, count: int) -> None:
        async with self._progress:
            await self._progress.wait_for(lambda: self.started >= count)


class FakeClock:
    """Time that passes only when a test says so: ``clock()`` reads it, ``sleep(s)`` waits until
    it has been advanced by ``s``."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> asyncio.Future[None]:
        wake = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, wake))
        return wake

    async def advance(self, seconds: float) -> None:
        """Move time on, wake the sleepers that are due, and let them run."""
        self.now += seconds
        for due, wake in self.sleepers:
            if due <= self.now and not wake.done():
                wake.set_result(None)
        self.sleepers = [(due, wake) for due, wake in self.sleepers if not wake.done()]
        for _ in range(20):  # a handful of loop turns: the woken requests answer
            await asyncio.sleep(0)

    async def until_sleeping(self, count: int) -> None:
        """Until ``count`` requests wait in the queue (each sleeps towards its give-up)."""
        while len([w for _, w in self.sleepers if not w.done()]) < count:
            await asyncio.sleep(0)


def limited_client(
    app: Blocking, clock: FakeClock, limit: int = 1, queue_s: float = 0.05
) -> AsyncClient:
    control = AdmissionControl(app, limit=limit, queue_s=queue_s, clock=clock, sleep=clock.sleep)
    return AsyncClient(transport=ASGITransport(app=control), base_url="http://t")


async def test_a_queued_request_gives_up_with_503_overloaded() -> None:
    app, clock = Blocking(), FakeClock()
    async with limited_client(app, clock) as client:  # limit 1, queue target 50 ms
        first = asyncio.create_task(client.post("/v1/settlements", json={}))
        await app.until_started(1)
        queued = asyncio.create_task(client.post("/v1/settlements", json={"bill": 2}))
        await clock.until_sleeping(1)
        await clock.advance(0.149)  # 3 × 50 ms in the queue is 150 ms: still waiting
        assert not queued.done()
        await clock.advance(0.001)
        refused = await queued
        assert_problem(refused, 503, "overloaded")
        assert refused.headers["retry-after"] == "1"
        assert (app.started, app.bodies_read) == (1, 1)  # it never reached the app
        app.release.set()
        assert (await first).status_code == 201
        assert (await client.post("/v1/settlements", json={})).status_code == 201


async def test_behind_a_stale_queue_new_requests_are_refused_at_once() -> None:
    app, clock = Blocking(), FakeClock()
    async with limited_client(app, clock) as client:
        first = asyncio.create_task(client.post("/v1/settlements", json={}))
        await app.until_started(1)
        queued = asyncio.create_task(client.post("/v1/settlements/preview", json={}))
        await clock.until_sleeping(1)
        await clock.advance(0.05)  # the queue's head has waited its 50 ms: not yet stale
        assert not queued.done()
        waiting = asyncio.create_task(client.post("/v1/settlements", json={}))
        await clock.until_sleeping(2)  # so a newcomer still queues
        await clock.advance(0.03)  # the head has now waited 80 ms, past the 50 ms target
        refused = await client.post("/v1/settlements", json={})
        assert_problem(refused, 503, "overloaded")
        assert len(clock.sleepers) == 2  # refused at once: it never queued
        # The requests that were queued in time are served once slots free, oldest first.
        app.release.set()
        assert (await first).status_code == 201
        assert (await queued).status_code == 201
        assert (await waiting).status_code == 201
        assert app.started == 3


async def test_a_burst_arriving_at_once_is_queued_and_served() -> None:
    app, clock = Blocking(), FakeClock()
    async with limited_client(app, clock, limit=2, queue_s=0.1) as client:
        burst = [asyncio.create_task(client.post("/v1/settlements", json={})) for _ in range(10)]
        await app.until_started(2)
        await clock.until_sleeping(8)
        await clock.advance(0.15)  # longer than the queue target, well short of 3 ×
        assert not any(request.done() for request in burst)
        app.release.set()
        assert [(await r).status_code for r in burst] == [201] * 10


async def test_a_zero_limit_admits_everything() -> None:
    release = asyncio.Event()
    inside = asyncio.Semaphore(0)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        inside.release()
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    unlimited = AdmissionControl(app, limit=0, queue_s=0.001)
    async with AsyncClient(transport=ASGITransport(app=unlimited), base_url="http://t") as client:
        tasks = [asyncio.create_task(client.post("/v1/settlements")) for _ in range(5)]
        for _ in range(5):  # all five inside the app at once: none was held back
            await inside.acquire()
        release.set()
        assert [(await t).status_code for t in tasks] == [200] * 5


@pytest.mark.usefixtures("demo")
async def test_the_app_sheds_settlements_beyond_its_limit(
    app: FastAPI, client: AsyncClient
) -> None:
    person = await new_person(client)
    running = make_bill(bill_no(), person)
    # Hold the bill's lock: the first settlement takes the only slot and waits in PostgreSQL.
    async with app.state.sessionmaker() as blocker, blocker.begin():
        await repository.lock_bill(blocker, running["hospital_code"], running["bill_no"])
        in_flight = asyncio.create_task(settle(client, running))
        await until_waiting_on_a_lock(app.state.engine)

        refused = await settle(client, make_bill(bill_no(), person))
        body = assert_problem(refused, 503, "overloaded")
        assert refused.headers["retry-after"] == "1"
        assert body["request_id"] == refused.headers["x-request-id"]
        # Reads and the probes are not limited.
        read = await client.get(f"/v1/persons/{person}", headers=headers(ADMIN))
        assert read.status_code == 200
        assert (await client.get("/healthz")).status_code == 200
        assert not in_flight.done()
    assert (await asyncio.wait_for(in_flight, timeout=30)).status_code == 201
    # The slot is free again.
    again: Any = await settle(client, make_bill(bill_no(), person))
    assert again.status_code == 201, again.text
