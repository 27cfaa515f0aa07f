"""3201 对总账 from rollups (migration 0025): per hospital × Asia/Shanghai day × person's county
(``setl_optins``) × kind, the records 3201 counts, kept by triggers in the writing transaction,
so a month or a year costs its days, not its settlements (docs/design.md §6).

Kinds: 0 every settlement's event on its day of settlement; 1 every reversal record of kind
``reversal`` on its day of reversal (counted, amounts negated); 2 for every correction (冲正)
minus its settlement's event, on the day the *settlement* was made. 3201 counts a settlement
unless a correction below the horizon undid it, whenever that correction was made, and never
the correction itself: the three kinds add up to exactly that.

The horizon is kept as in :mod:`app.reconciliation.rollup`: a cell (day × county) all of whose
rows have ``max_xact_id`` below the horizon holds exactly the records below it (``max_xact_id``
covers the writing transaction and the rows behind the figures); every other cell is read from
the rows with the row query's own predicate (:func:`app.nhsa.reconcile.our_figures_from_rows`
is the reference). 3201 runs in the request's read-write transaction (READ COMMITTED, a new
snapshot per statement), so the open cells, the closed cells' sums and the open cells' rows
are read in **one** statement: one snapshot decides which cells are open and what they hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import BigInteger, Date, SmallInteger, String, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.reconciliation.scope import Scope

__all__ = ["NhsaRollup", "Rolled", "rolled"]


class NhsaRollup(Base):
    """One slot of one cell: hospital, day, the person's county and kind (0 settlements, 1
    reversal records, 2 corrections' take-outs), the records' count and amounts in fen."""

    __tablename__ = "report_nhsa_rollups"

    hospital_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    kind: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    record_count: Mapped[int] = mapped_column(BigInteger)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    fund_paid_fen: Mapped[int] = mapped_column(BigInteger)
    self_pay_fen: Mapped[int] = mapped_column(BigInteger)
    max_xact_id: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True, slots=True)
class Rolled:
    """3201's figures of a hospital and days: records, and amounts in fen."""

    records: int
    total_fen: int
    fund_paid_fen: int
    self_pay_fen: int
    open_cells: int  # cells read from the rows (for tests and the docs)


# Not corrected below the horizon: the row query's _corrected, on settlement ``s``.
_STANDS = (
    "NOT EXISTS (SELECT 1 FROM reversals c WHERE c.settlement_id = s.id"
    " AND c.kind = 'correction' AND c.xact_id < :horizon)"
)
# The first instant of an open cell's day and of the next (PostgreSQL's own Asia/Shanghai, as
# the triggers give a row its day), within the scope's bounds.
_DAY_START = "(o.day::timestamp AT TIME ZONE 'Asia/Shanghai')"
_DAY_END = "((o.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')"

_SETTLED_ROWS = f"""
    SELECT s.total_fen, s.fund_paid_fen, s.self_pay_fen FROM settlements s
    WHERE s.hospital_code = :hospital AND s.person_county_code = o.county_code
      AND s.settled_at >= :start AND s.settled_at < :end
      AND s.settled_at >= {_DAY_START} AND s.settled_at < {_DAY_END}
      AND s.xact_id < :horizon AND {_STANDS}"""
_REVERSED_ROWS = f"""
    SELECT -s.total_fen, -s.fund_paid_fen, -s.self_pay_fen
    FROM reversals v JOIN settlements s ON s.id = v.settlement_id
    WHERE s.hospital_code = :hospital AND s.person_county_code = o.county_code
      AND v.reversed_at >= :start AND v.reversed_at < :end
      AND v.reversed_at >= {_DAY_START} AND v.reversed_at < {_DAY_END}
      AND v.xact_id < :horizon AND {_STANDS}"""

_QUERY = """
WITH cells AS (
  SELECT day, county_code, sum(record_count) AS records, sum(total_fen) AS total_fen,
    sum(fund_paid_fen) AS fund_paid_fen, sum(self_pay_fen) AS self_pay_fen,
    max(max_xact_id) AS max_xact_id
  FROM report_nhsa_rollups
  WHERE hospital_code = :hospital AND day >= :date_from AND day <= :date_to {county} {kinds}
  GROUP BY day, county_code
),
closed AS (
  SELECT coalesce(sum(records), 0) AS records, coalesce(sum(total_fen), 0) AS total_fen,
    coalesce(sum(fund_paid_fen), 0) AS fund_paid_fen,
    coalesce(sum(self_pay_fen), 0) AS self_pay_fen
  FROM cells WHERE max_xact_id < :horizon
),
opened AS (
  SELECT count(*) AS records, coalesce(sum(e.total_fen), 0) AS total_fen,
    coalesce(sum(e.fund_paid_fen), 0) AS fund_paid_fen,
    coalesce(sum(e.self_pay_fen), 0) AS self_pay_fen
  FROM (SELECT day, county_code FROM cells WHERE max_xact_id >= :horizon) o
  CROSS JOIN LATERAL ({rows}) AS e (total_fen, fund_paid_fen, self_pay_fen)
)
SELECT closed.records + opened.records AS records,
  closed.total_fen + opened.total_fen AS total_fen,
  closed.fund_paid_fen + opened.fund_paid_fen AS fund_paid_fen,
  closed.self_pay_fen + opened.self_pay_fen AS self_pay_fen,
  (SELECT count(*) FROM cells WHERE max_xact_id >= :horizon) AS open_cells
FROM closed, opened
"""


def _query(county: bool, include_refunds: bool) -> str:
    rows = _SETTLED_ROWS + (f"\n    UNION ALL{_REVERSED_ROWS}" if include_refunds else "")
    return _QUERY.format(
        county="AND county_code = :county" if county else "",
        kinds="" if include_refunds else "AND kind <> 1",
        rows=rows,
    )


# The four statements, built once.
_QUERIES = {(c, r): text(_query(c, r)) for c in (False, True) for r in (False, True)}


async def rolled(
    session: AsyncSession,
    hospital_code: str,
    setl_optins: str | None,
    begin: dt.date,
    end: dt.date,
    include_refunds: bool,
    horizon: int,
) -> Rolled:
    """What the row query of 3201 counts below ``horizon``: closed cells from the rollups, open
    ones from the rows, in one statement (one snapshot)."""
    scope = Scope(hospital_code, begin, end)
    params: dict[str, object] = {
        "hospital": hospital_code,
        "date_from": begin,
        "date_to": end,
        "start": scope.start,
        "end": scope.end,
        "horizon": horizon,
    }
    if setl_optins:
        params["county"] = setl_optins
    row = (await session.execute(_QUERIES[(bool(setl_optins), include_refunds)], params)).one()
    return Rolled(
        records=int(row.records),
        total_fen=int(row.total_fen),
        fund_paid_fen=int(row.fund_paid_fen),
        self_pay_fen=int(row.self_pay_fen),
        open_cells=int(row.open_cells),
    )
