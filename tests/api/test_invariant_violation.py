"""An engine invariant that does not hold is a bug (STYLE.md §2): 500 ``invariant_violation``,
nothing stored, and one ERROR line with what it takes to replay the settlement: the invariant,
the policy, the claim and the accumulators, the ID number masked."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.engine import Totals, pipeline

from .conftest import assert_problem, bill_no, make_bill, masked, new_person, preview, settle

pytestmark = pytest.mark.usefixtures("demo")


def _break_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bill's classes no longer add up to its total: one fen too many in the total, which
    ``settle``'s ``ensure()`` after the layers catches."""
    classify = pipeline.classify

    def off_by_one_fen(lines: object) -> Totals:
        totals = classify(lines)  # type: ignore[arg-type]
        return dataclasses.replace(totals, total_fen=totals.total_fen + 1)

    monkeypatch.setattr(pipeline, "classify", off_by_one_fen)


async def _stored(engine: AsyncEngine, id_number: str) -> dict[str, object]:
    """The person's settlements, accumulators and audit entries about their settlements."""
    async with engine.connect() as conn:
        settlements = await conn.scalar(
            text(
                "SELECT count(*) FROM settlements s JOIN persons p ON p.id = s.person_id"
                " WHERE p.id_number = :id"
            ),
            {"id": id_number},
        )
        accumulators = dict(
            (
                await conn.execute(
                    text(
                        "SELECT a.key, a.amount_fen FROM accumulators a"
                        " JOIN persons p ON p.id = a.person_id"
                        " WHERE p.id_number = :id AND a.year = 2018"
                    ),
                    {"id": id_number},
                )
            ).all()
        )
        audited = await conn.scalar(
            text(
                "SELECT count(*) FROM audit_log WHERE action = 'settlement.create'"
                " AND entity_id IN (SELECT s.id::text FROM settlements s"
                " JOIN persons p ON p.id = s.person_id WHERE p.id_number = :id)"
            ),
            {"id": id_number},
        )
    return {"settlements": settlements, "accumulators": accumulators, "audited": audited}


async def test_a_broken_invariant_is_500_logged_once_and_stores_nothing(
    client: AsyncClient,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = await new_person(client, ["dibao"])
    earlier = await settle(client, make_bill(bill_no(), person))  # some accumulators to log
    assert earlier.status_code == 201, earlier.text
    before = await _stored(engine, person)
    # the earlier settlement: 1 row, its accumulators, 1 audit entry
    assert before["settlements"] == 1 and before["accumulators"] and before["audited"] == 1

    _break_the_engine(monkeypatch)
    caplog.set_level(logging.ERROR, logger="app.errors")
    response = await settle(client, make_bill(bill_no(), person))

    body = assert_problem(response, 500, "invariant_violation")
    assert "Nothing was stored" in body["detail"]
    assert await _stored(engine, person) == before

    (record,) = [r for r in caplog.records if r.name == "app.errors"]
    assert record.levelno == logging.ERROR
    line = record.getMessage()
    assert "\n" not in line and record.exc_info is None  # one line, no traceback
    assert "bill classes do not add up to the total" in line
    assert "pipeline.py" in line  # where the invariant was checked
    assert person not in line and masked(person) in line
    inputs = json.loads(line.split("; inputs ", 1)[1])
    # make_bill's default bill (tests/api/conftest.py): 4 lines at H510402001, a secondary
    # hospital in the person's county 510402; the accumulators are the earlier settlement's.
    assert inputs == {
        "policy": "panzhihua-2018",
        "person": masked(person),
        "lines": 4,
        "level": "secondary",
        "in_county": True,
        "referral": False,
        "categories": ["dibao"],
        "accumulators": before["accumulators"],
    }


async def test_a_broken_invariant_in_a_preview_is_500_too(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    person = await new_person(client)
    _break_the_engine(monkeypatch)
    caplog.set_level(logging.ERROR, logger="app.errors")
    response = await preview(client, make_bill(bill_no(), person))
    assert_problem(response, 500, "invariant_violation")
    (record,) = [r for r in caplog.records if r.name == "app.errors"]
    assert '"accumulators": {}' in record.getMessage()  # a new person: nothing so far
