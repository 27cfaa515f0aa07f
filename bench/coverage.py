"""Coverage, gaps and the roster ledger over a large roster: prints how long each report takes
and how much Python memory a whole-region download holds at its peak.

Starts an embedded PostgreSQL in a temp dir, migrates it, loads the demo, then copies in
``--persons`` roster persons (default 100,000) spread over the five counties: 1–2 category
periods each (sources mixed, 10% marked 脱贫), 90% enrolled in medical and 60% in the pension
for 2018, 3% dead before the year's end, 2% enrolled elsewhere, and ``--settlements`` standing
settlements of roster persons (rows written straight into ``settlements``). Then, in process
through the ASGI app (no network), it times:

- ``GET /v1/enrolment/coverage`` for every county, medical and pension (median of 5);
- ``GET /v1/enrolment/gaps`` first page and a page deep in the walk (limit 100);
- ``GET /v1/enrolment/gaps/export`` of every county as CSV and XLSX: rows, bytes, seconds, and
  the peak of Python's heap while it streams (``tracemalloc``);
- ``GET /v1/roster/ledger`` first page (limit 100) and ``/export`` of one county as XLSX.

    .venv/bin/python bench/coverage.py                # 100,000 persons (about 2 min)
    .venv/bin/python bench/coverage.py --persons 20000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # not bench/: its http.py shadows http

from httpx import ASGITransport, AsyncClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.bootstrap import startup  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402
from app.main import create_app  # noqa: E402
from app.regions import COUNTIES  # noqa: E402
from app.types import id_check_digit  # noqa: E402

AGENCY = {"Authorization": "Bearer demo-agency"}
YEAR = 2018
SOURCES = ("manual", "poverty_office", "civil_affairs", "medical_insurance")
CATEGORIES = ("registered_poor", "dibao", "tekun")


def persons(rng: random.Random, count: int) -> list[tuple[int, str, str, str, dt.date | None]]:
    rows = []
    counties = list(COUNTIES)
    for i in range(count):
        county = counties[i % len(counties)]
        born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(80 * 365))
        first17 = f"99{i // 1000:04d}{born:%Y%m%d}{i % 1000:03d}"
        dead = (
            dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
            if rng.random() < 0.03
            else None
        )
        rows.append((1_000_000 + i, first17 + id_check_digit(first17), f"人员{i}", county, dead))
    return rows


async def seed(url: str, rng: random.Random, count: int, settlements: int) -> None:
    # no statement timeout for the bulk copies (a busy machine makes them slow, not wrong)
    engine = make_engine(url, Settings(_env_file=None, db_statement_timeout_ms=0))  # type: ignore[call-arg]
    people = persons(rng, count)
    imports = {s: uuid.uuid4() for s in SOURCES[1:]}
    async with engine.begin() as conn:
        for source, import_id in imports.items():
            await conn.execute(
                text(
                    "INSERT INTO roster_imports (id, source, as_of, sha256, file_name, file_format,"
                    " rows, new, changed, ended, unchanged, rejected, errors) VALUES (:id, :s,"
                    " '2018-01-01', :h, 'bench.csv', 'csv', 0, 0, 0, 0, 0, 0, '[]')"
                ),
                {"id": import_id, "s": source, "h": import_id.hex * 2},
            )
        raw: Any = (await conn.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(
            "persons",
            records=[(pid, n, name, c, d) for pid, n, name, c, d in people],
            columns=["id", "id_number", "name", "county_code", "death_date"],
        )
        cats, med, pen, ext = [], [], [], []
        for pid, *_ in people:
            for category in rng.sample(CATEGORIES, rng.choice((1, 1, 1, 2))):
                source = rng.choice(SOURCES)
                start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(900))
                end = (
                    None
                    if rng.random() < 0.8
                    else start + dt.timedelta(days=rng.randrange(30, 900))
                )
                exited = rng.random() < 0.1
                cats.append(
                    (
                        pid,
                        category,
                        start,
                        end,
                        source,
                        imports.get(source),
                        exited,
                        2018 if exited else None,
                    )
                )
            if rng.random() < 0.9:
                med.append((pid, YEAR))
            if rng.random() < 0.6:
                pen.append((pid, YEAR, 10000, 3000))
            if rng.random() < 0.02:
                ext.append((pid, "medical", YEAR, "530102"))
        await raw.copy_records_to_table(
            "person_categories",
            records=cats,
            columns=[
                "person_id",
                "category",
                "valid_from",
                "valid_to",
                "source",
                "import_id",
                "exited",
                "exit_year",
            ],
        )
        await raw.copy_records_to_table(
            "person_enrolments", records=med, columns=["person_id", "year"]
        )
        await raw.copy_records_to_table(
            "pension_enrolments",
            records=pen,
            columns=["person_id", "year", "tier_fen", "subsidy_fen"],
        )
        await raw.copy_records_to_table(
            "external_enrolments",
            records=ext,
            columns=["person_id", "scheme", "year", "region_code"],
        )
        # settlements of roster persons: figures of docs/rules.md §7 example 1, copied
        policy = await conn.scalar(text("SELECT id FROM policy_versions ORDER BY id LIMIT 1"))
        await conn.execute(
            text(
                "INSERT INTO settlements (id, hospital_code, bill_no, generation, person_id,"
                " request_hash, policy_version, policy_hash, admission_date, discharge_date,"
                " accumulator_year, referral, in_county, hospital_level, hospital_county_code,"
                " person_county_code, categories, total_fen, hospital_borne_fen,"
                " full_self_pay_fen, over_limit_fen, pre_self_pay_fen, in_policy_fen,"
                " fund_paid_fen, self_pay_fen, in_policy_self_pay_fen,"
                " in_policy_self_pay_ratio_bp, tilted_target_fen, accumulator_deltas)"
                " SELECT gen_random_uuid(), 'H510402001', 'B' || g, 1, 1000000 + (g * 7919) % :n,"
                " repeat('0', 64), :policy, repeat('0', 64), '2018-06-01', '2018-06-12', 2018,"
                " false, g % 3 > 0, 'secondary', '510402', '510402', '{registered_poor}',"
                " 2000000, 0, 100000, 0, 50000, 1850000, 1794500, 205500, 55500, 300, 185000,"
                " '{}'::jsonb FROM generate_series(1, :s) g"
            ),
            {"n": count, "s": settlements, "policy": policy},
        )
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE"))
    await engine.dispose()


async def timed(
    client: AsyncClient, path: str, params: dict[str, Any], runs: int = 1
) -> tuple[float, Any]:
    times, response = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        response = await client.get(path, params=params, headers=AGENCY)
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:400]}")
    return statistics.median(times), response


async def download(
    client: AsyncClient, path: str, params: dict[str, Any]
) -> tuple[float, int, int, int]:
    """Seconds, bytes, rows (CSV lines − 1, or -1 for XLSX), and the peak of Python's heap while
    it streams, measured in a second run (tracemalloc slows Python down several times)."""
    seconds, size, lines = 0.0, 0, 0
    peak = 0
    for traced in (False, True):
        if traced:
            tracemalloc.start()
        t0 = time.perf_counter()
        size = lines = 0
        async with client.stream("GET", path, params=params, headers=AGENCY) as response:
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                lines += chunk.count(b"\n")
        if traced:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        else:
            seconds = time.perf_counter() - t0
    return seconds, size, lines - 1 if params["format"] == "csv" else -1, peak


async def run(args: argparse.Namespace) -> None:
    out = sys.stdout
    workdir = Path(tempfile.mkdtemp(prefix="onestop-bench-coverage-"))
    handle = await asyncio.to_thread(start_embedded, workdir / "pg", cleanup_mode="delete")
    try:
        await upgrade_to_head(handle.url)
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        engine = make_engine(handle.url, settings)
        await startup(make_sessionmaker(engine), settings, demo=True)
        await engine.dispose()
        t0 = time.perf_counter()
        await seed(handle.url, random.Random(args.seed), args.persons, args.settlements)
        out.write(
            f"seeded {args.persons} roster persons, {args.settlements} settlements"
            f" in {time.perf_counter() - t0:.1f}s\n"
        )
        app = create_app(settings, database_url=handle.url)
        async with (
            app.router.lifespan_context(app),
            AsyncClient(
                transport=ASGITransport(app=app), base_url="http://bench", timeout=600
            ) as client,
        ):
            for scheme in ("medical", "pension"):
                s, r = await timed(
                    client, "/v1/enrolment/coverage", {"year": YEAR, "scheme": scheme}, 5
                )
                total = r.json()["total"]["all"]
                out.write(
                    f"coverage {scheme:8s} every county: {s * 1000:7.1f} ms (median of 5); "
                    f"on roster {total['on_roster']}, enrolled {total['enrolled']},"
                    f" ratio {total['ratio']}\n"
                )
            s, r = await timed(client, "/v1/enrolment/gaps", {"year": YEAR, "limit": 100}, 5)
            out.write(f"gaps first page (100):         {s * 1000:7.1f} ms (median of 5)\n")
            cursor, pages = None, 0
            while pages < 50:
                params: dict[str, Any] = {"year": YEAR, "limit": 100}
                if cursor:
                    params["cursor"] = cursor
                s, r = await timed(client, "/v1/enrolment/gaps", params)
                cursor, pages = r.json()["next_cursor"], pages + 1
                if cursor is None:
                    break
            out.write(f"gaps page {pages} (100):             {s * 1000:7.1f} ms\n")
            for fmt in ("csv", "xlsx"):
                s, size, rows, peak = await download(
                    client, "/v1/enrolment/gaps/export", {"year": YEAR, "format": fmt}
                )
                out.write(
                    f"gaps export {fmt:4s} every county: {s:6.2f} s, {size / 1e6:6.2f} MB"
                    f"{f', {rows} rows' if rows >= 0 else ''},"
                    f" Python heap peak {peak / 1e6:.1f} MB\n"
                )
            s, r = await timed(client, "/v1/roster/ledger", {"year": YEAR, "limit": 100}, 5)
            out.write(f"ledger first page (100):       {s * 1000:7.1f} ms (median of 5)\n")
            for fmt in ("csv", "xlsx"):
                s, size, rows, peak = await download(
                    client,
                    "/v1/roster/ledger/export",
                    {"year": YEAR, "county_code": "510402", "format": fmt},
                )
                out.write(
                    f"ledger export {fmt:4s} 510402: {s:6.2f} s, {size / 1e6:6.2f} MB"
                    f"{f', {rows} rows' if rows >= 0 else ''},"
                    f" Python heap peak {peak / 1e6:.1f} MB\n"
                )
    finally:
        await asyncio.to_thread(handle.stop)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--settlements", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20180612)
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
