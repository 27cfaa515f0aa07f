"""What-if replay benchmark (issue 16): a year of settlements replayed under a draft policy.

    .venv/bin/python bench/whatif.py                      # 1,000,000 settlements (default)
    .venv/bin/python bench/whatif.py --settlements 100000 # a quicker look

1. Starts an embedded PostgreSQL in a temp dir, migrates it, publishes the policies and loads
   the demo registry (``app.bootstrap.startup(demo=True)``).
2. Seeds the year with SQL, not the API (a million API calls would take hours): ``--persons``
   persons and ``--settlements`` settlements spread evenly over 2018 (``generate_series``), each
   one of 32 bill templates (3 to 12 demo-catalogue lines, 甲/乙/丙 with and without caps; the
   four profiles; in and out of county; the five layers) whose stored figures, layers, lines and
   deltas are what the engine computes for that bill on empty accumulators; every 20th
   settlement reversed. (The stored figures of a person's later bills are therefore not what a
   real history would have stored: the replay's deltas are not 0.00 here, which is fine for
   timing: it does the same work.)
3. Runs :func:`app.whatif.source.replay` (what a job's thread and ``onestop what-if`` run) over
   2018-01-01..2018-12-31 under panzhihua-2018 and under a draft (supplementary ratio 0.60),
   and prints seconds and settlements per second, the engine alone on the same bills beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from sqlalchemy import text  # noqa: E402

from app.bootstrap import startup  # noqa: E402
from app.bounds import PERSON_YEAR_TOTAL_KEY  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from app.db.migrate import upgrade_to_head  # noqa: E402
from app.db.session import make_engine, make_sessionmaker  # noqa: E402
from app.demo import CATALOG, HOSPITALS  # noqa: E402
from app.engine import BillLine, Claim, expected_amount_fen, settle  # noqa: E402
from app.engine.money import parse_scaled  # noqa: E402
from app.policy import load_directory  # noqa: E402
from app.policy.loader import parse_document  # noqa: E402
from app.whatif.source import Range, replay, replay_engine  # noqa: E402

TEMPLATES = 32
CATEGORY_SETS = [[], [], ["registered_poor"], ["dibao"], ["tekun"], ["registered_poor", "dibao"]]
DESIGNATED = [(code, h) for code, h in HOSPITALS.items() if h[3]]


def templates(rng: random.Random, policy: Any) -> list[dict[str, Any]]:
    out = []
    codes = sorted(CATALOG)
    for k in range(TEMPLATES):
        code, (_, level, county, _) = DESIGNATED[k % len(DESIGNATED)]
        in_county = k % 4 != 3
        person_county = county if in_county else ("510411" if county != "510411" else "510402")
        lines: list[BillLine] = []
        items = []
        for seq in range(1, rng.randint(3, 12) + 1):
            item = rng.choice(codes)
            _, grade, ratio, cap = CATALOG[item]
            price_e6 = rng.randint(1_000, 2_000_000) * 1000  # 1.00 … 2000.00 yuan
            quantity_e4 = rng.randint(1, 20) * 10_000
            amount = expected_amount_fen(price_e6, quantity_e4)
            cap_e6 = None if cap is None else parse_scaled(cap, 6)
            ratio_bp = parse_scaled(ratio, 4)
            lines.append(
                BillLine(seq, item, price_e6, quantity_e4, amount, False, grade, ratio_bp, cap_e6)
            )
            items.append(
                [seq, item, "", price_e6, quantity_e4, amount, False, grade, ratio_bp, cap_e6]
            )
        categories = CATEGORY_SETS[k % len(CATEGORY_SETS)]
        claim = Claim(lines, level, in_county, False, frozenset(categories))
        s = settle(claim, policy, {})
        t = s.totals
        out.append(
            {
                "k": k,
                "hospital_code": code,
                "level": level,
                "hcounty": county,
                "pcounty": person_county,
                "in_county": in_county,
                "categories": sorted(categories),
                "total": t.total_fen,
                "borne": t.hospital_borne_fen,
                "full": t.full_self_pay_fen,
                "over": t.over_limit_fen,
                "pre": t.pre_self_pay_fen,
                "in_policy": t.in_policy_fen,
                "fund_paid": s.fund_paid_fen,
                "self_pay": s.self_pay_fen,
                "ips": s.in_policy_self_pay_fen,
                "ratio": s.in_policy_self_pay_ratio_bp,
                "target": s.tilted_target_fen,
                "deltas": json.dumps({**s.deltas, PERSON_YEAR_TOTAL_KEY: t.total_fen}),
                "items": json.dumps(items),
                "layers": [
                    [i, x.layer, x.fund_code, x.fund_name, x.base_fen, x.paid_fen, x.left_fen]
                    for i, x in enumerate(s.layers)
                ],
                "claim": claim,
            }
        )
    return out


_TEMPLATE_TABLE = """
CREATE TABLE bench_templates (k int PRIMARY KEY, hospital_code text, level text, hcounty text,
  pcounty text, in_county bool, categories varchar[], total bigint, borne bigint, full_ bigint,
  over bigint, pre bigint, in_policy bigint, fund_paid bigint, self_pay bigint, ips bigint,
  ratio int, target bigint, deltas jsonb, items jsonb);
CREATE TABLE bench_template_layers (k int, position smallint, layer text, fund_code text,
  fund_name text, base bigint, paid bigint, left_ bigint)
"""

_SETTLEMENTS = """
INSERT INTO settlements (id, hospital_code, bill_no, generation, person_id, request_hash,
  policy_version, policy_hash, admission_date, discharge_date, accumulator_year, referral,
  in_county, hospital_level, hospital_county_code, person_county_code, categories, total_fen,
  hospital_borne_fen, full_self_pay_fen, over_limit_fen, pre_self_pay_fen, in_policy_fen,
  fund_paid_fen, self_pay_fen, in_policy_self_pay_fen, in_policy_self_pay_ratio_bp,
  tilted_target_fen, accumulator_deltas, settled_at)
SELECT gen_random_uuid(), t.hospital_code, 'WB' || n, 0, :pid0 + (n % :persons), 'bench',
  'panzhihua-2018', :hash, at::date - 10, at::date, 2018, false, t.in_county, t.level, t.hcounty,
  t.pcounty, t.categories, t.total, t.borne, t.full_, t.over, t.pre, t.in_policy, t.fund_paid,
  t.self_pay, t.ips, t.ratio, t.target, t.deltas, at
FROM generate_series(CAST(:a AS bigint), CAST(:b AS bigint)) AS n
JOIN bench_templates t ON t.k = n % 32
CROSS JOIN LATERAL (SELECT timestamptz '2018-01-01 08:00+08'
  + (n::float8 / :total) * interval '360 days' AS at) AS when_
ORDER BY n
"""


async def seed(url: str, count: int, persons: int, rows: list[dict[str, Any]], phash: str) -> None:
    await upgrade_to_head(url)
    settings = Settings(db_statement_timeout_ms=0)  # 0: no timeout, for the big inserts
    engine = make_engine(url, settings)
    try:
        await startup(make_sessionmaker(engine), settings, demo=True)
        async with engine.begin() as conn:
            for statement in _TEMPLATE_TABLE.split(";"):
                await conn.execute(text(statement))
            await conn.execute(
                text(
                    "INSERT INTO bench_templates VALUES (:k, :hospital_code, :level, :hcounty,"
                    " :pcounty, :in_county, :categories, :total, :borne, :full, :over, :pre,"
                    " :in_policy, :fund_paid, :self_pay, :ips, :ratio, :target,"
                    " CAST(:deltas AS jsonb), CAST(:items AS jsonb))"
                ),
                [{k: v for k, v in r.items() if k not in ("layers", "claim")} for r in rows],
            )
            await conn.execute(
                text("INSERT INTO bench_template_layers VALUES (:k, :p, :l, :c, :n, :b, :d, :e)"),
                [
                    dict(zip("kplcnbde", [r["k"], *layer], strict=True))
                    for r in rows
                    for layer in r["layers"]
                ],
            )
            pid0 = await conn.scalar(
                text(
                    "INSERT INTO persons (id_number, name, county_code)"
                    " SELECT '8' || lpad(n::text, 17, '0'), '基准', '510402'"
                    " FROM generate_series(1, :p) AS n RETURNING id"
                ),
                {"p": persons},
            )
            await conn.execute(
                text("SELECT setval('persons_id_seq', (SELECT max(id) FROM persons))")
            )
            first = await conn.scalar(text("SELECT min(id) FROM persons WHERE name = '基准'"))
        chunk = 100_000
        for a in range(0, count, chunk):
            b = min(count, a + chunk) - 1
            started = time.perf_counter()
            async with engine.begin() as conn:
                await conn.execute(text("SET LOCAL statement_timeout = 0"))
                await conn.execute(
                    text(_SETTLEMENTS),
                    {
                        "a": a,
                        "b": b,
                        "pid0": first,
                        "persons": persons,
                        "hash": phash,
                        "total": count,
                    },
                )
                await conn.execute(
                    text(
                        "INSERT INTO settlement_layers (settlement_id, position, layer, fund_code,"
                        " fund_name, base_fen, paid_fen, left_fen, params, rule, reason)"
                        " SELECT s.id, l.position, l.layer, l.fund_code, l.fund_name, l.base,"
                        " l.paid, l.left_, '{}', 'bench', NULL FROM settlements s"
                        " JOIN bench_template_layers l"
                        "   ON l.k = substr(s.bill_no, 3)::bigint % 32"
                        " WHERE s.bill_no LIKE 'WB%' AND substr(s.bill_no, 3)::bigint"
                        "   BETWEEN :a AND :b"
                    ),
                    {"a": a, "b": b},
                )
                await conn.execute(
                    text(
                        "INSERT INTO settlement_item_lists (settlement_id, items)"
                        " SELECT s.id, t.items FROM settlements s JOIN bench_templates t"
                        "   ON t.k = substr(s.bill_no, 3)::bigint % 32"
                        " WHERE s.bill_no LIKE 'WB%' AND substr(s.bill_no, 3)::bigint"
                        "   BETWEEN :a AND :b"
                    ),
                    {"a": a, "b": b},
                )
            print(
                f"  seeded {b + 1:,}/{count:,} ({time.perf_counter() - started:.1f} s)",
                file=sys.stderr,
            )
        async with engine.begin() as conn:
            await conn.execute(text("SET LOCAL statement_timeout = 0"))
            await conn.execute(
                text(
                    "INSERT INTO reversals (id, settlement_id, reason, reversed_at)"
                    " SELECT gen_random_uuid(), s.id, 'bench', s.settled_at + interval '1 day'"
                    " FROM settlements s WHERE s.bill_no LIKE 'WB%'"
                    " AND substr(s.bill_no, 3)::bigint % 20 = 7 ORDER BY s.setl_id"
                )
            )
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("SET statement_timeout = 0"))
            await conn.execute(text("VACUUM ANALYZE"))
        del pid0
    finally:
        await engine.dispose()


async def run_replay(url: str, draft: Any) -> tuple[float, dict[str, Any]]:
    engine = replay_engine(url, Settings())
    last = {"t": time.perf_counter()}

    async def progress(done: int, total: int) -> bool:
        now = time.perf_counter()
        if now - last["t"] > 5:
            last["t"] = now
            print(f"  {done:,}/{total:,}", file=sys.stderr)
        return True

    try:
        async with make_sessionmaker(engine)() as session:
            started = time.perf_counter()
            result = await replay(
                session, draft, Range(dt.date(2018, 1, 1), dt.date(2018, 12, 31)), progress
            )
            seconds = time.perf_counter() - started
    finally:
        await engine.dispose()
    assert result is not None
    return seconds, result


def engine_alone(rows: list[dict[str, Any]], policy: Any, n: int) -> float:
    claims = [r["claim"] for r in rows]
    started = time.perf_counter()
    acc: dict[str, int] = {}
    for i in range(n):
        settle(claims[i % len(claims)], policy, acc)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--settlements", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=None, help="default: settlements / 8")
    args = parser.parse_args()
    count = args.settlements
    persons = args.persons or max(1, count // 8)
    docs = {d.policy.id: d for d in load_directory()}
    in_force = docs["panzhihua-2018"]
    document = copy.deepcopy(in_force.document)
    document["id"] = "panzhihua-draft"
    document["layers"]["supplementary"]["params"]["ratio"]["value"] = "0.60"
    draft = parse_document(document).policy
    rows = templates(random.Random(16), in_force.policy)
    with tempfile.TemporaryDirectory(prefix="whatif-bench-") as tmp:
        handle = start_embedded(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            started = time.perf_counter()
            asyncio.run(seed(handle.url, count, persons, rows, in_force.content_hash))
            seeded = time.perf_counter() - started
            print(f"seeded {count:,} settlements of {persons:,} persons in {seeded:.0f} s")
            rate = engine_alone(rows, in_force.policy, 50_000)
            print(f"engine alone on these bills: {rate:,.0f} settlements/s")
            for name, policy in (("in force", in_force.policy), ("draft", draft)):
                seconds, result = asyncio.run(run_replay(handle.url, policy))
                compared = result["settlements"]
                print(
                    f"replay under {name} ({policy.id}): {compared:,} standing settlements "
                    f"compared in {seconds:.1f} s = {compared / seconds:,.0f} settlements/s; "
                    f"self-pay delta {result['self_pay']['delta']}, "
                    f"{result['bills_changed']:,} bills changed"
                )
        finally:
            handle.stop()


if __name__ == "__main__":
    main()
