"""Imports at once (docs/roster.md "Locks"): one source's imports serialize on its advisory
lock; two sources run side by side, on the persons they share, without a deadlock."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from support import id_number, until_waiting_on_a_lock

from app.roster.service import lock_key

from .helpers import ZH, csv_bytes, periods, upload

PO, CA, MI = "poverty_office", "civil_affairs", "medical_insurance"


def _rows(people: list[str], category: str) -> list[list[str]]:
    return [[p, f"人{p[-4:]}", "510402", category, "2018-01-01", "", "0", ""] for p in people]


async def test_two_sources_at_once_on_shared_persons(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    known = [id_number("510402") for _ in range(300)]
    # 300 persons exist (from a third source), 300 are new to both files.
    seeded = await upload(
        own_client, csv_bytes(ZH, _rows(known, "tekun")), source=MI, as_of="2018-01-01"
    )
    assert seeded.status_code == 201 and seeded.json()["new"] == 300
    fresh = [id_number("510402") for _ in range(300)]
    everyone = known + fresh
    for round_, as_of in enumerate(("2018-06-01", "2018-07-01", "2018-08-01")):
        # One file in ID order, the other backwards: the rows' order must not be the lock order.
        poor = csv_bytes(ZH, _rows(sorted(everyone), "建档立卡"))
        dibao = csv_bytes(ZH, _rows(sorted(everyone, reverse=True), "低保"))
        if round_:  # later rounds differ from the first (else: the same file, 200)
            poor += (
                f"{fresh[0]},人{fresh[0][-4:]},510402,特困,2018-0{round_ + 1}-01,,0,\r\n".encode()
            )
            dibao += (
                f"{fresh[0]},人{fresh[0][-4:]},510402,特困,2018-0{round_ + 1}-01,,0,\r\n".encode()
            )
        a, b = await asyncio.gather(
            upload(own_client, poor, source=PO, as_of=as_of),
            upload(own_client, dibao, source=CA, as_of=as_of),
        )
        assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
        # Round 0: 600 new periods each; later rounds: the 600 unchanged, 1 new, and the
        # previous round's extra period ended (rounds 2 on).
        expected_new = 600 if round_ == 0 else 1
        assert (a.json()["new"], b.json()["new"]) == (expected_new, expected_new)
        assert a.json()["ended"] == b.json()["ended"] == (1 if round_ == 2 else 0)
    async with engine.connect() as conn:
        persons = await conn.scalar(
            text("SELECT count(*) FROM persons WHERE id_number = ANY(:ids)"), {"ids": everyone}
        )
        by_source = dict(
            (
                await conn.execute(
                    text(
                        "SELECT source, count(*) FROM person_categories WHERE valid_to IS NULL"
                        " AND source <> 'manual' GROUP BY source"
                    )
                )
            ).all()
        )
    assert persons == 600  # each person once, whoever created it
    # Open periods: 600 of each file's category + the last round's extra 特困 (each source);
    # the medical-insurance source's 300 untouched.
    assert by_source == {PO: 601, CA: 601, MI: 300}
    # fresh[0], per source: its file's category, round 1's extra (ended), round 2's (open).
    assert len(await periods(engine, fresh[0])) == 2 * 3


async def test_one_source_waits_for_its_lock_another_does_not(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a, b = id_number("510402"), id_number("510402")
    po_file = csv_bytes(ZH, _rows([a], "建档立卡"))
    ca_file = csv_bytes(ZH, _rows([a, b], "低保"))
    async with engine.connect() as holder:
        await holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(PO)})
        waiting = asyncio.create_task(upload(own_client, po_file, source=PO, as_of="2018-06-01"))
        await until_waiting_on_a_lock(engine)
        # While poverty_office's import waits, civil_affairs imports (a person in common).
        other = await upload(own_client, ca_file, source=CA, as_of="2018-06-01")
        assert other.status_code == 201 and other.json()["new"] == 2
        await asyncio.sleep(0.2)
        assert not waiting.done()
        await holder.rollback()  # releases the lock
    done = await asyncio.wait_for(waiting, 30)
    assert done.status_code == 201 and done.json()["new"] == 1


async def test_one_source_twice_at_once_serializes(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    people = [id_number("510402") for _ in range(50)]
    short = csv_bytes(ZH, _rows(people[:40], "低保"))
    long = csv_bytes(ZH, _rows(people, "低保"))
    first, second = await asyncio.gather(
        upload(own_client, short, source=CA, as_of="2018-06-01"),
        upload(own_client, long, source=CA, as_of="2018-06-01"),
    )
    assert (first.status_code, second.status_code) == (201, 201)
    outcomes = {
        (r.json()["new"], r.json()["unchanged"], r.json()["ended"]) for r in (first, second)
    }
    # Either order, never a mix: short then long = {(40,0,0), (10,40,0)};
    # long then short = {(50,0,0), (0,40,10)}.
    assert outcomes in ({(40, 0, 0), (10, 40, 0)}, {(50, 0, 0), (0, 40, 10)})
    async with engine.connect() as conn:
        rows = await conn.scalar(
            text("SELECT count(*) FROM person_categories WHERE source = 'civil_affairs'")
        )
    assert rows == 50  # one period per person: no duplicate from a race
    # The same file twice at once: imported once; the other answer is the stored import.
    again = csv_bytes(ZH, _rows(people[:45], "低保"))
    x, y = await asyncio.gather(
        upload(own_client, again, source=CA, as_of="2018-07-01"),
        upload(own_client, again, source=CA, as_of="2018-07-01"),
    )
    assert sorted((x.status_code, y.status_code)) == [200, 201]
    assert x.json()["import_id"] == y.json()["import_id"]
