"""The commit-time trigger (migration 0006) chains entries in the database exactly as
``entry_hash`` does in Python, several per transaction included, whatever the text; a rolled-back
transaction leaves nothing, and nothing waits in ``audit_pending`` after a commit."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.audit.models import AuditEntry, AuditPending
from app.audit.service import entry_hash, record, verify


async def test_entries_of_one_transaction_are_chained_in_order(engine: AsyncEngine) -> None:
    details = [{"reason": "费用录入错误，重新结算", "n": n, "quote": 'a"b\\c'} for n in range(3)]
    async with AsyncSession(engine) as session:
        for n, detail in enumerate(details):
            record(session, None, "test.append", "probe", f"multi-{n}", detail)
        await session.commit()

    async with AsyncSession(engine) as session:
        rows = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id.like("multi-%"))
                .order_by(AuditEntry.id)
            )
        ).all()
        assert [r.entity_id for r in rows] == ["multi-0", "multi-1", "multi-2"]
        assert [r.details for r in rows] == details
        assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
        assert len({r.at for r in rows}) == 1  # one transaction, one time
        for row in rows:
            assert row.role == "system" and row.key_id is None
            expected = entry_hash(
                row.prev_hash,
                row.at,
                row.key_id,
                row.role,
                row.action,
                row.entity_type,
                row.entity_id,
                row.request_id,
                row.details,
            )
            assert row.hash == expected
        checked, broken = await verify(session)
        assert broken is None and checked >= 3


async def test_concurrent_transactions_keep_one_chain(engine: AsyncEngine) -> None:
    async def one(n: int) -> None:
        async with AsyncSession(engine) as session:
            record(session, None, "test.append", "probe", f"race-{n}", {"n": n})
            await session.commit()

    await asyncio.gather(*(one(n) for n in range(12)))
    async with AsyncSession(engine) as session:
        _, broken = await verify(session)
        assert broken is None, broken
        rows = (
            await session.scalars(select(AuditEntry).where(AuditEntry.entity_id.like("race-%")))
        ).all()
        assert sorted(r.entity_id for r in rows) == sorted(f"race-{n}" for n in range(12))


async def test_rolled_back_entries_leave_nothing_and_committed_ones_do_not_wait(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        record(session, None, "test.append", "probe", "rolled-back", {})
        await session.execute(select(1))  # a request's transaction has begun
        await session.rollback()
        record(session, None, "test.append", "probe", "committed", {})
        await session.commit()

    async with AsyncSession(engine) as session:
        ids = (
            await session.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity_id.in_(["rolled-back", "committed"])
                )
            )
        ).all()
        assert ids == ["committed"]
        assert await session.scalar(select(func.count()).select_from(AuditPending)) == 0
