"""Reports benchmark (issue 15): reconciliation pulls at 1,000,000 and 10,000,000 settlements.

    .venv/bin/python bench/reports.py seed --dir /tmp/rep10m --settlements 10000000
    .venv/bin/python bench/reports.py measure --dir /tmp/rep10m [--upgrade]

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
- details, a page of 1,000 (the first page, and a page deep in the month);
- settlement p50 of 200 settlements of fresh bills on this database.

Run ``measure`` once with main's tree (before) and once with this one after ``--upgrade``.
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
    parser.add_argument("stage", choices=["seed", "measure"])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--settlements", type=int, default=1_000_000)
    parser.add_argument("--upgrade", action="store_true")
    args = parser.parse_args()
    if args.stage == "seed":
        seed(args.dir, args.settlements)
    else:
        measure(args.dir, args.upgrade)


def measure(directory: Path, upgrade: bool) -> None:
    raise NotImplementedError


if __name__ == "__main__":
    main()
