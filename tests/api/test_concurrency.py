"""Concurrent settlements and reversals (docs/rules.md §6: no annual cap is ever exceeded, whatever
the order or concurrency; settle → reverse restores every accumulator exactly).

Requests run concurrently on one event loop through the ASGI app, each in its own database
transaction, so they really race in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import SEED

from app.config import Settings
from app.policy.loader import load_directory

from .conftest import bill_no, item, layers, make_bill, new_person, reverse, settle

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def settings() -> Settings:
    """These tests are about locks and caps, not load shedding: 20 requests of one person wait
    for each other's lock, and on a busy test machine the last could wait past the default
    admission queue target (100 ms, 3x that before giving up: 503 ``overloaded``, which
    tests/api/test_admission.py covers)."""
    return Settings(admission_queue_ms=10_000)


TERTIARY = "H510402003"  # tertiary, county 510402


def _yuan(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def annual_caps(policy_id: str, profile: str) -> dict[str, Decimal | None]:
    """Each layer's annual cap for ``profile``, read from the shipped policy document."""
    (doc,) = [d for d in load_directory() if d.policy.id == policy_id]
    caps: dict[str, Decimal | None] = {}
    for name, layer in doc.document["layers"].items():
        params = layer["params"]
        if "annual_cap" in params:
            value = params["annual_cap"]["value"]
            caps[name] = _yuan(value.get(profile) if isinstance(value, dict) else value)
        elif name == "civil_assistance":
            entry = params["categories"]["value"].get(profile)
            caps[name] = None if entry is None else _yuan(entry["annual_cap"])
        else:
            caps[name] = None
    return caps


async def accumulator_rows(engine: AsyncEngine, id_number: str, year: int) -> dict[str, int]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT a.key, a.amount_fen FROM accumulators a"
                " JOIN persons p ON p.id = a.person_id WHERE p.id_number = :id AND a.year = :year"
            ),
            {"id": id_number, "year": year},
        )
        return {key: amount for key, amount in rows if amount != 0}


async def active_deltas(engine: AsyncEngine, id_number: str, year: int) -> dict[str, int]:
    """Σ accumulator_deltas over the person's stored settlements that are not reversed."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT s.accumulator_deltas FROM settlements s"
                " JOIN persons p ON p.id = s.person_id"
                " LEFT JOIN reversals r ON r.settlement_id = s.id"
                " WHERE p.id_number = :id AND s.accumulator_year = :year AND r.id IS NULL"
            ),
            {"id": id_number, "year": year},
        )
        total: Counter[str] = Counter()
        for (deltas,) in rows:
            total.update({k: int(v) for k, v in deltas.items()})
        return {k: v for k, v in total.items() if v != 0}


async def count(engine: AsyncEngine, sql: str, **params: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(sql), params)).scalar_one())


def paid_by_layer(settlements: list[dict[str, Any]]) -> dict[str, Decimal]:
    total: Counter[str] = Counter()
    for out in settlements:
        for line in out["layers"]:
            total[line["layer"]] += Decimal(line["paid"])  # type: ignore[assignment]
    return dict(total)


def assert_within_caps(
    settlements: list[dict[str, Any]], caps: dict[str, Decimal | None]
) -> dict[str, Decimal]:
    paid = paid_by_layer(settlements)
    for name, cap in caps.items():
        if cap is not None:
            assert paid.get(name, Decimal(0)) <= cap, (name, paid[name], cap)
    return paid


async def assert_accumulators_match(
    engine: AsyncEngine, id_number: str, active: list[dict[str, Any]]
) -> None:
    rows = await accumulator_rows(engine, id_number, 2018)
    assert rows == await active_deltas(engine, id_number, 2018)
    # and the paid accumulators are what the responses of the active settlements say was paid
    paid = paid_by_layer(active)
    for name, amount in paid.items():
        assert rows.get(f"{name}:paid_fen", 0) == int(amount * 100), name


async def test_concurrent_settlements_never_exceed_caps(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    """20 bills of 100000.00 in-policy each (甲类 XA06 1000.00 × 100) for a person with no category
    at a tertiary hospital in county (D 800, R 0.60), all at once.

    By hand: each bill alone would get basic (100000 − 800) × 0.60 = 59520.00, and 20 × 59520
    is far above the 150000 cap, so basic pays exactly the cap in total, in whatever order. The
    critical-illness base is then 20 × 100000 − 150000 = 1850000 for the year, and
    F(1850000) = 0.55 × 40000 + 0.65 × 50000 + 0.75 × 1750000 = 1367000.00 is far above the
    300000 cap: critical illness also pays exactly its cap in total. Nothing else applies.
    """
    caps = annual_caps("panzhihua-2018", "general")
    person = await new_person(client, [])
    bills = [
        make_bill(
            bill_no("CC"),
            person,
            hospital=TERTIARY,
            items=[item(1, "XA06", "1000.00", "100", "100000.00")],
        )
        for _ in range(20)
    ]

    responses: list[Response] = await asyncio.gather(*(settle(client, body) for body in bills))
    assert [r.status_code for r in responses] == [201] * 20, [
        r.text for r in responses if r.status_code != 201
    ]
    settled = [r.json() for r in responses]
    assert len({s["settlement_id"] for s in settled}) == 20
    paid = assert_within_caps(settled, caps)
    assert caps["basic"] is not None
    assert caps["critical_illness"] is not None
    assert paid["basic"] == caps["basic"]
    assert paid["critical_illness"] == caps["critical_illness"]
    assert paid["supplementary"] == paid["tilted"] == paid["civil_assistance"] == 0
    for out in settled:
        assert out["totals"]["in_policy"] == "100000.00"
        by_layer = layers(out)
        assert Decimal(by_layer["basic"]["paid"]) <= Decimal("59520.00")
    await assert_accumulators_match(engine, person, settled)

    # reverse half of them, all at once: which half, seeded (the same every run)
    random.Random(SEED).shuffle(settled)
    gone, kept = settled[:10], settled[10:]
    reversals = await asyncio.gather(*(reverse(client, out) for out in gone))
    assert [r.status_code for r in reversals] == [200] * 10
    assert all(r.json()["status"] == "reversed" for r in reversals)
    await assert_accumulators_match(engine, person, kept)
    assert_within_caps(kept, caps)

    # settlements and reversals racing each other: half of what is left goes, 10 new bills come
    more = [
        make_bill(
            bill_no("CC"),
            person,
            hospital=TERTIARY,
            items=[item(1, "XA06", "1000.00", "100", "100000.00")],
        )
        for _ in range(10)
    ]
    mixed = await asyncio.gather(
        *(reverse(client, out) for out in kept[:5]), *(settle(client, body) for body in more)
    )
    assert [r.status_code for r in mixed] == [200] * 5 + [201] * 10
    active = kept[5:] + [r.json() for r in mixed[5:]]
    await assert_accumulators_match(engine, person, active)
    paid = assert_within_caps(active, caps)
    # 15 active bills: still far beyond both caps, so both are paid exactly, never more
    assert paid["basic"] == caps["basic"]
    assert paid["critical_illness"] == caps["critical_illness"]


async def test_concurrent_posts_of_one_bill_settle_once(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no("SAME"), person)
    responses = await asyncio.gather(*(settle(client, body) for _ in range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.text for r in responses]
    assert len({r.json()["settlement_id"] for r in responses}) == 1
    assert (
        await count(
            engine,
            "SELECT count(*) FROM settlements WHERE hospital_code = :h AND bill_no = :b",
            h=body["hospital_code"],
            b=body["bill_no"],
        )
        == 1
    )
    # accumulators touched once: example 1's basic payment (docs/rules.md §7: 14640.00), not 8x
    rows = await accumulator_rows(engine, person, 2018)
    assert rows["basic:paid_fen"] == 1464000
    assert rows == await active_deltas(engine, person, 2018)


async def test_concurrent_reversals_of_one_settlement_reverse_once(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    person = await new_person(client, ["registered_poor"])
    first = (await settle(client, make_bill(bill_no("REV"), person))).json()
    # a second settlement, so a double reversal could not hide behind the non-negative check
    second = await settle(client, make_bill(bill_no("REV"), person))
    assert second.status_code == 201
    responses = await asyncio.gather(*(reverse(client, first) for _ in range(8)))
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    assert len({r.json()["reversed_at"] for r in responses}) == 1
    assert all(r.json()["status"] == "reversed" for r in responses)
    assert (
        await count(
            engine,
            "SELECT count(*) FROM reversals WHERE settlement_id = :s",
            s=first["settlement_id"],
        )
        == 1
    )
    rows = await accumulator_rows(engine, person, 2018)
    assert rows == await active_deltas(engine, person, 2018)
    # only the second settlement (example 4: basic 14640.00, critical 1632.00) is left
    assert rows["basic:paid_fen"] == 1464000
    assert rows["critical_illness:paid_fen"] == 163200


async def test_concurrent_replays_and_reversal_of_one_bill(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    """Replays racing a reversal of the same bill: each replay either returns the (then active)
    settlement or, once the reversal committed, is refused with 409 bill_reversed, never settles
    the bill anew; the accumulators always equal the active settlements."""
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no("RACE"), person)
    first = (await settle(client, body)).json()
    results = await asyncio.gather(
        reverse(client, first), *(settle(client, body) for _ in range(5))
    )
    assert results[0].status_code == 200
    assert all(r.status_code in (200, 409) for r in results[1:])
    assert all(r.json()["code"] == "bill_reversed" for r in results[1:] if r.status_code == 409)
    active = await count(
        engine,
        "SELECT count(*) FROM settlements s LEFT JOIN reversals r ON r.settlement_id = s.id"
        " WHERE s.hospital_code = :h AND s.bill_no = :b AND r.id IS NULL",
        h=body["hospital_code"],
        b=body["bill_no"],
    )
    assert active == 0
    assert await accumulator_rows(engine, person, 2018) == await active_deltas(engine, person, 2018)
