"""Issue 4: who may do what, masked personal data, the audit chain, request hardening."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from app.auth.service import LastAdminKey, revoke_key
from app.limits import DRAIN_FACTOR

from .conftest import (
    ADMIN,
    AGENCY,
    assert_problem,
    bill_no,
    headers,
    make_bill,
    new_person,
    settle,
)

pytestmark = pytest.mark.usefixtures("demo")

OWN = "H510402001"
OTHER = "H510403001"


async def _settled(client: AsyncClient, hospital: str = OWN) -> dict[str, Any]:
    county = hospital[1:7]
    person = await new_person(client, ["registered_poor"], county=county)
    response = await settle(client, make_bill(bill_no(), person, hospital=hospital))
    assert response.status_code == 201, response.text
    return response.json()


# --- roles against every endpoint group --------------------------------------------------------

# role -> key; "revoked" is filled in by the fixture below
KEYS = {
    "none": None,
    "bad": "not-a-key",
    "admin": ADMIN,
    "agency": AGENCY,
    "own": f"demo-{OWN}",
    "other": f"demo-{OTHER}",
}


@pytest.fixture
async def revoked_key(client: AsyncClient) -> str:
    created = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": OWN, "label": "to revoke"},
    )
    assert created.status_code == 201
    revoked = await client.delete(f"/v1/api-keys/{created.json()['id']}", headers=headers(ADMIN))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    return str(created.json()["key"])


# (name, method, path template, body, expected status per caller)
# Expected: 401 for none/bad/revoked everywhere; the rest from the role table of docs/api.md "Auth".
MATRIX: list[tuple[str, str, str, str | None, dict[str, int]]] = [
    (
        "put hospital",
        "PUT",
        "/v1/hospitals/HSEC0001",
        "hospital",
        {"admin": 200, "agency": 403, "own": 403, "other": 403},
    ),
    (
        "get hospital",
        "GET",
        "/v1/hospitals/H510402001",
        None,
        {"admin": 200, "agency": 200, "own": 200, "other": 200},
    ),
    (
        "put person",
        "PUT",
        "/v1/persons/{person}",
        "person",
        {"admin": 200, "agency": 403, "own": 403, "other": 403},
    ),
    (
        "get person",
        "GET",
        "/v1/persons/{person}",
        None,
        {"admin": 200, "agency": 403, "own": 403, "other": 403},
    ),
    (
        "put catalog",
        "PUT",
        "/v1/catalog/XSEC01",
        "catalog",
        {"admin": 200, "agency": 403, "own": 403, "other": 403},
    ),
    (
        "preview",
        "POST",
        "/v1/settlements/preview",
        "bill",
        {"admin": 403, "agency": 403, "own": 200, "other": 403},
    ),
    (
        "settle",
        "POST",
        "/v1/settlements",
        "bill",
        {"admin": 403, "agency": 403, "own": 200, "other": 403},
    ),
    (
        "get settlement",
        "GET",
        "/v1/settlements/{settlement}",
        None,
        {"admin": 200, "agency": 200, "own": 200, "other": 404},
    ),
    (
        "find settlement",
        "GET",
        "/v1/settlements?hospital_code=H510402001&bill_no={bill}",
        None,
        {"admin": 200, "agency": 200, "own": 200, "other": 403},
    ),
    (
        "reverse",
        "POST",
        "/v1/settlements/{settlement}/reversal",
        None,
        {"admin": 403, "agency": 403, "own": 200, "other": 404},
    ),
    (
        "create key",
        "POST",
        "/v1/api-keys",
        "key",
        {"admin": 201, "agency": 403, "own": 403, "other": 403},
    ),
    (
        "list keys",
        "GET",
        "/v1/api-keys",
        None,
        {"admin": 200, "agency": 403, "own": 403, "other": 403},
    ),
    ("audit", "GET", "/v1/audit", None, {"admin": 200, "agency": 403, "own": 403, "other": 403}),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
async def test_role_matrix(
    client: AsyncClient,
    revoked_key: str,
    name: str,
    method: str,
    path: str,
    body: str | None,
    expected: dict[str, int],
) -> None:
    settled = await _settled(client)
    person = await new_person(client)
    bodies: dict[str, Any] = {
        "hospital": {
            "name": "安全测试医院",
            "level": "primary",
            "county_code": "510402",
            "designated": True,
        },
        "person": {
            "name": "测试",
            "county_code": "510402",
            "enrolments": [{"year": 2018}],
            "categories": [],
        },
        "catalog": {"name": "测试项目", "grade": "A", "valid_from": "2018-01-01"},
        "key": {"role": "agency", "label": "matrix"},
    }
    for caller, key in {**KEYS, "revoked": revoked_key}.items():
        # A fresh bill each time, so "settle" is never a replay of an earlier caller's success.
        bodies["bill"] = make_bill(bill_no(), person)
        url = path.format(
            person=person, settlement=settled["settlement_id"], bill=settled["bill_no"]
        )
        # Reversal is checked on a settlement of its own per caller that may succeed.
        if name == "reverse" and expected.get(caller) == 200:
            url = path.format(settlement=(await _settled(client))["settlement_id"])
        response = await client.request(
            method, url, headers=headers(key), json=bodies[body] if body else None
        )
        want = expected.get(caller, 401)
        if want == 200 and response.status_code == 201:
            want = 201  # PUT creates on first call, settle creates
        assert response.status_code == want, (caller, response.text)
        if want in (401, 403, 404):
            assert response.headers["content-type"] == "application/problem+json"
            assert "settlement_id" not in response.text  # never the data


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/v1/hospitals/{OWN}"),
        ("POST", "/v1/settlements/preview"),
    ],
)
@pytest.mark.parametrize(
    "keys",
    [
        (ADMIN, "garbage"),  # authentication took the first, the request log the last
        ("garbage", ADMIN),
        (ADMIN, ADMIN),  # even twice the same key: one credential is one header
    ],
    ids=["valid-first", "valid-last", "same-twice"],
)
async def test_two_authorization_headers_are_refused_before_authentication(
    client: AsyncClient,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    keys: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO, logger="onestop.request")
    sent = [("Authorization", f"Bearer {key}") for key in keys]
    response = await client.request(method, path, headers=sent, json={})
    assert [v for k, v in response.request.headers.multi_items() if k == "authorization"] == [
        f"Bearer {key}" for key in keys
    ]
    problem = assert_problem(response, 400, "ambiguous_credentials")
    assert "Authorization" in problem["detail"]
    logged = [r for r in caplog.records if r.name == "onestop.request"]
    # One line, with no key fingerprint: no key was looked at.
    assert [(getattr(r, "status", None), getattr(r, "key_fp", None)) for r in logged] == [
        (400, None)
    ]


async def test_other_hospital_cannot_read_or_reverse(client: AsyncClient) -> None:
    settled = await _settled(client)
    other = headers(f"demo-{OTHER}")
    got = await client.get(f"/v1/settlements/{settled['settlement_id']}", headers=other)
    assert_problem(got, 404, "settlement_not_found")
    reversed_ = await client.post(
        f"/v1/settlements/{settled['settlement_id']}/reversal", headers=other
    )
    assert_problem(reversed_, 404, "settlement_not_found")
    still = await client.get(
        f"/v1/settlements/{settled['settlement_id']}", headers=headers(f"demo-{OWN}")
    )
    assert still.json()["status"] == "settled"


async def test_keys_listed_without_secrets_and_revocation_takes_effect(client: AsyncClient) -> None:
    created = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": OWN, "label": "list test"},
    )
    secret = created.json()["key"]
    assert (await client.get(f"/v1/hospitals/{OWN}", headers=headers(secret))).status_code == 200
    listing = await client.get("/v1/api-keys", headers=headers(ADMIN))
    mine = [k for k in listing.json() if k["id"] == created.json()["id"]]
    assert len(mine) == 1
    assert "key" not in mine[0] and "key_hash" not in mine[0]
    assert secret not in listing.text
    assert mine[0]["last_used_at"] is not None  # the GET above used it
    await client.delete(f"/v1/api-keys/{created.json()['id']}", headers=headers(ADMIN))
    assert_problem(
        await client.get(f"/v1/hospitals/{OWN}", headers=headers(secret)), 401, "unauthorized"
    )
    again = await client.delete(f"/v1/api-keys/{created.json()['id']}", headers=headers(ADMIN))
    assert again.status_code == 200  # idempotent


# --- personal data ------------------------------------------------------------------------------


async def test_no_full_id_number_in_settlement_responses_or_logs(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no(), person)
    own = headers(f"demo-{OWN}")
    caplog.clear()  # registering the person put the ID in a URL: that is the admin's own record
    texts = []
    for response in [
        await client.post("/v1/settlements/preview", json=body, headers=own),
        created := await client.post("/v1/settlements", json=body, headers=own),
        await client.post("/v1/settlements", json=body, headers=own),
        await client.get(f"/v1/settlements/{created.json()['settlement_id']}", headers=own),
        await client.get(
            "/v1/settlements",
            params={"hospital_code": OWN, "bill_no": body["bill_no"]},
            headers=own,
        ),
        await client.post(
            f"/v1/settlements/{created.json()['settlement_id']}/reversal", headers=own
        ),
        await client.get("/v1/audit", params={"entity_type": "settlement"}, headers=headers(ADMIN)),
    ]:
        assert response.status_code < 300, response.text
        texts.append(response.text)
    assert all(person not in t for t in texts)
    assert person[:4] + "**********" + person[-4:] in texts[1]
    service_logs = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert service_logs, "expected the service to log the settlement flow"
    assert all(person not in line for line in service_logs)


# --- request hardening --------------------------------------------------------------------------


async def test_oversized_body_is_413_and_changes_nothing(app: FastAPI, client: AsyncClient) -> None:
    limit = app.state.settings.max_body_bytes
    person = await new_person(client)
    body = make_bill(bill_no(), person)
    body["items"][0]["name"] = "x" * 150
    body["items"] = [dict(body["items"][0], seq=i + 1) for i in range(limit // 150 + 10)]
    response = await client.post("/v1/settlements", json=body, headers=headers(f"demo-{OWN}"))
    assert_problem(response, 413, "payload_too_large")
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": OWN, "bill_no": body["bill_no"]},
        headers=headers(f"demo-{OWN}"),
    )
    assert found.status_code == 404


async def _chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _oversized_bill(limit: int, person: str) -> bytes:
    """A settlement body of more than ``limit`` bytes (each line's name is 150 characters, so
    ``limit // 150 + 10`` lines are more than ``limit`` bytes by themselves)."""
    body = make_bill(bill_no(), person)
    body["items"][0]["name"] = "x" * 150
    body["items"] = [dict(body["items"][0], seq=i + 1) for i in range(limit // 150 + 10)]
    raw = json.dumps(body).encode()
    assert len(raw) > limit
    return raw


async def test_oversized_chunked_body_is_413_and_changes_nothing(
    app: FastAPI, client: AsyncClient
) -> None:
    """Without Content-Length (Transfer-Encoding: chunked, as httpx sends a generator body) the
    body is counted as it arrives: 413, as with a declared length, not FastAPI's 400 "error
    parsing the body"."""
    limit = app.state.settings.max_body_bytes
    raw = _oversized_bill(limit, await new_person(client))
    response = await client.post(
        "/v1/settlements",
        content=_chunks(raw),
        headers={**headers(f"demo-{OWN}"), "content-type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413, "payload_too_large", locs=[["body"]])
    found = await client.get(
        "/v1/settlements",
        params={"hospital_code": OWN, "bill_no": json.loads(raw)["bill_no"]},
        headers=headers(f"demo-{OWN}"),
    )
    assert found.status_code == 404


async def test_chunked_body_within_the_limit_is_served(client: AsyncClient) -> None:
    body = make_bill(bill_no(), await new_person(client))
    response = await client.post(
        "/v1/settlements/preview",
        content=_chunks(json.dumps(body).encode(), size=100),  # many small chunks
        headers={**headers(f"demo-{OWN}"), "content-type": "application/json"},
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 200, response.text
    assert response.json()["bill_no"] == body["bill_no"]


@asynccontextmanager
async def _served(app: FastAPI) -> AsyncIterator[str]:
    """``app`` (its lifespan already running) behind a real uvicorn on a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
async def test_oversized_body_is_413_through_a_real_server(
    app: FastAPI, client: AsyncClient, chunked: bool
) -> None:
    """Through uvicorn the 413 reaches a client that writes the whole body before it reads the
    answer (httpx, like most): the body (here about 1.6 times the limit: 150 of a line's ~240
    bytes are its name) is read and dropped before the answer, so closing the connection does
    not reset it."""
    limit = app.state.settings.max_body_bytes
    raw = _oversized_bill(limit, await new_person(client))
    assert len(raw) <= DRAIN_FACTOR * limit
    async with _served(app) as base_url, AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post(
            "/v1/settlements",
            content=_chunks(raw) if chunked else raw,
            headers={**headers(f"demo-{OWN}"), "content-type": "application/json"},
        )
    assert ("transfer-encoding" in response.request.headers) == chunked
    assert_problem(response, 413, "payload_too_large", locs=[["body"]])
    assert response.headers["connection"] == "close"


async def test_too_many_lines_is_a_validation_error(client: AsyncClient) -> None:
    person = await new_person(client)
    one = {"code": "XA01", "name": "", "unit_price": "1", "quantity": "1", "amount": "1.00"}
    body = make_bill(bill_no(), person, items=[dict(one, seq=i + 1) for i in range(5001)])
    response = await client.post("/v1/settlements", json=body, headers=headers(f"demo-{OWN}"))
    problem = assert_problem(response, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "items"]


# --- the audit chain ----------------------------------------------------------------------------


@pytest.fixture
async def own_database(own_database_url: str, own_client: AsyncClient) -> tuple[str, AsyncClient]:
    """A database of its own: tampering must not break the chain other tests verify."""
    return own_database_url, own_client


async def _superuser(url: str, *statements: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def test_tampering_with_an_audit_row_is_reported_at_that_entry(
    own_database: tuple[str, AsyncClient],
) -> None:
    url, client = own_database
    settled = await _settled(client)
    await client.post(
        f"/v1/settlements/{settled['settlement_id']}/reversal", headers=headers(f"demo-{OWN}")
    )
    # Every committed entry made a leaf now (the service's sequencer does it within moments).
    assert _cli(url, "audit", "sequence").returncode == 0
    verified = (await client.get("/v1/audit/verify", headers=headers(ADMIN))).json()
    assert verified["ok"] is True and verified["broken_entry_id"] is None
    assert _cli(url, "audit", "verify").returncode == 0
    entries = (
        await client.get(
            "/v1/audit", params={"action": "settlement.create"}, headers=headers(ADMIN)
        )
    ).json()["entries"]
    target = entries[0]["id"]
    assert entries[0]["details"]["hospital_code"] == OWN

    # The service's own connection may not rewrite history: the trigger refuses.
    with pytest.raises(Exception, match="append-only"):
        await _superuser(url, f"UPDATE audit_log SET details = '{{}}' WHERE id = {target}")
    # Someone with the rights to switch the trigger off edits one amount.
    await _superuser(
        url,
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "UPDATE audit_log SET details = jsonb_set(details, '{fund_paid_fen}', '1')"
        f" WHERE id = {target}",
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
    )
    verified = (await client.get("/v1/audit/verify", headers=headers(ADMIN))).json()
    assert verified["ok"] is False
    assert verified["broken_entry_id"] == target
    assert "edited" in verified["problem"]
    cli = _cli(url, "audit", "verify")
    assert cli.returncode == 1
    assert f"BROKEN at entry {target}:" in cli.stdout


async def test_deleting_an_audit_row_is_reported_at_the_next_entry(
    own_database: tuple[str, AsyncClient],
) -> None:
    url, client = own_database
    await _settled(client)
    assert _cli(url, "audit", "sequence").returncode == 0
    entries = (await client.get("/v1/audit", headers=headers(ADMIN))).json()["entries"]
    victim, following = entries[1]["id"], entries[2]["id"]
    await _superuser(
        url,
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        f"DELETE FROM audit_log WHERE id = {victim}",
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
    )
    verified = (await client.get("/v1/audit/verify", headers=headers(ADMIN))).json()
    assert verified["broken_entry_id"] == following
    assert "deleted" in verified["problem"]


async def test_every_state_change_is_audited_once_and_failures_are_not(
    own_database: tuple[str, AsyncClient],
) -> None:
    _, client = own_database
    settled = await _settled(client)
    replay = await client.post(
        "/v1/settlements",
        headers=headers(f"demo-{OWN}"),
        json=make_bill(settled["bill_no"], "510402195001010014"),
    )
    assert replay.status_code == 409  # another person's bill under the same number: a conflict
    sid = settled["settlement_id"]
    for _ in range(2):
        await client.post(f"/v1/settlements/{sid}/reversal", headers=headers(f"demo-{OWN}"))
    entries = (
        await client.get("/v1/audit", params={"entity_id": sid}, headers=headers(ADMIN))
    ).json()
    actions = [e["action"] for e in entries["entries"]]
    assert actions == ["settlement.create", "settlement.reverse"]
    assert all(e["role"] == "hospital" and e["key_id"] for e in entries["entries"])
    # What the settlement said, in fen (the entry is staged inside the settlement's insert).
    fen = {k: int(Decimal(settled[k]) * 100) for k in ("fund_paid", "self_pay")}
    created = entries["entries"][0]["details"]
    assert created["hospital_code"] == OWN and created["bill_no"] == settled["bill_no"]
    assert created["policy_version"] == settled["policy_version"]
    assert (created["fund_paid_fen"], created["self_pay_fen"]) == (
        fen["fund_paid"],
        fen["self_pay"],
    )
    assert created["paid_fen_by_fund"] == {
        layer["fund_code"]: int(Decimal(layer["paid"]) * 100) for layer in settled["layers"]
    }
    everything = (
        await client.get("/v1/audit", params={"limit": 1000}, headers=headers(ADMIN))
    ).json()
    kinds = {e["action"] for e in everything["entries"]}
    assert {"policy.publish", "hospital.put", "catalog.put", "person.put"} <= kinds


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_keys_cli_create_list_revoke(own_database: tuple[str, AsyncClient]) -> None:
    url, client = own_database
    created = _cli(url, "keys", "create", "--role", "hospital", "--hospital", OWN, "--label", "cli")
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)
    assert (
        await client.get(f"/v1/hospitals/{OWN}", headers=headers(key["key"]))
    ).status_code == 200
    listed = _cli(url, "keys", "list")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["label"] for r in rows if r["id"] == key["id"]] == ["cli"]
    assert key["key"] not in listed.stdout
    assert _cli(url, "keys", "create", "--role", "hospital").returncode == 2
    revoked = _cli(url, "keys", "revoke", key["id"])
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert (
        await client.get(f"/v1/hospitals/{OWN}", headers=headers(key["key"]))
    ).status_code == 401
    audit = (
        await client.get("/v1/audit", params={"entity_id": key["id"]}, headers=headers(ADMIN))
    ).json()
    assert [e["action"] for e in audit["entries"]] == ["api_key.create", "api_key.revoke"]


# --- the last admin key -------------------------------------------------------------------------


async def _active_admin_ids(client: AsyncClient, key: str) -> list[str]:
    listing = await client.get("/v1/api-keys", headers=headers(key))
    assert listing.status_code == 200, listing.text
    return [k["id"] for k in listing.json() if k["role"] == "admin" and k["revoked_at"] is None]


async def test_the_last_admin_key_cannot_be_revoked(
    own_database: tuple[str, AsyncClient],
) -> None:
    url, client = own_database
    # The demo data of a database of its own has one admin key, demo-admin.
    [demo_admin] = await _active_admin_ids(client, ADMIN)
    refused = await client.delete(f"/v1/api-keys/{demo_admin}", headers=headers(ADMIN))
    assert_problem(refused, 409, "last_admin_key", locs=[["path", "key_id"]])
    assert await _active_admin_ids(client, ADMIN) == [demo_admin]  # and it still works
    # With a second admin key, the first can go; then the second is the last.
    second = await client.post("/v1/api-keys", headers=headers(ADMIN), json={"role": "admin"})
    assert second.status_code == 201, second.text
    gone = await client.delete(f"/v1/api-keys/{demo_admin}", headers=headers(ADMIN))
    assert gone.status_code == 200 and gone.json()["revoked_at"] is not None
    new_admin = second.json()["key"]
    refused = await client.delete(f"/v1/api-keys/{second.json()['id']}", headers=headers(new_admin))
    assert_problem(refused, 409, "last_admin_key")
    assert await _active_admin_ids(client, new_admin) == [second.json()["id"]]
    # The CLI refuses too, and changes nothing.
    cli = _cli(url, "keys", "revoke", second.json()["id"])
    assert cli.returncode == 1 and "last active admin key" in cli.stderr, cli
    assert await _active_admin_ids(client, new_admin) == [second.json()["id"]]
    audit = await client.get(
        "/v1/audit", params={"action": "api_key.revoke"}, headers=headers(new_admin)
    )
    assert [e["entity_id"] for e in audit.json()["entries"]] == [demo_admin]  # refusals: none


async def test_two_concurrent_revocations_of_the_last_two_admin_keys_leave_one(
    own_database: tuple[str, AsyncClient],
) -> None:
    """Each revocation alone would leave an admin key; together they would leave none. The
    first holds the admin-key lock until it commits; the second waits for it, then counts the
    first's revocation and is refused."""
    url, client = own_database
    [first] = await _active_admin_ids(client, ADMIN)
    created = await client.post("/v1/api-keys", headers=headers(ADMIN), json={"role": "admin"})
    assert created.status_code == 201, created.text
    second = created.json()["id"]
    engine = create_async_engine(url, poolclass=NullPool)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as one:
            await one.begin()
            assert (await revoke_key(one, uuid.UUID(first)))[1]  # revoked, not yet committed

            async def revoke_the_other() -> bool:
                async with sessions() as other, other.begin():
                    return (await revoke_key(other, uuid.UUID(second)))[1]

            racing = asyncio.create_task(revoke_the_other())
            # Until the second revocation waits for the lock (or, unlocked, has finished).
            for _ in range(200):
                async with sessions() as probe:
                    waiting = await probe.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid ="
                            " l.database WHERE d.datname = current_database()"
                            " AND l.locktype = 'advisory' AND NOT l.granted"
                        )
                    )
                if waiting or racing.done():
                    break
                await asyncio.sleep(0.05)
            await one.commit()
        with pytest.raises(LastAdminKey):
            await racing
    finally:
        await engine.dispose()
    assert await _active_admin_ids(client, created.json()["key"]) == [second]
