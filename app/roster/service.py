"""Importing a roster file: the set-based diff against the source's periods (docs/roster.md).

One transaction (the caller's): the rows are copied into a temporary table (``COPY``), then a
handful of ``INSERT … SELECT`` / ``UPDATE … FROM`` statements create or update the persons,
match the rows to the source's existing periods, end the periods the file no longer lists,
create the new ones and record the 区外参保 rows. Never commits.

Locks. Imports of one source serialize on a transaction-scoped advisory lock of that source
(taken before the "same file?" check, so a file sent twice at once is imported once). Imports of
two sources run at once: they write only their own source's periods, and they lock the persons
they share in one order (ID number): first the existing ones (``FOR NO KEY UPDATE``, in ID
order), then the new ones are inserted in ID order, so neither can hold a person the other
waits for while waiting for one it holds (tests/roster/test_concurrency.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app import clock
from app.audit.models import AuditEntry
from app.audit.service import record
from app.auth.service import Caller
from app.errors import Conflict, NotFound, Unprocessable

from .models import ROSTER_SOURCES, RosterImport
from .parse import FileRefused, Parsed, read_roster
from .schemas import ImportList, ImportOut, ImportSummary

__all__ = [
    "IMPORT_STATEMENT_TIMEOUT_S",
    "LIST_LIMIT",
    "Progress",
    "file_problem",
    "get_import",
    "import_roster",
    "list_imports",
    "lock_key",
]

IMPORT_STATEMENT_TIMEOUT_S = 120
"""An import's statements may take this long each (the service's default is 5 s per statement):
a 100,000-row file's largest statement takes about a second here (bench/roster.py), and waiting
for another import of the same source counts too."""
LIST_LIMIT = 200
_LOCK_BASE = 0x726F737465720000  # "roster\0\0" + the source's index

Progress = Callable[[str, int, int | None], None]
"""``progress(phase, done, total)``: phase ``parse`` (rows read), ``load`` (rows copied to the
database), ``apply`` (steps of the diff done)."""

_STAGE_COLUMNS = (
    "row",
    "id_number",
    "name",
    "county_code",
    "category",
    "valid_from",
    "valid_to",
    "exited",
    "exit_year",
    "death_date",
    "elsewhere_region",
    "elsewhere_scheme",
)
_COPY_CHUNK = 10_000

_STAGE = """
CREATE TEMPORARY TABLE roster_rows (
    row integer NOT NULL,
    id_number text NOT NULL,
    name text NOT NULL,
    county_code text NOT NULL,
    category text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    exited boolean NOT NULL,
    exit_year smallint,
    death_date date,
    elsewhere_region text,
    elsewhere_scheme text
) ON COMMIT DROP
"""
_HELD = "CREATE TEMPORARY TABLE roster_held (id_number text PRIMARY KEY) ON COMMIT DROP"

# One row per person of the file (the parser refused rows naming a person differently; the
# death date may be on any of the person's rows).
_PERSONS = """
CREATE TEMPORARY TABLE roster_persons ON COMMIT DROP AS
SELECT DISTINCT ON (id_number) id_number, name, county_code,
       max(death_date) OVER (PARTITION BY id_number) AS death_date,
       NULL::bigint AS person_id, false AS created, false AS changed
FROM roster_rows ORDER BY id_number, row
"""
# The persons that exist, locked in ID order (see the module's docstring).
_LOCK_PERSONS = """
SELECT count(*) FROM (
    SELECT p.id FROM persons p JOIN roster_persons r USING (id_number)
    ORDER BY p.id_number FOR NO KEY UPDATE OF p
) locked
"""
_FIND_PERSONS = """
UPDATE roster_persons r SET person_id = p.id,
    changed = (p.name, p.county_code) IS DISTINCT FROM (r.name, r.county_code)
        OR (r.death_date IS NOT NULL AND p.death_date IS DISTINCT FROM r.death_date)
FROM persons p WHERE p.id_number = r.id_number
"""
# New persons, in ID order. ON CONFLICT: one another source's import created meanwhile.
_NEW_PERSONS = """
WITH made AS (
    INSERT INTO persons (id_number, name, county_code, death_date)
    SELECT id_number, name, county_code, death_date FROM roster_persons
    WHERE person_id IS NULL ORDER BY id_number
    ON CONFLICT (id_number) DO UPDATE SET name = EXCLUDED.name,
        county_code = EXCLUDED.county_code,
        death_date = coalesce(EXCLUDED.death_date, persons.death_date), updated_at = now()
    RETURNING id, id_number
)
UPDATE roster_persons r SET person_id = made.id, created = true
FROM made WHERE made.id_number = r.id_number
"""
_CHANGE_PERSONS = """
UPDATE persons p SET name = r.name, county_code = r.county_code,
    death_date = coalesce(r.death_date, p.death_date), updated_at = now()
FROM roster_persons r WHERE r.person_id = p.id AND r.changed
"""
# The file's periods with their person, and the existing period of this source they match
# (same person, category and start): "unchanged" when its end, 脱贫 mark and year are the same.
# CREATE TABLE AS takes no parameters: the source (one of ROSTER_SOURCES) is written in.
_PERIODS = """
CREATE TEMPORARY TABLE roster_periods ON COMMIT DROP AS
SELECT rr.*, rp.person_id, rp.changed AS person_changed, pc.id AS match_id,
       CASE WHEN pc.id IS NULL THEN 'new'
            WHEN pc.valid_to IS DISTINCT FROM rr.valid_to OR pc.exited <> rr.exited
              OR pc.exit_year IS DISTINCT FROM rr.exit_year THEN 'changed'
            WHEN rp.changed THEN 'person'
            ELSE 'unchanged' END AS outcome
FROM roster_rows rr
JOIN roster_persons rp USING (id_number)
LEFT JOIN person_categories pc ON pc.source = '{source}' AND pc.person_id = rp.person_id
    AND pc.category = rr.category AND pc.valid_from = rr.valid_from
"""
# Periods of this source the file does not list (and whose person has no rejected row): one
# that starts after as_of is withdrawn (it cannot end before it starts), one open or ending
# after as_of ends at as_of.
_WITHDRAW = """
DELETE FROM person_categories pc
WHERE pc.source = $1 AND pc.valid_from > $2
  AND NOT EXISTS (SELECT 1 FROM roster_periods rr WHERE rr.match_id = pc.id)
  AND NOT EXISTS (SELECT 1 FROM roster_held h JOIN persons p USING (id_number)
                  WHERE p.id = pc.person_id)
"""
_END = """
UPDATE person_categories pc SET valid_to = $2, ended_import_id = $3
WHERE pc.source = $1 AND pc.valid_from <= $2 AND (pc.valid_to IS NULL OR pc.valid_to > $2)
  AND NOT EXISTS (SELECT 1 FROM roster_periods rr WHERE rr.match_id = pc.id)
  AND NOT EXISTS (SELECT 1 FROM roster_held h JOIN persons p USING (id_number)
                  WHERE p.id = pc.person_id)
"""
_CHANGE_PERIODS = """
UPDATE person_categories pc SET valid_to = rr.valid_to, exited = rr.exited,
    exit_year = rr.exit_year, import_id = $1, ended_import_id = NULL
FROM roster_periods rr WHERE rr.match_id = pc.id AND rr.outcome = 'changed'
"""
_NEW_PERIODS = """
INSERT INTO person_categories
    (person_id, category, valid_from, valid_to, source, import_id, exited, exit_year)
SELECT person_id, category, valid_from, valid_to, $1, $2, exited, exit_year
FROM roster_periods WHERE outcome = 'new' ORDER BY person_id, category, valid_from
"""
# 区外参保 of the as_of year: this source's earlier statements the file no longer makes go,
# the file's are written (one per person and scheme: its first row saying it).
_DROP_ELSEWHERE = """
DELETE FROM external_enrolments e USING roster_imports i
WHERE e.import_id = i.id AND i.source = $1 AND e.year = $2
  AND NOT EXISTS (SELECT 1 FROM roster_periods rr WHERE rr.person_id = e.person_id
                  AND rr.elsewhere_scheme = e.scheme)
  AND NOT EXISTS (SELECT 1 FROM roster_held h JOIN persons p USING (id_number)
                  WHERE p.id = e.person_id)
"""
_ELSEWHERE = """
INSERT INTO external_enrolments (person_id, scheme, year, region_code, import_id)
SELECT DISTINCT ON (person_id, elsewhere_scheme) person_id, elsewhere_scheme, $1,
       elsewhere_region, $2
FROM roster_periods WHERE elsewhere_region IS NOT NULL
ORDER BY person_id, elsewhere_scheme, row
ON CONFLICT (person_id, scheme, year) DO UPDATE
    SET region_code = EXCLUDED.region_code, import_id = EXCLUDED.import_id
"""
_COUNTS = """
SELECT count(*) FILTER (WHERE outcome = 'new'),
       count(*) FILTER (WHERE outcome IN ('changed', 'person')),
       count(*) FILTER (WHERE outcome = 'unchanged'),
       (SELECT count(*) FROM roster_persons WHERE created),
       (SELECT count(*) FROM roster_persons WHERE changed)
FROM roster_periods
"""
_APPLY_STEPS = 12


def lock_key(source: str) -> int:
    return _LOCK_BASE + ROSTER_SOURCES.index(source)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def _encoding(session: AsyncSession, import_id: uuid.UUID) -> str | None:
    found = await session.scalar(
        select(AuditEntry.details["encoding"].astext).where(
            AuditEntry.action == "roster.import",
            AuditEntry.entity_type == "roster_import",
            AuditEntry.entity_id == str(import_id),
        )
    )
    return found


async def _stored(session: AsyncSession, source: str, sha256: str) -> ImportOut | None:
    row = await session.scalar(
        select(RosterImport).where(RosterImport.source == source, RosterImport.sha256 == sha256)
    )
    return None if row is None else ImportOut.of(row, await _encoding(session, row.id))


def file_problem(exc: FileRefused) -> Unprocessable:
    return Unprocessable(
        exc.detail,
        code=exc.code,
        params=exc.params,
        errors=[{"loc": ["body", "file"], "msg": exc.detail}],
    )


def _file_name(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return base[:255] or "roster"


async def import_roster(
    session: AsyncSession,
    actor: Caller | None,
    *,
    data: bytes,
    file_name: str | None,
    source: str,
    as_of: dt.date,
    progress: Progress | None = None,
) -> tuple[ImportOut, bool]:
    """Import one roster file of ``source`` as of ``as_of``; ``(import, created)``. The same
    file of the same source again (by SHA-256) answers the stored import, ``created`` false.

    Raises 422 (``roster_*`` codes) for a file that cannot be read as a roster, 409
    ``roster_as_of_before_latest`` for an ``as_of`` before the source's latest import."""
    if source not in ROSTER_SOURCES:
        raise Unprocessable(f"Unknown source {source!r}.", code="validation_error")
    today = clock.today()
    if as_of > today:
        raise Unprocessable(
            f"as_of must not be after today ({today.isoformat()}).",
            code="validation_error",
            errors=[
                {
                    "loc": ["body", "as_of"],
                    "msg": f"must not be after today ({today.isoformat()})",
                    "key": "as_of_after_today",
                    "params": {"today": today.isoformat()},
                }
            ],
        )
    sha256 = _sha256(data)
    if (stored := await _stored(session, source, sha256)) is not None:
        return stored, False
    await session.rollback()  # nothing written yet: the import starts a transaction of its own

    def parse_progress(done: int, total: int | None) -> None:
        if progress is not None:
            progress("parse", done, total)

    try:
        parsed = await asyncio.to_thread(read_roster, data, parse_progress)
    except FileRefused as exc:
        raise file_problem(exc) from None

    timeout = IMPORT_STATEMENT_TIMEOUT_S
    # Through the session first: that is what begins the transaction on the connection (the
    # driver's connection used below would otherwise run each statement on its own).
    await session.execute(text(f"SET LOCAL statement_timeout = '{timeout}s'"))
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    db: Any = raw.driver_connection  # asyncpg: COPY and statements with their own timeout
    assert db.is_in_transaction()
    await db.execute("SELECT pg_advisory_xact_lock($1)", lock_key(source), timeout=timeout)
    if (stored := await _stored(session, source, sha256)) is not None:
        return stored, False  # the same file, imported by the one we waited for
    latest = await session.scalar(
        select(RosterImport.as_of)
        .where(RosterImport.source == source)
        .order_by(RosterImport.as_of.desc())
        .limit(1)
    )
    if latest is not None and as_of < latest:
        raise Conflict(
            f"as_of {as_of.isoformat()} is before the latest {source} import's "
            f"({latest.isoformat()}): rosters are imported in date order.",
            code="roster_as_of_before_latest",
            params={"as_of": as_of.isoformat(), "latest": latest.isoformat(), "source": source},
        )
    import_id = uuid.uuid4()
    row = RosterImport(
        id=import_id,
        source=source,
        as_of=as_of,
        sha256=sha256,
        file_name=_file_name(file_name),
        file_format=parsed.file_format,
        rows=parsed.total,
        new=0,
        changed=0,
        ended=0,
        unchanged=0,
        rejected=parsed.rejected,
        errors=[e.as_dict() for e in parsed.errors],
        key_id=actor.key_id if actor is not None else None,
    )
    session.add(row)
    await session.flush()
    counts = await _apply(db, parsed, import_id, source, as_of, progress)
    row.new, row.changed, row.unchanged = counts["new"], counts["changed"], counts["unchanged"]
    row.ended = counts["ended"] + counts["withdrawn"]
    await session.flush()
    await session.refresh(row)
    record(
        session,
        actor,
        "roster.import",
        "roster_import",
        str(import_id),
        {
            "source": source,
            "as_of": as_of.isoformat(),
            "sha256": sha256,
            "file_format": parsed.file_format,
            "encoding": parsed.encoding,
            "rows": parsed.total,
            "new": row.new,
            "changed": row.changed,
            "ended": counts["ended"],
            "withdrawn": counts["withdrawn"],
            "unchanged": row.unchanged,
            "rejected": row.rejected,
            "persons_created": counts["persons_created"],
            "persons_changed": counts["persons_changed"],
            "elsewhere": counts["elsewhere"],
        },
    )
    return ImportOut.of(row, parsed.encoding), True


async def _apply(
    db: Any,
    parsed: Parsed,
    import_id: uuid.UUID,
    source: str,
    as_of: dt.date,
    progress: Progress | None,
) -> dict[str, int]:
    timeout = IMPORT_STATEMENT_TIMEOUT_S
    step = 0

    async def run(sql: str, *args: Any) -> str:
        nonlocal step
        status: str = await db.execute(sql, *args, timeout=timeout)
        step += 1
        if progress is not None:
            progress("apply", step, _APPLY_STEPS)
        return status

    def affected(status: str) -> int:
        return int(status.rsplit(" ", 1)[-1])

    await db.execute(_STAGE, timeout=timeout)
    await db.execute(_HELD, timeout=timeout)
    records = [r.record() for r in parsed.rows]
    total = len(records)
    for start in range(0, total, _COPY_CHUNK):
        await db.copy_records_to_table(
            "roster_rows",
            records=records[start : start + _COPY_CHUNK],
            columns=_STAGE_COLUMNS,
            timeout=timeout,
        )
        if progress is not None:
            progress("load", min(start + _COPY_CHUNK, total), total)
    if parsed.held:
        await db.copy_records_to_table(
            "roster_held", records=[(i,) for i in sorted(parsed.held)], timeout=timeout
        )
    del records
    await run("ANALYZE roster_rows")
    await run(_PERSONS)
    await run(_LOCK_PERSONS)
    await run(_FIND_PERSONS)
    await run(_NEW_PERSONS)
    await run(_CHANGE_PERSONS)
    assert source in ROSTER_SOURCES  # a closed set: safe to write into the statement
    await run(_PERIODS.format(source=source))
    await run("ANALYZE roster_periods")
    withdrawn = affected(await run(_WITHDRAW, source, as_of))
    ended = affected(await run(_END, source, as_of, import_id))
    await db.execute(_CHANGE_PERIODS, import_id, timeout=timeout)
    await db.execute(_NEW_PERIODS, source, import_id, timeout=timeout)
    await db.execute(_DROP_ELSEWHERE, source, as_of.year, timeout=timeout)
    elsewhere = affected(await db.execute(_ELSEWHERE, as_of.year, import_id, timeout=timeout))
    new, changed, unchanged, created, person_changed = await db.fetchrow(_COUNTS, timeout=timeout)
    if progress is not None:
        progress("apply", _APPLY_STEPS, _APPLY_STEPS)
    return {
        "new": new,
        "changed": changed,
        "unchanged": unchanged,
        "ended": ended,
        "withdrawn": withdrawn,
        "persons_created": created,
        "persons_changed": person_changed,
        "elsewhere": elsewhere,
    }


async def get_import(session: AsyncSession, import_id: uuid.UUID) -> ImportOut:
    row = await session.get(RosterImport, import_id)
    if row is None:
        raise NotFound(
            f"No roster import {import_id}.",
            code="roster_import_not_found",
            params={"import_id": str(import_id)},
        )
    return ImportOut.of(row, await _encoding(session, row.id))


async def list_imports(session: AsyncSession, source: str | None) -> ImportList:
    query = (
        select(RosterImport)
        .order_by(RosterImport.created_at.desc(), RosterImport.id)
        .limit(LIST_LIMIT)
    )
    if source is not None:
        query = query.where(RosterImport.source == source)
    rows = list(await session.scalars(query))
    encodings: dict[str, str | None] = {}
    if rows:
        found = await session.execute(
            select(AuditEntry.entity_id, AuditEntry.details["encoding"].astext).where(
                AuditEntry.action == "roster.import",
                AuditEntry.entity_id.in_([str(r.id) for r in rows]),
            )
        )
        encodings = {entity: encoding for entity, encoding in found}
    return ImportList(
        imports=[
            ImportSummary.model_validate(ImportSummary.fields_of(r, encodings.get(str(r.id))))
            for r in rows
        ]
    )
