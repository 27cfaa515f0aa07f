"""The commit-time trigger (migrations 0006, 0022) moves each entry into ``audit_log`` with the
commit, several per transaction included, whatever the text, and takes no lock; a rolled-back
transaction leaves nothing, and nothing waits in ``audit_pending`` after a commit. The
sequencer then makes them leaves (tests/audit/test_log.py)."""

from __future__ import annotations

import asyncio

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.audit.models import AuditEntry, AuditPending
from app.audit.sequencer import integrate_all
from app.audit.service import record


async def test_entries_of_one_transaction_are_stored_in_order(engine: AsyncEngine) -> None:
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
        assert len({r.at for r in rows}) == 1  # one transaction, one time
        assert len({r.xact_id for r in rows}) == 1  # and one transaction id
        for row in rows:
            assert row.role == "system" and row.key_id is None
            assert row.hash is None and row.prev_hash is None  # no chain since 0022


async def test_concurrent_transactions_all_become_leaves(engine: AsyncEngine) -> None:
    async def one(n: int) -> None:
        async with AsyncSession(engine) as session:
            record(session, None, "test.append", "probe", f"race-{n}", {"n": n})
            await session.commit()

    await asyncio.gather(*(one(n) for n in range(12)))
    await integrate_all(async_sessionmaker(engine), Ed25519PrivateKey.generate())
    async with AsyncSession(engine) as session:
        rows = (
            await session.scalars(select(AuditEntry).where(AuditEntry.entity_id.like("race-%")))
        ).all()
        assert sorted(r.entity_id for r in rows) == sorted(f"race-{n}" for n in range(12))
        assert all(r.leaf_index is not None for r in rows)


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
