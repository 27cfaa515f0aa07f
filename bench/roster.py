"""Benchmark of the roster import (docs/roster.md): 100,000 rows, as ``onestop roster import``
does it (:func:`app.roster.service.import_roster`, one transaction, committed).

    .venv/bin/python bench/roster.py [--rows 100000]

Starts an embedded PostgreSQL in a temp dir, migrates it, then times:

1. ``first csv``: a 100,000-row CSV (UTF-8), nobody on the roster yet: every person and period
   new;
2. ``same file``: the same bytes again: found by its SHA-256, the stored import answered;
3. ``same rows xlsx``: the same rows as an XLSX (another file): every row read, diffed, unchanged;
4. ``changed csv``: 5% of the persons gone (their periods ended), 5% new, 5% with a new end
   date and the 脱贫 mark (changed), the rest unchanged;
5. ``parse only``: reading the CSV and the XLSX without the database.

Each line prints seconds, rows per second and the process's peak resident memory so far (the
files and the parsed rows are held in memory). The persons are 70% in one category, 30% in two
(so a row count is person × category rows, as a roster file is).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402
from app.regions import COUNTIES  # noqa: E402
from app.roster.parse import read_roster  # noqa: E402
from app.roster.service import import_roster  # noqa: E402
from app.types import id_check_digit  # noqa: E402

HEADER = ["身份证号", "姓名", "县区代码", "类别", "起始日期", "终止日期", "脱贫标识", "脱贫年度"]
CATEGORIES = ["建档立卡", "低保", "特困"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"


def _people(count: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    counties = list(COUNTIES)
    while len(seen) < count:
        born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(80 * 365))
        first17 = f"{rng.choice(counties)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        seen.add(first17 + id_check_digit(first17))
    return sorted(seen, key=lambda _: rng.random())


def _rows(people: list[str], rng: random.Random, total: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for person in people:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        for category in rng.sample(CATEGORIES, 2 if rng.random() < 0.3 else 1):
            start = dt.date(2016 + rng.randrange(3), 1 + rng.randrange(12), 1)
            exited = category == "建档立卡" and rng.random() < 0.2
            rows.append(
                [
                    person,
                    name,
                    person[:6],
                    category,
                    start.isoformat(),
                    "",
                    "1" if exited else "0",
                    str(2017 + rng.randrange(2)) if exited else "",
                ]
            )
            if len(rows) == total:
                return rows
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _line(what: str, rows: int, seconds: float, extra: str = "") -> None:
    rate = rows / seconds if seconds else float("inf")
    print(
        f"{what:<16} {rows:>8} rows {seconds:7.2f} s {rate:>10,.0f} rows/s "
        f"peak RSS {_peak_mib():6.0f} MiB  {extra}",
        flush=True,
    )


async def _import(
    maker: Any, data: bytes, name: str, as_of: str
) -> tuple[float, dict[str, Any], bool]:
    started = time.perf_counter()
    async with maker() as session:
        out, created = await import_roster(
            session,
            None,
            data=data,
            file_name=name,
            source="poverty_office",
            as_of=dt.date.fromisoformat(as_of),
        )
        await session.commit()
    return time.perf_counter() - started, out.model_dump(), created


def _counts(out: dict[str, Any]) -> str:
    return " ".join(f"{k} {out[k]}" for k in ("new", "changed", "ended", "unchanged", "rejected"))


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    rng = random.Random(20180612)
    people = _people(int(args.rows / 1.3) + 10, rng)
    rows = _rows(people, rng, args.rows)
    first_csv = _csv(rows)
    first_xlsx = _xlsx(rows)
    # The changed file: drop 5% of the persons, change 5% (end date + 脱贫), add 5% new.
    persons = sorted({r[0] for r in rows})
    share = len(persons) // 20
    gone = set(persons[:share])
    changed = set(persons[share : 2 * share])
    kept = [r for r in rows if r[0] not in gone]
    for r in kept:
        if r[0] in changed:
            r[5], r[6], r[7] = "2018-12-31", "1", "2018"
    newcomers = _people(share, random.Random(7))
    changed_rows = kept + _rows(newcomers, rng, 10 * share)
    changed_csv = _csv(changed_rows)
    print(
        f"files: {len(rows)} rows ({len(persons)} persons), CSV {len(first_csv) / 2**20:.1f} MiB, "
        f"XLSX {len(first_xlsx) / 2**20:.1f} MiB; changed file {len(changed_rows)} rows"
    )
    for what, data in (("parse csv", first_csv), ("parse xlsx", first_xlsx)):
        started = time.perf_counter()
        parsed = read_roster(data)
        _line(what, parsed.total, time.perf_counter() - started, f"rejected {parsed.rejected}")
    with tempfile.TemporaryDirectory(prefix="onestop-roster-bench-") as workdir:
        handle = await asyncio.to_thread(
            start_embedded, Path(workdir) / "pg", cleanup_mode="delete"
        )
        try:
            await upgrade_to_head(handle.url)
            engine = make_engine(handle.url, Settings())
            maker = make_sessionmaker(engine)
            try:
                seconds, out, _ = await _import(maker, first_csv, "first.csv", "2018-06-01")
                _line("first csv", out["rows"], seconds, _counts(out))
                seconds, out, created = await _import(maker, first_csv, "again.csv", "2018-06-01")
                assert not created
                _line("same file", out["rows"], seconds, "stored import (by SHA-256)")
                seconds, out, _ = await _import(maker, first_xlsx, "same.xlsx", "2018-07-01")
                _line("same rows xlsx", out["rows"], seconds, _counts(out))
                seconds, out, _ = await _import(maker, changed_csv, "changed.csv", "2018-08-01")
                _line("changed csv", out["rows"], seconds, _counts(out))
                async with engine.connect() as conn:
                    periods = await conn.scalar(text("SELECT count(*) FROM person_categories"))
                print(f"periods stored: {periods}")
            finally:
                await engine.dispose()
        finally:
            handle.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
