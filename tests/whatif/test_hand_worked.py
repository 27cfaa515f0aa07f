"""Hand-worked replays (issue 16 "Must show"): each draft changes one parameter of
panzhihua-2018 and every figure below is worked out by hand from policies/panzhihua/2018-01-01.yaml
and docs/rules.md. The bill is docs/rules.md §7 example 1 (tests/api/conftest.py ``make_bill``):
total 20000.00, in-policy 18500.00, settled at H510402001 (secondary, county 510402).

Each test has a database of its own (it reads the whole day)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from api.conftest import make_bill, masked, new_person, reverse, settle
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from app.reconciliation.scope import SHANGHAI

from .conftest import param, published, what_if


async def _settle(client: AsyncClient, bill: str, person: str) -> dict[str, Any]:
    response = await settle(client, make_bill(bill, person))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _funds(result: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {f["fund_code"]: (f["actual"], f["what_if"], f["delta"]) for f in result["funds"]}


async def test_raising_the_supplementary_ratio(own_client: AsyncClient) -> None:
    # A registered-poor person in county. Actual (panzhihua-2018, rules.md §7 example 1):
    #   basic (18500 − 200) × 0.80 = 14640.00, left 3860.00; critical illness: 3860 < 5000 → 0;
    #   supplementary 3860 × 0.50 = 1930.00, left 1930.00; tilted: target 18500 × 0.10 =
    #   1850.00, pays 1930 − 1850 = 80.00; civil assistance 1850 × 0.70 = 1295.00, left 555.00;
    #   fund 17945.00, self-pay 20000 − 17945 = 2055.00.
    # Draft supplementary ratio 0.60:
    #   supplementary round(3860 × 0.60) = 2316.00, left 1544.00; tilted: 1544 ≤ 1850 → 0.00;
    #   civil assistance round(1544.00 × 0.70) = 1080.80 (to the fen: exact), left 463.20;
    #   fund 14640 + 2316 + 1080.80 = 18036.80, self-pay 20000 − 18036.80 = 1963.20 (−91.80).
    client = own_client
    person = await new_person(client, ["registered_poor"])
    settled = await _settle(client, "WS0001", person)
    draft = await published(client)
    param(draft, "supplementary", "ratio")["value"] = "0.60"
    draft["id"] = "panzhihua-draft-supplementary"
    job = await what_if(client, draft)
    assert job["status"] == "done", job
    result = job["result"]
    assert result["settlements"] == 1 and result["bills_changed"] == 1
    assert _funds(result) == {
        "390100": ("14640.00", "14640.00", "0.00"),
        "390200": ("0.00", "0.00", "0.00"),
        "390300": ("1930.00", "2316.00", "386.00"),
        "640100": ("80.00", "0.00", "-80.00"),
        "610100": ("1295.00", "1080.80", "-214.20"),
    }
    assert result["fund_paid"] == {"actual": "17945.00", "what_if": "18036.80", "delta": "91.80"}
    assert result["self_pay"] == {"actual": "2055.00", "what_if": "1963.20", "delta": "-91.80"}
    # in county and registered poor: one bill under the 10% figures; 555.00 and 463.20 ≤ 1850
    assert result["target"] == {
        "bills": 1,
        "above_actual": 0,
        "above_what_if": 0,
        "share_actual": "0.0000",
        "share_what_if": "0.0000",
    }
    [top] = result["top_changes"]
    assert top["settlement_id"] == settled["settlement_id"]
    assert top["id_number"] == masked(person)
    assert top["self_pay"] == {"actual": "2055.00", "what_if": "1963.20", "delta": "-91.80"}
    assert result["policy_versions"] == [{"policy_version": "panzhihua-2018", "settlements": 1}]


async def test_lowering_the_critical_illness_threshold(own_client: AsyncClient) -> None:
    # A person of no category (general profile), in county. Actual:
    #   basic (18500 − 400) × 0.75 = 13575.00, left 4925.00; critical illness: the year's base
    #   0 → 4925, below the general threshold 10000 → 0; no other layer applies;
    #   self-pay 20000 − 13575 = 6425.00.
    # Draft: the general schedule's first band starts at 4000.00 instead of 10000.00:
    #   critical illness (4925 − 4000) × 0.55 = 508.75 (exact to the fen);
    #   self-pay 6425 − 508.75 = 5916.25.
    client = own_client
    person = await new_person(client)
    await _settle(client, "WS0002", person)
    draft = await published(client)
    param(draft, "critical_illness", "bands")["value"]["general"][0]["from"] = "4000.00"
    job = await what_if(client, draft)
    result = job["result"]
    assert _funds(result)["390100"] == ("13575.00", "13575.00", "0.00")
    assert _funds(result)["390200"] == ("0.00", "508.75", "508.75")
    assert result["self_pay"] == {"actual": "6425.00", "what_if": "5916.25", "delta": "-508.75"}
    # not registered poor: no bill under the 10% figures, no share
    assert result["target"]["bills"] == 0 and result["target"]["share_what_if"] is None


def _lower_basic_cap(draft: dict[str, Any]) -> None:
    param(draft, "basic", "annual_cap")["value"]["general"] = "15000.00"


# A general person's two example-1 bills under a basic annual cap of 15000.00 (instead of
# 150000.00):
#   bill 1: basic 13575.00 (cap untouched, 1425.00 left), left 4925.00; critical illness: base
#     0 → 4925 < 10000 → 0; as settled.
#   bill 2, as settled: basic 13575.00 (27150 < 150000); critical illness: base 4925 → 9850 <
#     10000 → 0; self-pay 6425.00.
#   bill 2 under the draft: basic min(13575, 15000 − 13575 = 1425) = 1425.00, left 18500 − 1425
#     = 17075.00; critical illness: base 4925 → 22000, (22000 − 10000) × 0.55 = 6600.00;
#     fund 8025.00, self-pay 20000 − 8025 = 11975.00 (+5550.00).
BILL_2_UNDER_CAP = {"actual": "6425.00", "what_if": "11975.00", "delta": "5550.00"}


async def test_a_cap_reached_earlier_in_the_year_changes_later_bills(
    own_client: AsyncClient,
) -> None:
    client = own_client
    person = await new_person(client)
    await _settle(client, "WS0003", person)
    second = await _settle(client, "WS0004", person)
    draft = await published(client)
    _lower_basic_cap(draft)
    result = (await what_if(client, draft))["result"]
    assert result["settlements"] == 2 and result["bills_changed"] == 1
    # basic: 13575 × 2 = 27150.00 paid; the draft 13575 + 1425 = 15000.00
    assert _funds(result)["390100"] == ("27150.00", "15000.00", "-12150.00")
    assert _funds(result)["390200"] == ("0.00", "6600.00", "6600.00")
    assert result["self_pay"] == {"actual": "12850.00", "what_if": "18400.00", "delta": "5550.00"}
    [top] = result["top_changes"]
    assert top["settlement_id"] == second["settlement_id"]
    assert top["self_pay"] == BILL_2_UNDER_CAP


async def test_a_bill_before_the_range_counts_with_its_stored_deltas(
    own_app: FastAPI, own_client: AsyncClient
) -> None:
    # Bill 1 settled yesterday, outside the range: not replayed, not compared, but the year's
    # accumulators start from what it added (basic paid 13575.00, critical-illness base
    # 4925.00), so bill 2 under the draft is as in the test above.
    client = own_client
    person = await new_person(client)
    first = await _settle(client, "WS0005", person)
    await _settle(client, "WS0006", person)
    yesterday = dt.datetime.now(SHANGHAI).replace(hour=12) - dt.timedelta(days=1)
    async with own_app.state.engine.begin() as conn:
        await conn.execute(
            text("UPDATE settlements SET settled_at = :at WHERE id = :id"),
            {"at": yesterday, "id": uuid.UUID(first["settlement_id"])},
        )
    draft = await published(client)
    _lower_basic_cap(draft)
    result = (await what_if(client, draft))["result"]
    assert result["settlements"] == 1
    assert _funds(result)["390100"] == ("13575.00", "1425.00", "-12150.00")
    assert result["self_pay"] == BILL_2_UNDER_CAP


async def test_a_bill_reversed_after_a_later_one_counted_for_it(own_client: AsyncClient) -> None:
    # Bill 1, bill 2, then bill 1 reversed. Bill 2 was settled while bill 1 stood, so bill 1's
    # deltas were in its accumulators: under the policy in force bill 2 replays unchanged, and
    # under the cap draft it is bill 2 of the test above (+5550.00). Only bill 2 is compared.
    client = own_client
    person = await new_person(client)
    first = await _settle(client, "WS0007", person)
    await _settle(client, "WS0008", person)
    assert (await reverse(client, first)).status_code == 200
    unchanged = (await what_if(client, await published(client)))["result"]
    assert unchanged["settlements"] == 1 and unchanged["bills_changed"] == 0
    assert unchanged["self_pay"] == {"actual": "6425.00", "what_if": "6425.00", "delta": "0.00"}
    draft = await published(client)
    _lower_basic_cap(draft)
    result = (await what_if(client, draft))["result"]
    assert result["settlements"] == 1
    assert result["self_pay"] == BILL_2_UNDER_CAP


async def test_a_bill_reversed_before_a_later_one_does_not_count(
    own_client: AsyncClient,
) -> None:
    # Bill 1 settled and reversed, then bill 2: bill 2 saw empty accumulators, and under the cap
    # draft still does: basic 13575.00 ≤ 15000.00, nothing changes.
    client = own_client
    person = await new_person(client)
    first = await _settle(client, "WS0009", person)
    assert (await reverse(client, first)).status_code == 200
    await _settle(client, "WS0010", person)
    draft = await published(client)
    _lower_basic_cap(draft)
    result = (await what_if(client, draft))["result"]
    assert result["settlements"] == 1 and result["bills_changed"] == 0
    assert result["self_pay"] == {"actual": "6425.00", "what_if": "6425.00", "delta": "0.00"}
