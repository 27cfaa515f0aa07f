"""Property (issue 16 "Must show"): replaying under the policy actually in force reproduces every
stored settlement exactly: every fund's delta, the fund total's and self-pay's are 0.00, no bill
changed, the 10% figures agree, over random histories with reversals and re-settlements
(``replaces``), through the real API on PostgreSQL.

Each example settles, reverses and settles again random bills of two fresh persons (random
categories and counties, bills at hospitals in and out of their county, big enough to reach the
critical-illness bands and the supplementary and assistance caps), all discharged in 2018 (so
panzhihua-2018 is in force for every one). A drawn prefix of the example's settlements is moved
to yesterday: those are before the range and count through their stored deltas, the rest are
replayed, so both halves of the walk (app/whatif/replay.py) are exercised. A reversal made after
a later settlement of the same person is the case that breaks a replay seeded from the standing
settlements alone: the later one was computed with the reversed one's deltas in its
accumulators, and the walk in ``setl_id`` order keeps them there until the reversal.

The examples share one database (``own_client``), so each replay also covers every earlier
example: the property holds over their union too. The replayed set is checked against the
database: as many settlements as stand today, and their stored fund-paid total.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from api.conftest import bill_no, item, make_bill, new_person, reverse, settle
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.engine.money import format_fen
from app.reconciliation.scope import SHANGHAI

from .conftest import published, today, what_if

CATEGORY_SETS: list[list[str]] = [
    [],
    ["registered_poor"],
    ["dibao"],
    ["tekun"],
    ["registered_poor", "dibao"],
]
COUNTIES = ["510402", "510403"]
HOSPITALS = ["H510402001", "H510402003", "H510403001", "H510421001"]
CODES = ["XA01", "XA02", "XA06", "XB01", "XB02", "XB04", "XC01"]

# 100.00 … 6000.00 yuan × 1 … 40: a bill of a few lines reaches the bands and the caps
lines = st.lists(
    st.tuples(st.sampled_from(CODES), st.integers(10_000, 600_000), st.integers(1, 40)),
    min_size=1,
    max_size=4,
)
settle_ = st.tuples(st.just("settle"), st.integers(0, 1), st.sampled_from(HOSPITALS), lines)
actions = st.lists(
    st.one_of(
        settle_,
        settle_,
        st.tuples(st.just("reverse"), st.integers(0, 50)),
        st.tuples(st.just("resettle"), st.integers(0, 50)),
    ),
    min_size=3,
    max_size=12,
)


def _items(drawn: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    # price in fen × an integer quantity: the amount is exact, as /v1 requires
    return [
        item(i + 1, code, format_fen(price), str(quantity), format_fen(price * quantity))
        for i, (code, price, quantity) in enumerate(drawn)
    ]


async def _history(client: AsyncClient, data: st.DataObject) -> list[str]:
    """Run a random history; returns the ids of the settlements it made, in order."""
    persons = [
        await new_person(
            client, data.draw(st.sampled_from(CATEGORY_SETS)), data.draw(st.sampled_from(COUNTIES))
        )
        for _ in range(2)
    ]
    made: list[str] = []
    active: list[dict[str, Any]] = []
    reversed_: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (body, reversed settlement)
    for action in data.draw(actions):
        if action[0] == "settle":
            _, who, hospital, drawn = action
            month = data.draw(st.integers(1, 12))
            body = make_bill(
                bill_no("WI"), persons[who], hospital, f"2018-{month:02d}-20", _items(drawn)
            )
            body["referral"] = data.draw(st.booleans())
            response = await settle(client, body)
            assert response.status_code == 201, response.text
            active.append({"body": body, **response.json()})
            made.append(response.json()["settlement_id"])
        elif action[0] == "reverse" and active:
            settlement = active.pop(action[1] % len(active))
            response = await reverse(client, settlement)
            assert response.status_code == 200, response.text
            reversed_.append((settlement["body"], settlement))
        elif action[0] == "resettle" and reversed_:
            body, old = reversed_.pop(action[1] % len(reversed_))
            again = {**body, "replaces": old["settlement_id"]}
            response = await settle(client, again)
            assert response.status_code == 201, response.text
            active.append({"body": body, **response.json()})
            made.append(response.json()["settlement_id"])
    return made


async def _standing_today(app: FastAPI) -> tuple[int, int]:
    async with app.state.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT count(*), coalesce(sum(fund_paid_fen), 0) FROM settlements s"
                    " WHERE NOT EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id)"
                    " AND (s.settled_at AT TIME ZONE 'Asia/Shanghai')::date = CAST(:day AS date)"
                ),
                {"day": dt.date.fromisoformat(today())},
            )
        ).one()
    return int(row[0]), int(row[1])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_replaying_under_the_policy_in_force_changes_nothing(
    own_app: FastAPI, own_client: AsyncClient, data: st.DataObject
) -> None:
    client = own_client
    made = await _history(client, data)
    cut = data.draw(st.integers(0, len(made)), label="settlements moved before the range")
    if cut:
        yesterday = dt.datetime.now(SHANGHAI).replace(hour=12) - dt.timedelta(days=1)
        async with own_app.state.engine.begin() as conn:
            await conn.execute(
                text("UPDATE settlements SET settled_at = :at WHERE id = ANY(:ids)"),
                {"at": yesterday, "ids": [uuid.UUID(i) for i in made[:cut]]},
            )
    count, fund_paid_fen = await _standing_today(own_app)
    job = await what_if(client, await published(client))
    assert job["status"] == "done", job
    result = job["result"]
    assert result["settlements"] == count
    assert job["progress"] == {"done": count, "total": count}
    assert result["bills_changed"] == 0
    assert result["top_changes"] == []
    assert result["fund_paid"] == {
        "actual": format_fen(fund_paid_fen),
        "what_if": format_fen(fund_paid_fen),
        "delta": "0.00",
    }
    assert all(fund["delta"] == "0.00" for fund in result["funds"]), result["funds"]
    assert result["self_pay"]["delta"] == "0.00"
    for cell in [result, *result["by_county_month"]]:
        assert cell["fund_paid"]["delta"] == cell["self_pay"]["delta"] == "0.00"
        assert cell["target"]["above_actual"] == cell["target"]["above_what_if"]


pytestmark = pytest.mark.usefixtures("own_app")
