"""Who is on the roster in a year: the one definition the proxy-payment runs, the coverage and
gap reports and the ledger share.

A person is on the roster in year ``Y`` for category ``C`` when any period of ``C`` (from any
source, the admin's included) overlaps ``Y``: held at any time in the year. The notice does not
say whether "holds in Y" means at a collection date or at any time in Y (NF for Panzhihua,
notice-other-parts.md §1.2); a peer region (松山, V-peer) uses "any time in the year", and so do
we (an assumption, docs/roster.md). A person counts under each category they hold; a report that
counts people (not person × category) counts each person once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, func, or_, select

from app.registry.models import Person, PersonCategory

__all__ = ["on_roster", "year_bounds"]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def on_roster(year: int, county_code: str | None = None) -> Select[tuple[int, str, str, bool]]:
    """``(person_id, county_code, category, exited)`` for every person × category on the roster
    in ``year`` (optionally of one county). ``exited`` is the 脱贫 mark: true when any of that
    category's periods overlapping the year carries it."""
    first, last = year_bounds(year)
    query = (
        select(
            Person.id.label("person_id"),
            Person.county_code.label("county_code"),
            PersonCategory.category.label("category"),
            func.bool_or(PersonCategory.exited).label("exited"),
        )
        .join(PersonCategory, PersonCategory.person_id == Person.id)
        .where(
            PersonCategory.valid_from <= last,
            or_(PersonCategory.valid_to.is_(None), PersonCategory.valid_to >= first),
        )
        .group_by(Person.id, Person.county_code, PersonCategory.category)
    )
    if county_code is not None:
        query = query.where(and_(Person.county_code == county_code))
    return query
