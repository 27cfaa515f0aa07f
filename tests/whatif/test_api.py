"""``/v1/what-if`` and ``/v1/policies`` (docs/what-if.md): the draft refused with the field
named (in Chinese with ``Accept-Language: zh``), roles, one job at a time per key, cancel (queued
and running), an orphaned job failed, an expired one gone, the XLSX export.

Jobs whose thread must not run are stored with :func:`app.whatif.runner.start` replaced by a
no-op (they stay ``queued``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from api.conftest import ADMIN, AGENCY, assert_problem, headers, make_bill, new_person, settle
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import text

from app.whatif import jobs, runner

from .conftest import joined, param, published, today, what_if

pytestmark = pytest.mark.usefixtures("own_app")

POLICY_YAML = (
    Path(__file__).resolve().parents[2] / "policies" / "panzhihua" / "2018-01-01.yaml"
).read_text(encoding="utf-8")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _body(policy: Any, **extra: Any) -> dict[str, Any]:
    return {"policy": policy, "date_from": today(), "date_to": today(), **extra}


async def _post(client: AsyncClient, body: dict[str, Any], key: str = AGENCY, **kw: Any) -> Any:
    return await client.post("/v1/what-if", json=body, headers={**headers(key), **kw})


@pytest.fixture
def no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "start", lambda *args: None)


async def _new_agency_key(client: AsyncClient) -> str:
    response = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "agency", "label": "what-if test"}
    )
    assert response.status_code == 201, response.text
    key: str = response.json()["key"]
    return key


# -- the draft ------------------------------------------------------------------------------------


async def test_the_yaml_text_of_a_published_policy_is_a_draft(own_client: AsyncClient) -> None:
    person = await new_person(own_client, ["registered_poor"])
    assert (await settle(own_client, make_bill("WA0001", person))).status_code == 201
    job = await what_if(own_client, POLICY_YAML)
    assert job["status"] == "done"
    assert job["request"]["policy_id"] == "panzhihua-2018"
    # the same document as JSON has the same content hash as the YAML text
    from_json = await what_if(own_client, await published(own_client))
    assert from_json["request"]["content_hash"] == job["request"]["content_hash"]
    assert job["result"]["settlements"] == 1 and job["result"]["bills_changed"] == 0


async def test_an_unquoted_number_in_yaml_is_refused_naming_the_field(
    own_client: AsyncClient,
) -> None:
    draft = POLICY_YAML.replace(
        'target_ratio:\n        value: "0.10"', "target_ratio:\n        value: 0.10"
    )
    assert draft != POLICY_YAML
    response = await _post(own_client, _body(draft))
    body = assert_problem(
        response,
        422,
        "invalid_policy",
        [["body", "policy", "layers", "tilted", "params", "target_ratio", "value"]],
    )
    assert "quoted decimal string" in body["errors"][0]["msg"]
    zh = assert_problem(await _post(own_client, _body(draft), **ZH), 422, "invalid_policy")
    assert zh["errors"][0]["msg"].startswith("政策草案此处无效")
    assert zh["title"] == "政策草案无效"


async def test_every_problem_of_a_json_draft_is_named(own_client: AsyncClient) -> None:
    draft = await published(own_client)
    del draft["order"]
    param(draft, "basic", "ratio")["value"]["general"]["primary"] = "1.50"  # above 1
    draft["layers"]["supplementary"]["params"]["ratio"]["value"] = 0.6  # a JSON number
    response = await _post(own_client, _body(draft))
    body = assert_problem(response, 422, "invalid_policy")
    locs = [e["loc"] for e in body["errors"]]
    assert ["body", "policy", "order"] in locs
    # without an order no layer is built, so the layers' values are not reached: fix and retry
    draft["order"] = ["basic", "critical_illness", "supplementary", "tilted", "civil_assistance"]
    body = assert_problem(await _post(own_client, _body(draft)), 422, "invalid_policy")
    assert [e["loc"] for e in body["errors"]] == [
        ["body", "policy", "layers", "basic", "params", "ratio", "value", "general", "primary"],
        ["body", "policy", "layers", "supplementary", "params", "ratio", "value"],
    ]


@pytest.mark.parametrize(
    ("text_", "expected"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("just text", "must be a policy document"),
    ],
)
async def test_text_that_is_no_document_is_refused(
    own_client: AsyncClient, text_: str, expected: str
) -> None:
    body = assert_problem(
        await _post(own_client, _body(text_)), 422, "invalid_policy", [["body", "policy"]]
    )
    assert expected in body["errors"][0]["msg"]


async def test_days_out_of_order_and_unknown_fields_are_refused(own_client: AsyncClient) -> None:
    draft = await published(own_client)
    body = {**_body(draft), "date_from": "2018-02-01", "date_to": "2018-01-01"}
    assert_problem(await _post(own_client, body), 422, "dates_out_of_order", [["body", "date_to"]])
    assert_problem(await _post(own_client, {**_body(draft), "extra": 1}), 422, "validation_error")


# -- roles and ownership --------------------------------------------------------------------------


async def test_roles(own_client: AsyncClient, no_thread: None) -> None:
    draft = await published(own_client)
    assert_problem(await _post(own_client, _body(draft), key="demo-H510402001"), 403, "forbidden")
    response = await own_client.post("/v1/what-if", json=_body(draft))
    assert_problem(response, 401, "unauthorized")
    created = await _post(own_client, _body(draft), key=ADMIN)
    assert created.status_code == 202, created.text
    job_id = created.json()["id"]
    mine = await own_client.get(f"/v1/what-if/{job_id}", headers=headers(ADMIN))
    assert mine.status_code == 200 and mine.json()["status"] == "queued"
    # another key's job is absent, even for an agency key
    other = await own_client.get(f"/v1/what-if/{job_id}", headers=headers(AGENCY))
    assert_problem(other, 404, "what_if_not_found")
    hospital = await own_client.get(f"/v1/what-if/{job_id}", headers=headers("demo-H510402001"))
    assert_problem(hospital, 403, "forbidden")


async def test_one_job_at_a_time_per_key_and_cancel_a_queued_one(
    own_client: AsyncClient, no_thread: None
) -> None:
    key = await _new_agency_key(own_client)
    draft = await published(own_client)
    first = await _post(own_client, _body(draft), key=key)
    assert first.status_code == 202
    job_id = first.json()["id"]
    busy = assert_problem(await _post(own_client, _body(draft), key=key), 409, "what_if_busy")
    assert job_id in busy["detail"]
    # another key is not held back
    other = await _new_agency_key(own_client)
    assert (await _post(own_client, _body(draft), key=other)).status_code == 202
    cancelled = await own_client.post(f"/v1/what-if/{job_id}/cancel", headers=headers(key))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["finished_at"]
    again = await own_client.post(f"/v1/what-if/{job_id}/cancel", headers=headers(key))
    assert again.json()["status"] == "cancelled"  # idempotent
    assert (await _post(own_client, _body(draft), key=key)).status_code == 202


async def test_cancel_stops_a_running_replay(
    own_app: FastAPI, own_client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A replay that only reports progress, forever, until told to stop.
    async def endless(session: Any, draft: Any, scope: Any, progress: Any) -> None:
        done = 0
        while await progress(done, 10**6):
            done += 1
            await asyncio.sleep(0.01)
        return None

    monkeypatch.setattr(runner, "replay", endless)
    monkeypatch.setattr(jobs, "HEARTBEAT_S", 0.05)
    response = await _post(own_client, _body(await published(own_client)))
    job_id = response.json()["id"]
    for _ in range(200):
        job = (await own_client.get(f"/v1/what-if/{job_id}", headers=headers(AGENCY))).json()
        if job["status"] == "running" and job["progress"]["done"] > 0:
            break
        await asyncio.sleep(0.02)
    assert job["status"] == "running" and job["progress"]["total"] == 10**6
    cancelled = await own_client.post(f"/v1/what-if/{job_id}/cancel", headers=headers(AGENCY))
    assert cancelled.json()["status"] == "cancelled"
    await asyncio.wait_for(joined(), 10)  # the thread noticed at its next heartbeat and ended
    final = (await own_client.get(f"/v1/what-if/{job_id}", headers=headers(AGENCY))).json()
    assert final["status"] == "cancelled" and final["result"] is None
    async with own_app.state.engine.connect() as conn:
        actions = (
            await conn.scalars(
                text("SELECT action FROM audit_log WHERE entity_id = :id ORDER BY id"),
                {"id": job_id},
            )
        ).all()
    assert actions == ["what_if.create", "what_if.cancel"]


async def test_an_orphaned_job_fails_and_an_expired_one_is_gone(
    own_app: FastAPI, own_client: AsyncClient, no_thread: None
) -> None:
    draft = await published(own_client)
    job_id = (await _post(own_client, _body(draft))).json()["id"]
    # its process died before it ran: no heartbeat for longer than STALE_AFTER_S
    async with own_app.state.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE what_if_jobs SET created_at = now() - make_interval(secs => :s)"
                " WHERE id = :id"
            ),
            {"s": jobs.STALE_AFTER_S + 1, "id": uuid.UUID(job_id)},
        )
    job = (await own_client.get(f"/v1/what-if/{job_id}", headers=headers(AGENCY))).json()
    assert job["status"] == "failed" and job["error"]["code"] == "orphaned"
    # the key may start another now
    assert (await _post(own_client, _body(draft))).status_code == 202
    async with own_app.state.engine.begin() as conn:
        await conn.execute(
            text("UPDATE what_if_jobs SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": uuid.UUID(job_id)},
        )
    gone = await own_client.get(f"/v1/what-if/{job_id}", headers=headers(AGENCY))
    assert_problem(gone, 404, "what_if_not_found")
    async with own_app.state.engine.connect() as conn:
        left = await conn.scalar(
            text("SELECT count(*) FROM what_if_jobs WHERE id = :id"), {"id": uuid.UUID(job_id)}
        )
    assert left == 0  # deleted, not only hidden


async def test_a_finished_job_is_kept_a_day(own_client: AsyncClient) -> None:
    job = await what_if(own_client, await published(own_client))
    finished = dt.datetime.fromisoformat(job["finished_at"])
    expires = dt.datetime.fromisoformat(job["expires_at"])
    assert expires - finished == dt.timedelta(seconds=jobs.KEEP_S) == dt.timedelta(days=1)


# -- export ---------------------------------------------------------------------------------------


async def test_the_result_as_xlsx(own_client: AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # The supplementary draft of tests/whatif/test_hand_worked.py: self-pay 2055.00 → 1963.20.
    person = await new_person(own_client, ["registered_poor"])
    assert (await settle(own_client, make_bill("WA0002", person))).status_code == 201
    draft = await published(own_client)
    param(draft, "supplementary", "ratio")["value"] = "0.60"
    job = await what_if(own_client, draft)
    response = await own_client.get(f"/v1/what-if/{job['id']}/export", headers=headers(AGENCY))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["测算", "基金", "县月", "变化最大"]
    funds = {row[0]: row[2:] for row in book["基金"].iter_rows(min_row=2, values_only=True)}
    assert [Decimal(str(v)) for v in funds["390300"]] == [Decimal(1930), Decimal(2316), 386]
    totals = [row for row in book["基金"].iter_rows(min_row=2, values_only=True) if not row[0]]
    assert [Decimal(str(v)) for v in totals[1][2:]] == [
        Decimal("2055.00"),
        Decimal("1963.20"),
        Decimal("-91.80"),
    ]
    [top] = list(book["变化最大"].iter_rows(min_row=2, values_only=True))
    assert top[4] == person[:4] + "*" * 10 + person[-4:]
    # a job that is not done has nothing to download
    monkeypatch.setattr(runner, "start", lambda *args: None)
    queued = (await _post(own_client, _body(draft))).json()["id"]
    not_done = await own_client.get(f"/v1/what-if/{queued}/export", headers=headers(AGENCY))
    assert_problem(not_done, 409, "what_if_not_done")


# -- the published policies -----------------------------------------------------------------------


async def test_the_published_policies(own_client: AsyncClient) -> None:
    listed = await own_client.get("/v1/policies", headers=headers("demo-H510402001"))
    assert listed.status_code == 200
    assert [(p["id"], p["effective_from"]) for p in listed.json()] == [
        ("panzhihua-2018", "2018-01-01"),
        ("panzhihua-2019", "2019-01-01"),
    ]
    one = (await own_client.get("/v1/policies/panzhihua-2019", headers=headers(AGENCY))).json()
    assert one["document"]["layers"]["critical_illness"]["params"]["bands"]["value"]["general"][
        0
    ] == {"from": "12000.00", "to": "50000.00", "ratio": "0.55"}
    assert one["content_hash"] == listed.json()[1]["content_hash"]
    missing = await own_client.get("/v1/policies/nope", headers=headers(AGENCY))
    assert_problem(missing, 404, "policy_not_found")


_STORED = text(
    "SELECT md5(coalesce((SELECT string_agg(t::text, ',' ORDER BY t::text) FROM settlements t), '')"
    " || coalesce((SELECT string_agg(t::text, ',' ORDER BY t::text) FROM accumulators t), '')"
    " || coalesce((SELECT string_agg(t::text, ',' ORDER BY t::text) FROM reversals t), '')"
    " || coalesce((SELECT string_agg(t::text, ',' ORDER BY t::text) FROM settlement_layers t), ''))"
)


async def test_a_replay_changes_nothing_stored(own_app: FastAPI, own_client: AsyncClient) -> None:
    person = await new_person(own_client, ["registered_poor"])
    assert (await settle(own_client, make_bill("WA0003", person))).status_code == 201
    async with own_app.state.engine.connect() as conn:
        before = await conn.scalar(_STORED)
    draft = await published(own_client)
    param(draft, "supplementary", "ratio")["value"] = "0.60"
    job = await what_if(own_client, draft)
    assert job["status"] == "done" and job["result"]["bills_changed"] == 1
    async with own_app.state.engine.connect() as conn:
        assert await conn.scalar(_STORED) == before
