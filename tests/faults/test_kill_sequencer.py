"""``onestop audit sequence`` killed with SIGKILL in the middle of its batches: what it had
committed stays, what it was doing is rolled back by PostgreSQL, and the next run integrates
every entry exactly once; the log then verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from app.audit.service import record
from app.audit.verification import verify_all

pytestmark = pytest.mark.faults


async def test_the_sequencer_killed_mid_batch_loses_and_repeats_nothing(
    own_database_url: str,
) -> None:
    url = own_database_url
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        # 12,000 entries in 12 transactions: six batches of 2,000 for the sequencer.
        for t in range(12):
            async with AsyncSession(engine) as session:
                for n in range(1000):
                    record(session, None, "test.fault", "probe", f"k-{t}-{n}", {"n": n})
                await session.commit()
        env = {**os.environ, "DATABASE_URL": url}
        command = [sys.executable, "-m", "app.cli", "audit", "sequence"]
        for after_s in (1.5, 2.0):  # killed twice while it starts or works, wherever it got to
            proc = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(after_s)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        async with AsyncSession(engine) as session:
            rows = (
                await session.execute(
                    text("SELECT leaf_index, xact_id, id FROM audit_log ORDER BY leaf_index")
                )
            ).all()
            waiting = await session.scalar(
                text("SELECT count(*) FROM audit_log WHERE leaf_index IS NULL")
            )
        assert waiting == 0
        assert [r[0] for r in rows] == list(range(len(rows)))  # every entry once, no gap
        assert [(r[1], r[2]) for r in rows] == sorted((r[1], r[2]) for r in rows)
        async with async_sessionmaker(engine)() as session, session.begin():
            report = await verify_all(session)
        assert report.ok, report.problems
        assert report.leaves == len(rows) >= 12_000
    finally:
        await engine.dispose()
