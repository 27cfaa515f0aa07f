"""不漏一人: who on the roster is enrolled, per county and category, and who is not and why.

Definitions (docs/coverage.md):

- **on the roster** for a scheme and year: :func:`app.roster.membership.on_roster` (any category
  period overlapping the year, from any source) ∩ eligible for the scheme in that year
  (:func:`app.enrolment.rules.eligible_for`, the age band: every age for medical, 16–59 for
  pension, tag A). The age band is applied in SQL as a range of birth dates
  (:func:`eligible_births`), the birth date being the ID number's (GB 11643 digits 7–14);
  ``tests/enrolment/test_coverage_property.py`` checks it against ``eligible_for`` person by
  person.
- **enrolled**: a ``person_enrolments`` row for the year (medical: what a settlement checks,
  whoever recorded it, the admin PUT or a confirmed proxy-payment run) or a
  ``pension_enrolments`` row (pension).
- **a gap**: on the roster and not enrolled, with one reason, in this order of precedence:
  ``deceased`` (``persons.death_date`` on or before 31 December of the year),
  ``enrolled_elsewhere`` (an ``external_enrolments`` row for the scheme and year), else
  ``no_record``. The gaps list is the roster minus the enrolled, exactly: every gap is counted
  as not enrolled, whatever its reason (the ratio's denominator excludes nobody; the reasons
  say why, and the agency decides).

Every figure is one grouped query (coverage) or one keyset page (gaps); nothing is read person
by person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    select,
    true,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app import cursor_token
from app.cursor_token import invalid, json_int  # invalid by name: the catalogue walk reads its key
from app.engine.money import BP, div_half_up, ensure, format_ratio_bp
from app.enrolment import rules
from app.errors import Unprocessable
from app.regions import COUNTIES, county_name, is_county
from app.registry.models import ExternalEnrolment, PensionEnrolment, Person, PersonEnrolment
from app.roster.membership import on_roster, year_bounds
from app.types import mask_id_number

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "REASONS",
    "REASON_NAMES",
    "SCHEMES",
    "SCHEME_NAMES",
    "CountyCoverage",
    "Coverage",
    "Gap",
    "GapsPage",
    "Tally",
    "after_key",
    "birth_date",
    "check_county",
    "coverage",
    "decode_cursor",
    "eligible_births",
    "eligible_roster",
    "encode_cursor",
    "enrolled",
    "gaps_page",
    "iter_gaps",
    "ratio",
    "show_id_number",
]

SCHEMES: Final = rules.SCHEMES
SCHEME_NAMES: Final = {"medical": "城乡居民基本医疗保险", "pension": "城乡居民基本养老保险"}
CATEGORIES: Final = ("registered_poor", "dibao", "tekun")
CATEGORY_NAMES: Final = {
    "registered_poor": "建档立卡贫困人员",
    "dibao": "低保对象",
    "tekun": "特困人员",
}
REASONS: Final = ("deceased", "enrolled_elsewhere", "no_record")
"""Gap reasons, in order of precedence."""
REASON_NAMES: Final = {
    "deceased": "已死亡",
    "enrolled_elsewhere": "区外参保",
    "no_record": "无参保记录",
}


# -- the scope of a report ------------------------------------------------------------------------
def check_county(county_code: str | None) -> None:
    """422 ``unknown_county`` unless the county is one of the region's (``None``: all)."""
    if county_code is not None and not is_county(county_code):
        raise Unprocessable(
            f"County {county_code} is not one of the region's.",
            code="unknown_county",
            errors=[
                {
                    "loc": ["query", "county_code"],
                    "msg": "not a county of the region",
                    "key": "not_a_county",
                }
            ],
            params={"county_code": county_code},
        )


def birth_date() -> ColumnElement[dt.date]:
    """The birth date in the person's ID number (GB 11643 digits 7–14, ``YYYYMMDD``). Every
    stored ID number passed the checksum and date checks on the way in."""
    return func.to_date(func.substr(Person.id_number, 7, 8), literal("YYYYMMDD"), type_=Date)


def eligible_births(scheme: str, year: int) -> tuple[dt.date, dt.date] | None:
    """The birth dates eligible for ``scheme`` in ``year`` as an inclusive range, or ``None``
    when every age is (the rules' ``eligible_age`` is ``None``). From the scheme's rules
    (:func:`app.enrolment.rules.rules_for`; none for the year: 404 ``no_enrolment_rules``).

    Age ``low..high`` on the rules' reference day ``D`` (``age_on``) is a birth date from the day
    after ``D`` moved back ``high + 1`` years to ``D`` moved back ``low`` years (a 29 February
    that the target year lacks becomes the 28th). Both ends are checked against
    :func:`~app.enrolment.rules.eligible_for` itself (eligible, and the next day out not), so
    the SQL range cannot drift from the rule."""
    scheme_rules = rules.rules_for(scheme, year)
    band = scheme_rules.eligible_age
    if band is None:
        return None
    low, high = band
    month, day = scheme_rules.age_on

    def back(years: int) -> dt.date:
        target = year - years
        try:
            return dt.date(target, month, day)
        except ValueError:  # 29 February of a year without one
            return dt.date(target, 2, 28)

    first, last = back(high + 1) + dt.timedelta(days=1), back(low)
    one = dt.timedelta(days=1)
    ensure(
        rules.eligible_for(scheme, year, first)
        and rules.eligible_for(scheme, year, last)
        and not rules.eligible_for(scheme, year, first - one)
        and not rules.eligible_for(scheme, year, last + one),
        f"eligible birth dates {first}..{last} disagree with eligible_for({scheme}, {year})",
    )
    return first, last


def _eligible(scheme: str, year: int) -> ColumnElement[bool]:
    births = eligible_births(scheme, year)
    if births is None:
        return true()
    first, last = births
    born = birth_date()
    return and_(born >= first, born <= last)


def after_key(
    roster: Select[tuple[int, str, str, bool]], after: tuple[str, int] | None
) -> Select[tuple[int, str, str, bool]]:
    """``on_roster(...)`` narrowed to the persons after a keyset position ``(county_code,
    person_id)``: the page's filter inside the grouping, so a later page groups fewer rows."""
    if after is None:
        return roster
    return roster.where(tuple_(Person.county_code, Person.id) > tuple_(*after))


def eligible_roster(
    scheme: str, year: int, county_code: str | None, after: tuple[str, int] | None = None
) -> Select[tuple[int, str, str, bool]]:
    """``on_roster(year, county)`` of the persons eligible for ``scheme`` in ``year`` (after a
    keyset position, if given): ``(person_id, county_code, category, exited)``."""
    roster = after_key(on_roster(year, county_code), after).subquery("roster")
    return (
        select(roster.c.person_id, roster.c.county_code, roster.c.category, roster.c.exited)
        .join(Person, Person.id == roster.c.person_id)
        .where(_eligible(scheme, year))
    )


def enrolled(scheme: str, year: int, person_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether the person is enrolled in ``scheme`` for ``year``."""
    if scheme == "medical":
        table: Any = PersonEnrolment
    elif scheme == "pension":
        table = PensionEnrolment
    else:  # the endpoints take a Literal; a guard for other callers
        raise ValueError(f"unknown scheme {scheme!r}")
    return exists().where(table.person_id == person_id, table.year == year)


def ratio(enrolled_count: int, on_roster_count: int) -> str | None:
    """``enrolled / on_roster`` with 4 decimals, half up (``"0.9500"``); ``None`` when nobody is
    on the roster (no ratio of nothing)."""
    if on_roster_count == 0:
        return None
    return format_ratio_bp(div_half_up(enrolled_count * BP, on_roster_count))


# -- coverage -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Tally:
    on_roster: int
    enrolled: int

    @property
    def not_enrolled(self) -> int:
        return self.on_roster - self.enrolled

    @property
    def ratio(self) -> str | None:
        return ratio(self.enrolled, self.on_roster)


_NOBODY = Tally(0, 0)


@dataclass(frozen=True, slots=True)
class CountyCoverage:
    county_code: str | None  # None: the grand total
    categories: dict[str, Tally]  # every category, in CATEGORIES order
    all: Tally  # distinct persons


@dataclass(frozen=True, slots=True)
class Coverage:
    year: int
    scheme: str
    county_code: str | None
    counties: list[CountyCoverage]
    total: CountyCoverage


async def coverage(
    session: AsyncSession, scheme: str, year: int, county_code: str | None
) -> Coverage:
    """Per county × category and per county (distinct persons), and the same over every county:
    one grouped query (grouping sets). Every county of the region is listed (zeros where nobody
    is on the roster), in the region file's order, then any other county a roster person lives
    in (a person entered with a county outside the region), by code."""
    check_county(county_code)
    roster = eligible_roster(scheme, year, county_code).subquery("eligible")
    rows = (
        select(
            roster.c.person_id,
            roster.c.county_code,
            roster.c.category,
            enrolled(scheme, year, roster.c.person_id).label("enrolled"),
        )
    ).subquery("rows")
    persons = func.count(rows.c.person_id.distinct())
    query = select(
        rows.c.county_code,
        rows.c.category,
        func.grouping(rows.c.county_code).label("all_counties"),
        func.grouping(rows.c.category).label("all_categories"),
        persons.label("on_roster"),
        persons.filter(rows.c.enrolled).label("enrolled"),
    ).group_by(
        func.grouping_sets(
            tuple_(rows.c.county_code, rows.c.category),
            tuple_(rows.c.county_code),
            tuple_(rows.c.category),
            tuple_(),
        )
    )
    cells: dict[tuple[str | None, str | None], Tally] = {}
    for row in await session.execute(query):
        key = (
            None if row.all_counties else row.county_code,
            None if row.all_categories else row.category,
        )
        cells[key] = Tally(row.on_roster, row.enrolled)

    def county(code: str | None) -> CountyCoverage:
        return CountyCoverage(
            county_code=code,
            categories={c: cells.get((code, c), _NOBODY) for c in CATEGORIES},
            all=cells.get((code, None), _NOBODY),
        )

    seen = {code for code, _ in cells if code is not None}
    codes = [county_code] if county_code is not None else [*COUNTIES]
    codes += sorted(seen - set(codes))
    return Coverage(
        year=year,
        scheme=scheme,
        county_code=county_code,
        counties=[county(code) for code in codes],
        total=county(None),
    )


# -- gaps -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Gap:
    person_id: int
    county_code: str
    id_number: str  # as stored (in clear): the endpoint masks it for the caller
    psn_no: str
    name: str
    categories: list[str]  # in CATEGORIES order
    exited: bool
    death_date: dt.date | None
    reason: str
    elsewhere_region: str | None

    @property
    def county_name(self) -> str:
        return county_name(self.county_code)


@dataclass(frozen=True, slots=True)
class GapsPage:
    items: list[Gap]
    next_cursor: str | None


def _fingerprint(*parts: object) -> str:
    text = "|".join("*" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_CURSOR_MEMBERS = frozenset({"v", "f", "c", "p"})


def encode_cursor(filters: Sequence[object], county_code: str, person_id: int) -> str:
    """The keyset position ``(county_code, person_id)`` of the last row handed out, with a
    fingerprint of the query's filters (a cursor is refused with other filters)."""
    data = {"v": 1, "f": _fingerprint(*filters), "c": county_code, "p": person_id}
    return cursor_token.encode(data)


def decode_cursor(filters: Sequence[object], cursor: str | None) -> tuple[str, int] | None:
    """The position a cursor of :func:`encode_cursor` names; 422 ``invalid_cursor`` for anything
    else (it comes from the client: every member is checked for its exact type and range)."""
    if cursor is None:
        return None
    data = cursor_token.decode(cursor, _CURSOR_MEMBERS)
    county = data["c"]
    try:
        json_int(data["v"], 1, 1)
        person_id = json_int(data["p"], 0, 2**63 - 1)
        if (
            not isinstance(data["f"], str)
            or not isinstance(county, str)
            or len(county) != 6
            or not (county.isascii() and county.isdigit())
        ):
            raise ValueError(data)
    except ValueError:
        raise cursor_token.not_ours() from None
    if data["f"] != _fingerprint(*filters):
        raise invalid("it was issued for other query parameters", "cursor_other_query")
    return county, person_id


def _gaps_query(
    scheme: str,
    year: int,
    county_code: str | None,
    reason: str | None,
    after: tuple[str, int] | None = None,
) -> Select[Any]:
    """Every gap (the eligible roster minus the enrolled), one row per person, with its reason,
    in ``(county_code, person_id)`` order."""
    roster = eligible_roster(scheme, year, county_code, after).subquery("eligible")
    per_person = (
        select(
            roster.c.person_id,
            roster.c.county_code,
            func.array_agg(roster.c.category).label("categories"),
            func.bool_or(roster.c.exited).label("exited"),
        )
        .where(~enrolled(scheme, year, roster.c.person_id))
        .group_by(roster.c.person_id, roster.c.county_code)
    ).subquery("gaps")
    last = year_bounds(year)[1]
    elsewhere = ExternalEnrolment
    deceased = and_(Person.death_date.is_not(None), Person.death_date <= last)
    reason_expr = case(
        (deceased, literal("deceased")),
        (elsewhere.person_id.is_not(None), literal("enrolled_elsewhere")),
        else_=literal("no_record"),
    )
    query = (
        select(
            per_person.c.person_id,
            per_person.c.county_code,
            per_person.c.categories,
            per_person.c.exited,
            Person.id_number,
            Person.psn_no,
            Person.name,
            Person.death_date,
            elsewhere.region_code.label("elsewhere_region"),
            reason_expr.label("reason"),
        )
        .join(Person, Person.id == per_person.c.person_id)
        .outerjoin(
            elsewhere,
            and_(
                elsewhere.person_id == per_person.c.person_id,
                elsewhere.scheme == scheme,
                elsewhere.year == year,
            ),
        )
        .order_by(per_person.c.county_code, per_person.c.person_id)
    )
    if reason is not None:
        query = query.where(reason_expr == reason)
    return query


def _gap(row: Any) -> Gap:
    held = set(row.categories)
    return Gap(
        person_id=row.person_id,
        county_code=row.county_code,
        id_number=row.id_number,
        psn_no=row.psn_no,
        name=row.name,
        categories=[c for c in CATEGORIES if c in held],
        exited=bool(row.exited),
        death_date=row.death_date,
        reason=row.reason,
        elsewhere_region=row.elsewhere_region,
    )


async def gaps_page(
    session: AsyncSession,
    scheme: str,
    year: int,
    county_code: str | None,
    reason: str | None,
    cursor: str | None,
    limit: int,
) -> GapsPage:
    """One page of gaps after ``cursor`` (keyset on ``(county_code, person_id)``: a walk never
    repeats a row; a person added to the roster behind the cursor during a walk is not seen by
    it)."""
    check_county(county_code)
    filters = ("gaps", scheme, year, county_code, reason)
    after = decode_cursor(filters, cursor)
    paged = _gaps_query(scheme, year, county_code, reason, after).limit(limit + 1)
    rows = [_gap(row) for row in await session.execute(paged)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor(filters, rows[-1].county_code, rows[-1].person_id) if more and rows else None
    )
    return GapsPage(items=rows, next_cursor=next_cursor)


async def iter_gaps(
    session: AsyncSession,
    scheme: str,
    year: int,
    county_code: str | None,
    reason: str | None,
    batch: int = 5000,
) -> AsyncIterator[list[Gap]]:
    """Every gap, ``batch`` rows at a time (for a download): the pages of :func:`gaps_page`,
    walked in the session's one transaction."""
    cursor = None
    while True:
        page = await gaps_page(session, scheme, year, county_code, reason, cursor, batch)
        if page.items:
            yield page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def show_id_number(id_number: str, role: str) -> str:
    """An ID number as a caller of ``role`` sees it in a report: in clear for admin (who may
    read ``GET /v1/persons``), masked for everyone else (``5104**********0011``)."""
    return id_number if role == "admin" else mask_id_number(id_number)
