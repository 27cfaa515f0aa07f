"""A commit is answered as a success only once it is durable, synchronous standby included.

Kubernetes runs PostgreSQL with synchronous replication (CloudNativePG ``dataDurability:
required``): ``COMMIT`` flushes locally, then waits until a standby has flushed the commit
record too. Three holes this module closes (docs/design.md §13, "The commit path"):

1. **A wait that is cancelled still commits.** A query cancel during the wait
   (``pg_cancel_backend``) ends the *wait*, not the transaction: PostgreSQL keeps it committed
   locally, sends a ``WARNING`` ("canceling wait for synchronous replication due to user
   request", DETAIL "The transaction has already committed locally, but might not have been
   replicated to the standby.") and ``COMMIT`` returns success. :class:`CommitWatch` listens for
   it on every pooled connection; :func:`commit` raises :class:`CommitUnconfirmed` (503
   ``commit_unconfirmed``) instead of letting a 201 go out. asyncpg's client-side
   ``command_timeout`` (statement timeout + 5 s) gives up on COMMIT first and sends a cancel
   request: COMMIT raises, 503 ``commit_failed`` (the warning arrives later, on an idle
   connection, and is ignored). A termination (``pg_terminate_backend``, shutdown) closes the
   connection during the wait: COMMIT raises, 503 ``commit_failed``. In both the transaction is
   committed on the primary; the retry is a replay, and item 2 makes it wait.

2. **A replay's commit does not wait.** A retry of such a request is an idempotent replay that
   writes nothing; a transaction that wrote no WAL (or only has an xid, ``pg_current_xact_id()``
   alone is not enough: ``RecordTransactionCommit`` waits only when the transaction wrote WAL
   *before* its commit record) commits without waiting, so the replay's 200 would be an
   acknowledgement of a row that is on the primary alone. The barrier below emits a
   transactional logical message (``pg_logical_emit_message(true, ...)``: it assigns an xid and
   writes one WAL record of ~60 bytes), so every write request's ``COMMIT`` writes a commit
   record after every row the request read and waits for a standby to flush it.

3. **The statement timeout.** ``set_config('statement_timeout', '0', true)`` in the same
   statement, transaction-local. PostgreSQL 16 (and every version since 9.3, postgres.c
   ``finish_xact_command``) already disarms the statement timeout before it runs the commit, so
   the session's timeout does not cancel a sync-rep wait (measured: tests/faults/
   test_sync_commit.py); the setting costs nothing in a statement that is sent anyway and keeps
   the guarantee should a server ever time the commit itself.

Only write requests (POST, PUT, PATCH, DELETE) pay the barrier, one round trip before COMMIT;
read-only GETs commit as before. Every commit, GET or not, is watched.

What is matched: any message of severity ``WARNING`` received while ``COMMIT`` runs, taken from
the message's non-localized severity field (``V``, asyncpg ``severity_en``), which stays English
whatever ``lc_messages`` (a Chinese server translates the text, not that field), falling back to
SQLSTATE class ``01`` (warning). The text is not read. Nothing the service runs at commit (the
audit triggers) raises a warning, so any warning at COMMIT means "committed, not confirmed"; a
stray one fails closed (a 503 the client's retry turns into a replay).

Ordering: asyncpg hands a notice to a synchronous log listener with ``loop.call_soon`` while it
parses the server's messages; the notice precedes CommandComplete/ReadyForQuery in the stream,
and the COMMIT's result wakes the awaiting task through its future, also by ``call_soon``, later.
The event loop runs callbacks first in, first out, so the listener has run before
:func:`commit` resumes: deterministic, no sleep. Checked on both loops: asyncio
(tests/test_commit_durability.py raises a warning at COMMIT in process and expects the 503) and
uvloop, which ``onestop serve`` runs on (tests/faults/test_sync_commit.py).
"""

from __future__ import annotations

import logging
from typing import Any

from prometheus_client import Counter
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.errors import DATABASE_RETRY_AFTER_S, ServiceUnavailable

__all__ = [
    "BARRIER",
    "UNCONFIRMED",
    "WRITE_METHODS",
    "CommitUnconfirmed",
    "CommitWatch",
    "commit",
    "watch_commits",
]

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""Requests whose commit gets the barrier: a 2xx to one of them is an acknowledgement."""

BARRIER = text(
    "SELECT set_config('statement_timeout', '0', true), "
    "pg_logical_emit_message(true, 'onestop.commit', '')"
)
"""Sent just before COMMIT, one round trip: no statement timeout at commit, and a WAL record of
the transaction's own so its commit waits for the synchronous standby even when it wrote nothing
(a replay)."""

UNCONFIRMED = Counter(
    "onestop_commits_unconfirmed",
    "COMMITs that returned with a warning (a cancelled wait for the synchronous standby): "
    "committed on the primary, replication unconfirmed, answered 503 commit_unconfirmed.",
)
"""What operators alert on beside the standby count: any increase means a write was kept on the
primary alone for a while (app.metrics serves it with the rest of the registry)."""

_WATCH = "onestop_commit_watch"  # key of the CommitWatch in the pool's connection record info


class CommitUnconfirmed(ServiceUnavailable):
    """COMMIT returned with a warning: committed on the primary, its replication unconfirmed."""

    code = "commit_unconfirmed"
    title = "Commit Unconfirmed"
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}  # noqa: RUF012 - read-only default


class CommitWatch:
    """The warnings one pooled connection received while a COMMIT ran (armed), kept for
    :func:`commit` to read when COMMIT returns."""

    __slots__ = ("armed", "warnings")

    def __init__(self) -> None:
        self.armed = False
        self.warnings: list[Any] = []

    def on_message(self, connection: Any, message: Any) -> None:
        if self.armed and is_warning(message):
            self.warnings.append(message)

    def arm(self) -> None:
        self.warnings.clear()
        self.armed = True

    def disarm(self) -> list[Any]:
        self.armed = False
        seen, self.warnings = self.warnings, []
        return seen


def is_warning(message: Any) -> bool:
    """A PostgreSQL WARNING, by its non-localized severity, else by its SQLSTATE class."""
    severity = getattr(message, "severity_en", None)
    if severity:
        return bool(severity == "WARNING")
    sqlstate = getattr(message, "sqlstate", None) or ""
    return sqlstate.startswith("01")


def watch_commits(engine: AsyncEngine) -> None:
    """Attach a :class:`CommitWatch` to every connection the engine's pool opens."""
    event.listen(engine.sync_engine, "connect", _attach)


def _attach(dbapi_connection: Any, record: Any) -> None:
    watch = CommitWatch()
    record.info[_WATCH] = watch
    dbapi_connection.driver_connection.add_log_listener(watch.on_message)


async def commit(session: AsyncSession, *, barrier: bool) -> None:
    """Commit ``session``; ``barrier``: send :data:`BARRIER` first (a write request).

    Raises :class:`CommitUnconfirmed` when COMMIT returned with a warning; whatever COMMIT
    itself raises passes through.
    """
    if not session.in_transaction():
        return  # nothing began: nothing to commit or confirm
    connection = await session.connection()
    watch: CommitWatch | None = connection.sync_connection.info.get(_WATCH)  # type: ignore[union-attr]
    if barrier:
        await session.execute(BARRIER)
    if watch is not None:
        watch.arm()
    try:
        await session.commit()
    finally:
        warnings = watch.disarm() if watch is not None else []
    if warnings:
        UNCONFIRMED.inc()
        first = warnings[0]
        logger.error(
            "COMMIT returned with %d warning(s): committed on the primary, replication to a "
            "standby not confirmed; answering 503 commit_unconfirmed. First: %s (%s) %s",
            len(warnings),
            getattr(first, "message", first),
            getattr(first, "sqlstate", "?"),
            getattr(first, "detail", "") or "",
        )
        raise CommitUnconfirmed(
            "The transaction was committed on the database primary, but its replication to a "
            "standby was not confirmed. Retry the same request: the retry answers once the "
            "record is replicated."
        )
