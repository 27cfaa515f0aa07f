"""Reports benchmark (issue 15): reconciliation pulls at 1,000,000 and 10,000,000 settlements.

    .venv/bin/python bench/reports.py seed --dir /tmp/rep10m --settlements 10000000
    .venv/bin/python bench/reports.py measure --dir /tmp/rep10m [--upgrade]
    .venv/bin/python bench/reports.py settle-ab|index-ab --dir /tmp/rep1m

``seed`` starts an embedded PostgreSQL in ``--dir`` (kept), migrates it to this tree's head,
loads the demo registry and seeds ``--settlements`` settlements with SQL (``generate_series``,
bench/whatif.py's 32 engine-computed bill templates), spread evenly over the 720 days from
2018-01-01 (so one month holds 1/24 of them, one year half), every 20th reversed a day later.
``measure`` starts the same data directory again (``--upgrade``: first migrate it to this
tree's head, timed: that is the rollup backfill of migration 0023) and prints, each the median
of 3 through the API (the app in process, requests through its ASGI interface):

- totals, one month (2018-06), all hospitals;
- totals + check, one month, one hospital;
- totals, one year (2018), all hospitals;
- poverty ledger, one year;
- details, a page of 1,000: the first and second page of the month, its 50th page, the first
  page of the year, and the first page of one hospital's month;
- settlement p50 of 200 settlements of fresh bills on this database.

Run ``measure`` once with main's tree (before) and once with this one after ``--upgrade``.
``settle-ab`` and ``index-ab`` time settlements with the rollup triggers (migration 0023), or
the details-page indexes (0024), on and off, interleaved round by round on one database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import bench.whatif as whatif  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.policy import load_directory  # noqa: E402

DAYS = 720


def seed(directory: Path, count: int) -> None:
    whatif._SETTLEMENTS = whatif._SETTLEMENTS.replace("'360 days'", f"'{DAYS} days'")
    docs = {d.policy.id: d for d in load_directory()}
    in_force = docs["panzhihua-2018"]
    rows = whatif.templates(random.Random(16), in_force.policy)
    handle = start_embedded(directory / "pg")
    try:
        started = time.perf_counter()
        asyncio.run(whatif.seed(handle.url, count, max(1, count // 8), rows, in_force.content_hash))
        print(f"seeded {count:,} settlements in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        handle.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stage", choices=["seed", "measure", "settle-ab", "index-ab"])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--settlements", type=int, default=1_000_000)
    parser.add_argument("--upgrade", action="store_true")
    args = parser.parse_args()
    if args.stage == "seed":
        seed(args.dir, args.settlements)
    elif args.stage in ("settle-ab", "index-ab"):
        settle_ab(args.dir, "triggers" if args.stage == "settle-ab" else "indexes")
    else:
        measure(args.dir, args.upgrade)


MONTH = ("2018-06-01", "2018-06-30")
YEAR = ("2018-01-01", "2018-12-31")
RUNS = 3
SETTLE = 200
DEEP = 50  # the page deep in the month the details are timed at


async def _keys(url: str) -> tuple[str, str, str]:
    """An agency key, and a hospital key of the first designated hospital, and its code."""
    from app.auth.service import create_key
    from app.config import Settings
    from app.db.session import make_engine, make_sessionmaker

    engine = make_engine(url, Settings())
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            _, agency = await create_key(session, "agency", None, "bench")
            hospital = whatif.DESIGNATED[0][0]
            _, own = await create_key(session, "hospital", hospital, "bench")
    finally:
        await engine.dispose()
    return agency, own, hospital


_TRIGGERS = (
    ("settlements", "report_rollup_settlements_insert"),
    ("settlement_layers", "report_rollup_layers_insert"),
)


def _details_indexes() -> dict[str, str]:
    """Migration 0024's indexes of the details pages: name -> ``table (columns)``."""
    import importlib.util

    path = next(ROOT.glob("migrations/versions/*-0024_details_page_indexes.py"))
    spec = importlib.util.spec_from_file_location("migration_0024", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    indexes: dict[str, str] = module.INDEXES
    return indexes


async def _switch(conn: Any, what: str, state: str) -> None:
    """Turn the rollup triggers, or the details-page indexes, on or off."""
    from sqlalchemy import text

    if what == "triggers":
        verb = "ENABLE" if state == "on" else "DISABLE"
        for table, trigger in _TRIGGERS:
            await conn.execute(text(f"ALTER TABLE {table} {verb} TRIGGER {trigger}"))
        return
    for name, definition in _details_indexes().items():
        if state == "on":
            await conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}"))
        else:
            await conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    if state == "on":  # the expressions' statistics, as the migration gathers them
        await conn.execute(text("ANALYZE settlements"))
        await conn.execute(text("ANALYZE reversals"))


async def _settled_down(url: str, what: str) -> None:
    """After building the indexes: write their pages out (CHECKPOINT) before timing, so the
    "on" round does not pay for the build's dirty buffers."""
    if what != "indexes":
        return
    from sqlalchemy import text

    from app.config import Settings
    from app.db.session import make_engine

    engine = make_engine(url, Settings())
    try:
        async with engine.connect() as conn:
            await conn.execute(text("CHECKPOINT"))
    finally:
        await engine.dispose()


async def _settle_ab(url: str, what: str, rounds: int = 5, per_round: int = 100) -> None:
    """Settlement latency with the rollup triggers (``what``: triggers, migration 0023) or the
    details-page indexes (indexes, 0024) on and off, interleaved round by round on the same
    database: what they cost the settle path."""
    import httpx

    from app.config import Settings
    from app.db.session import make_engine
    from app.demo import DEMO_PERSONS
    from app.main import create_app

    _, own, _ = await _keys(url)
    admin = make_engine(url, Settings(db_statement_timeout_ms=0))  # 0: index builds
    app = create_app(Settings(), database_url=url)
    bill = json.loads((ROOT / "examples" / "demo-bill.json").read_text())
    persons = list(DEMO_PERSONS)
    latencies: dict[str, list[float]] = {"on": [], "off": []}
    stamp, n = int(time.time()), 0
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=60
            ) as client,
        ):
            for _ in range(rounds):
                for state in ("on", "off"):
                    async with admin.begin() as conn:
                        await _switch(conn, what, state)
                    await _settled_down(url, what)
                    for _ in range(per_round):
                        n += 1
                        person = persons[n % len(persons)]
                        body = {
                            **bill,
                            "bill_no": f"RA{stamp}{n:05d}",
                            "patient": {"id_number": person, "name": DEMO_PERSONS[person][0]},
                        }
                        started = time.perf_counter()
                        response = await client.post(
                            "/v1/settlements", json=body, headers={"Authorization": f"Bearer {own}"}
                        )
                        latencies[state].append(time.perf_counter() - started)
                        if response.status_code not in (200, 201):
                            raise SystemExit(f"settlement {response.status_code}: {response.text}")
    finally:
        async with admin.begin() as conn:
            await _switch(conn, what, "on")
        await admin.dispose()
    label = "rollup triggers" if what == "triggers" else "details-page indexes"
    for state, values in latencies.items():
        values.sort()
        print(
            f"{label} {state}: p50 {statistics.median(values) * 1000:.2f} ms,"
            f" p90 {values[int(len(values) * 0.9)] * 1000:.2f} ms ({len(values)} settlements)",
            flush=True,
        )


def settle_ab(directory: Path, what: str) -> None:
    handle = start_embedded(directory / "pg")
    try:
        asyncio.run(_settle_ab(handle.url, what))
    finally:
        handle.stop()


async def _measure(url: str) -> None:
    import httpx

    from app.config import Settings
    from app.demo import DEMO_PERSONS
    from app.main import create_app

    agency, own, hospital = await _keys(url)
    app = create_app(Settings(), database_url=url)
    bill = json.loads((ROOT / "examples" / "demo-bill.json").read_text())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
        ) as client,
    ):

        async def timed(method: str, path: str, key: str, **kw: Any) -> tuple[float, int, Any]:
            started = time.perf_counter()
            response = await client.request(
                method, path, headers={"Authorization": f"Bearer {key}"}, **kw
            )
            elapsed = time.perf_counter() - started
            return elapsed, response.status_code, response

        def days(span: tuple[str, str], **extra: str) -> dict[str, str]:
            return {"date_from": span[0], "date_to": span[1], **extra}

        base = "/v1/reconciliation"

        async def check_one() -> tuple[float, int, Any]:
            a = await timed("GET", f"{base}/totals", own, params=days(MONTH))
            if a[1] != 200:
                return a
            funds = [
                {"fund_code": f["fund_code"], "count": f["count"], "paid": f["paid"]}
                for f in a[2].json()["funds"]
            ]
            body = {"hospital_code": hospital, "date_from": MONTH[0], "date_to": MONTH[1]}
            b = await timed("POST", f"{base}/check", own, json={**body, "funds": funds})
            if b[1] == 200:
                assert b[2].json()["result"] == "match", b[2].text
            return a[0] + b[0], b[1], b[2]

        first_page = await timed(
            "GET", f"{base}/settlements", agency, params=days(MONTH, limit="1000")
        )
        cursor = first_page[2].json()["next_cursor"] if first_page[1] == 200 else ""
        deep, deep_page = cursor, 2  # the cursor before page DEEP of the month (or its last)
        while deep_page < DEEP:
            step = await timed(
                "GET", f"{base}/settlements", agency, params=days(MONTH, limit="1000", cursor=deep)
            )
            if step[1] != 200 or not step[2].json()["has_more"]:
                break
            deep, deep_page = step[2].json()["next_cursor"], deep_page + 1
        pulls: list[tuple[str, Any]] = [
            (
                "totals, one month, all hospitals",
                lambda: timed("GET", f"{base}/totals", agency, params=days(MONTH)),
            ),
            ("totals + check, one month, one hospital", check_one),
            ("totals, one year", lambda: timed("GET", f"{base}/totals", agency, params=days(YEAR))),
            (
                "poverty ledger, one year",
                lambda: timed("GET", f"{base}/poverty-ledger", agency, params=days(YEAR)),
            ),
            (
                "details, a page of 1,000 (first)",
                lambda: timed(
                    "GET", f"{base}/settlements", agency, params=days(MONTH, limit="1000")
                ),
            ),
            (
                "details, a page of 1,000 (second)",
                lambda: timed(
                    "GET",
                    f"{base}/settlements",
                    agency,
                    params=days(MONTH, limit="1000", cursor=cursor),
                ),
            ),
            (
                f"details, a page of 1,000 (page {deep_page} of the month)",
                lambda: timed(
                    "GET",
                    f"{base}/settlements",
                    agency,
                    params=days(MONTH, limit="1000", cursor=deep),
                ),
            ),
            (
                "details, a page of 1,000 (first page of the year)",
                lambda: timed(
                    "GET", f"{base}/settlements", agency, params=days(YEAR, limit="1000")
                ),
            ),
            (
                "details, a page of 1,000 (first page of one hospital's month)",
                lambda: timed("GET", f"{base}/settlements", own, params=days(MONTH, limit="1000")),
            ),
        ]
        for name, pull in pulls:
            runs = [await pull() for _ in range(RUNS)]
            ms = statistics.median(r[0] for r in runs) * 1000
            statuses = sorted({r[1] for r in runs})
            note = "" if statuses == [200] else f" (status {statuses})"
            print(f"| {name} | {ms:,.0f} ms{note} |", flush=True)
        persons = list(DEMO_PERSONS)
        latencies = []
        stamp = int(time.time())
        for n in range(SETTLE):
            body = {
                **bill,
                "bill_no": f"RB{stamp}{n:04d}",
                "patient": {**bill["patient"], "id_number": persons[n % len(persons)]},
            }
            body["patient"]["name"] = DEMO_PERSONS[persons[n % len(persons)]][0]
            elapsed, status, response = await timed("POST", "/v1/settlements", own, json=body)
            if status not in (200, 201):
                raise SystemExit(f"settlement {status}: {response.text}")
            latencies.append(elapsed)
        print(f"| settlement p50 | {statistics.median(latencies) * 1000:.1f} ms |", flush=True)


def measure(directory: Path, upgrade: bool) -> None:
    handle = start_embedded(directory / "pg")
    try:
        if upgrade:
            from app.db.migrate import upgrade_to_head

            started = time.perf_counter()
            asyncio.run(upgrade_to_head(handle.url))
            print(f"migrated to head in {time.perf_counter() - started:.0f} s", flush=True)
        asyncio.run(_measure(handle.url))
    finally:
        handle.stop()


if __name__ == "__main__":
    main()
