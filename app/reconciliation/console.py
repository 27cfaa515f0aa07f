"""What the agency console (``/ui/console/``, docs/ui.md) reads: read-only queries beside the
reports, so that the page computes no figure of its own.

- :func:`dashboard`: a county's month in one snapshot: every standing settlement of the
  county's persons (:func:`.ledger.ledger_below` over all categories), the registered poor's
  ledger row, the bills above the target, and the poor's ledger for the twelve months ending
  with it (the trend);
- :func:`counties`, :func:`latest_month`: the form's choices and default;
- :func:`search`: settlements by hospital, bill number, person and days of settlement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, literal_column, select, true, union
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine.money import format_fen
from app.registry.models import Hospital, Person
from app.settlement.models import Reversal, Settlement
from app.types import mask_id_number

from .cursor import begin_snapshot
from .ledger import AboveTarget, above_target_below, ledger_below
from .schemas import TIME_ZONE, LedgerOut, LedgerRow
from .scope import SHANGHAI, Scope, check_dates

__all__ = [
    "MAX_FOUND",
    "Dashboard",
    "FoundSettlement",
    "counties",
    "dashboard",
    "latest_month",
    "month_days",
    "search",
]

MAX_FOUND = 200


def month_days(month: str) -> tuple[dt.date, dt.date]:
    """``"2018-06"`` → its first and last day. ``ValueError`` unless ``yyyy-MM``."""
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise ValueError(month)
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _months_back(month: str, count: int) -> str:
    """The month ``count - 1`` months before ``month`` (so ``count`` months end with it)."""
    year, number = int(month[:4]), int(month[5:])
    index = year * 12 + number - 1 - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True, slots=True)
class Dashboard:
    counties: list[str]  # the registry's, for the form
    county_code: str
    month: str
    everyone: LedgerRow | None  # every standing settlement of the county's persons
    poor: LedgerRow | None  # the registered poor's ledger row (the 10% target)
    above_target: list[AboveTarget]
    trend: LedgerOut  # the registered poor, the twelve months ending with ``month``
    trend_months: list[str]


def _row(ledger: LedgerOut, month: str) -> LedgerRow | None:
    return next((row for row in ledger.rows if row.month == month), None)


async def dashboard(
    session: AsyncSession, county_code: str | None = None, month: str | None = None
) -> Dashboard:
    """A county's month, every figure from the ledger's queries, in one snapshot. Without a
    county: the registry's first; without a month: the county's latest with a settlement (else
    the current one). ``ValueError`` for a month that is not ``yyyy-MM``."""
    if month is not None:
        month_days(month)
    horizon = await begin_snapshot(session)
    known = await counties(session)
    county = county_code or (known[0] if known else "000000")
    month = (
        month or await latest_month(session, county) or dt.datetime.now(SHANGHAI).strftime("%Y-%m")
    )
    first, last = month_days(month)
    trend_first, _ = month_days(_months_back(month, 12))
    everyone = await ledger_below(session, horizon, county, first, last, registered_poor_only=False)
    trend = await ledger_below(session, horizon, county, trend_first, last)
    listed = await above_target_below(session, horizon, county, first, last)
    return Dashboard(
        counties=known,
        county_code=county,
        month=month,
        everyone=_row(everyone, month),
        poor=_row(trend, month),
        above_target=listed,
        trend=trend,
        trend_months=[_months_back(month, 12 - i) for i in range(12)],
    )


async def counties(session: AsyncSession) -> list[str]:
    """Every county of the registry: of its hospitals and of its persons."""
    codes = union(select(Hospital.county_code), select(Person.county_code)).subquery()
    return list(
        (await session.scalars(select(codes.c.county_code).order_by(codes.c.county_code))).all()
    )


async def latest_month(session: AsyncSession, county_code: str | None = None) -> str | None:
    """The month (Asia/Shanghai) of the latest settlement, of a county's persons if given."""
    query = select(func.max(Settlement.settled_at))
    if county_code is not None:
        query = query.where(Settlement.person_county_code == county_code)
    latest: dt.datetime | None = await session.scalar(query)
    return None if latest is None else latest.astimezone(SHANGHAI).strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class FoundSettlement:
    settlement_id: uuid.UUID
    hospital_code: str
    hospital_name: str
    bill_no: str
    person_name: str
    masked_id_number: str
    person_county_code: str
    settled_at: dt.datetime  # Asia/Shanghai
    discharge_date: dt.date
    total: str
    fund_paid: str
    self_pay: str
    reversed: bool


async def search(
    session: AsyncSession,
    *,
    hospital_code: str | None = None,
    bill_no: str | None = None,
    id_number: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int = MAX_FOUND,
) -> list[FoundSettlement]:
    """Settlements matching every criterion given (days: of settlement, Asia/Shanghai, both
    inclusive), newest first, at most ``limit``; reversed ones too, marked."""
    s = Settlement
    where: list[ColumnElement[bool]] = [true()]
    if hospital_code:
        where.append(s.hospital_code == hospital_code)
    if bill_no:
        where.append(s.bill_no == bill_no)
    if id_number:
        where.append(Person.id_number == id_number)
    if date_from is not None or date_to is not None:
        first = date_from or dt.date(1, 1, 2)
        last = date_to or dt.date(9999, 12, 30)
        check_dates(first, last, "query")
        scope = Scope(None, first, last)
        where += [s.settled_at >= scope.start, s.settled_at < scope.end]
    reversed_ = exists().where(Reversal.settlement_id == s.id)
    rows = await session.execute(
        select(
            s.id,
            s.hospital_code,
            Hospital.name.label("hospital_name"),
            s.bill_no,
            Person.name.label("person_name"),
            Person.id_number,
            s.person_county_code,
            func.timezone(literal_column(f"'{TIME_ZONE}'"), s.settled_at).label("local_time"),
            s.discharge_date,
            s.total_fen,
            s.fund_paid_fen,
            s.self_pay_fen,
            reversed_.label("reversed"),
        )
        .join(Person, Person.id == s.person_id)
        .join(Hospital, Hospital.code == s.hospital_code)
        .where(and_(*where))
        .order_by(s.settled_at.desc(), s.id)
        .limit(limit)
    )
    return [
        FoundSettlement(
            settlement_id=row.id,
            hospital_code=row.hospital_code,
            hospital_name=row.hospital_name,
            bill_no=row.bill_no,
            person_name=row.person_name,
            masked_id_number=mask_id_number(row.id_number),
            person_county_code=row.person_county_code,
            settled_at=row.local_time,
            discharge_date=row.discharge_date,
            total=format_fen(row.total_fen),
            fund_paid=format_fen(row.fund_paid_fen),
            self_pay=format_fen(row.self_pay_fen),
            reversed=bool(row.reversed),
        )
        for row in rows
    ]
