"""管理台帐 per person: one row per person on the roster in a year (notice 六(二)).

Who is on it: :func:`app.roster.membership.on_roster` for the year (and county), every age,
whatever the scheme. Each row holds:

- the person (county, ID number, 人员编号, name, 死亡日期);
- the category periods overlapping the year, each with its source (手工录入 or the roster
  source that said it) and the 脱贫 mark and year; the row's 脱贫 mark is set when any of them
  carries it, its exit year the latest given;
- per scheme (medical, pension): enrolled or not (``person_enrolments`` / ``pension_enrolments``
  for the year, recorded by a confirmed run or by the admin), the pension tier and subsidy, the
  enrolment elsewhere if any, and who paid: the shares (payer → amount) of the confirmed
  proxy-payment run(s) of the scheme and year that list the person. An enrolment without such a
  run (the admin PUT) has no recorded payer: shown as 本人/未记录;
- the year's settlements that stand, with the poverty ledger's own definitions
  (:mod:`app.reconciliation.ledger`: made below the read's horizon and not reversed below it;
  in county; the tilted layer's stored target), the year being the settlement's insurance year
  (``accumulator_year``, the discharge's year: the enrolment year the bill was settled under,
  whatever day it was settled), over every settlement of the person (not only those made as
  registered-poor): count, total, fund paid,
  self-pay, in-policy, in-policy self-pay, and in county the count, in-policy total and
  self-pay, their ratio (4 decimals half up; null with no in-county in-policy cost) and how many
  exceed the target.

A page is read in one ``REPEATABLE READ`` snapshot: its persons by keyset, then one grouped
query per part over the page's persons (``person_id = ANY(...)``); never a query per person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    SQLColumnExpression,
    and_,
    any_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine.money import BP, div_half_up, format_ratio_bp
from app.enrolment import rules
from app.enrolment.coverage import after_key, check_county, decode_cursor, encode_cursor
from app.enrolment.models import ProxyPaymentLine, ProxyPaymentRun, ProxyPaymentShare
from app.errors import AppError
from app.reconciliation.cursor import begin_snapshot, current_horizon
from app.reconciliation.ledger import _above_target, _standing
from app.reconciliation.scope import FIRST_DAY, LAST_DAY
from app.reconciliation.sums import fen_sum
from app.registry.models import (
    ExternalEnrolment,
    PensionEnrolment,
    Person,
    PersonCategory,
    PersonEnrolment,
)
from app.settlement.models import Settlement

from .membership import on_roster, year_bounds

__all__ = [
    "SOURCE_NAMES",
    "LedgerCategory",
    "LedgerPage",
    "LedgerPerson",
    "PersonSettlements",
    "SchemeStatus",
    "iter_ledger",
    "ledger_page",
    "payer_names",
]

SOURCE_NAMES: Final = {
    "manual": "手工录入",
    "poverty_office": "扶贫",
    "civil_affairs": "民政",
    "medical_insurance": "医保",
}


@dataclass(frozen=True, slots=True)
class LedgerCategory:
    category: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    exited: bool
    exit_year: int | None


@dataclass(slots=True)
class SchemeStatus:
    enrolled: bool = False
    run_id: uuid.UUID | None = None  # the confirmed run that recorded the enrolment, if one did
    tier_fen: int | None = None  # pension
    subsidy_fen: int | None = None  # pension
    contribution_fen: int | None = None  # of the confirmed run's line(s)
    payers: list[tuple[str, int]] = field(default_factory=list)  # (payer, amount_fen)
    elsewhere_region: str | None = None


@dataclass(frozen=True, slots=True)
class PersonSettlements:
    count: int = 0
    total_fen: int = 0
    fund_paid_fen: int = 0
    self_pay_fen: int = 0
    in_policy_fen: int = 0
    in_policy_self_pay_fen: int = 0
    in_county_count: int = 0
    in_county_in_policy_fen: int = 0
    in_county_in_policy_self_pay_fen: int = 0
    above_target_count: int = 0

    @property
    def in_county_ratio(self) -> str | None:
        """In-county in-policy self-pay / in-county in-policy cost, as the poverty ledger
        computes it; ``None`` when there is no in-county in-policy cost."""
        if not self.in_county_in_policy_fen:
            return None
        return format_ratio_bp(
            div_half_up(self.in_county_in_policy_self_pay_fen * BP, self.in_county_in_policy_fen)
        )


@dataclass(slots=True)
class LedgerPerson:
    person_id: int
    county_code: str
    id_number: str  # in clear: the endpoint masks it for the caller
    psn_no: str
    name: str
    death_date: dt.date | None
    categories: list[LedgerCategory] = field(default_factory=list)
    medical: SchemeStatus = field(default_factory=SchemeStatus)
    pension: SchemeStatus = field(default_factory=SchemeStatus)
    settlements: PersonSettlements = field(default_factory=PersonSettlements)

    @property
    def exited(self) -> bool:
        return any(c.exited for c in self.categories)

    @property
    def exit_year(self) -> int | None:
        years = [c.exit_year for c in self.categories if c.exit_year is not None]
        return max(years) if years else None


@dataclass(frozen=True, slots=True)
class LedgerPage:
    year: int
    items: list[LedgerPerson]
    next_cursor: str | None


def payer_names(year: int) -> dict[str, str]:
    """Payer code → Chinese name from the year's enrolment rules (either scheme's; none: the
    codes stay as they are)."""
    names: dict[str, str] = {}
    for scheme in rules.SCHEMES:
        try:
            names.update(rules.rules_for(scheme, year).payers)
        except AppError:
            continue
    return names


async def _persons(
    session: AsyncSession,
    year: int,
    county_code: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> list[LedgerPerson]:
    roster = after_key(on_roster(year, county_code), after).subquery("roster")
    members = select(roster.c.person_id, roster.c.county_code).distinct().subquery("members")
    query = (
        select(
            members.c.person_id,
            members.c.county_code,
            Person.id_number,
            Person.psn_no,
            Person.name,
            Person.death_date,
        )
        .join(Person, Person.id == members.c.person_id)
        .order_by(members.c.county_code, members.c.person_id)
        .limit(limit)
    )
    return [
        LedgerPerson(
            person_id=r.person_id,
            county_code=r.county_code,
            id_number=r.id_number,
            psn_no=r.psn_no,
            name=r.name,
            death_date=r.death_date,
        )
        for r in await session.execute(query)
    ]


async def _fill(session: AsyncSession, horizon: int, year: int, people: list[LedgerPerson]) -> None:
    """The parts of each row: one grouped query per part over the page's persons."""
    if not people:
        return
    by_id = {p.person_id: p for p in people}
    ids = list(by_id)
    first, last = year_bounds(year)
    c = PersonCategory
    periods = await session.execute(
        select(c.person_id, c.category, c.source, c.valid_from, c.valid_to, c.exited, c.exit_year)
        .where(
            _among(c.person_id, ids),
            c.valid_from <= last,
            or_(c.valid_to.is_(None), c.valid_to >= first),
        )
        .order_by(c.person_id, c.valid_from, c.category, c.id)
    )
    for pc in periods:
        by_id[pc.person_id].categories.append(
            LedgerCategory(
                pc.category, pc.source, pc.valid_from, pc.valid_to, pc.exited, pc.exit_year
            )
        )
    medical = await session.execute(
        select(PersonEnrolment.person_id, PersonEnrolment.run_id).where(
            _among(PersonEnrolment.person_id, ids), PersonEnrolment.year == year
        )
    )
    for m in medical:
        status = by_id[m.person_id].medical
        status.enrolled, status.run_id = True, m.run_id
    pension = await session.execute(
        select(
            PensionEnrolment.person_id,
            PensionEnrolment.run_id,
            PensionEnrolment.tier_fen,
            PensionEnrolment.subsidy_fen,
        ).where(_among(PensionEnrolment.person_id, ids), PensionEnrolment.year == year)
    )
    for pe in pension:
        status = by_id[pe.person_id].pension
        status.enrolled, status.run_id = True, pe.run_id
        status.tier_fen, status.subsidy_fen = pe.tier_fen, pe.subsidy_fen
    elsewhere = await session.execute(
        select(
            ExternalEnrolment.person_id, ExternalEnrolment.scheme, ExternalEnrolment.region_code
        ).where(_among(ExternalEnrolment.person_id, ids), ExternalEnrolment.year == year)
    )
    for ext in elsewhere:
        _scheme(by_id[ext.person_id], ext.scheme).elsewhere_region = ext.region_code
    run, line, share = ProxyPaymentRun, ProxyPaymentLine, ProxyPaymentShare
    confirmed = and_(run.status == "confirmed", run.year == year)
    lines = await session.execute(
        select(line.person_id, run.scheme, fen_sum(line.contribution_fen).label("contribution"))
        .join(run, run.id == line.run_id)
        .where(confirmed, _among(line.person_id, ids))
        .group_by(line.person_id, run.scheme)
    )
    for ln in lines:
        _scheme(by_id[ln.person_id], ln.scheme).contribution_fen = ln.contribution
    shares = await session.execute(
        select(share.person_id, run.scheme, share.payer, fen_sum(share.amount_fen).label("amount"))
        .join(run, run.id == share.run_id)
        .where(confirmed, _among(share.person_id, ids))
        .group_by(share.person_id, run.scheme, share.payer)
        .order_by(share.person_id, run.scheme, share.payer)
    )
    for sh in shares:
        _scheme(by_id[sh.person_id], sh.scheme).payers.append((sh.payer, sh.amount))
    s = Settlement
    # The year of a settlement is its insurance year (accumulator_year: the discharge's year,
    # whose enrolment it was settled under), so every day of settlement is let through; what
    # stands is the poverty ledger's predicate itself.
    standing = and_(
        _standing(horizon, None, FIRST_DAY, LAST_DAY, registered_poor_only=False),
        s.accumulator_year == year,
        _among(s.person_id, ids),
    )
    in_county = s.in_county.is_(True)
    figures = await session.execute(
        select(
            s.person_id,
            func.count().label("settlement_count"),
            fen_sum(s.total_fen).label("total"),
            fen_sum(s.fund_paid_fen).label("fund_paid"),
            fen_sum(s.self_pay_fen).label("self_pay"),
            fen_sum(s.in_policy_fen).label("in_policy"),
            fen_sum(s.in_policy_self_pay_fen).label("in_policy_self_pay"),
            func.count().filter(in_county).label("in_county_count"),
            fen_sum(s.in_policy_fen, in_county).label("in_county_in_policy"),
            fen_sum(s.in_policy_self_pay_fen, in_county).label("in_county_in_policy_self_pay"),
            func.count().filter(_above_target()).label("above_target"),
        )
        .where(standing)
        .group_by(s.person_id)
    )
    for f in figures:
        by_id[f.person_id].settlements = PersonSettlements(
            count=f.settlement_count,
            total_fen=f.total,
            fund_paid_fen=f.fund_paid,
            self_pay_fen=f.self_pay,
            in_policy_fen=f.in_policy,
            in_policy_self_pay_fen=f.in_policy_self_pay,
            in_county_count=f.in_county_count,
            in_county_in_policy_fen=f.in_county_in_policy,
            in_county_in_policy_self_pay_fen=f.in_county_in_policy_self_pay,
            above_target_count=f.above_target,
        )


def _among(column: SQLColumnExpression[int], ids: list[int]) -> ColumnElement[bool]:
    """``column = ANY(:ids)`` with the ids as one array parameter (an ``IN`` list would be one
    bind parameter per person of the page)."""
    return column == any_(literal(ids, ARRAY(BigInteger)))


def _scheme(person: LedgerPerson, scheme: str) -> SchemeStatus:
    return person.medical if scheme == "medical" else person.pension


def _filters(year: int, county_code: str | None) -> tuple[Any, ...]:
    return ("ledger", year, county_code)


async def ledger_page(
    session: AsyncSession, year: int, county_code: str | None, cursor: str | None, limit: int
) -> LedgerPage:
    """One page of the ledger after ``cursor``, in ``(county_code, person_id)`` order, read in
    one snapshot (begun here: call it first on the session)."""
    check_county(county_code)
    after = decode_cursor(_filters(year, county_code), cursor)
    horizon = await begin_snapshot(session)
    return await _page(session, horizon, year, county_code, after, limit)


async def _page(
    session: AsyncSession,
    horizon: int,
    year: int,
    county_code: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> LedgerPage:
    people = await _persons(session, year, county_code, after, limit + 1)
    more = len(people) > limit
    people = people[:limit]
    await _fill(session, horizon, year, people)
    next_cursor = (
        encode_cursor(_filters(year, county_code), people[-1].county_code, people[-1].person_id)
        if more and people
        else None
    )
    return LedgerPage(year=year, items=people, next_cursor=next_cursor)


async def iter_ledger(
    session: AsyncSession, year: int, county_code: str | None, batch: int = 5000
) -> AsyncIterator[list[LedgerPerson]]:
    """Every row, ``batch`` at a time, in the session's snapshot (for a download: the stream's
    session is already in its ``REPEATABLE READ`` transaction)."""
    check_county(county_code)
    horizon = await current_horizon(session)
    after = None
    while True:
        page = await _page(session, horizon, year, county_code, after, batch)
        if page.items:
            yield page.items
        if page.next_cursor is None:
            return
        after = (page.items[-1].county_code, page.items[-1].person_id)
