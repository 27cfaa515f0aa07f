"""Helpers of the enrolment tests: rules documents built from the shipped file, and roster people
written straight into a database of the test's own (``own_app``), with the birth date, the
categories, the 脱贫 mark, the death date and the enrolments each test needs."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from sqlalchemy import delete, insert, select

from app.enrolment.rules import ENROLMENT_DIR, SchemeRules, parse_rules
from app.registry.models import ExternalEnrolment, Person, PersonCategory, PersonEnrolment
from app.types import id_check_digit

__all__ = ["COUNTY", "add_person", "clear_county", "document", "rules_from"]

COUNTY = "510403"  # 西区: the tests' county (its demo person is cleared first)
SHIPPED = ENROLMENT_DIR / "2018.yaml"
_seq = itertools.count(1)


def document(path: Path = SHIPPED) -> dict[str, Any]:
    """A fresh copy of the shipped rules document, to edit."""
    return copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))


def rules_from(doc: dict[str, Any], scheme: str) -> SchemeRules:
    return parse_rules(doc, "test.yaml")[scheme]


def id_for(born: dt.date, county: str = COUNTY) -> str:
    first17 = f"{county}{born:%Y%m%d}{next(_seq) % 1000:03d}"
    return first17 + id_check_digit(first17)


async def clear_county(app: FastAPI, county: str = COUNTY) -> None:
    """Remove the categories of the county's (demo) people: the roster starts empty."""
    async with app.state.sessionmaker() as session, session.begin():
        ids = select(Person.id).where(Person.county_code == county)
        await session.execute(delete(PersonCategory).where(PersonCategory.person_id.in_(ids)))


async def add_person(
    app: FastAPI,
    born: dt.date,
    categories: dict[str, bool],
    *,
    name: str = "测试",
    county: str = COUNTY,
    death: dt.date | None = None,
    elsewhere: tuple[str, ...] = (),
    manual_years: tuple[int, ...] = (),
    valid_from: dt.date = dt.date(2018, 1, 1),
) -> str:
    """A person of ``county`` holding ``categories`` (category -> 脱贫 mark) from ``valid_from``;
    ``elsewhere``: schemes enrolled outside the region in 2018; ``manual_years``: medical
    enrolments the admin entered. Returns the ID number."""
    number = id_for(born, county)
    async with app.state.sessionmaker() as session, session.begin():
        pid = await session.scalar(
            insert(Person)
            .values(id_number=number, name=name, county_code=county, death_date=death)
            .returning(Person.id)
        )
        for category, exited in categories.items():
            await session.execute(
                insert(PersonCategory).values(
                    person_id=pid,
                    category=category,
                    valid_from=valid_from,
                    valid_to=None,
                    source="manual",
                    exited=exited,
                    exit_year=2017 if exited else None,
                )
            )
        for scheme in elsewhere:
            await session.execute(
                insert(ExternalEnrolment).values(
                    person_id=pid, scheme=scheme, year=2018, region_code="510100"
                )
            )
        for year in manual_years:
            await session.execute(insert(PersonEnrolment).values(person_id=pid, year=year))
    return number
