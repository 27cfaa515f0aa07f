"""Fault-test helpers: a real ``onestop serve`` process on loopback, bills, and the invariants
that must hold after any fault.

Each test starts its own server process (``python -m app.cli serve --demo``: migrate, publish,
load the demo registry, serve on 127.0.0.1) with ``DATABASE_URL`` pointing at a database of its
own, and talks to it over HTTP only. :func:`check_ledger` then reads the database directly and
checks what no fault may break: one active settlement per bill, no settlement without its layer
and item rows, annual accumulators equal to the sum of the active settlements' deltas, an intact
audit chain.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from api.conftest import ADMIN, bill_no, headers, make_bill, new_id_number, person_body
from conftest import create_database, drop_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.db.embedded import EmbeddedHandle, start_embedded

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0
# Designated demo hospitals with their levels: bills spread over these.
HOSPITALS = ("H510402001", "H510402003", "H510403001")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``onestop serve --demo`` in a child process of its own, on a free loopback port."""

    def __init__(self, database_url: str, log_path: Path, **env: str) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.env = env
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "ONESTOP_LOG_FORMAT": "text",
            **self.env,
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--demo", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a signal to this process only, never to pytest
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {START_TIMEOUT_S}s: {self.log_tail()}")

    def kill(self) -> None:
        """kill -9: no drain, no rollback, no goodbye."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Any]:
    """``start_server(database_url, **env)`` starts a server; all are stopped after the test."""
    servers: list[Server] = []

    def start(database_url: str, **env: str) -> Server:
        server = Server(database_url, tmp_path / f"server-{len(servers)}.log", **env)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def fault_database_url(pg_server_url: str) -> AsyncIterator[str]:
    """An empty database on the shared test server; ``onestop serve`` migrates it."""
    url = await create_database(pg_server_url)
    yield url
    await drop_database(pg_server_url, url)


class OwnPostgres:
    """A PostgreSQL of this test alone (pgserver in a temp dir), to stop and start at will.

    pgserver runs postgres as the ``pgserver`` system user when we are root, so ``pg_ctl`` runs
    through pgserver's own helper, as that user. The server listens on a Unix socket in its data
    directory only; a restart uses the same socket, so ``url`` stays valid.
    """

    def __init__(self, handle: EmbeddedHandle) -> None:
        self.handle = handle
        self.url = handle.url
        self.socket_dir = handle.server.get_postmaster_info().socket_dir

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(
            list(args), pgdata=self.handle.pgdata, user=self.handle.server.system_user, timeout=30
        )

    def stop(self, mode: str = "immediate") -> None:
        """``immediate``: like a crash, no checkpoint, every connection cut at once."""
        self._pg_ctl("-w", "-m", mode, "stop")

    def start(self) -> None:
        self._pg_ctl(
            "-w",
            "-o", '-h ""',
            "-o", f"-k {self.socket_dir}",
            "-l", str(self.handle.pgdata / "log"),
            "start",
        )  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("fast")
        self.handle.stop()  # the data directory goes with it (cleanup_mode="delete")


@pytest.fixture
async def own_postgres(tmp_path: Path) -> AsyncIterator[OwnPostgres]:
    handle = await asyncio.to_thread(
        start_embedded, tmp_path / "pg", database="onestop", cleanup_mode="delete"
    )
    pg = OwnPostgres(handle)
    try:
        yield pg
    finally:
        await asyncio.to_thread(pg.remove)


def client(server: Server, timeout_s: float = 10.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base_url,
        timeout=timeout_s,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
    )


async def new_persons(http: httpx.AsyncClient, count: int) -> list[str]:
    ids = [new_id_number() for _ in range(count)]
    for id_number in ids:
        response = await http.put(
            f"/v1/persons/{id_number}", headers=headers(ADMIN), json=person_body(["dibao"])
        )
        assert response.status_code == 201, response.text
    return ids


def bills(persons: list[str], count: int, prefix: str = "FT") -> list[dict[str, Any]]:
    """``count`` distinct bills, round robin over persons and hospitals."""
    return [
        make_bill(
            bill_no(prefix),
            persons[i % len(persons)],
            hospital=HOSPITALS[i % len(HOSPITALS)],
            discharge=f"2018-{1 + i % 12:02d}-{1 + i % 27 + 1:02d}",
        )
        for i in range(count)
    ]


async def post_settlement(http: httpx.AsyncClient, body: Mapping[str, Any]) -> httpx.Response:
    return await http.post(
        "/v1/settlements", json=body, headers=headers(f"demo-{body['hospital_code']}")
    )


async def settle(
    http: httpx.AsyncClient, body: Mapping[str, Any], *, attempts: int = 50
) -> httpx.Response:
    """POST the bill as a HIS would: a 503 ``overloaded`` (admission control shedding a burst)
    is sent again after a pause. Any other answer is returned. The pause is shorter than
    ``Retry-After`` to keep the tests fast."""
    for _ in range(attempts):
        response = await post_settlement(http, body)
        if response.status_code != 503 or response.json()["code"] != "overloaded":
            return response
        assert int(response.headers["retry-after"]) > 0
        await asyncio.sleep(0.05 + random.random() * 0.1)
    return response


async def settle_all(
    http: httpx.AsyncClient, bodies: list[dict[str, Any]], concurrency: int = 8
) -> list[httpx.Response]:
    slots = asyncio.Semaphore(concurrency)

    async def one(body: dict[str, Any]) -> httpx.Response:
        async with slots:
            return await settle(http, body)

    return await asyncio.gather(*(one(body) for body in bodies))


def bill_key(body: Mapping[str, Any]) -> tuple[str, str]:
    return body["hospital_code"], body["bill_no"]


async def check_ledger(
    database_url: str, http: httpx.AsyncClient, expected: Mapping[tuple[str, str], str | None]
) -> None:
    """What must hold after any fault, read from the database and the API.

    ``expected`` maps every bill sent to the settlement id the client was told (None: never
    settled as far as the client knows, e.g. every attempt failed). Every bill must end up
    settled exactly once, with the id the client was given.
    """
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            active = (
                await conn.execute(
                    text(
                        "SELECT s.hospital_code, s.bill_no, s.id::text FROM settlements s "
                        "WHERE NOT EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id)"
                    )
                )
            ).all()
            per_bill = Counter((h, b) for h, b, _ in active)
            assert {k: n for k, n in per_bill.items() if n != 1} == {}, "bill settled twice"
            stored = {(h, b): sid for h, b, sid in active}
            assert set(stored) == set(expected), "settlements of bills never sent, or missing"
            told = {k: v for k, v in expected.items() if v is not None}
            assert {k: stored[k] for k in told} == told, "client told another settlement id"

            incomplete = (
                await conn.execute(
                    text(
                        "SELECT s.id, "
                        "(SELECT count(*) FROM settlement_layers l WHERE l.settlement_id = s.id),"
                        "(SELECT count(*) FROM settlement_items i WHERE i.settlement_id = s.id) "
                        "FROM settlements s"
                    )
                )
            ).all()
            assert [row for row in incomplete if row[1] != 5 or row[2] == 0] == [], (
                "a settlement without its 5 layer rows or its items"
            )

            audited = (
                await conn.execute(
                    text(
                        "SELECT entity_id FROM audit_log WHERE action = 'settlement.create' "
                        "ORDER BY entity_id"
                    )
                )
            ).scalars()
            assert list(audited) == sorted(sid for _, _, sid in active), (
                "audit entries differ from settlements"
            )

            sums = (
                await conn.execute(
                    text(
                        "SELECT s.person_id, s.accumulator_year, d.key, sum(d.value::bigint) "
                        "FROM settlements s CROSS JOIN LATERAL "
                        "jsonb_each_text(s.accumulator_deltas) d "
                        "WHERE NOT EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id) "
                        "GROUP BY 1, 2, 3"
                    )
                )
            ).all()
            accumulators = (
                await conn.execute(
                    text("SELECT person_id, year, key, amount_fen FROM accumulators")
                )
            ).all()
    finally:
        await engine.dispose()
    expected_sums = {(p, y, k): int(v) for p, y, k, v in sums if v}
    actual = {(p, y, k): v for p, y, k, v in accumulators if v}
    assert actual == expected_sums, "accumulators differ from the sum of stored settlements"

    verify = await http.get("/v1/audit/verify", headers=headers(ADMIN))
    assert verify.status_code == 200, verify.text
    assert verify.json()["ok"] is True, verify.json()

    # What a HIS that lost the answer would do: find the active settlement of each bill.
    found = await asyncio.gather(
        *(
            http.get(
                "/v1/settlements",
                params={"hospital_code": h, "bill_no": b},
                headers=headers(f"demo-{h}"),
            )
            for h, b in stored
        )
    )
    assert {
        (r.json()["hospital_code"], r.json()["bill_no"]): r.json()["settlement_id"] for r in found
    } == stored
