"""kill -9 between a 2304's commit and its answer, then the HIS's retry with the same msgid: the
stored answer, byte for byte, and no second settlement.

The server is a real ``onestop serve --demo`` process (tests/faults/conftest.py). It is killed
at the chosen point by a ``sitecustomize`` on its ``PYTHONPATH`` (this test's, in a temp dir;
nothing in ``app/`` knows): a SQLAlchemy ``after_commit`` listener sends SIGKILL to its own
process right after PostgreSQL confirmed the COMMIT of the transaction that stored the 2304
message named by ``ONESTOP_TEST_KILL_AFTER_COMMIT_OF``. The answer, already stored, never
leaves. The server is then started again without the hook, on the same database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from nhsa.fsi import HOSPITAL, call, envelope, msgid
from nhsa.his import psn_no_of, register, settle_input, visit_with_lines
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from .conftest import check_ledger, client

pytestmark = pytest.mark.faults

HOOK = """
import os
import signal

_TARGET = os.environ.get("ONESTOP_TEST_KILL_AFTER_COMMIT_OF")
if _TARGET:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @event.listens_for(Session, "after_flush")
    def _mark(session, flush_context):
        for obj in session.new:
            if type(obj).__name__ == "NhsaMessage" and getattr(obj, "msgid", None) == _TARGET:
                if getattr(obj, "infno", None) == "2304":
                    session.info["kill_after_commit"] = True

    @event.listens_for(Session, "after_commit")
    def _kill(session):
        if session.info.pop("kill_after_commit", False):
            os.kill(os.getpid(), signal.SIGKILL)
"""

# XA06 甲 1280.00 × 2 + XC01 丙 100.00 × 1 = 2660.00
LINES = [("1", "XA06", "1280.00", "2"), ("2", "XC01", "100.00", "1")]
TOTAL = "2660.00"


async def _stored(database_url: str, mdtrt_id: str, msg: str) -> tuple[list[str], bytes | None]:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            settlements = [
                str(sid)
                for (sid,) in await conn.execute(
                    text("SELECT id FROM settlements WHERE mdtrt_id = :m"), {"m": mdtrt_id}
                )
            ]
            answer = await conn.scalar(
                text("SELECT answer FROM nhsa_messages WHERE hospital_code = :h AND msgid = :m"),
                {"h": HOSPITAL, "m": msg},
            )
    finally:
        await engine.dispose()
    return settlements, answer


async def test_kill_9_after_2304_commits_then_the_retry_gets_the_stored_answer(
    fault_database_url: str, start_server: Any, tmp_path: Path
) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    msg = msgid()
    server = start_server(
        fault_database_url, PYTHONPATH=str(hook), ONESTOP_TEST_KILL_AFTER_COMMIT_OF=msg
    )
    async with client(server) as http:
        psn_no = await psn_no_of(http, await register(http))
        mdtrt_id = await visit_with_lines(http, psn_no, LINES)
        body = envelope("2304", settle_input(psn_no, mdtrt_id, TOTAL), msg=msg)
        with pytest.raises(httpx.TransportError):  # the answer never came
            await call(http, body)
    assert server.proc is not None
    assert server.proc.wait(timeout=10) == -9  # killed by the hook, not stopped

    # The commit landed: one settlement, the answer stored with it.
    settlements, answer = await _stored(fault_database_url, mdtrt_id, msg)
    assert len(settlements) == 1 and answer is not None

    server.env.pop("ONESTOP_TEST_KILL_AFTER_COMMIT_OF")
    server.start()  # same database, same port, no hook
    async with client(server) as http:
        retry = await call(http, body)  # what the HIS does: the same message again
        assert retry.status_code == 200
        assert retry.content == answer  # the stored answer, byte for byte
        assert retry.json()["infcode"] == 0
        # A 2304 under a new msgid is a second settlement attempt: refused.
        again = await call(http, {**body, "msgid": msgid()})
        assert again.json()["err_msg"] == "FSI-输入[data].mdtrt_id：该就诊已结算，请勿重复结算"
        assert (await _stored(fault_database_url, mdtrt_id, msg))[0] == settlements
        # one active settlement per bill, layers and items, audit, accumulators = Σ deltas
        await check_ledger(fault_database_url, http, {(HOSPITAL, mdtrt_id): settlements[0]})
