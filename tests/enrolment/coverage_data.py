"""Roster data for the coverage, gap and ledger tests, written straight into the tables.

Persons with manual categories and enrolments can go through ``PUT /v1/persons`` (the tests do
that where they can); what only the roster import or a run writes (a category's source and
import, the 脱贫 mark, the death date, an enrolment elsewhere, a pension enrolment) is inserted
here with SQL, the roster import API being built beside this one. Everything is seeded: ID
numbers come from a birth date and a sequence number the caller chooses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from support import fresh_uuid

from app.types import id_check_digit

__all__ = ["Period", "RosterPerson", "id_number_born", "insert_imports", "insert_persons"]

_sequence = itertools.count(1)


def id_number_born(county: str, born: dt.date) -> str:
    """A valid ID number (GB 11643) of ``county`` and birth date no other call returned."""
    n = next(_sequence)
    # "99": no real region starts so, so no other test's number (tests/support.py) is one of
    # these; then the call's number in the place code and sequence digits
    first17 = f"99{n // 1000 % 10000:04d}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


@dataclass
class Period:
    category: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str = "manual"
    exited: bool = False
    exit_year: int | None = None


@dataclass
class RosterPerson:
    county: str
    born: dt.date
    name: str = "测试"
    periods: list[Period] = field(default_factory=list)
    medical_years: set[int] = field(default_factory=set)
    pension_years: dict[int, tuple[int, int]] = field(default_factory=dict)  # year: (tier, subsidy)
    death_date: dt.date | None = None
    elsewhere: dict[tuple[str, int], str] = field(default_factory=dict)  # (scheme, year): region
    id_number: str = ""
    person_id: int = 0


async def insert_imports(session: AsyncSession) -> dict[str, uuid.UUID]:
    """One ``roster_imports`` row per roster source (a non-manual category names its import)."""
    ids = {}
    for source in ("poverty_office", "civil_affairs", "medical_insurance"):
        import_id = fresh_uuid()
        await session.execute(
            text(
                "INSERT INTO roster_imports (id, source, as_of, sha256, file_name, file_format,"
                " rows, new, changed, ended, unchanged, rejected, errors)"
                " VALUES (:id, :source, '2018-01-01', :sha, 'test.csv', 'csv',"
                " 0, 0, 0, 0, 0, 0, '[]'::jsonb)"
            ),
            {"id": import_id, "source": source, "sha": hashlib.sha256(import_id.bytes).hexdigest()},
        )
        ids[source] = import_id
    return ids


async def insert_persons(
    session: AsyncSession, persons: Iterable[RosterPerson], imports: dict[str, uuid.UUID]
) -> None:
    """Insert the persons and everything they hold; fills in ``id_number`` and ``person_id``."""
    for p in persons:
        if not p.id_number:
            p.id_number = id_number_born(p.county, p.born)
        p.person_id = await session.scalar(
            text(
                "INSERT INTO persons (id_number, name, county_code, death_date)"
                " VALUES (:id_number, :name, :county, :death) RETURNING id"
            ),
            {"id_number": p.id_number, "name": p.name, "county": p.county, "death": p.death_date},
        )
        for c in p.periods:
            await session.execute(
                text(
                    "INSERT INTO person_categories (person_id, category, valid_from, valid_to,"
                    " source, import_id, exited, exit_year)"
                    " VALUES (:pid, :category, :vf, :vt, :source, :import_id, :exited, :exit_year)"
                ),
                {
                    "pid": p.person_id,
                    "category": c.category,
                    "vf": c.valid_from,
                    "vt": c.valid_to,
                    "source": c.source,
                    "import_id": None if c.source == "manual" else imports[c.source],
                    "exited": c.exited,
                    "exit_year": c.exit_year,
                },
            )
        for year in p.medical_years:
            await session.execute(
                text("INSERT INTO person_enrolments (person_id, year) VALUES (:pid, :year)"),
                {"pid": p.person_id, "year": year},
            )
        for year, (tier, subsidy) in p.pension_years.items():
            await session.execute(
                text(
                    "INSERT INTO pension_enrolments (person_id, year, tier_fen, subsidy_fen)"
                    " VALUES (:pid, :year, :tier, :subsidy)"
                ),
                {"pid": p.person_id, "year": year, "tier": tier, "subsidy": subsidy},
            )
        for (scheme, year), region in p.elsewhere.items():
            await session.execute(
                text(
                    "INSERT INTO external_enrolments (person_id, scheme, year, region_code)"
                    " VALUES (:pid, :scheme, :year, :region)"
                ),
                {"pid": p.person_id, "scheme": scheme, "year": year, "region": region},
            )
