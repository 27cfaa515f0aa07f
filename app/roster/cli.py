"""``onestop roster import FILE --source S --as-of D``: import a roster file from the shell.

The same import as ``POST /v1/roster/imports`` (:func:`app.roster.service.import_roster`, one
transaction, audited with no key: ``via: cli``), with a progress bar on stderr for its phases
(reading the rows, loading them into the database, applying the diff). Prints the counts and
the first ``--errors`` rejected rows. Exit status: 0 imported (rejected rows included, or the
same file already imported), 1 refused by the database's state (``as_of`` before the source's
latest import), 2 the file or the arguments refused (nothing imported), 3 committed on the
database primary but not confirmed replicated to a standby (a cancelled synchronous-replication
wait, app/db/durability.py): run the same import again, it answers "already imported" once a
standby has it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from app.config import Settings
from app.db.durability import CommitUnconfirmed, commit
from app.db.session import make_engine, make_sessionmaker
from app.engine import parse_date
from app.errors import AppError

from .models import ROSTER_SOURCES
from .parse import MAX_FILE_BYTES
from .service import import_roster

__all__ = ["EXIT_CONFLICT", "EXIT_REFUSED", "EXIT_UNCONFIRMED", "ProgressBar", "add_parser", "run"]

EXIT_CONFLICT = 1
EXIT_REFUSED = 2
EXIT_UNCONFIRMED = 3
_PHASES = {"parse": "读取行", "load": "写入数据库", "apply": "比对与更新"}


def add_parser(commands: Any) -> None:
    roster = commands.add_parser("roster", help="roster exchange: import a roster file")
    actions = roster.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = actions.add_parser(
        "import", help="import a roster file (CSV in UTF-8 or GBK, or XLSX) of one source"
    )
    imp.add_argument("file", type=Path, help="the roster file")
    imp.add_argument("--source", choices=ROSTER_SOURCES, required=True)
    imp.add_argument("--as-of", dest="as_of", required=True, help="the roster's date, YYYY-MM-DD")
    imp.add_argument(
        "--errors", type=int, default=20, help="how many rejected rows to print (default 20)"
    )
    imp.add_argument("--json", action="store_true", help="print the import as JSON instead")


class ProgressBar:
    """A one-line bar per phase on ``stream``: redrawn in place on a terminal, else a line at
    each tenth (logs and tests read those)."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.phase: str | None = None
        self.tenth = -1
        self.started = time.monotonic()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            if self.phase is not None and self.tty:
                self.stream.write("\n")
            self.phase, self.tenth = phase, -1
        label = _PHASES.get(phase, phase)
        elapsed = time.monotonic() - self.started
        if total:
            share = min(done / total, 1.0)
            filled = int(share * self.WIDTH)
            line = (
                f"{label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"{done}/{total} {share:4.0%} {elapsed:5.1f}s"
            )
            tenth = int(share * 10)
        else:
            line, tenth = f"{label} {done} {elapsed:5.1f}s", self.tenth + 1
        if self.tty:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif tenth != self.tenth:
            self.stream.write(line + "\n")
        self.tenth = tenth

    def close(self) -> None:
        if self.tty and self.phase is not None:
            self.stream.write("\n")
            self.stream.flush()


def _refused(exc: AppError, stream: TextIO) -> None:
    title, detail, errors = exc.in_chinese()
    print(f"{exc.code}: {title}：{detail}", file=stream)
    for error in errors:
        print(f"  {'.'.join(map(str, error['loc']))}: {error['msg']}", file=stream)


async def run(url: str, settings: Settings, args: argparse.Namespace) -> int:
    try:
        as_of = parse_date(args.as_of)
    except ValueError as exc:
        print(f"--as-of {args.as_of!r}: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    path: Path = args.file
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            print(
                f"roster_too_big: {path} has {size} bytes; at most {MAX_FILE_BYTES} are taken",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    bar = ProgressBar(sys.stderr)
    engine = make_engine(url, settings)
    try:
        async with make_sessionmaker(engine)() as session:
            try:
                out, created = await import_roster(
                    session,
                    None,
                    data=data,
                    file_name=path.name,
                    source=args.source,
                    as_of=as_of,
                    progress=bar,
                )
                # The barrier: a same-file replay waits for the standby like a first import.
                await commit(session, barrier=True)
            except CommitUnconfirmed as exc:
                bar.close()
                _refused(exc, sys.stderr)
                return EXIT_UNCONFIRMED
            except AppError as exc:
                await session.rollback()
                bar.close()
                _refused(exc, sys.stderr)
                return EXIT_CONFLICT if exc.status == 409 else EXIT_REFUSED
    finally:
        await engine.dispose()
    bar.close()
    if args.json:
        print(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return 0
    print(
        f"{'imported' if created else 'already imported'} {out.import_id} "
        f"({out.source}, as of {out.as_of.isoformat()}, {out.file_format}"
        f"{', ' + out.encoding if out.encoding else ''})"
    )
    print(
        f"rows {out.rows}  new {out.new}  changed {out.changed}  ended {out.ended}  "
        f"unchanged {out.unchanged}  rejected {out.rejected}"
    )
    if out.errors:
        shown = out.errors[: max(args.errors, 0)]
        print(f"rejected: {out.rejected} rows; their errors (first {len(shown)}):")
        for error in shown:
            print(f"  row {error.row}, {error.column}: {error.msg}")
    return 0
