"""Reading what a replay needs, in one read-only snapshot, and feeding it to :class:`Replay`.

One ``REPEATABLE READ READ ONLY`` transaction (nothing stored can change, and every statement
sees the same snapshot): a count of the settlements to compare (the progress total), then one
streamed statement (a server-side cursor, :data:`CHUNK` rows a fetch) of every event of the
person-years those settlements belong to, in person-year and ``setl_id`` order
(app/whatif/replay.py says why that order), then the masked ID numbers of the 20 largest
changes. Within a person-year a snapshot holds a prefix of its history: the lock its writers
take is held until they commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.config import Settings
from app.db.session import make_engine
from app.engine import Policy
from app.policy.loader import parse_document
from app.policy.models import PolicyVersion
from app.reconciliation.schemas import TIME_ZONE
from app.reconciliation.scope import Scope
from app.registry.models import Person
from app.types import mask_id_number

from .replay import Replay

__all__ = ["CHUNK", "STATEMENT_TIMEOUT_MS", "Range", "replay", "replay_engine"]

CHUNK = 2000
# A replay's statements may take longer than a request's (ONESTOP_DB_STATEMENT_TIMEOUT_MS): a
# year of a city is a million settlements. Bounded all the same.
STATEMENT_TIMEOUT_MS = 30 * 60 * 1000

Progress = Callable[[int, int], Awaitable[bool]]
"""Called with ``(done, total)`` every chunk; returns False to stop (the job was cancelled)."""


class Stopped(Exception):
    """The progress callback asked the replay to stop."""


@dataclass(frozen=True, slots=True)
class Range:
    date_from: dt.date
    date_to: dt.date
    county_code: str | None = None
    hospital_code: str | None = None

    def params(self, region_code: str) -> dict[str, Any]:
        scope = Scope(None, self.date_from, self.date_to)
        return {
            "start": scope.start,
            "end": scope.end,
            "region": region_code,
            "county": self.county_code,
            "hospital": self.hospital_code,
        }


# In the range, in the draft's region (the service's region of a hospital: 5104xx → 510400).
_IN_RANGE = (
    "s.settled_at >= :start AND s.settled_at < :end"
    " AND left(s.hospital_county_code, 4) || '00' = :region"
)
# ... and compared: standing, of the county's persons, at the hospital.
_COMPARED = (
    f"{_IN_RANGE} AND r.id IS NULL"
    " AND (CAST(:county AS varchar) IS NULL OR s.person_county_code = :county)"
    " AND (CAST(:hospital AS varchar) IS NULL OR s.hospital_code = :hospital)"
)

_COUNT = text(
    f"SELECT count(*) FROM settlements s LEFT JOIN reversals r ON r.settlement_id = s.id"
    f" WHERE {_COMPARED}"
)

# A settlement's stored layers are not read: what each layer paid is in its stored deltas
# (``<layer>:paid_fen``, app.engine.layers.base.paid_key, every layer that paid), and its fund
# code is in the policy version it was settled under (app/whatif/replay.py ``actual_layers``).
_EVENTS = text(
    f"""
WITH scope AS (
  SELECT DISTINCT s.person_id, s.accumulator_year
  FROM settlements s LEFT JOIN reversals r ON r.settlement_id = s.id
  WHERE {_COMPARED}
)
SELECT 0 AS kind, s.setl_id, s.person_id, s.accumulator_year, s.id AS settlement_id,
  ({_IN_RANGE}) AS replay, ({_COMPARED}) AS compared,
  s.accumulator_deltas::text AS deltas, il.items::text AS items, s.hospital_level, s.in_county,
  s.referral, s.categories, s.self_pay_fen, s.in_policy_self_pay_fen, s.tilted_target_fen,
  s.person_county_code,
  to_char(timezone('{TIME_ZONE}', s.settled_at), 'YYYY-MM') AS month,
  s.hospital_code, s.bill_no, s.policy_version
FROM settlements s JOIN scope USING (person_id, accumulator_year)
LEFT JOIN reversals r ON r.settlement_id = s.id
LEFT JOIN settlement_item_lists il ON il.settlement_id = s.id AND {_IN_RANGE}
UNION ALL
SELECT 1, r.setl_id, s.person_id, s.accumulator_year, s.id, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM reversals r JOIN settlements s ON s.id = r.settlement_id
JOIN scope USING (person_id, accumulator_year)
ORDER BY person_id, accumulator_year, setl_id
"""
)


def replay_engine(url: str, settings: Settings) -> AsyncEngine:
    """An engine for a replay (and its job's bookkeeping): the service's settings but
    :data:`STATEMENT_TIMEOUT_MS` as the statement timeout, on the server and as asyncpg's own
    guard (a first fetch of a year sorts a million rows), and a pool of two."""
    return make_engine(
        url,
        settings.model_copy(
            update={"db_statement_timeout_ms": STATEMENT_TIMEOUT_MS, "db_pool_size": 2}
        ),
    )


async def begin_read_only(session: AsyncSession) -> None:
    """The replay's one snapshot: nothing it runs can write."""
    await session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )
    await session.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))


async def _published(session: AsyncSession) -> dict[str, Policy]:
    """Every published version, built (the fund codes and names of the stored settlements)."""
    rows = (await session.scalars(select(PolicyVersion))).all()
    return {row.id: parse_document(row.document).policy for row in rows}


async def replay(
    session: AsyncSession, draft: Policy, scope: Range, progress: Progress
) -> dict[str, Any] | None:
    """The comparison (:meth:`Replay.result`) of the range under ``draft``; ``None`` if
    ``progress`` asked to stop. Begins the read-only snapshot itself: call it on a fresh
    session."""
    await begin_read_only(session)
    params = scope.params(draft.region_code)
    total = int(await session.scalar(_COUNT, params) or 0)
    if not await progress(0, total):
        return None
    run = Replay(draft, await _published(session))
    done = 0
    stream = await session.stream(_EVENTS, params, execution_options={"yield_per": CHUNK})
    # The next chunk is fetched while this one is replayed: the fetch is sent before the
    # replay blocks the loop, and PostgreSQL (another process) prepares it meanwhile.
    chunks: asyncio.Queue[Sequence[Any] | None] = asyncio.Queue(maxsize=1)

    async def fetch() -> None:
        async for chunk in stream.partitions(CHUNK):
            await chunks.put(chunk)
        await chunks.put(None)

    fetching = asyncio.create_task(fetch())
    try:
        while (chunk := await chunks.get()) is not None:
            for row in chunk:
                done += run.feed(row)  # a Row has the EventRow attributes
            if not await progress(done, total):
                return None
        await fetching
    finally:
        if not fetching.done():
            fetching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fetching
            await stream.close()
    result = run.result()
    await _mask(session, result["top_changes"])
    return result


async def _mask(session: AsyncSession, top: list[dict[str, Any]]) -> None:
    ids = {entry["person_id"] for entry in top}
    numbers: Mapping[int, str] = {}
    if ids:
        rows = await session.execute(select(Person.id, Person.id_number).where(Person.id.in_(ids)))
        numbers = {person_id: number for person_id, number in rows.all()}
    for entry in top:
        entry["id_number"] = mask_id_number(numbers.get(entry.pop("person_id"), ""))
