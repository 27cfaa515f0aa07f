"""Running a what-if job off the request path: a thread of the process that accepted it, with
its own event loop and its own database engine (an asyncpg connection belongs to one loop).

The engine is pure Python: while a replay runs, the thread holds the GIL for a chunk of
settlements at a time (a few milliseconds each) and the interpreter hands it to the request loop
every ``sys.getswitchinterval()`` (5 ms), so the service keeps settling, a little slower, on the
core it shares; a second core serves the other worker processes. (A process pool would isolate
it fully, at the price of a fork of the application per job and of passing the database URL
and settings; docs/what-if.md.)

The thread's state lives in ``what_if_jobs`` (app/whatif/jobs.py), so every worker answers for
every job; a beat task writes the heartbeat every :data:`app.whatif.jobs.HEARTBEAT_S` whatever
the replay is doing (a long first fetch included), and learns there that the job was cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.config import Settings
from app.db.session import make_sessionmaker
from app.engine import InvariantViolation
from app.errors import is_database_unavailable, is_statement_timeout

from . import jobs
from .draft import parse_draft
from .source import Range, replay, replay_engine

__all__ = ["RUNNING", "run_job", "start"]

logger = logging.getLogger(__name__)

RUNNING: dict[uuid.UUID, threading.Thread] = {}
"""This process's job threads (tests join them)."""


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:128]


def start(url: str, settings: Settings, job_id: uuid.UUID) -> threading.Thread:
    """Run the (committed, queued) job in a new daemon thread: a process that exits leaves it
    ``running`` until :func:`app.whatif.jobs.reap` finds its heartbeat stale."""
    thread = threading.Thread(
        target=lambda: asyncio.run(run_job(url, settings, job_id)),
        name=f"what-if-{job_id}",
        daemon=True,
    )
    RUNNING[job_id] = thread
    thread.start()
    return thread


def range_of(request: dict[str, Any]) -> Range:
    return Range(
        dt.date.fromisoformat(request["date_from"]),
        dt.date.fromisoformat(request["date_to"]),
        request.get("county_code"),
        request.get("hospital_code"),
    )


async def run_job(url: str, settings: Settings, job_id: uuid.UUID) -> None:
    engine = replay_engine(url, settings)
    try:
        await _run(engine, make_sessionmaker(engine), job_id)
    except Exception:  # the job is marked failed below when it can be; never kill silently
        logger.exception("what-if job %s: failed", job_id)
    finally:
        RUNNING.pop(job_id, None)
        await engine.dispose()


async def _run(engine: AsyncEngine, sessions: async_sessionmaker[Any], job_id: uuid.UUID) -> None:
    async with sessions() as session, session.begin():
        request = await jobs.claim(session, job_id, _worker())
    if request is None:  # cancelled before it started
        return
    state = {"done": 0, "total": None, "stop": False}

    async def beat_forever() -> None:
        while not state["stop"]:
            await asyncio.sleep(jobs.HEARTBEAT_S)
            async with sessions() as session, session.begin():
                if not await jobs.beat(session, job_id, int(state["done"] or 0), state["total"]):
                    state["stop"] = True

    async def progress(done: int, total: int) -> bool:
        state["done"], state["total"] = done, total
        await asyncio.sleep(0)  # let the beat task run between chunks
        return not state["stop"]

    beating = asyncio.create_task(beat_forever())
    outcome: dict[str, Any] = {"status": "failed"}
    try:
        draft = parse_draft(request["document"]).policy
        scope = range_of(request)
        async with sessions() as session:
            result = await replay(session, draft, scope, progress)
        if result is None:
            logger.info("what-if job %s: stopped (cancelled)", job_id)
            return
        outcome = {"status": "done", "result": result, "done": result["settlements"]}
    except InvariantViolation as exc:
        logger.error("what-if job %s: invariant violation: %s", job_id, exc)
        outcome = {"status": "failed", "error": "invariant_violation", "detail": str(exc)[:500]}
    except Exception as exc:
        code = (
            "query_timeout"
            if is_statement_timeout(exc)
            else ("database_unavailable" if is_database_unavailable(exc) else "replay_failed")
        )
        logger.exception("what-if job %s: %s", job_id, code)
        outcome = {"status": "failed", "error": code, "detail": type(exc).__name__}
    finally:
        state["stop"] = True
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
    async with sessions() as session, session.begin():
        status = outcome.pop("status")
        await jobs.finish(session, job_id, status, **outcome)
