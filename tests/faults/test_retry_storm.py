"""A retry storm after a network blip: the same bill posted 50 times at once gives one
settlement (one 201, every other answer a 200 with the same id, never a 500).

Admission control may shed part of the burst with 503 ``overloaded`` and ``Retry-After``; the
client sends those again, as a HIS would, and the outcome must be the same.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from .conftest import bill_key, bills, check_ledger, client, new_persons, post_settlement

pytestmark = pytest.mark.faults

STORM = 50


async def test_same_bill_posted_50_times_at_once(
    fault_database_url: str, start_server: Any
) -> None:
    server = start_server(fault_database_url)
    async with client(server, timeout_s=30) as http:
        (person,) = await new_persons(http, 1)
        storm, other = bills([person], 2, prefix="STORM")
        shed: list[httpx.Response] = []

        async def post(body: dict[str, Any]) -> httpx.Response:
            while True:
                response = await post_settlement(http, body)
                if response.status_code != 503:
                    return response
                shed.append(response)
                await asyncio.sleep(0.1)

        # A second bill of the same person in the middle of the storm, as at a discharge desk.
        replies = await asyncio.wait_for(
            asyncio.gather(
                *(post(storm) for _ in range(STORM // 2)),
                post(other),
                *(post(storm) for _ in range(STORM - STORM // 2)),
            ),
            timeout=60,
        )
        other_reply = replies.pop(STORM // 2)
        assert other_reply.status_code == 201, other_reply.text
        assert Counter(r.status_code for r in replies) == {201: 1, 200: STORM - 1}, [
            r.text[:300] for r in replies if r.status_code not in (200, 201)
        ]
        for response in shed:  # load shedding, never an error
            assert response.json()["code"] == "overloaded", response.text
            assert int(response.headers["retry-after"]) > 0
        ids = {r.json()["settlement_id"] for r in replies}
        assert len(ids) == 1
        figures = {(r.json()["fund_paid"], r.json()["self_pay"]) for r in replies}
        assert len(figures) == 1, "a replay answered other figures"
        await check_ledger(
            fault_database_url,
            http,
            {bill_key(storm): ids.pop(), bill_key(other): other_reply.json()["settlement_id"]},
        )
