"""Operations: metrics after settlements, request ids, request logs without ID numbers, draining.

(Liveness and readiness, including readiness failing without a database, are in test_health.py.)
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from prometheus_client.parser import text_string_to_metric_families
from support import until_waiting_on_a_lock

from app.config import Settings
from app.engine.money import parse_scaled
from app.logs import JsonFormatter, MaskIdNumbers
from app.main import create_app
from app.settlement import repository

from .conftest import (
    ADMIN,
    bill_no,
    find,
    headers,
    item,
    make_bill,
    new_person,
    reverse,
    settle,
)

pytestmark = pytest.mark.usefixtures("demo")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def fen_by_fund(settlement: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {
        (line["fund_code"], line["layer"]): parse_scaled(line["paid"], 2)
        for line in settlement["layers"]
    }


# --- metrics ------------------------------------------------------------------------------------


BUSINESS = Settings(metrics_business=True)  # ONESTOP_METRICS_BUSINESS=true


@pytest.mark.parametrize("settings", [BUSINESS], ids=["metrics_business"])
async def test_metrics_count_settlements_by_outcome_and_money_by_fund(
    app: FastAPI, client: AsyncClient
) -> None:
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no(), person)
    before = await scrape(client)

    created = await settle(client, body)
    assert created.status_code == 201, created.text
    assert (await settle(client, body)).status_code == 200  # replay
    changed = {**body, "items": body["items"][:2]}
    assert (await settle(client, changed)).status_code == 409
    unknown = make_bill(bill_no(), person, items=[item(1, "NOPE", "1.00", "1", "1.00")])
    assert (await settle(client, unknown)).status_code == 422
    assert (await reverse(client, created.json())).status_code == 200
    assert (await reverse(client, created.json())).status_code == 200  # repeat: no-op

    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    settle_outcomes = {"created": 1, "replayed": 1, "conflict": 1, "rejected": 1, "error": 0}
    for outcome, expected in settle_outcomes.items():
        assert delta("onestop_settlements_total", operation="settle", outcome=outcome) == expected
    for outcome, expected in {"created": 1, "replayed": 1, "rejected": 0, "error": 0}.items():
        assert delta("onestop_settlements_total", operation="reverse", outcome=outcome) == expected

    paid = fen_by_fund(created.json())
    assert sum(paid.values()) == parse_scaled(created.json()["fund_paid"], 2) > 0
    for (fund_code, layer), fen in paid.items():
        labels = {"fund_code": fund_code, "layer": layer}
        assert delta("onestop_fund_paid_fen_total", **labels) == fen
        assert delta("onestop_fund_reversed_fen_total", **labels) == fen

    latency = {"method": "POST", "route": "/v1/settlements"}
    for status, count in {"201": 1, "200": 1, "409": 1, "422": 1}.items():
        labels = {**latency, "status": status}
        assert delta("onestop_http_request_duration_seconds_count", **labels) == count
        assert value(after, "onestop_http_request_duration_seconds_sum", **labels) > 0

    size = app.state.settings.db_pool_size
    assert value(after, "onestop_db_pool_size", pool="primary") == size
    for state in ("checked_out", "idle", "overflow"):
        assert (
            "onestop_db_pool_connections",
            frozenset({"pool": "primary", "state": state}.items()),
        ) in after
    assert value(after, "onestop_db_pool_connections", pool="primary", state="idle") >= 1


async def test_metrics_show_no_money_by_default(app: FastAPI, client: AsyncClient) -> None:
    """/metrics asks for no key: without ONESTOP_METRICS_BUSINESS it carries no fund figures,
    neither counted by this app nor by any other (the counters are process-wide)."""
    assert app.state.settings.metrics_business is False
    person = await new_person(client, ["registered_poor"])
    before = await scrape(client)
    created = await settle(client, make_bill(bill_no(), person))
    assert created.status_code == 201, created.text
    assert parse_scaled(created.json()["fund_paid"], 2) > 0  # there was money to show
    assert (await reverse(client, created.json())).status_code == 200
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "onestop_fund_" not in response.text
    assert "fund_code" not in response.text
    after = await scrape(client)
    for operation in ("settle", "reverse"):  # the operational counts are still there
        labels = {"operation": operation, "outcome": "created"}
        assert value(after, "onestop_settlements_total", **labels) == (
            value(before, "onestop_settlements_total", **labels) + 1
        )


async def test_metrics_use_route_templates_not_raw_paths(client: AsyncClient) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    await client.get(f"/v1/settlements/{missing}", headers=headers(ADMIN))
    await client.get("/no/such/path/510402195001010014")
    # A trailing slash matches no route (FastAPI answers a redirect): a library that labels such a
    # request with its raw path (prometheus-fastapi-instrumentator does) shows the ID number.
    slashed = await client.get("/v1/persons/510402195001010014/", headers=headers(ADMIN))
    assert slashed.status_code == 307
    names = await scrape(client)
    routes = {dict(labels).get("route") for name, labels in names if "route" in dict(labels)}
    assert "/v1/settlements/{settlement_id}" in routes
    assert "unmatched" in routes
    assert not any(missing in r or "510402" in r for r in routes if r)


def test_metrics_add_up_worker_processes_in_multiprocess_mode(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR, /metrics reports the sum over every worker process."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = (
        "from app import metrics; "
        "metrics.SETTLEMENTS.labels('settle', 'created').inc(); "
        "metrics.FUND_PAID_FEN.labels('390100', 'basic').inc(150)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True, timeout=60)
    scrape_code = (
        "import sys; from app import metrics; "
        "sys.stdout.write(metrics._render(business=sys.argv[1] == 'on').decode())"
    )

    def scrape_workers(business: str) -> Samples:
        out = subprocess.run(
            [sys.executable, "-c", scrape_code, business],
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        ).stdout
        return {
            (s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(out)
            for s in family.samples
        }

    samples = scrape_workers("on")
    assert value(samples, "onestop_settlements_total", operation="settle", outcome="created") == 2
    assert value(samples, "onestop_fund_paid_fen_total", fund_code="390100", layer="basic") == 300
    # Off, what the workers counted is not shown either.
    samples = scrape_workers("off")
    assert value(samples, "onestop_settlements_total", operation="settle", outcome="created") == 2
    assert not [name for name, _ in samples if name.startswith("onestop_fund_")]


# --- request ids --------------------------------------------------------------------------------


async def test_request_id_is_taken_from_the_request_and_returned(client: AsyncClient) -> None:
    response = await client.get("/v1/settlements", headers={"X-Request-ID": "his-42.a_b"})
    assert response.status_code == 401
    assert response.headers["x-request-id"] == "his-42.a_b"
    assert response.json()["request_id"] == "his-42.a_b"
    ok = await client.get("/healthz", headers={"X-Request-ID": "probe-1"})
    assert ok.headers["x-request-id"] == "probe-1"


@pytest.mark.parametrize("sent", [None, "", "x" * 65, "has space", "semi;colon", "中文".encode()])
async def test_a_missing_or_malformed_request_id_is_replaced(
    client: AsyncClient, sent: str | bytes | None
) -> None:
    request_headers = {} if sent is None else {"X-Request-ID": sent}
    response = await client.get("/v1/settlements", headers=request_headers)
    made = response.headers["x-request-id"]
    assert made != sent
    assert len(made) == 32 and all(c in "0123456789abcdef" for c in made)
    assert response.json()["request_id"] == made


async def test_every_response_gets_its_own_request_id(client: AsyncClient) -> None:
    ids = {(await client.get("/healthz")).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


# --- logs ---------------------------------------------------------------------------------------


@contextmanager
def json_log() -> Iterator[io.StringIO]:
    """What the service writes to stderr in production: the JSON formatter behind the filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskIdNumbers())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_request_log_lines_and_no_id_number_in_clear(client: AsyncClient) -> None:
    with json_log() as stream:
        person = await new_person(client, ["dibao"])  # PUT /v1/persons/<id number>
        body = make_bill(bill_no(), person)
        response = await settle(client, {**body}, None)
        assert response.status_code == 201, response.text
        await client.get(f"/v1/persons/{person}", headers=headers(ADMIN))
        await find(client, body["hospital_code"], body["bill_no"])
        logging.getLogger("tests.ops").warning("someone logged %s by mistake", person)
        try:
            raise ValueError(f"bad person {person}")
        except ValueError:
            logging.getLogger("tests.ops").exception("and a traceback")

    raw = stream.getvalue()
    assert person not in raw
    masked = person[:4] + "********" + person[-4:]
    assert masked in raw

    entries = lines(stream)
    requests = [e for e in entries if e["logger"] == "onestop.request"]
    put = next(e for e in requests if e["method"] == "PUT")
    assert put["route"] == "/v1/persons/{id_number}"
    assert put["path"] == f"/v1/persons/{masked}"
    assert put["status"] == 201
    created = next(e for e in requests if e["route"] == "/v1/settlements" and e["status"] == 201)
    assert created["method"] == "POST"
    assert isinstance(created["duration_ms"], float)
    assert len(created["key_fp"]) == 12  # start of sha256 of the key = api_keys.key_hash prefix
    assert created["request_id"] == response.headers["x-request-id"]
    settled = [e for e in entries if e["msg"].startswith("settled ")]
    assert settled and settled[0]["request_id"] == created["request_id"]
    assert any("bad person " + masked in e.get("exc", "") for e in entries)


async def test_probes_are_logged_at_debug_only(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="onestop.request")
    await client.get("/healthz")
    await client.get("/readyz")
    await client.get("/metrics")
    assert not [r for r in caplog.records if r.name == "onestop.request"]


# --- graceful shutdown --------------------------------------------------------------------------


@asynccontextmanager
async def app_under_server_signals(database_url: str) -> AsyncIterator[tuple[FastAPI, list[int]]]:
    """The app with its lifespan running under a server that handles SIGTERM in Python, as
    uvicorn does; yields the app and the signals that server received."""
    received: list[int] = []
    original = signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    try:
        application = create_app(database_url=database_url)
        async with application.router.lifespan_context(application):
            yield application, received
        # The lifespan gave the server's handler back.
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(0)
        assert received == [signal.SIGTERM, signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, original)


async def test_sigterm_lets_running_settlements_finish_and_refuses_new_ones(
    database_url: str,
) -> None:
    async with app_under_server_signals(database_url) as (application, received):
        transport = ASGITransport(app=application)
        async with AsyncClient(transport=transport, base_url="http://test") as c:
            person = await new_person(c)
            running = make_bill(bill_no(), person)
            # Hold the bill's lock so the settlement is still running when SIGTERM arrives.
            async with application.state.sessionmaker() as blocker, blocker.begin():
                await repository.lock_bill(blocker, running["hospital_code"], running["bill_no"])
                in_flight = asyncio.create_task(settle(c, running))
                await until_waiting_on_a_lock(application.state.engine)

                os.kill(os.getpid(), signal.SIGTERM)
                await asyncio.sleep(0)
                assert received == [signal.SIGTERM]  # the server still got its signal
                assert application.state.drain.active

                refused = await settle(c, make_bill(bill_no(), person))
                assert refused.status_code == 503
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.headers["retry-after"] == "5"
                assert refused.json()["code"] == "shutting_down"
                assert refused.json()["request_id"] == refused.headers["x-request-id"]
                assert (await c.get("/v1/settlements/x", headers=headers(ADMIN))).status_code == 503
                fsi = await c.post("/fsi/api/rsfComIfsService/callService", content=b"{}")
                assert (fsi.status_code, fsi.json()["code"]) == (503, "shutting_down")
                assert (await c.get("/healthz")).status_code == 200
                not_ready = await c.get("/readyz")
                assert (not_ready.status_code, not_ready.json()["code"]) == (503, "shutting_down")
                assert not in_flight.done()
            finished = await asyncio.wait_for(in_flight, timeout=30)
            assert finished.status_code == 201, finished.text
