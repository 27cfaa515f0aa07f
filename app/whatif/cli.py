"""``onestop what-if DRAFT.yaml --from YYYY-MM-DD --to YYYY-MM-DD [--county] [--hospital]``: the
replay of ``POST /v1/what-if`` run in this process, with a progress bar on stderr and the
comparison on stdout (a table; ``--json`` for the whole result, ``--xlsx`` for the workbook).

It reads one read-only snapshot and stores nothing: no job row, so it is not one of the API's
"one job per key" (it has no key; whoever runs it has the database URL). Exit 2 for a draft
that is refused (each problem on stderr with its field) or an unreachable database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from app.config import Settings
from app.db.session import make_sessionmaker
from app.engine import parse_date
from app.errors import AppError, is_database_unavailable
from app.reconciliation.scope import check_dates

from . import export
from .draft import parse_draft
from .source import Range, replay, replay_engine

__all__ = ["add_parser", "run"]


def _day(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "what-if",
        help="replay a period's standing settlements under a draft policy (stores nothing)",
    )
    parser.add_argument("draft", type=Path, help="the draft policy document (YAML)")
    parser.add_argument("--from", dest="date_from", type=_day, required=True, metavar="DAY")
    parser.add_argument("--to", dest="date_to", type=_day, required=True, metavar="DAY")
    parser.add_argument("--county", dest="county_code", help="only this county's persons")
    parser.add_argument("--hospital", dest="hospital_code", help="only this hospital's bills")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--xlsx", type=Path, help="also write the result as an XLSX workbook")


class Bar:
    """``[#####.....]  12,000/100,000  12%  8,431/s`` on one line of ``out``, redrawn at most
    ten times a second."""

    def __init__(self, out: TextIO, width: int = 30) -> None:
        self.out, self.width = out, width
        self.started = self.drawn = time.monotonic()

    async def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if now - self.drawn >= 0.1 or done == total:
            self.drawn = now
            share = done / total if total else 1.0
            filled = int(share * self.width)
            rate = done / (now - self.started) if now > self.started else 0.0
            self.out.write(
                f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} "
                f"{share:4.0%} {rate:,.0f}/s"
            )
            self.out.flush()
        return True

    def end(self) -> float:
        self.out.write("\n")
        return time.monotonic() - self.started


def table(result: dict[str, Any]) -> str:
    rows = [("", "actual", "what-if", "delta")]
    for fund in result["funds"]:
        rows.append(
            (
                f"{fund['fund_code']} {fund['fund_name']}",
                fund["actual"],
                fund["what_if"],
                fund["delta"],
            )
        )
    for name in ("fund_paid", "self_pay"):
        three = result[name]
        rows.append((name, three["actual"], three["what_if"], three["delta"]))
    width = max(len(r[0]) for r in rows)
    lines = [f"{r[0]:<{width}}  {r[1]:>14}  {r[2]:>14}  {r[3]:>14}" for r in rows]
    target = result["target"]
    lines.append(
        f"registered poor in county: {target['bills']} bills; above the tilted target: "
        f"{target['above_actual']} actual ({target['share_actual']}), "
        f"{target['above_what_if']} what-if ({target['share_what_if']})"
    )
    lines.append(f"{result['settlements']} settlements compared, {result['bills_changed']} changed")
    return "\n".join(lines)


def _refused(error: AppError) -> int:
    print(f"onestop what-if: {error.code}: {error.detail}", file=sys.stderr)
    for item in error.errors:
        where = ".".join(str(part) for part in item["loc"][2:]) or "<document>"
        print(f"  {where}: {item['msg']}", file=sys.stderr)
    return 2


def run(url: str, settings: Settings, args: argparse.Namespace) -> int:
    try:
        text = args.draft.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"onestop what-if: cannot read {args.draft}: {exc}", file=sys.stderr)
        return 2
    try:
        draft = parse_draft(text, ("body", "policy"))
        check_dates(args.date_from, args.date_to, "query")
    except AppError as error:
        return _refused(error)
    scope = Range(args.date_from, args.date_to, args.county_code, args.hospital_code)
    bar = Bar(sys.stderr)
    try:
        result = asyncio.run(_replay(url, settings, draft.policy, scope, bar))
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        print(
            f"onestop what-if: the database is unavailable ({type(exc).__name__})", file=sys.stderr
        )
        return 2
    seconds = bar.end()
    print(f"replayed in {seconds:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(table(result))
    if args.xlsx is not None:
        about = [
            ("草案政策", draft.policy.id),
            ("草案内容哈希", draft.content_hash),
            ("结算日期从", args.date_from.isoformat()),
            ("结算日期至", args.date_to.isoformat()),
            ("参保地（县）", args.county_code or "全部"),
            ("医院", args.hospital_code or "全部"),
        ]
        args.xlsx.write_bytes(export.workbook(result, about))
    return 0


async def _replay(url: str, settings: Settings, draft: Any, scope: Range, bar: Bar) -> Any:
    engine = replay_engine(url, settings)
    try:
        async with make_sessionmaker(engine)() as session:
            return await replay(session, draft, scope, bar)
    finally:
        await engine.dispose()
