"""``onestop``: the command line (serve, migrate, publish-policies, openapi, ...).

With ``DATABASE_URL`` unset, ``serve`` starts the embedded PostgreSQL once in this process, hands
its URL to the app (and every uvicorn worker) through ``DATABASE_URL``, and stops it when uvicorn
exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import logging.config
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from types import FrameType
from typing import Any, NoReturn

import uvicorn

from app import __version__, settle_file
from app.cli_admin import add_admin_commands, run_admin
from app.config import Settings, get_settings
from app.db.embedded import EmbeddedUnavailable, resolve_database_url
from app.db.migrate import is_at_head, upgrade_to_head
from app.db.session import make_engine, make_sessionmaker
from app.errors import is_database_unavailable
from app.logs import logging_config
from app.roster import cli as roster_cli
from app.whatif import cli as what_if_cli

__all__ = ["main"]

logger = logging.getLogger("onestop")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    logging.config.dictConfig(logging_config(settings))
    if args.command == "settle-file":  # offline: no database
        return int(args.func(args))
    if args.command == "openapi":
        from app.main import create_app

        document = create_app(settings).openapi()
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return 0

    # SIGTERM (docker stop, systemd) must unwind through `finally` so the embedded server stops.
    if args.command == "serve":
        # Being stopped is how a server ends: uvicorn drains on SIGTERM or SIGINT (Ctrl-C), then
        # raises the signal again once this handler is back, and it exits 0 (`make run` too).
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, _stopped)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        url, embedded = resolve_database_url(settings)
    except EmbeddedUnavailable as exc:
        logger.error("%s", exc)
        return 2
    try:
        if args.command in ("keys", "audit"):
            return _admin(url, settings, args)
        if args.command == "roster":
            return _admin(url, settings, args, roster_cli.run)
        if args.command == "what-if":  # reads only: no migration
            return what_if_cli.run(url, settings, args)
        asyncio.run(upgrade_to_head(url))
        logger.info("database migrated to head")
        if args.command == "serve":
            asyncio.run(_bootstrap(url, settings, demo=args.demo))
            if embedded is not None:
                os.environ["DATABASE_URL"] = url
            _reset_metrics_dir(settings, args.workers)
            uvicorn.run(
                "app.main:create_app",
                factory=True,
                host=args.host,
                port=args.port or settings.port,
                workers=args.workers,
                log_level=settings.log_level.lower(),
                log_config=logging_config(settings),  # applied again in each worker
                access_log=False,  # app.middleware logs each request with its route and id
                timeout_graceful_shutdown=settings.shutdown_timeout_s,
            )
        elif args.command == "publish-policies":
            asyncio.run(_bootstrap(url, settings, demo=False))
    except KeyboardInterrupt:
        return 130
    finally:
        if embedded is not None:
            embedded.stop()
    return 0


def _stopped(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def _admin(
    url: str,
    settings: Settings,
    args: argparse.Namespace,
    run: Callable[[str, Settings, argparse.Namespace], Coroutine[Any, Any, int]] = run_admin,
) -> int:
    """``keys``, ``audit`` and ``roster``: work on a database that ``migrate`` (or ``serve``)
    keeps at the latest migration, never a schema change of their own (``keys list`` and
    ``audit verify`` only read). What stops them is one line on stderr and exit 2, not a
    traceback."""
    try:
        if not asyncio.run(is_at_head(url)):
            print(
                f"onestop {args.command} {args.action}: the database is not at the latest "
                "migration of this onestop (run `onestop migrate` first); nothing was changed",
                file=sys.stderr,
            )
            return 2
        return asyncio.run(run(url, settings, args))
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        print(
            f"onestop {args.command} {args.action}: the database is unavailable "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no answer'})",
            file=sys.stderr,
        )
        return 2


def _reset_metrics_dir(settings: Settings, workers: int) -> None:
    directory = settings.prometheus_multiproc_dir
    if directory is None:
        if workers > 1:
            logger.warning(
                "%d workers without PROMETHEUS_MULTIPROC_DIR: each /metrics scrape shows only "
                "the worker that answers it",
                workers,
            )
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # counters of an earlier run
        stale.unlink()


async def _bootstrap(url: str, settings: Settings, *, demo: bool) -> None:
    from app.bootstrap import startup

    engine = make_engine(url, settings)
    try:
        await startup(make_sessionmaker(engine), settings, demo=demo)
    finally:
        await engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onestop", description="Inpatient bill settlement.")
    parser.add_argument("--version", action="version", version=f"onestop {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("migrate", help="upgrade the database to the latest migration")
    serve = commands.add_parser("serve", help="migrate, publish policies and serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="also load demo registries")
    commands.add_parser("openapi", help="print the OpenAPI document as JSON")
    commands.add_parser(
        "publish-policies",
        help="migrate, then publish the policy documents shipped with the code (and create the "
        "bootstrap admin key if ONESTOP_BOOTSTRAP_ADMIN_KEY is set)",
    )
    add_admin_commands(commands)
    settle_file.add_parser(commands)
    roster_cli.add_parser(commands)
    what_if_cli.add_parser(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
