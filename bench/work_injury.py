"""Benchmark of work-injury advance payment (``/v1/work-injury``), in process.

    .venv/bin/python bench/work_injury.py [--cases 20000] [--flows 200]

Starts an embedded PostgreSQL (pgserver) in a temp dir, migrates it and loads the demo registry,
then:

1. inserts ``--cases`` synthetic cases in SQL (five counties, 20% poor workers), each with a paid
   employer-path application, a recovery and 0-3 repayments, some written off: a ledger over a
   database in service, not an empty one;
2. times ``GET /v1/work-injury/ledger`` and ``/ledger.xlsx`` over all of them (median of 5), and
   checks the ledger's identity recovered + outstanding + written off = advanced per county;
3. runs ``--flows`` whole flows through the API in process (case, application, reminder,
   decision, recovery, two repayments, a retried repayment: 8 requests each) and prints
   requests per second and the per-request median and p95.

Prints figures; asserts only the money identity. Not part of the test suite (bench/README.md).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from httpx import ASGITransport, AsyncClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.bootstrap import startup  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402
from app.main import create_app  # noqa: E402
from app.types import id_check_digit  # noqa: E402

COUNTIES = ("510402", "510403", "510411", "510421", "510422")
KEY = {"Authorization": "Bearer demo-work-injury"}
ADMIN = {"Authorization": "Bearer demo-admin"}


def fen(value: str) -> int:
    return int(value.replace(".", ""))


async def seed(url: str, cases: int) -> None:
    settings = Settings()
    engine = make_engine(url, settings)
    rng = random.Random(14)
    try:
        await startup(make_sessionmaker(engine), settings, demo=True)
        async with engine.begin() as conn:
            for n in range(cases):
                county = COUNTIES[n % len(COUNTIES)]
                born = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)
                first17 = f"{county}{born:%Y%m%d}{n % 1000:03d}"
                number = first17 + id_check_digit(first17)
                person = await conn.scalar(
                    text(
                        "INSERT INTO persons (id_number, name, county_code) "
                        "VALUES (:i, '基准', :c) RETURNING id"
                    ),
                    {"i": number, "c": county},
                )
                poor = rng.random() < 0.2
                case = await conn.scalar(
                    text(
                        "INSERT INTO wi_cases (case_no, person_id, county_code, employer_name, "
                        "employer_code, injury_date, recognition_no, recognition_date, "
                        "third_party_liable, employer_insured, poor_worker, poor_category, "
                        "request_hash) VALUES (:no, :p, :c, '基准单位', '91510400MA6200001X', "
                        "'2018-03-05', 'R', '2018-04-02', false, false, :poor, :cat, 'x') "
                        "RETURNING id"
                    ),
                    {
                        "no": f"B{n:08d}",
                        "p": person,
                        "c": county,
                        "poor": poor,
                        "cat": "registered_poor" if poor else None,
                    },
                )
                advanced = rng.randrange(100_000, 5_000_000)
                application = await conn.scalar(
                    text(
                        "INSERT INTO wi_applications (case_id, path, trigger, applicant, "
                        "applied_on, claims, claimed_fen, yb_advance_fen, reminder_needed, "
                        "reminder_due_on, status, request_hash) VALUES (:c, 'employer_unpaid', "
                        "'refuses', 'worker', '2018-04-26', CAST(:claims AS jsonb), :a, 0, true, "
                        "'2018-05-02', 'paid', 'x') RETURNING id"
                    ),
                    {"c": case, "claims": f'{{"medical": {advanced}}}', "a": advanced},
                )
                await conn.execute(
                    text(
                        "INSERT INTO wi_decisions (application_id, decision, decided_on, reason, "
                        "total_fen, yb_refund_fen, request_hash) VALUES (:a, 'pay', '2018-05-08', "
                        "'', :t, 0, 'x')"
                    ),
                    {"a": application, "t": advanced},
                )
                repayments = [rng.randrange(1, advanced // 4) for _ in range(rng.randrange(4))]
                repaid = sum(repayments)
                written = advanced - repaid if rng.random() < 0.1 else 0
                status = "written_off" if written else "open"
                recovery = await conn.scalar(
                    text(
                        "INSERT INTO wi_recoveries (application_id, debtor, debtor_name, "
                        "ordered_on, due_on, amount_fen, repaid_fen, written_off_fen, "
                        "written_off_on, status, request_hash) VALUES (:a, 'employer', 'x', "
                        "'2018-09-21', '2018-10-08', :amount, :repaid, :w, :won, :s, 'x') "
                        "RETURNING id"
                    ),
                    {
                        "a": application,
                        "amount": advanced,
                        "repaid": repaid,
                        "w": written,
                        "won": dt.date(2019, 6, 28) if written else None,
                        "s": status,
                    },
                )
                for k, amount in enumerate(repayments):
                    await conn.execute(
                        text(
                            "INSERT INTO wi_repayments (recovery_id, repayment_no, paid_on, "
                            "amount_fen) VALUES (:r, :no, '2018-10-08', :a)"
                        ),
                        {"r": recovery, "no": f"K{k}", "a": amount},
                    )
        # A database in service has statistics (autovacuum); plans made for empty tables would
        # measure the trap of bench/README.md, not the query.
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def flows(client: AsyncClient, count: int) -> list[float]:
    times: list[float] = []

    async def timed(path: str, body: dict[str, object], key: dict[str, str] = KEY) -> dict:  # type: ignore[type-arg]
        start = time.perf_counter()
        response = await client.post(path, json=body, headers=key)
        times.append(time.perf_counter() - start)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    for n in range(count):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=n // 1000)
        first17 = f"510421{born:%Y%m%d}{n % 1000:03d}"
        number = first17 + id_check_digit(first17)
        person = {"name": "流程", "county_code": "510421", "enrolments": [], "categories": []}
        await client.put(f"/v1/persons/{number}", json=person, headers=ADMIN)
        case = await timed(
            "/v1/work-injury/cases",
            {
                "case_no": f"F{n:07d}",
                "id_number": number,
                "county_code": "510421",
                "employer_name": "流程单位",
                "employer_code": "91510400MA6200001X",
                "injury_date": "2018-03-05",
                "recognition_no": "R",
                "recognition_date": "2018-04-02",
                "third_party_liable": False,
                "employer_insured": False,
            },
        )
        application = await timed(
            f"/v1/work-injury/cases/{case['case_no']}/applications",
            {
                "path": "employer_unpaid",
                "trigger": "refuses",
                "applicant": "worker",
                "applied_on": "2018-04-26",
                "claims": [{"item_code": "medical", "amount": "8000.00"}],
            },
        )
        a = f"/v1/work-injury/applications/{application['id']}"
        await timed(f"{a}/reminder", {"sent_on": "2018-04-27"})
        await timed(
            f"{a}/decision",
            {
                "decision": "pay",
                "decided_on": "2018-05-08",
                "items": [{"item_code": "medical", "amount": "8000.00"}],
            },
        )
        recovery = await timed(
            f"{a}/recovery", {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-09-21"}
        )
        r = f"/v1/work-injury/recoveries/{recovery['recovery']['id']}/repayments"
        await timed(r, {"repayment_no": "A", "paid_on": "2018-10-08", "amount": "1000.00"})
        await timed(r, {"repayment_no": "B", "paid_on": "2018-10-09", "amount": "2000.00"})
        retried = await timed(
            r, {"repayment_no": "B", "paid_on": "2018-10-09", "amount": "2000.00"}
        )
        assert retried["repaid"] == "3000.00", retried
    return times


def figures(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{label:<34} median {statistics.median(ordered) * 1000:8.1f} ms   "
        f"p95 {p95 * 1000:8.1f} ms   n={len(ordered)}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--flows", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onestop-wi-bench-") as workdir:
        handle = await asyncio.to_thread(
            start_embedded, Path(workdir) / "pg", cleanup_mode="delete"
        )
        try:
            await upgrade_to_head(handle.url)
            start = time.perf_counter()
            await seed(handle.url, args.cases)
            print(f"seeded {args.cases} cases in {time.perf_counter() - start:.1f} s")
            application = create_app(Settings(), database_url=handle.url)
            async with application.router.lifespan_context(application):
                transport = ASGITransport(app=application)
                async with AsyncClient(transport=transport, base_url="http://bench") as client:
                    ledger_times, xlsx_times = [], []
                    for _ in range(5):
                        t = time.perf_counter()
                        got = await client.get(
                            "/v1/work-injury/ledger?as_of=2019-12-31", headers=KEY
                        )
                        ledger_times.append(time.perf_counter() - t)
                        assert got.status_code == 200, got.text
                        t = time.perf_counter()
                        xlsx = await client.get(
                            "/v1/work-injury/ledger.xlsx?as_of=2019-12-31", headers=KEY
                        )
                        xlsx_times.append(time.perf_counter() - t)
                        assert xlsx.status_code == 200, xlsx.text
                    # Memory in a run of its own: tracemalloc slows every allocation.
                    tracemalloc.start()
                    await client.get("/v1/work-injury/ledger?as_of=2019-12-31", headers=KEY)
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    ledger = got.json()
                    for row in [*ledger["rows"], ledger["total"]]:
                        assert fen(row["recovered"]) + fen(row["outstanding"]) + fen(
                            row["written_off"]
                        ) == fen(row["advanced"]), row
                    total = ledger["total"]
                    print(f"ledger over {total['cases']} cases, {len(ledger['rows'])} counties")
                    print(figures("GET /v1/work-injury/ledger", ledger_times))
                    print(figures("GET /v1/work-injury/ledger.xlsx", xlsx_times))
                    size = len(xlsx.content)
                    print(f"{'  xlsx size':<34} {size} bytes; Python peak {peak / 1e6:.1f} MB")
                    start = time.perf_counter()
                    times = await flows(client, args.flows)
                    elapsed = time.perf_counter() - start
                    print(figures(f"flow requests ({args.flows} flows)", times))
                    print(f"{'  throughput':<34} {len(times) / elapsed:.0f} requests/s in process")
        finally:
            await asyncio.to_thread(handle.stop)


if __name__ == "__main__":
    asyncio.run(main())
