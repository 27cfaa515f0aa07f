"""Embedded PostgreSQL (pgserver) for when ``DATABASE_URL`` is unset.

pgserver ships PostgreSQL binaries in a wheel and runs the server on a Unix socket inside the data
directory, so ``make run`` needs nothing installed. It is the optional extra ``embedded``
(``pip install 'onestop[embedded]'``, which ``make`` does); production images leave it out and
set ``DATABASE_URL``. The server is shared by every process that
asks for the same directory and stopped when the last of them lets go.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import make_url

from app.config import Settings

__all__ = ["EmbeddedHandle", "EmbeddedUnavailable", "resolve_database_url", "start_embedded"]

DATABASE_NAME = "onestop"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class EmbeddedUnavailable(RuntimeError):
    """``DATABASE_URL`` is unset and pgserver is not installed."""


@dataclass(frozen=True)
class EmbeddedHandle:
    """A running embedded server; ``url`` is a ``postgresql+asyncpg://`` URL of its database."""

    pgdata: Path
    url: str
    server: Any  # pgserver.PostgresServer; untyped third-party object

    def stop(self) -> None:
        """Release this process's handle; the server stops if no other process holds one."""
        self.server.cleanup()


def resolve_database_url(settings: Settings) -> tuple[str, EmbeddedHandle | None]:
    """``DATABASE_URL`` if set, else start (or join) the embedded server in ``data_dir/pg``."""
    if settings.database_url:
        return to_asyncpg_url(settings.database_url), None
    handle = start_embedded(settings.data_dir.resolve() / "pg")
    return handle.url, handle


def start_embedded(
    pgdata: Path,
    *,
    database: str = DATABASE_NAME,
    cleanup_mode: Literal["stop", "delete"] = "stop",
) -> EmbeddedHandle:
    """Start PostgreSQL in ``pgdata`` (initialising it if new) and create ``database`` if missing.

    Blocking (about a second on first start); call it from a thread inside an event loop.
    """
    if not _IDENTIFIER.fullmatch(database):
        raise ValueError(f"not a plain database name: {database!r}")
    with warnings.catch_warnings():
        # pgserver resolves a platformdirs runtime dir at import time, which warns when
        # XDG_RUNTIME_DIR is unset (containers, CI) and then falls back to a temp dir: harmless.
        warnings.simplefilter("ignore", UserWarning)
        try:
            import pgserver
        except ImportError as exc:
            raise EmbeddedUnavailable(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed: set "
                "DATABASE_URL=postgresql://user:password@host:5432/onestop, or install it with "
                "pip install 'onestop[embedded]'"
            ) from exc

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)  # type: ignore[attr-defined]
    server.psql(
        f"SELECT 'CREATE DATABASE {database}' "
        f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{database}')\\gexec\n"
    )
    return EmbeddedHandle(
        pgdata=pgdata, url=_embedded_url(server.get_uri(), database), server=server
    )


def to_asyncpg_url(url: str) -> str:
    """Accept ``postgresql://`` / ``postgres://`` too, and use the asyncpg driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    return url


def _embedded_url(uri: str, database: str) -> str:
    # pgserver gives e.g. postgresql://postgres:@/postgres?host=/path/to/socket-dir
    parsed = make_url(uri)
    socket_dir = parsed.query.get("host")
    if isinstance(socket_dir, str):
        return f"postgresql+asyncpg://{parsed.username}@/{database}?host={socket_dir}"
    return f"postgresql+asyncpg://{parsed.username}@{parsed.host}:{parsed.port}/{database}"


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without releasing their handle.

    pgserver stops the server only when the last registered pid releases it; a stale pid left by
    a killed process would otherwise keep the server running forever.
    """
    pid_file = pgdata / ".handle_pids.json"
    if not pid_file.exists():
        return
    pids = json.loads(pid_file.read_text())
    alive = [pid for pid in pids if _alive(pid)]
    if alive != pids:
        pid_file.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
