"""Audit log benchmark (issue 15): the Merkle log, ``onestop audit verify`` and the proofs at
1,000,000 entries.

    .venv/bin/python bench/audit.py seed --dir /tmp/audit1m            # 1,000,000 entries
    .venv/bin/python bench/audit.py measure --dir /tmp/audit1m

``seed`` starts an embedded PostgreSQL in ``--dir`` (kept), migrates it, and seeds with SQL
(bench/whatif.py's seeding: ``--settlements`` settlements of its 32 engine-computed bill
templates with their layer lines, every 20th reversed), then the audit entries those rows would
have: one ``settlement.create`` per settlement whose details are what the settle path writes
(amounts, accumulator deltas, layer lines, ``paid_fen_by_fund``: app.settlement.service), one
``settlement.reverse`` per reversal, and plain entries (``api_key.create``-like, small details)
up to ``--entries`` in all. None of them is integrated yet: the seed then runs the real
sequencer (``app.audit.sequencer.integrate_all``, batches of 2,000, one signed head each) and
prints entries/s and batches.

``measure`` starts the same data directory and prints (``--baseline DIR --rounds N``: also
another source tree's verify, e.g. ``git archive`` of main, alternating with this tree's on the
same database; ``--runs 0``: no proofs):

- ``onestop audit verify`` run as a user runs it (a child process of the installed CLI): wall
  time, exit status, its summary line and its peak RSS (``os.wait4``'s ``ru_maxrss``);
- through the app in process (ASGI): median and p90 of ``--runs`` requests each of an entry's
  inclusion proof, a settlement's inclusion proof, a consistency proof between two stored heads
  and ``/v1/audit/head``, on entries and heads spread over the whole log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import bench.whatif as whatif  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.policy import load_directory  # noqa: E402

# A fixed key, for the bench only (the seed's heads and the measured app share it).
BENCH_KEY = "YXVkaXRvcHMtYmVuY2gtb25seS1rZXktMzItYnl0ZXM="

# The settle path's settlement.create details (app/settlement/service.py: audited and
# _audited_rows), built from the stored rows; and the reversal's (service.reverse).
_CREATE_ENTRIES = """
INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id, details)
SELECT s.settled_at, NULL, 'hospital', 'settlement.create', 'settlement', s.id::text,
  'bench-' || s.setl_id,
  jsonb_build_object(
    'hospital_code', s.hospital_code, 'bill_no', s.bill_no, 'policy_version', s.policy_version,
    'total_fen', s.total_fen, 'fund_paid_fen', s.fund_paid_fen, 'self_pay_fen', s.self_pay_fen,
    'paid_fen_by_fund', coalesce((SELECT jsonb_object_agg(x.fund_code, x.paid_fen) FROM (
        SELECT DISTINCT ON (l.fund_code) l.fund_code, l.paid_fen FROM settlement_layers l
        WHERE l.settlement_id = s.id ORDER BY l.fund_code, l.position DESC) x), '{}'::jsonb),
    'replaces', NULL,
    'amounts', jsonb_build_object(
      'hospital_borne_fen', s.hospital_borne_fen, 'full_self_pay_fen', s.full_self_pay_fen,
      'over_limit_fen', s.over_limit_fen, 'pre_self_pay_fen', s.pre_self_pay_fen,
      'in_policy_fen', s.in_policy_fen, 'in_policy_self_pay_fen', s.in_policy_self_pay_fen),
    'accumulator_deltas', s.accumulator_deltas,
    'layers', coalesce((SELECT jsonb_agg(jsonb_build_array(l.layer, l.fund_code, l.base_fen,
        l.paid_fen, l.left_fen) ORDER BY l.position)
      FROM settlement_layers l WHERE l.settlement_id = s.id), '[]'::jsonb))
FROM settlements s WHERE s.setl_id BETWEEN :a AND :b ORDER BY s.setl_id
"""

_REVERSE_ENTRIES = """
INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id, details)
SELECT r.reversed_at, NULL, 'hospital', 'settlement.reverse', 'settlement', s.id::text,
  'bench-r' || s.setl_id,
  jsonb_build_object('hospital_code', s.hospital_code, 'bill_no', s.bill_no,
    'reversal_id', r.id::text, 'reason', r.reason, 'fund_paid_fen', s.fund_paid_fen)
FROM reversals r JOIN settlements s ON s.id = r.settlement_id ORDER BY r.reversed_at
"""

_PLAIN_ENTRIES = """
INSERT INTO audit_log (at, key_id, role, action, entity_type, entity_id, request_id, details)
SELECT timestamptz '2018-01-01 08:00+08' + n * interval '31 seconds', NULL, 'admin',
  (ARRAY['api_key.create', 'hospital.upsert', 'person.upsert', 'policy.publish'])[n % 4 + 1],
  (ARRAY['api_key', 'hospital', 'person', 'policy'])[n % 4 + 1], 'bench-' || n, 'bench-p' || n,
  jsonb_build_object('role', 'hospital', 'label', '基准 ' || n, 'via', 'bench')
FROM generate_series(1, :n) AS n
"""


async def _seed_entries(url: str, total: int) -> None:
    from sqlalchemy import text

    from app.config import Settings
    from app.db.session import make_engine

    engine = make_engine(url, Settings(db_statement_timeout_ms=0))
    try:
        async with engine.begin() as conn:
            lo, hi = (
                await conn.execute(text("SELECT min(setl_id), max(setl_id) FROM settlements"))
            ).one()
        chunk = 100_000
        for a in range(int(lo[1:]), int(hi[1:]) + 1, chunk):  # setl_id: 'S' and 15 digits
            started = time.perf_counter()
            async with engine.begin() as conn:
                await conn.execute(text("SET LOCAL statement_timeout = 0"))
                await conn.execute(
                    text(_CREATE_ENTRIES), {"a": f"S{a:015d}", "b": f"S{a + chunk - 1:015d}"}
                )
            print(
                f"  settlement.create entries to {a + chunk - 1:,} "
                f"({time.perf_counter() - started:.1f} s)",
                file=sys.stderr,
            )
        async with engine.begin() as conn:
            await conn.execute(text("SET LOCAL statement_timeout = 0"))
            await conn.execute(text(_REVERSE_ENTRIES))
            have = int(await conn.scalar(text("SELECT count(*) FROM audit_log")) or 0)
            if total > have:
                await conn.execute(text(_PLAIN_ENTRIES), {"n": total - have})
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("SET statement_timeout = 0"))
            await conn.execute(text("VACUUM ANALYZE audit_log"))
            counts = (
                await conn.execute(
                    text("SELECT action, count(*) FROM audit_log GROUP BY 1 ORDER BY 2 DESC")
                )
            ).all()
        print("entries: " + ", ".join(f"{a} {n:,}" for a, n in counts), flush=True)
    finally:
        await engine.dispose()


async def _integrate(url: str) -> None:
    from sqlalchemy import text

    from app.audit import sequencer, signing
    from app.config import Settings
    from app.db.session import make_engine, make_sessionmaker

    engine = make_engine(url, Settings(db_statement_timeout_ms=0))
    key = signing.load_private_key(BENCH_KEY)
    try:
        started = time.perf_counter()
        added = await sequencer.integrate_all(make_sessionmaker(engine), key)
        seconds = time.perf_counter() - started
        async with engine.connect() as conn:
            heads = await conn.scalar(text("SELECT count(*) FROM audit_tree_heads"))
        print(
            f"integrated {added:,} entries in {seconds:.1f} s = {added / seconds:,.0f} entries/s,"
            f" {heads:,} batches (signed heads) of at most {sequencer.BATCH:,}",
            flush=True,
        )
    finally:
        await engine.dispose()


def seed(directory: Path, settlements: int, entries: int) -> None:
    docs = {d.policy.id: d for d in load_directory()}
    in_force = docs["panzhihua-2018"]
    rows = whatif.templates(random.Random(16), in_force.policy)
    handle = start_embedded(directory / "pg")
    try:
        started = time.perf_counter()
        asyncio.run(
            whatif.seed(
                handle.url, settlements, max(1, settlements // 8), rows, in_force.content_hash
            )
        )
        print(f"seeded {settlements:,} settlements in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        asyncio.run(_seed_entries(handle.url, entries))
        print(f"wrote the entries in {time.perf_counter() - started:.0f} s", flush=True)
        asyncio.run(_integrate(handle.url))
    finally:
        handle.stop()


def verify_cli(url: str, tree: Path | None = None) -> None:
    """``onestop audit verify`` as a child process: wall time, status, peak RSS (``tree``: the
    CLI of another source tree, ``app`` imported from there: a before/after on one database)."""
    env = {**os.environ, "DATABASE_URL": url, "ONESTOP_DB_STATEMENT_TIMEOUT_MS": "0"}
    if tree is not None:
        env["PYTHONPATH"] = str(tree.resolve())
    cli = Path(sys.executable).parent / "onestop"
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(cli), "audit", "verify"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    out = child.stdout.read().decode()
    err = child.stderr.read().decode()
    child.returncode = os.waitstatus_to_exitcode(status)
    print(
        f"onestop audit verify{f' ({tree})' if tree else ''}: {seconds:.1f} s wall,"
        f" peak RSS {usage.ru_maxrss / 1024:,.0f} MiB,"
        f" exit {child.returncode}, user {usage.ru_utime:.1f} s + sys {usage.ru_stime:.1f} s",
        flush=True,
    )
    print("  " + "\n  ".join((out.strip() or err.strip()).splitlines()[:6]), flush=True)


async def _proofs(url: str, runs: int) -> None:
    import httpx
    from sqlalchemy import text

    from app.auth.service import create_key
    from app.config import Settings
    from app.db.session import make_engine, make_sessionmaker
    from app.main import create_app

    settings = Settings(audit_signing_key=BENCH_KEY, audit_sequencer_interval_ms=0)
    engine = make_engine(url, settings)
    rng = random.Random(15)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            _, agency = await create_key(session, "agency", None, "bench")
        async with engine.connect() as conn:
            size = int(await conn.scalar(text("SELECT max(tree_size) FROM audit_tree_heads")))
            sizes = [
                int(s)
                for s in (
                    await conn.scalars(
                        text("SELECT tree_size FROM audit_tree_heads ORDER BY tree_size")
                    )
                ).all()
            ]
            leaves = [rng.randrange(size) for _ in range(runs)]
            entry_ids = [
                int(i)
                for i in (
                    await conn.scalars(
                        text("SELECT id FROM audit_log WHERE leaf_index = ANY(:l)"), {"l": leaves}
                    )
                ).all()
            ]
            settlement_ids = [
                str(s)
                for s in (
                    await conn.scalars(
                        text("SELECT id FROM settlements TABLESAMPLE SYSTEM (1) LIMIT :n"),
                        {"n": runs},
                    )
                ).all()
            ]
    finally:
        await engine.dispose()
    app = create_app(settings, database_url=url)
    headers = {"Authorization": f"Bearer {agency}"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client,
    ):

        async def timed(path: str, params: dict[str, Any] | None = None) -> float:
            started = time.perf_counter()
            response = await client.get(path, headers=headers, params=params)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
            return elapsed

        def consistency_pair() -> dict[str, Any]:
            a, b = sorted(rng.sample(sizes, 2))
            return {"first": a, "second": b}

        cases: list[tuple[str, list[Any]]] = [
            (
                "inclusion proof of an entry",
                [lambda i=i: timed(f"/v1/audit/entries/{i}/proof") for i in entry_ids],
            ),
            (
                "inclusion proof of a settlement's entry",
                [lambda s=s: timed(f"/v1/audit/settlements/{s}/proof") for s in settlement_ids],
            ),
            (
                "consistency proof between two heads",
                [
                    lambda p=pair: timed("/v1/audit/consistency", p)
                    for pair in [consistency_pair() for _ in range(runs)]
                ],
            ),
            (
                "latest signed head (/v1/audit/head)",
                [lambda: timed("/v1/audit/head") for _ in range(runs)],
            ),
        ]
        print(f"through the app in process, {size:,} leaves, {len(sizes):,} heads:")
        for name, calls in cases:
            for call in calls[:5]:  # warm-up
                await call()
            times = sorted([await call() for call in calls])
            print(
                f"| {name} | {statistics.median(times) * 1000:.2f} ms |"
                f" {times[int(len(times) * 0.9)] * 1000:.2f} ms | {len(times)} |",
                flush=True,
            )


def measure(
    directory: Path, runs: int, skip_verify: bool, baseline: Path | None, rounds: int
) -> None:
    handle = start_embedded(directory / "pg")
    try:
        if not skip_verify:
            for round_no in range(rounds):  # A/B alternating, which goes first alternating
                order = [baseline, None] if round_no % 2 == 0 else [None, baseline]
                for tree in order if baseline is not None else [None]:
                    verify_cli(handle.url, tree)
        if runs:
            asyncio.run(_proofs(handle.url, runs))
    finally:
        handle.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stage", choices=["seed", "measure"])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--settlements", type=int, default=800_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also run another source tree's onestop audit verify, alternating with this one's",
    )
    parser.add_argument("--rounds", type=int, default=1, help="verify runs (of each tree)")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    if args.stage == "seed":
        seed(args.dir, args.settlements, args.entries)
    else:
        measure(args.dir, args.runs, args.skip_verify, args.baseline, args.rounds)


if __name__ == "__main__":
    main()
