"""Property: the coverage report equals a brute-force count, cell by cell, and the gap list is
exactly the roster minus the enrolled, each gap with the reason of highest precedence.

Each example writes random persons into a database of this test only (the demo's persons are
there too, and counted: the brute force reads every row of the tables, not what the example
wrote): counties of the region and one outside it, birth dates around the pension age band,
0–3 category periods with random dates (before, across, inside and after the year, open or
closed), sources, 脱贫 marks; medical and pension enrolments in the year and around it; deaths
before, in and after the year; enrolments elsewhere per scheme and year. The brute force then
counts in Python over the raw rows: on the roster = a period overlapping the year and
``eligible_for`` the birth date (``app.enrolment.rules``, called person by person); enrolled =
an enrolment row of the year. Every cell of the report (every county, every category, the
``all`` line, the total) is compared, and the gap list (walked page by page through the API)
with the set difference. The example's persons are deleted at its end.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from api.conftest import AGENCY, headers
from fastapi import FastAPI
from httpx import AsyncClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.enrolment.coverage import CATEGORIES, eligible_births
from app.enrolment.rules import birth_date_of, eligible_for
from app.regions import COUNTIES

from .coverage_data import Period, RosterPerson, insert_imports, insert_persons

YEAR = 2018
FIRST, LAST = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
OUTSIDE = "510499"  # a county code that is not the region's (a person may still live there)
SOURCES = ("manual", "poverty_office", "civil_affairs", "medical_insurance")

days = st.dates(dt.date(2016, 1, 1), dt.date(2020, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(days)
    end = draw(st.none() | st.dates(start, dt.date(2021, 12, 31)))
    exited = draw(st.booleans())
    return Period(
        category=draw(st.sampled_from(CATEGORIES)),
        valid_from=start,
        valid_to=end,
        source=draw(st.sampled_from(SOURCES)),
        exited=exited,
        exit_year=draw(st.none() | st.integers(2016, 2020)) if exited else None,
    )


@st.composite
def persons(draw: st.DrawFn) -> RosterPerson:
    # births around the pension band's ends (16 and 59 on 31 Dec 2018: 2002 and 1959) and far off
    born = draw(
        st.one_of(
            st.dates(dt.date(1958, 12, 25), dt.date(1960, 1, 5)),
            st.dates(dt.date(2001, 12, 25), dt.date(2003, 1, 5)),
            st.dates(dt.date(1930, 1, 1), dt.date(2017, 12, 31)),
        )
    )
    years = st.sets(st.integers(YEAR - 1, YEAR + 1), max_size=3)
    return RosterPerson(
        county=draw(st.sampled_from([*COUNTIES, OUTSIDE])),
        born=born,
        periods=draw(st.lists(periods(), max_size=3)),
        medical_years=draw(years),
        pension_years={y: (10000, 3000) for y in draw(years)},
        death_date=draw(st.none() | st.dates(dt.date(2016, 1, 1), dt.date(2020, 12, 31))),
        elsewhere={
            (scheme, year): "530102"
            for scheme in ("medical", "pension")
            for year in draw(st.sets(st.integers(YEAR - 1, YEAR), max_size=2))
        },
    )


async def brute_force(app: FastAPI, scheme: str) -> dict[str, Any]:
    """Every table read whole, the counting done in Python."""
    async with app.state.sessionmaker() as session:
        people = {
            r.id: r
            for r in await session.execute(
                text("SELECT id, id_number, county_code, death_date FROM persons")
            )
        }
        cats = list(
            await session.execute(
                text("SELECT person_id, category, valid_from, valid_to FROM person_categories")
            )
        )
        table = "person_enrolments" if scheme == "medical" else "pension_enrolments"
        enrolled_in = {
            r.person_id
            for r in await session.execute(text(f"SELECT * FROM {table}"))
            if r.year == YEAR
        }
        elsewhere = {
            r.person_id
            for r in await session.execute(text("SELECT * FROM external_enrolments"))
            if r.scheme == scheme and r.year == YEAR
        }
    held: dict[int, set[str]] = {}
    for c in cats:
        if c.valid_from <= LAST and (c.valid_to is None or c.valid_to >= FIRST):
            held.setdefault(c.person_id, set()).add(c.category)
    roster = {
        pid: categories
        for pid, categories in held.items()
        if eligible_for(scheme, YEAR, birth_date_of(people[pid].id_number))
    }
    cells: Counter[tuple[str | None, str | None, str]] = Counter()
    for pid, categories in roster.items():
        county = people[pid].county_code
        is_in = pid in enrolled_in
        for key in [(county, c) for c in categories] + [(county, None)]:
            cells[(*key, "on_roster")] += 1
            cells[(*key, "enrolled")] += is_in
        for c in [*categories, None]:
            cells[(None, c, "on_roster")] += 1
            cells[(None, c, "enrolled")] += is_in
    gaps = {}
    for pid in roster.keys() - enrolled_in:
        death = people[pid].death_date
        if death is not None and death <= LAST:
            gaps[pid] = "deceased"
        elif pid in elsewhere:
            gaps[pid] = "enrolled_elsewhere"
        else:
            gaps[pid] = "no_record"
    counties = {people[pid].county_code for pid in roster}
    return {"cells": cells, "gaps": gaps, "counties": counties, "people": people}


def expected_ratio(enrolled: int, on_roster: int) -> str | None:
    """enrolled / on_roster to 4 places, half up, by exact integer arithmetic of its own."""
    if on_roster == 0:
        return None
    q, r = divmod(enrolled * 10000, on_roster)
    if 2 * r >= on_roster:
        q += 1
    return f"{q // 10000}.{q % 10000:04d}"


def check_cell(got: dict[str, Any], on_roster: int, enrolled: int) -> None:
    assert (got["on_roster"], got["enrolled"], got["not_enrolled"]) == (
        on_roster,
        enrolled,
        on_roster - enrolled,
    )
    assert got["ratio"] == expected_ratio(enrolled, on_roster)


async def walk_gaps(client: AsyncClient, scheme: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"year": YEAR, "scheme": scheme, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = await client.get("/v1/enrolment/gaps", params=params, headers=headers("demo-admin"))
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next_cursor"]
        assert body["has_more"] == (cursor is not None)
        if cursor is None:
            return items


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(persons(), min_size=0, max_size=25),
    scheme=st.sampled_from(["medical", "pension"]),
    limit=st.integers(1, 7),
)
async def test_coverage_and_gaps_equal_brute_force(
    own_app: FastAPI,
    own_client: AsyncClient,
    people: list[RosterPerson],
    scheme: str,
    limit: int,
) -> None:
    async with own_app.state.sessionmaker() as session, session.begin():
        await insert_persons(session, people, await insert_imports(session))
    try:
        want = await brute_force(own_app, scheme)
        r = await own_client.get(
            "/v1/enrolment/coverage",
            params={"year": YEAR, "scheme": scheme},
            headers=headers(AGENCY),
        )
        assert r.status_code == 200, r.text
        report = r.json()
        cells = want["cells"]
        listed = [c["county_code"] for c in report["counties"]]
        # the region's counties in the file's order, then the others a roster person lives in
        assert listed == [*COUNTIES, *sorted(want["counties"] - set(COUNTIES))]
        for county in [*report["counties"], report["total"]]:
            code = county["county_code"]
            for cell in county["categories"]:
                c = cell["category"]
                check_cell(cell, cells[(code, c, "on_roster")], cells[(code, c, "enrolled")])
            check_cell(
                county["all"], cells[(code, None, "on_roster")], cells[(code, None, "enrolled")]
            )
        for reason in set(want["gaps"].values()):
            event(f"a gap with reason {reason}")
        gaps = await walk_gaps(own_client, scheme, limit)
        by_id = {p.id_number: pid for pid, p in want["people"].items()}
        got = {by_id[g["id_number"]]: g["reason"] for g in gaps}
        assert len(got) == len(gaps)  # nobody listed twice
        assert got == want["gaps"]
        # the stable order: county, then registry id
        keys = [(g["county_code"], by_id[g["id_number"]]) for g in gaps]
        assert keys == sorted(keys)
    finally:
        async with own_app.state.sessionmaker() as session, session.begin():
            ids = [p.person_id for p in people if p.person_id]
            if ids:
                await session.execute(
                    text("DELETE FROM persons WHERE id = ANY(:ids)"), {"ids": ids}
                )


@settings(max_examples=300, deadline=None)
@given(born=st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)), year=st.just(2018))
def test_the_sql_birth_range_is_eligible_for(born: dt.date, year: int) -> None:
    """The range the SQL filters on (``eligible_births``) holds exactly the birth dates that
    ``eligible_for`` accepts, for both schemes (29 February births included by the range)."""
    for scheme in ("medical", "pension"):
        births = eligible_births(scheme, year)
        inside = births is None or births[0] <= born <= births[1]
        assert inside == eligible_for(scheme, year, born), (scheme, born, births)


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        # pension 2018: age 16..59 reached on 31 December 2018
        (dt.date(2002, 12, 31), True),  # turns 16 on the day
        (dt.date(2003, 1, 1), False),  # 15 on 31 December 2018
        (dt.date(1959, 1, 1), True),  # turns 59 on 1 January 2018, still 59 at the year's end
        (dt.date(1958, 12, 31), False),  # turns 60 on 31 December 2018
        (dt.date(1960, 2, 29), True),
    ],
)
def test_pension_band_ends(born: dt.date, eligible: bool) -> None:
    births = eligible_births("pension", 2018)
    assert births == (dt.date(1959, 1, 1), dt.date(2002, 12, 31))
    assert (births[0] <= born <= births[1]) == eligible


@pytest.mark.parametrize(
    "data",
    [
        {"v": 1, "f": "x", "c": "510402", "p": 2**63},  # beyond BIGINT
        {"v": 1, "f": "x", "c": "510402", "p": True},  # a boolean is no integer
        {"v": 1, "f": "x", "c": "510402", "p": 1.0},
        {"v": 1, "f": "x", "c": "5104０2", "p": 1},  # other scripts' digits
        {"v": 2, "f": "x", "c": "510402", "p": 1},
        {"v": 1, "f": "x", "c": "510402"},
        [1, 2],
    ],
)
def test_a_forged_cursor_is_refused(data: object) -> None:
    import base64
    import json

    from app.enrolment.coverage import decode_cursor, encode_cursor
    from app.errors import AppError

    filters = ("gaps", "medical", 2018, None, None)
    good = encode_cursor(filters, "510402", 7)
    assert decode_cursor(filters, good) == ("510402", 7)
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    with pytest.raises(AppError) as refused:
        decode_cursor(filters, forged)
    assert refused.value.code == "invalid_cursor"
    with pytest.raises(AppError):  # another query's cursor
        decode_cursor(("gaps", "pension", 2018, None, None), good)
