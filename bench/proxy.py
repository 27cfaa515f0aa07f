"""Proxy-payment runs at county scale: compute (POST /v1/proxy-payments/runs' service), read it
back with its lines, write the XLSX, and confirm, for one county of N roster people.

One command: it starts an embedded PostgreSQL (pgserver) in a temp dir, migrates it, loads the
demo registry, inserts N persons of 西区 (510403) with categories (60 % 建档立卡 of whom a tenth
marked 脱贫, 30 % 低保, 10 % 特困; a fifth holding two), a spread of ages (some outside the
pension's 16–59 band), a few deceased and enrolled elsewhere, and prints the seconds and the
process's peak RSS after each step for the medical and the pension run::

    .venv/bin/python bench/proxy.py                 # 20,000 people
    .venv/bin/python bench/proxy.py --persons 100000

The figures are printed, never asserted (a timed unit test would be flaky on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: its http.py would shadow the standard library's

from sqlalchemy import insert, select  # noqa: E402

from app.bootstrap import startup  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402
from app.engine.money import format_fen  # noqa: E402
from app.enrolment import proxy  # noqa: E402
from app.enrolment.proxy_export import run_to_xlsx  # noqa: E402
from app.enrolment.rules import rules_for  # noqa: E402
from app.registry.models import ExternalEnrolment, Person, PersonCategory  # noqa: E402
from app.types import id_check_digit  # noqa: E402

COUNTY = "510403"


async def seed(sessionmaker: object, count: int) -> None:
    rng = random.Random(2018)
    persons, seen = [], set()
    while len(persons) < count:
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(88 * 365))
        first17 = f"{COUNTY}{born:%Y%m%d}{rng.randrange(100, 1000):03d}"
        number = first17 + id_check_digit(first17)
        if number in seen:
            continue
        seen.add(number)
        death = dt.date(2018, rng.randrange(1, 13), 1) if rng.random() < 0.01 else None
        persons.append(
            {"id_number": number, "name": "基准", "county_code": COUNTY, "death_date": death}
        )
    async with sessionmaker() as session, session.begin():  # type: ignore[operator]
        for start in range(0, count, 5000):
            await session.execute(insert(Person), persons[start : start + 5000])
        ids = list((await session.scalars(select(Person.id).where(Person.name == "基准"))).all())
        categories, elsewhere = [], []
        for pid in ids:
            first = rng.choices(["registered_poor", "dibao", "tekun"], weights=(60, 30, 10))[0]
            held = {first}
            if rng.random() < 0.2:
                held.add(rng.choice(["registered_poor", "dibao", "tekun"]))
            for category in held:
                exited = category == "registered_poor" and rng.random() < 0.1
                categories.append(
                    {
                        "person_id": pid,
                        "category": category,
                        "valid_from": dt.date(2017, 1, 1),
                        "valid_to": None,
                        "source": "manual",
                        "exited": exited,
                        "exit_year": 2017 if exited else None,
                    }
                )
            if rng.random() < 0.01:
                for scheme in ("medical", "pension"):
                    elsewhere.append(
                        {"person_id": pid, "scheme": scheme, "year": 2018, "region_code": "510100"}
                    )
        for start in range(0, len(categories), 5000):
            await session.execute(insert(PersonCategory), categories[start : start + 5000])
        if elsewhere:
            await session.execute(insert(ExternalEnrolment), elsewhere)


async def step(name: str, sessionmaker: object, work: object) -> object:
    """Run ``work`` in a transaction; print its seconds and the process's peak RSS so far."""
    started = time.perf_counter()
    async with sessionmaker() as session, session.begin():  # type: ignore[operator]
        result = await work(session)  # type: ignore[operator]
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {name:<30} {seconds:7.2f} s   peak RSS {peak:7.1f} MiB")
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onestop-bench-proxy-") as workdir:
        handle = start_embedded(Path(workdir) / "pg", cleanup_mode="delete")
        try:
            await upgrade_to_head(handle.url)
            settings = Settings()
            engine = make_engine(handle.url, settings)
            sessionmaker = make_sessionmaker(engine)
            await startup(sessionmaker, settings, demo=True)
            started = time.perf_counter()
            await seed(sessionmaker, args.persons)
            seconds = time.perf_counter() - started
            print(f"seeded {args.persons:,} persons of {COUNTY} in {seconds:.1f} s")
            for scheme in ("medical", "pension"):
                print(f"{scheme}:")

                async def create(session: object, scheme: str = scheme) -> object:
                    return await proxy.create_run(session, None, scheme, 2018, COUNTY, [])  # type: ignore[arg-type]

                run_id = await step("compute + store the run", sessionmaker, create)

                async def read(session: object, run_id: object = run_id) -> object:
                    return await proxy.get_run(session, run_id)  # type: ignore[arg-type]

                run, lines = await step("read it with its lines", sessionmaker, read)  # type: ignore[misc]
                total = format_fen(run.contribution_fen)
                print(f"  {'':<28} {run.persons:,} lines, {total} 元, skipped {run.skipped}")
                payers = rules_for(scheme, 2018).payers

                async def xlsx(
                    session: object,
                    run: object = run,
                    lines: object = lines,
                    payers: object = payers,
                ) -> object:
                    return run_to_xlsx(run, lines, payers)  # type: ignore[arg-type]

                body = await step("write the XLSX", sessionmaker, xlsx)
                print(f"  {'':<28} {len(body) / 2**20:.1f} MiB")  # type: ignore[arg-type]

                async def confirm(session: object, run_id: object = run_id) -> object:
                    return await proxy.confirm_run(session, None, run_id)  # type: ignore[arg-type]

                await step("confirm (recompute + record)", sessionmaker, confirm)
            await engine.dispose()
        finally:
            handle.stop()


if __name__ == "__main__":
    asyncio.run(main())
