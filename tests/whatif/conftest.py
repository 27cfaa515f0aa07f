"""What-if test helpers: the published documents as drafts, a job run to its end, and the
day the tests' settlements count on (they are settled now, Asia/Shanghai)."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from typing import Any

from api.conftest import AGENCY, headers
from httpx import AsyncClient

from app.reconciliation.scope import SHANGHAI
from app.whatif import runner


def today() -> str:
    return dt.datetime.now(SHANGHAI).date().isoformat()


async def published(client: AsyncClient, policy_id: str = "panzhihua-2018") -> dict[str, Any]:
    response = await client.get(f"/v1/policies/{policy_id}", headers=headers(AGENCY))
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()["document"]
    return copy.deepcopy(document)


def param(document: dict[str, Any], layer: str, name: str) -> dict[str, Any]:
    """A parameter entry ``{value, source, tag}`` of a draft, to edit."""
    entry: dict[str, Any] = document["layers"][layer]["params"][name]
    return entry


async def wait(client: AsyncClient, job_id: str, key: str = AGENCY) -> dict[str, Any]:
    """The job once it is no longer queued or running (its thread joined)."""
    for _ in range(1200):
        response = await client.get(f"/v1/what-if/{job_id}", headers=headers(key))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] not in ("queued", "running"):
            await joined()
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"what-if job {job_id} did not finish")


async def joined() -> None:
    """Every what-if thread of this process has ended (none left connected to the database)."""
    for thread in list(runner.RUNNING.values()):
        await asyncio.to_thread(thread.join, 30)


async def what_if(
    client: AsyncClient,
    policy: Any,
    date_from: str | None = None,
    date_to: str | None = None,
    key: str = AGENCY,
    **filters: str,
) -> dict[str, Any]:
    """Start a replay and wait for it; returns the finished job."""
    body = {"policy": policy, "date_from": date_from or today(), "date_to": date_to or today()}
    response = await client.post("/v1/what-if", json={**body, **filters}, headers=headers(key))
    assert response.status_code == 202, response.text
    return await wait(client, response.json()["id"], key)
