"""What the durability barrier (app/db/durability.py) costs per commit, A/B on one connection.

    .venv/bin/python bench/commit_barrier.py [--rounds 7] [--transactions 300]

Starts an embedded PostgreSQL (pgserver) in a temp dir, no standby (the barrier's price here is
its round trip and, for a transaction that wrote nothing, the WAL flush its commit record now
needs; under synchronous replication a write waits for the standby either way). Through the
app's own engine (``app.db.session.make_engine``, log listener attached) it times transactions
of four kinds, interleaved round by round, and prints the median per transaction:

- ``write``: one INSERT, then ``session.commit()`` (before) / ``durability.commit(barrier=True)``
  (now) — what a settlement's commit pays;
- ``replay``: one SELECT, then the same two — what an idempotent replay pays.

Twice: as configured (``synchronous_commit = on``: a commit that wrote WAL waits for its flush,
which on a shared disk is most of a write's time and noisy), then with ``synchronous_commit =
off`` (no flush wait), which leaves the barrier's own price, its round trip.

Not part of the test suite; figures in bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db.durability import commit  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402


async def run(rounds: int, transactions: int) -> None:
    with tempfile.TemporaryDirectory(prefix="onestop-barrier-") as tmp:
        handle = await asyncio.to_thread(
            start_embedded, Path(tmp) / "pg", database="onestop", cleanup_mode="delete"
        )
        try:
            for synchronous_commit in ("on", "off"):
                await measure(handle.url, synchronous_commit, rounds, transactions)
        finally:
            await asyncio.to_thread(handle.stop)


async def measure(url: str, synchronous_commit: str, rounds: int, transactions: int) -> None:
    setup = make_engine(url, Settings())
    try:
        async with setup.begin() as conn:
            await conn.execute(
                text(f"ALTER DATABASE onestop SET synchronous_commit = {synchronous_commit}")
            )
            await conn.execute(text("CREATE TABLE IF NOT EXISTS bench_rows (id bigserial, v int)"))
    finally:
        await setup.dispose()  # the setting applies to the connections opened after it
    engine = make_engine(url, Settings())
    sessions = make_sessionmaker(engine)
    try:

        async def write_plain(s: AsyncSession) -> None:
            await s.execute(text("INSERT INTO bench_rows (v) VALUES (1)"))
            await s.commit()

        async def write_barrier(s: AsyncSession) -> None:
            await s.execute(text("INSERT INTO bench_rows (v) VALUES (1)"))
            await commit(s, barrier=True)

        async def replay_plain(s: AsyncSession) -> None:
            await s.execute(text("SELECT v FROM bench_rows WHERE id = 1"))
            await s.commit()

        async def replay_barrier(s: AsyncSession) -> None:
            await s.execute(text("SELECT v FROM bench_rows WHERE id = 1"))
            await commit(s, barrier=True)

        kinds: dict[str, Callable[[AsyncSession], Awaitable[None]]] = {
            "write, commit (before)": write_plain,
            "write, barrier + commit (now)": write_barrier,
            "replay, commit (before)": replay_plain,
            "replay, barrier + commit (now)": replay_barrier,
        }
        timings: dict[str, list[float]] = {name: [] for name in kinds}
        async with sessions() as session:
            for step in kinds.values():  # warm-up
                for _ in range(20):
                    await step(session)
            for _ in range(rounds):
                for name, step in kinds.items():
                    start = time.perf_counter()
                    for _ in range(transactions):
                        await step(session)
                    timings[name].append((time.perf_counter() - start) / transactions)
    finally:
        await engine.dispose()
    medians = {name: statistics.median(values) * 1e6 for name, values in timings.items()}
    print(
        f"synchronous_commit = {synchronous_commit}: {rounds} interleaved rounds of "
        f"{transactions} transactions; median per transaction"
    )
    for name, us in medians.items():
        print(f"  {name:34} {us:8.0f} µs")
    for kind in ("write", "replay"):
        before = medians[f"{kind}, commit (before)"]
        now = medians[f"{kind}, barrier + commit (now)"]
        print(f"  {kind} barrier cost: {now - before:+.0f} µs per commit ({now / before - 1:+.0%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--transactions", type=int, default=300)
    args = parser.parse_args(argv)
    asyncio.run(run(args.rounds, args.transactions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
