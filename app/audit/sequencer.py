"""The sequencer: integrates committed audit entries into the Merkle tree, in batches.

Entries are written by the requests' own transactions with no lock (migration 0022); each row
carries the id of the transaction that wrote it (``xact_id``). One batch is one transaction:

1. ``pg_try_advisory_xact_lock``: one leader at a time (another process's sequencer that finds
   the lock held does nothing this round); the lock ends with the batch, so a killed leader
   leaves nothing behind and any process takes over at its next tick.
2. In one statement (one snapshot): the entries without a leaf index whose ``xact_id`` is below
   ``pg_snapshot_xmin`` of that snapshot, in ``(xact_id, id)`` order. Every transaction with a
   smaller id has finished, so no entry can ever appear before one already placed (the
   technique of ``app.reconciliation.cursor``).
3. Assign leaf indices after the current size, store the new complete subtrees, sign the head
   of the new size, and commit: all of it or none (a batch killed midway is rolled back and
   redone by the next one, so each entry gets its index exactly once; ``leaf_index`` and the
   head's ``tree_size`` are UNIQUE as a backstop).

The order guarantee, exactly: leaves are in ``(xact_id, id)`` order, and an entry whose
transaction committed before another transaction took its id (its first write) comes first.
So anything that could have read a settlement's result (its ``201``) and then wrote comes after
it. Two transactions that overlapped are ordered by their ids, not by which committed first: no
order finer than that exists without making commits wait for each other, which is what this
replaces. An entry waits for integration while an older writing transaction is still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import merkle, signing
from .models import AuditEntry, TreeHead
from .service import leaf_data

__all__ = ["Sequencer", "integrate_once", "load_nodes", "perfect_lookup"]

logger = logging.getLogger(__name__)

_LEADER_KEY = 0x61756469745F7371  # "audit_sq"
BATCH = 2000

_CANDIDATES = text(
    """
SELECT id FROM audit_log
WHERE leaf_index IS NULL
  AND xact_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY xact_id, id
LIMIT :batch
"""
)


async def load_nodes(
    session: AsyncSession, wanted: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], bytes]:
    pairs = sorted(set(wanted))
    if not pairs:
        return {}
    rows = await session.execute(
        text(
            "SELECT n.level, n.idx, n.hash FROM audit_tree_nodes n"
            " JOIN unnest(CAST(:levels AS smallint[]), CAST(:idxs AS bigint[])) AS w(level, idx)"
            " ON n.level = w.level AND n.idx = w.idx"
        ),
        {"levels": [p[0] for p in pairs], "idxs": [p[1] for p in pairs]},
    )
    return {(int(r[0]), int(r[1])): bytes(r[2]) for r in rows}


def _wanted(compute: object) -> set[tuple[int, int]]:
    """The perfect subtrees a computation asks for (dry run with placeholder hashes)."""
    asked: set[tuple[int, int]] = set()

    def fake(level: int, index: int) -> bytes:
        asked.add((level, index))
        return bytes(32)

    compute(fake)  # type: ignore[operator]
    return asked


async def perfect_lookup(
    session: AsyncSession, compute: object, known: dict[tuple[int, int], bytes] | None = None
) -> object:
    """Run ``compute(perfect)`` with the stored subtrees it needs, fetched in one query."""
    known = dict(known or {})
    missing = [w for w in _wanted(compute) if w not in known]
    known.update(await load_nodes(session, missing))

    def perfect(level: int, index: int) -> bytes:
        try:
            return known[(level, index)]
        except KeyError:
            raise LookupError(f"audit tree node ({level}, {index}) is missing") from None

    return compute(perfect)  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class Integrated:
    leaves: int
    tree_size: int


async def integrate_once(
    session: AsyncSession, key: Ed25519PrivateKey, batch: int = BATCH, wait: bool = False
) -> Integrated:
    """One batch in the session's (new) transaction, committed here. Returns how many leaves
    it added (0: nothing committed to add, or another process leads and ``wait`` is false;
    with ``wait``, the batch waits for the leader's batch to end) and the tree size."""
    async with session.begin():
        if wait:  # a leader's batch may outlast the statement timeout on a loaded machine
            await session.execute(text("SET LOCAL statement_timeout = 0"))
            await session.execute(text("SET LOCAL lock_timeout = '120s'"))
            await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LEADER_KEY})
        elif not await session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _LEADER_KEY}
        ):
            return Integrated(0, -1)
        size = int(
            await session.scalar(
                select(TreeHead.tree_size).order_by(TreeHead.tree_size.desc()).limit(1)
            )
            or 0
        )
        ids = list((await session.scalars(_CANDIDATES, {"batch": batch})).all())
        if not ids:
            return Integrated(0, size)
        rows = {
            r.id: r
            for r in (await session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids)))).all()
        }
        new: dict[tuple[int, int], bytes] = {}  # the nodes this batch completes
        for offset, entry_id in enumerate(ids):
            new[(0, size + offset)] = merkle.leaf_hash(leaf_data(rows[entry_id]))
        end = size + len(ids)
        known = dict(new)
        # The new complete subtrees, level by level; a left child may be an old node.
        level = 1
        while (end >> level) > (size >> level):
            lo, hi = size >> level, end >> level
            need = [(level - 1, c) for i in range(lo, hi) for c in (2 * i, 2 * i + 1)]
            known.update(await load_nodes(session, [n for n in need if n not in known]))
            for i in range(lo, hi):
                new[(level, i)] = known[(level, i)] = merkle.node_hash(
                    known[(level - 1, 2 * i)], known[(level - 1, 2 * i + 1)]
                )
            level += 1
        root: bytes = await perfect_lookup(  # type: ignore[assignment]
            session, lambda perfect: merkle.root_from_perfect(perfect, end), known
        )
        await session.execute(
            text(
                "UPDATE audit_log a SET leaf_index = v.idx"
                " FROM unnest(CAST(:ids AS bigint[]), CAST(:idxs AS bigint[])) AS v(id, idx)"
                " WHERE a.id = v.id"
            ),
            {"ids": ids, "idxs": list(range(size, end))},
        )
        await session.execute(
            text(
                "INSERT INTO audit_tree_nodes (level, idx, hash) SELECT * FROM"
                " unnest(CAST(:levels AS smallint[]), CAST(:idxs AS bigint[]),"
                " CAST(:hashes AS bytea[]))"
            ),
            {
                "levels": [k[0] for k in new],
                "idxs": [k[1] for k in new],
                "hashes": list(new.values()),
            },
        )
        await sign_head(session, key, end, root)
        return Integrated(len(ids), end)


async def sign_head(session: AsyncSession, key: Ed25519PrivateKey, size: int, root: bytes) -> None:
    public = signing.public_bytes(key.public_key())
    kid = signing.key_id(public)
    await session.execute(
        text(
            "INSERT INTO audit_signing_keys (key_id, public_key) VALUES (:k, :p)"
            " ON CONFLICT (key_id) DO NOTHING"
        ),
        {"k": kid, "p": public},
    )
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)  # whole milliseconds (and seconds)
    session.add(
        TreeHead(
            tree_size=size,
            root_hash=root,
            signed_at=at,
            key_id=kid,
            signature=key.sign(signing.head_message(size, root, at)),
        )
    )
    await session.flush()


async def integrate_all(
    sessionmaker: async_sessionmaker[AsyncSession],
    key: Ed25519PrivateKey,
    batch: int = BATCH,
    wait: bool = True,
) -> int:
    """Batches until nothing is left below the horizon; returns the leaves added. ``wait``:
    wait for another leader's batch instead of leaving the work to it (the CLI, tests)."""
    added = 0
    while True:
        async with sessionmaker() as session:
            done = await integrate_once(session, key, batch, wait)
        added += done.leaves
        if done.leaves < batch:
            return added


class Sequencer:
    """The background task of the service (started in the lifespan)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key: Ed25519PrivateKey,
        interval_s: float,
    ) -> None:
        self.sessionmaker, self.key, self.interval_s = sessionmaker, key, interval_s
        self.batch = BATCH
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="audit-sequencer")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None

    async def _run(self) -> None:
        while True:
            try:
                await integrate_all(self.sessionmaker, self.key, self.batch, wait=False)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database down, a failover: try again at the next tick
                logger.warning("audit sequencer: batch failed; retrying", exc_info=True)
            await asyncio.sleep(self.interval_s)
