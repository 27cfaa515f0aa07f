"""HTTP benchmark of the national interface's 2304 住院结算 beside ``POST /v1/settlements``.

    .venv/bin/python bench/nhsa.py [--runs 2] [--seconds 5] [--rate 50] [--persons 500]

The same set-up as ``bench/http.py``, whose code it reuses (embedded PostgreSQL, the demo registry
plus synthetic persons and catalogue, 20,000 past settlements, ``onestop serve --workers 2``, the
raw keep-alive client, the closed- and open-loop drivers, the CPU meters, the table), and the
same bills on both sides: one seeded sequence of (hospital, person, dates, 200 lines from the
pool) is sent once as a /v1 bill and once as a visit settled by 2304.

- ``v1 closed c8`` / ``2304 closed c8``: 8 clients, each sending its next request when the last
  answer arrived;
- ``v1 open R/s`` / ``2304 open R/s``: a fixed arrival rate, latency from the scheduled send time.

A 2304 settles a visit that already has its lines, so before each 2304 run (not timed) the
script opens as many visits as the run can use, each with 2401 入院办理 and one 2301 of its 200
lines (8 at a time, with httpx), then waits until the server and the database are idle; the run
times the 2304s only. A closed run ends after ``--seconds`` or when its visits are used up
(``--visits`` /v1 bills and the first ``--visits-2304`` of the same stays for 2304, per run:
each visit costs a 200-line 2301 to prepare, and 2304 is the slower of the two). Both sides'
answers are checked afterwards in the database: every request counted as successful made
exactly one settlement (an fsi failure is HTTP 200 too), and every person-year's accumulators
equal the sum of its settlements.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import importlib.util
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/: its http.py would shadow the standard library's
_spec = importlib.util.spec_from_file_location("bench_http", ROOT / "bench" / "http.py")
assert _spec is not None and _spec.loader is not None
bh = importlib.util.module_from_spec(_spec)
sys.modules["bench_http"] = bh
_spec.loader.exec_module(bh)  # bench/http.py, under another name than the stdlib's http

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db.session import make_engine  # noqa: E402

FSI = "/fsi/api/rsfComIfsService/callService"
V1 = "/v1/settlements"


@dataclass(frozen=True)
class Stay:
    """One bill: who, where, when, which of the pool's line lists."""

    hospital: str
    id_number: str
    admission: dt.date
    discharge: dt.date
    lines: int  # index into the pool


def stays(seed: int, persons: list[str], count: int, pool: int) -> list[Stay]:
    """As ``bench/http.py``'s ``Bills.body`` draws them: random hospital, person, dates."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        hospital = rng.choice(bh.DESIGNATED)
        discharge = dt.date(bh.YEAR, 1, 1) + dt.timedelta(days=rng.randrange(20, 365))
        admission = discharge - dt.timedelta(days=rng.randint(1, 20))
        out.append(Stay(hospital, rng.choice(persons), admission, discharge, rng.randrange(pool)))
    return out


class Queue:
    """Stands in for ``bench/http.py``'s ``Bills``: ``body()`` hands out prepared requests in
    order, so its ``Driver`` (closed and open loop) sends them unchanged."""

    def __init__(self, requests: list[tuple[str, bytes]]) -> None:
        self.requests = collections.deque(requests)

    def body(self, _id_number: str) -> tuple[str, bytes]:
        return self.requests.popleft()


class At:
    """A client that posts to ``path`` whatever path the driver names (it names /v1's)."""

    def __init__(self, client: bh.RawClient, path: str) -> None:
        self.client, self.path = client, path

    async def post(self, _path: str, body: bytes, key: str) -> tuple[int, float | None]:
        return await self.client.post(self.path, body, key)  # type: ignore[no-any-return]


# --- the two request bodies of one stay ---------------------------------------------------------


def v1_body(stay: Stay, serial: str, pool: list[str]) -> bytes:
    return (
        f'{{"hospital_code":"{stay.hospital}","bill_no":"BN{serial}",'
        f'"patient":{{"id_number":"{stay.id_number}","name":"基准"}},'
        f'"admission_date":"{stay.admission}","discharge_date":"{stay.discharge}",'
        f'"referral":false,"items":{pool[stay.lines]}}}'
    ).encode()


def envelope(infno: str, hospital: str, msgid: str, node: dict[str, Any]) -> bytes:
    body = {
        "infno": infno,
        "msgid": msgid,
        "inf_time": "2018-12-31 10:00:00",
        "fixmedins_code": hospital,
        "opter": "bench",
        "input": node,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def fee_lines(lines: list[dict[str, Any]], stay: Stay, mdtrt_id: str, psn_no: str) -> list[Any]:
    """The /v1 bill's lines as 2301 ``feedetail``: the same codes, prices, counts, amounts."""
    return [
        {
            "feedetl_sn": str(line["seq"]),
            "mdtrt_id": mdtrt_id,
            "psn_no": psn_no,
            "fee_ocur_time": f"{stay.admission} 09:00:00",
            "med_list_codg": line["code"],
            "medins_list_name": line["name"],
            "pric": line["unit_price"],
            "cnt": line["quantity"],
            "det_item_fee_sumamt": line["amount"],
            **({"exp_content": {"hosp_borne_flag": "1"}} if line.get("hospital_borne") else {}),
        }
        for line in lines
    ]


def total(lines: list[dict[str, Any]]) -> str:
    return str(sum(Decimal(line["amount"]) for line in lines).quantize(Decimal("0.01")))


async def open_visits(
    url: str, stays_: list[Stay], pool: list[list[dict[str, Any]]], psn: dict[str, str], tag: str
) -> list[tuple[str, bytes]]:
    """2401 + 2301 for each stay (8 at a time); returns the 2304 request of each."""
    out: list[tuple[str, bytes] | None] = [None] * len(stays_)
    todo = collections.deque(enumerate(stays_))

    async def one(client: httpx.AsyncClient) -> None:
        while todo:
            i, stay = todo.popleft()
            key = {"Authorization": f"Bearer demo-{stay.hospital}"}
            psn_no = psn[stay.id_number]
            mdtrtinfo = {
                "psn_no": psn_no,
                "insutype": "390",
                "begntime": f"{stay.admission} 08:00:00",
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": stay.id_number,
                "med_type": "21",
                "ipt_no": f"ZY{tag}{i:07d}",
            }
            answer = await client.post(
                FSI,
                content=envelope("2401", stay.hospital, f"A{tag}{i:09d}", {"mdtrtinfo": mdtrtinfo}),
                headers=key,
            )
            mdtrt_id = answer.json()["output"]["result"]["mdtrt_id"]
            lines = pool[stay.lines]
            node = {"feedetail": fee_lines(lines, stay, mdtrt_id, psn_no)}
            answer = await client.post(
                FSI, content=envelope("2301", stay.hospital, f"U{tag}{i:09d}", node), headers=key
            )
            if answer.json()["infcode"] != 0:
                raise SystemExit(f"2301 failed: {answer.text[:500]}")
            data = {
                "psn_no": psn_no,
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": stay.id_number,
                "medfee_sumamt": total(lines),
                "psn_setlway": "01",
                "mdtrt_id": mdtrt_id,
                "insutype": "390",
                "mid_setl_flag": "0",
                "acct_used_flag": "0",
                "dscgTime": str(stay.discharge),
            }
            out[i] = (
                stay.hospital,
                envelope("2304", stay.hospital, f"S{tag}{i:09d}", {"data": data}),
            )

    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await asyncio.gather(*(one(client) for _ in range(8)))
    return [r for r in out if r is not None]


# --- checks --------------------------------------------------------------------------------------


async def settled(db: Any, where: str, params: dict[str, Any]) -> int:
    """How many settlements match ``where``."""
    engine = make_engine(db.url, Settings(_env_file=None))  # type: ignore[call-arg]
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                text(f"SELECT count(*) FROM settlements WHERE {where}"), params
            )
            return int(found or 0)
    finally:
        await engine.dispose()


ACCUMULATORS_SQL = """
WITH sums AS (
  SELECT s.person_id, s.accumulator_year AS year, d.key, sum(d.value::bigint) AS fen
  FROM settlements s CROSS JOIN LATERAL jsonb_each_text(s.accumulator_deltas) d
  WHERE NOT EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id)
  GROUP BY 1, 2, 3 HAVING sum(d.value::bigint) <> 0),
acc AS (SELECT person_id, year, key, amount_fen AS fen FROM accumulators WHERE amount_fen <> 0)
SELECT (SELECT count(*) FROM (SELECT * FROM sums EXCEPT SELECT * FROM acc) a)
     + (SELECT count(*) FROM (SELECT * FROM acc EXCEPT SELECT * FROM sums) b)
"""


async def accumulators_differ(db: Any) -> int:
    engine = make_engine(db.url, Settings(_env_file=None))  # type: ignore[call-arg]
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text(ACCUMULATORS_SQL)) or 0)
    finally:
        await engine.dispose()


def server_latencies(log: Path, offset: int, route: str) -> list[float]:
    found = []
    with log.open("rb") as f:
        f.seek(offset)
        for line in f:
            if route.encode() not in line:
                continue
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("route") == route and "duration_ms" in record:
                    found.append(record["duration_ms"] / 1000)
    return found


# --- main ----------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="onestop-bench-nhsa-"))
    db = bh.start_database(workdir)
    try:
        t0 = time.perf_counter()
        persons = bh.id_numbers(rng, args.persons)
        items = bh.catalogue(rng)
        await bh.seed(db, persons, [], items)
        engine = make_engine(db.url, Settings(_env_file=None))  # type: ignore[call-arg]
        async with engine.connect() as conn:
            psn = dict((await conn.execute(text("SELECT id_number, psn_no FROM persons"))).all())
        await engine.dispose()
        bills = bh.Bills(rng, items, args.lines)
        pool_text = bills.pool
        pool = [json.loads(p) for p in pool_text]
        ids = [p for p, _ in persons]
        out.write(
            f"database ready in {time.perf_counter() - t0:.1f}s: {len(persons)} persons, "
            f"{args.lines}-line bills (~{len(pool_text[0]) // 1024} KiB as /v1 items)\n"
        )
        postmaster = int((db.handle.pgdata / "postmaster.pid").read_text().split()[0])
        log = workdir / "server.log"
        port = bh.free_port()
        url = f"http://127.0.0.1:{port}"
        results: dict[str, list[bh.Result]] = collections.defaultdict(list)
        setup_s: list[float] = []
        serial = 0
        with bh.server(db, port, args.workers, log) as proc:
            await bh.wait_ready(port, proc)
            raw = bh.RawClient("127.0.0.1", port)
            meter = bh.CpuMeter(proc.pid, postmaster)
            everything = bh.CpuMeter(proc.pid, postmaster)
            # Warm-up: both paths.
            warm = stays(args.seed, ids, 40, len(pool))
            warm_v1 = [(s.hospital, v1_body(s, f"W{i:09d}", pool_text)) for i, s in enumerate(warm)]
            await bh.Driver(At(raw, V1), Queue(warm_v1), ["-"], rng, len(warm)).closed(
                bh.Result("warm-up"), 8, 60
            )
            warm_fsi = await open_visits(url, warm, pool, psn, "W")
            async with httpx.AsyncClient(base_url=url, timeout=60) as check:
                hospital, body = warm_fsi.pop()  # one checked by hand: a 2304 must settle
                answer = await check.post(
                    FSI, content=body, headers={"Authorization": f"Bearer demo-{hospital}"}
                )
                if answer.json()["infcode"] != 0:
                    raise SystemExit(f"2304 failed: {answer.text[:800]}")
            await bh.Driver(At(raw, FSI), Queue(warm_fsi), ["-"], rng, len(warm_fsi)).closed(
                bh.Result("warm-up"), 8, 60
            )
            out.write(f"server: onestop serve --workers {args.workers} on 127.0.0.1:{port}\n")
            scenarios = [("closed c8", None), (f"open {args.rate:g}/s", args.rate)]
            for round_no in range(1, args.runs + 1):
                for name, rate in scenarios:
                    count = args.visits if rate is None else int(rate * args.seconds)
                    serial += 1
                    batch = stays(args.seed + serial, ids, count, len(pool))
                    tag = f"R{serial:02d}"
                    order = [("v1", V1), ("2304", FSI)]
                    for side, path in order if round_no % 2 else order[::-1]:
                        if side == "v1":
                            requests = [
                                (s.hospital, v1_body(s, f"{tag}{i:09d}", pool_text))
                                for i, s in enumerate(batch)
                            ]
                        else:
                            t1 = time.perf_counter()
                            # The first stays of the same sequence: a closed run uses what it can.
                            some = batch if rate is not None else batch[: args.visits_2304]
                            requests = await open_visits(url, some, pool, psn, tag)
                            setup_s.append(time.perf_counter() - t1)
                        await bh.quiesce(everything, args.pause)
                        result = bh.Result(f"{side} {name}")
                        driver = bh.Driver(
                            At(raw, path), Queue(requests), ["-"], rng, len(requests)
                        )
                        offset = log.stat().st_size
                        before = meter.sample()
                        if rate is None:
                            await driver.closed(result, 8, args.seconds)
                        else:
                            await driver.open(result, rate, args.seconds)
                        result.cpu_s = bh.CpuMeter.delta(before, meter.sample())
                        route = V1 if side == "v1" else FSI
                        result.server_latencies_s = server_latencies(log, offset, route)
                        # An fsi failure is HTTP 200 too: count what the database holds.
                        sent = result.statuses.get("200", 0) + result.statuses.get("201", 0)
                        if side == "v1":
                            made = await settled(db, "bill_no LIKE :p", {"p": f"BN{tag}%"})
                        else:
                            visits = [
                                json.loads(b)["input"]["data"]["mdtrt_id"] for _, b in requests
                            ]
                            made = await settled(db, "mdtrt_id = ANY(:v)", {"v": visits})
                        if made != sent:
                            result.statuses["200"] = made
                            result.statuses["not settled"] = sent - made
                        results[result.scenario].append(result)
                        if args.verbose:
                            out.write(
                                f"  round {round_no} {result.scenario}: "
                                f"{result.throughput:.0f}/s, {dict(result.statuses)}\n"
                            )
                            out.flush()
            await raw.close()
        wrong = await accumulators_differ(db)
        rows = {name: bh.summarize(name, runs) for name, runs in results.items()}
        out.write(
            f"\n{args.runs} interleaved run(s) of {args.seconds:g}s per scenario; 2304 set-up "
            f"(2401 + 2301 of {args.lines} lines, not timed) {sum(setup_s):.0f}s in all\n"
        )
        bh.print_table(list(rows.values()), out)
        out.write(f"\n{'side by side':<14} {'/v1 POST':>22} {'fsi 2304':>22}\n")
        for name, _ in scenarios:
            a, b = rows[f"v1 {name}"], rows[f"2304 {name}"]
            for label, fmt in (
                ("ok/s", lambda r: f"{r['throughput']:.0f}"),
                ("p50 / p99 ms", lambda r: f"{bh._ms(r['p50'])} / {bh._ms(r['p99'])}"),
                (
                    "CPU ms app+pg",
                    lambda r: f"{r['cpu_ms_per_ok']['app']:.1f}+{r['cpu_ms_per_ok']['pg']:.1f}",
                ),
            ):
                out.write(f"{name + ' ' + label:<26} {fmt(a):>10} {fmt(b):>22}\n")
        out.write(
            "accumulators: "
            + (
                "every person-year equals the sum of its settlements\n"
                if not wrong
                else f"{wrong} rows DIFFER\n"
            )
        )
        return 1 if wrong else 0
    finally:
        db.handle.stop()
        if args.keep:
            out.write(f"kept {workdir}\n")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="interleaved rounds (medians)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    parser.add_argument("--rate", type=float, default=50.0, help="open-loop arrivals per second")
    parser.add_argument("--visits", type=int, default=800, help="/v1 bills per closed run")
    parser.add_argument(
        "--visits-2304", type=int, default=200, help="2304 visits per closed run (set-up cost)"
    )
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between runs")
    parser.add_argument("--persons", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200, help="lines per bill")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--seed", type=int, default=20180101)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (server log)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every run")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
