"""Migration 0022 on a database that has a hash chain: its entries become the first leaves, in
chain (id) order, their hashes still verify, and the downgrade chains what was written since."""

from __future__ import annotations

from alembic import command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from app.audit.sequencer import integrate_all
from app.audit.service import GENESIS, entry_body, entry_hash, record, verify
from app.audit.verification import verify_all
from app.db.migrate import _run, downgrade, upgrade_to_head


async def test_the_old_chain_becomes_the_first_leaves(fresh_database_url: str) -> None:
    url = fresh_database_url
    await _run(url, lambda config: command.upgrade(config, "0021"))
    engine = create_async_engine(url, poolclass=NullPool)
    sessions = async_sessionmaker(engine)
    try:
        # Three entries chained by the 0006 trigger (two transactions), as main wrote them.
        for names in (["old-0", "old-1"], ["old-2"]):
            async with sessions() as session:
                for name in names:
                    session.sync_session.info.setdefault("audit_pending", []).append(
                        {
                            "key_id": None,
                            "role": "system",
                            "action": "test.old",
                            "entity_type": "probe",
                            "entity_id": name,
                            "request_id": None,
                            "details": {"名": name},
                        }
                    )
                await session.commit()
        async with engine.connect() as conn:
            old = (await conn.execute(text("SELECT id, hash FROM audit_log ORDER BY id"))).all()
        assert len(old) == 3 and all(h is not None for _, h in old)

        await upgrade_to_head(url)
        async with sessions() as session:
            record(session, None, "test.new", "probe", "new-0", {})
            await session.commit()
        await integrate_all(sessions, Ed25519PrivateKey.generate())
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text("SELECT id, leaf_index, hash FROM audit_log ORDER BY leaf_index")
                )
            ).all()
        # The chain first, in id order, then the new entry (no hash).
        assert [(r.id, r.leaf_index) for r in rows[:3]] == [(i, n) for n, (i, _) in enumerate(old)]
        assert rows[3].leaf_index == 3 and rows[3].hash is None
        async with sessions() as session, session.begin():
            checked, broken = await verify(session)
            assert (checked, broken) == (3, None)
            report = await verify_all(session)
            assert report.ok, report.problems
            assert (report.leaves, report.chain_checked) == (4, 3)
        # Editing an old entry breaks its chain link and its leaf.
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            await conn.execute(
                text("UPDATE audit_log SET details = '{}' WHERE id = :id"), {"id": old[1][0]}
            )
            await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
        async with sessions() as session, session.begin():
            report = await verify_all(session)
            assert report.broken_entry_id == old[1][0]
            assert any("pre-0022 chain" in p for p in report.problems)
            assert any("does not match leaf hash 1" in p for p in report.problems)
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            await conn.execute(
                text("UPDATE audit_log SET details = CAST(:d AS jsonb) WHERE id = :id"),
                {"d": '{"名": "old-1"}', "id": old[1][0]},
            )
            await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    finally:
        await engine.dispose()

    # Down to 0021: the new entry is chained after the old ones, and the old walk passes.
    await downgrade(url, "0021")
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, at, key_id, role, action, entity_type, entity_id, request_id,"
                        " details, prev_hash, hash FROM audit_log ORDER BY id"
                    )
                )
            ).all()
        prev = GENESIS
        for r in rows:
            assert r.prev_hash == prev
            fields = (r.at, r.key_id, r.role, r.action, r.entity_type, r.entity_id, r.request_id)
            assert r.hash == entry_hash(prev, *fields, r.details)
            assert entry_body(*fields, r.details)  # the canonical body the trigger chained
            prev = r.hash
        assert len(rows) == 4
    finally:
        await engine.dispose()
