"""A structural guard, not a timing: how many SQL statements one 2304 runs, and in which lock
order (bench/README.md "2304 beside /v1").

A 2304 runs 7 statements (BEGIN and COMMIT aside): the dispatcher's county + ``inf_refmsgid``
number + message lock, its message lookup; the visit's lock with its person; the visit's
standing settlement, its latest reversed one and its netted lines; ``settle_spec``'s bill lock +
registries + person-year lock + state, and its insert; the message insert. Before this guard it
was 13. The visit's lock must come first (it serialises against 2301 of the visit), before the
lines are read, and both before the bill lock. The commit's durability barrier
(app/db/durability.py, one round trip right before COMMIT) is counted with COMMIT.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event

from app.db.durability import BARRIER

from .fsi import ok
from .test_settle import LINES, send, settle_node, visit

pytestmark = pytest.mark.usefixtures("demo")

MAX_STATEMENTS = 7


async def test_one_2304_runs_at_most_seven_statements_in_lock_order(
    app: FastAPI, client: AsyncClient
) -> None:
    # 200 lines: the example's four lines 50 times, 50 × 20000.00 = 1,000,000.00
    lines = [LINES[i % len(LINES)] for i in range(200)]
    warm, counted = await visit(client, lines=lines), await visit(client, lines=lines)
    ok(await send(client, "2304", settle_node(warm, medfee="1000000.00")))
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "api_keys" not in statement:  # the key cache's refresh, on its own clock
            seen.append(" ".join(statement.split()))

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        out = ok(await send(client, "2304", settle_node(counted, medfee="1000000.00")))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert out["setlinfo"]["medfee_sumamt"] == 1000000.0
    # The durability barrier (app/db/durability.py) belongs to COMMIT: sent once, just before it.
    assert seen.pop() == " ".join(str(BARRIER).split()), "\n".join(seen)
    assert str(BARRIER) not in seen
    assert len(seen) <= MAX_STATEMENTS, "\n".join(seen)

    def first(fragment: str) -> int:
        return next(i for i, s in enumerate(seen) if fragment in s)

    visit_lock = first("FOR UPDATE OF visits")
    lines_read = first("FROM fee_lines")
    bill_lock = first("pg_advisory_xact_lock($1) AS bill_locked")
    assert visit_lock < lines_read < bill_lock
