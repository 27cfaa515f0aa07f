"""The national interface's 3201 对总账 and the agency console's ledger pages at 1M and 10M
stored settlements (issue 15), on a database seeded by ``bench/reports.py seed``.

    .venv/bin/python bench/nhsa_reports.py --dir /tmp/rep10m [--upgrade]

Starts the embedded PostgreSQL of ``--dir`` (``--upgrade``: first migrate it to this tree's
head, timed: the backfill of the rollups), creates a hospital key of the seed's first designated
hospital and an agency key, and times, each the median of 3 through the real app (in process,
requests through its ASGI interface, the default 5 s statement timeout):

- 3201 of that hospital for one month (2018-06) and one year (2018), with ``setl_optins`` empty
  and set to the county of most of its persons (510402), with ``refd_setl_flag`` 1; and the
  year with flag 0. The hospital's figures are sent as zeros, so the answer's
  ``stmt_rslt_dscr`` names every figure of ours (printed: the same before and after);
- the console's dashboard (``/ui/console/?county=&month=``: every category's ledger of the
  month, the registered poor's twelve-month trend, the bills above the target), with and
  without a month; the per-person 管理台帐 page (``/ui/console/ledger``); the console's 对总账
  of a month (``/ui/console/reconciliation``) and a settlement search by days.

``--settle-ab``: instead, what migration 0025's triggers cost the settle path: bench/reports.py's
``settle-ab`` (100 settlements with the triggers on, 100 off, five rounds interleaved) with
0025's insert triggers toggled (0023's stay on).

The seed (bench/whatif.py's templates): 11 designated hospitals, the first (H510402001) has
3/32 of the settlements, 2/3 of them of persons of county 510402, 1/3 of 510411.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import bench.reports as reports  # noqa: E402
from app.db.embedded import start_embedded  # noqa: E402
from bench.reports import _keys  # noqa: E402

RUNS = 3
FSI = "/fsi/api/rsfComIfsService/callService"
MONTH = ("2018-06-01", "2018-06-30")
YEAR = ("2018-01-01", "2018-12-31")
COUNTY = "510402"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FIGURES = re.compile(r"中心(-?[0-9.]+)")


def envelope(hospital: str, n: int, begin: str, end: str, optins: str, flag: str) -> Any:
    return {
        "infno": "3201",
        "msgid": f"{hospital}{int(time.time() * 1000) % 10**10:010d}{n:04d}",
        "mdtrtarea_admvs": "510402",
        "insuplc_admdvs": "510402",
        "recer_sys_code": "YBXT",
        "infver": "V1.0",
        "opter_type": "1",
        "opter": "bench",
        "opter_name": "基准",
        "inf_time": "2026-12-02 10:00:00",
        "fixmedins_code": hospital,
        "input": {
            "data": {
                "insutype": "390",
                "clr_type": "21",
                "setl_optins": optins,
                "stmt_begndate": begin,
                "stmt_enddate": end,
                "medfee_sumamt": "0.00",
                "fund_pay_sumamt": "0.00",
                "acct_pay": "0.00",
                "fixmedins_setl_cnt": 0,
                "refd_setl_flag": flag,
            }
        },
    }


async def _measure(url: str) -> None:
    import httpx

    from app.config import Settings
    from app.main import create_app

    agency, own, hospital = await _keys(url)
    app = create_app(Settings(), database_url=url)
    serial = iter(range(10**6))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bench", timeout=120
        ) as client,
    ):
        form = await client.get("/ui/login", params={"next": "/ui/console/"})
        token = _CSRF.search(form.text)
        assert token is not None, form.text
        signed = await client.post(
            "/ui/login",
            data={"key": agency, "next": "/ui/console/", "csrf_token": token.group(1)},
        )
        assert signed.status_code in (302, 303), signed.text

        async def timed(method: str, path: str, **kw: Any) -> tuple[float, int, Any]:
            started = time.perf_counter()
            response = await client.request(method, path, **kw)
            return time.perf_counter() - started, response.status_code, response

        def reconcile(span: tuple[str, str], optins: str, flag: str = "1") -> Any:
            async def pull() -> tuple[float, int, Any]:
                body = envelope(hospital, next(serial), span[0], span[1], optins, flag)
                elapsed, status, response = await timed(
                    "POST", FSI, json=body, headers={"Authorization": f"Bearer {own}"}
                )
                answer = response.json() if status == 200 else {}
                if answer.get("infcode") != 0:
                    return elapsed, 500, response
                return elapsed, status, response

            return pull

        def page(path: str, **params: str) -> Any:
            return lambda: timed("GET", path, params=params)

        pulls: list[tuple[str, Any]] = [
            ("3201, one month, setl_optins empty", reconcile(MONTH, "")),
            (f"3201, one month, setl_optins {COUNTY}", reconcile(MONTH, COUNTY)),
            ("3201, one year, setl_optins empty", reconcile(YEAR, "")),
            (f"3201, one year, setl_optins {COUNTY}", reconcile(YEAR, COUNTY)),
            ("3201, one year, refd_setl_flag 0", reconcile(YEAR, "", "0")),
            (
                "console dashboard, county and month",
                page("/ui/console/", county=COUNTY, month="2018-06"),
            ),
            ("console dashboard, county only (latest month)", page("/ui/console/", county=COUNTY)),
            ("console dashboard, defaults", page("/ui/console/")),
            ("console 管理台帐 (per person), 2018", page("/ui/console/ledger", year="2018")),
            (
                "console 对总账, one month, all hospitals",
                page("/ui/console/reconciliation", date_from=MONTH[0], date_to=MONTH[1]),
            ),
            (
                "console settlement search, one day",
                page("/ui/console/settlements", date_from="2018-06-15", date_to="2018-06-15"),
            ),
        ]
        for name, pull in pulls:
            runs = [await pull() for _ in range(RUNS)]
            ms = statistics.median(r[0] for r in runs) * 1000
            statuses = sorted({r[1] for r in runs})
            note = "" if statuses == [200] else f" (status {statuses})"
            last = runs[-1][2]
            shown = ""
            if name.startswith("3201") and last.status_code == 200:
                dscr = last.json().get("output", {}).get("stmtinfo", {}).get("stmt_rslt_dscr", "")
                shown = " ours: " + "/".join(_FIGURES.findall(dscr))
            print(f"| {name} | {ms:,.0f} ms{note} |{shown}", flush=True)


# Migration 0025's triggers a settlement fires (its reversal fires others).
_TRIGGERS = (
    ("settlements", "report_nhsa_settlements_insert"),
    ("settlements", "report_ledger_all_settlements_insert"),
    ("settlement_layers", "report_ledger_all_layers_insert"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--upgrade", action="store_true")
    parser.add_argument("--settle-ab", action="store_true")
    args = parser.parse_args()
    handle = start_embedded(args.dir / "pg")
    try:
        if args.upgrade:
            from app.db.migrate import upgrade_to_head

            started = time.perf_counter()
            asyncio.run(upgrade_to_head(handle.url))
            print(f"migrated to head in {time.perf_counter() - started:.0f} s", flush=True)
        if args.settle_ab:
            reports._TRIGGERS = _TRIGGERS
            asyncio.run(reports._settle_ab(handle.url))
        else:
            asyncio.run(_measure(handle.url))
    finally:
        handle.stop()


if __name__ == "__main__":
    main()
