"""Reconciliation (对总账, 对明细账, 管理台帐): read-only SQL over settlement events. Never writes.

Events and days
---------------
A settlement is a ``+1`` event at ``settled_at``; its reversal is a ``-1`` event at
``reversed_at`` carrying the settlement's amounts negated. ``date_from``..``date_to`` are
calendar days in Asia/Shanghai, so the range is ``[date_from 00:00+08:00, date_to + 1 00:00+08:00)``
(bounds computed here with ``zoneinfo``, so the ``settled_at``/``reversed_at`` indexes do the
range). Totals, check and ledger aggregate in SQL over exactly the events the detail listing
returns, so totals equal the sum of the details to the fen.

Every request reads in one ``REPEATABLE READ READ ONLY`` transaction: all its statements see one
snapshot, so the per-fund lines and the overall line of a totals call agree with each other.

The cursor: transaction ids below the snapshot's xmin, not timestamps
--------------------------------------------------------------------
``settled_at`` is ``now()``, the *start* time of the writing transaction, while the row becomes
visible at *commit*. A transaction that started at 10:00:00 and commits at 10:00:03 adds a row
stamped 10:00:00 after rows stamped 10:00:01 may already have been listed; a cursor "after
(10:00:01, id)" would skip it forever. No column can carry "commit order" without serializing
every writer. So instead:

- each settlement and reversal row records the id of the transaction that wrote it
  (``xact_id``, database default ``pg_current_xact_id()``);
- events are listed in ``(xact_id, kind, settlement_id)`` order (unique: a bill's settlement and
  its reversal are different transactions, and there is one reversal per settlement);
- a read returns only events with ``xact_id`` below ``pg_snapshot_xmin(pg_current_snapshot())``
  of its own snapshot (the *horizon*): every transaction with a smaller id has finished, so no
  event can ever appear below that line again.

A cursor is the position of the last event handed out, which is below the horizon of the read
that handed it out. Any event committed later belongs to a transaction that was running then or
started after, so its ``xact_id`` is at or above that horizon, above the cursor: it is listed on a
later page, never skipped and never repeated. The horizon is not frozen in the cursor: a walk
that goes on while settlements arrive picks them up at its end, and the final cursor can be kept
to fetch later only what was committed since (an incremental pull). The cost: an event stays out
of reconciliation while an older *writing* transaction is still open (read-only transactions do
not hold the horizon back). It also works on a streaming replica (``DATABASE_READ_URL``), whose
snapshots carry the primary's running transaction ids. Totals, check and ledger use the same
horizon, so a walk of the details right after a totals call adds up to it.

The cursor also carries a fingerprint of the filters (hospital and days); it is refused with
other filters. It is opaque to clients (base64url JSON).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Numeric,
    SmallInteger,
    Subquery,
    TypeDecorator,
    and_,
    cast,
    func,
    literal_column,
    null,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.service import Caller
from app.engine.money import BP, div_half_up, format_fen, format_ratio_bp
from app.errors import Forbidden, Unprocessable
from app.registry.models import Hospital
from app.settlement.models import (
    REGISTERED_POOR,
    TIMESTAMPTZ,
    Reversal,
    Settlement,
    SettlementLayer,
)

from .schemas import (
    TIME_ZONE,
    CheckIn,
    CheckOut,
    EventFund,
    EventOut,
    FundDifference,
    FundFigures,
    FundTotal,
    IdDifference,
    LedgerFund,
    LedgerInCounty,
    LedgerOut,
    LedgerRow,
    ReconciliationTotals,
    Sums,
)

__all__ = [
    "AMOUNTS",
    "MAX_IDS_LISTED",
    "SHANGHAI",
    "EventsPage",
    "Scope",
    "check",
    "ledger",
    "list_events",
    "totals",
]

SHANGHAI = ZoneInfo(TIME_ZONE)
SETTLEMENT, REVERSAL = 0, 1
AMOUNTS = ("total", "hospital_borne", "in_policy", "fund_paid", "self_pay")
MAX_IDS_LISTED = 1000
TILTED_LAYER = "tilted"

_L = SettlementLayer


# -- scope: who may see which hospital, and which instants a day range covers -----------------


@dataclass(frozen=True, slots=True)
class Scope:
    hospital_code: str | None  # None: every hospital
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.date_from)

    @property
    def end(self) -> dt.datetime:
        return _midnight(self.date_to + dt.timedelta(days=1))

    def fingerprint(self) -> str:
        text_ = f"{self.hospital_code or '*'}|{self.date_from}|{self.date_to}"
        return hashlib.sha256(text_.encode()).hexdigest()[:16]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), SHANGHAI)


# The days whose Asia/Shanghai midnight and the next one both exist for Python and PostgreSQL.
FIRST_DAY, LAST_DAY = dt.date(1, 1, 2), dt.date(9999, 12, 30)


def _check_dates(date_from: dt.date, date_to: dt.date, loc: str) -> None:
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise Unprocessable(
                f"{name} is out of range.",
                code="validation_error",
                errors=[{"loc": [loc, name], "msg": f"must be {FIRST_DAY} to {LAST_DAY}"}],
            )
    if date_to < date_from:
        raise Unprocessable(
            "date_to is before date_from.",
            code="dates_out_of_order",
            errors=[{"loc": [loc, "date_to"], "msg": "must not be before date_from"}],
        )


async def _scope(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    loc: str,
) -> Scope:
    """A hospital key sees its own hospital (the default); agency and admin see any or all."""
    _check_dates(date_from, date_to, loc)
    if caller.role == "hospital":
        if hospital_code is None:
            hospital_code = caller.hospital_code
        elif hospital_code != caller.hospital_code:
            raise Forbidden(
                "This key belongs to another hospital.",
                errors=[{"loc": [loc, "hospital_code"], "msg": "not the key's hospital"}],
            )
    elif hospital_code is not None and await session.get(Hospital, hospital_code) is None:
        raise Unprocessable(
            f"No hospital {hospital_code}.",
            code="unknown_hospital",
            errors=[{"loc": [loc, "hospital_code"], "msg": "unknown hospital code"}],
        )
    return Scope(hospital_code, date_from, date_to)


async def _begin(session: AsyncSession) -> int:
    """Start the request's one-snapshot read transaction; returns its horizon (see module doc)."""
    await session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )
    horizon = await session.scalar(
        text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    )
    return int(horizon)


# -- events -----------------------------------------------------------------------------------


def _events(scope: Scope, horizon: int) -> Subquery:
    """Settlement (+) and reversal (−) events of the scope that are below the horizon."""
    s, r = Settlement, Reversal

    def amounts(sign: int) -> list[ColumnElement[Any]]:
        columns = [getattr(s, f"{name}_fen") for name in AMOUNTS]
        return [
            (c if sign > 0 else -c).label(f"{n}_fen") for c, n in zip(columns, AMOUNTS, strict=True)
        ]

    settled = select(
        s.xact_id.label("xact_id"),
        literal_column(str(SETTLEMENT), SmallInteger).label("kind"),
        literal_column("1", SmallInteger).label("sign"),
        s.id.label("settlement_id"),
        s.settled_at.label("event_at"),
        s.hospital_code,
        s.bill_no,
        s.discharge_date,
        s.settled_at,
        cast(null(), TIMESTAMPTZ).label("reversed_at"),
        *amounts(+1),
    ).where(s.settled_at >= scope.start, s.settled_at < scope.end, s.xact_id < horizon)
    reversed_ = (
        select(
            r.xact_id,
            literal_column(str(REVERSAL), SmallInteger),
            literal_column("-1", SmallInteger),
            s.id,
            r.reversed_at,
            s.hospital_code,
            s.bill_no,
            s.discharge_date,
            s.settled_at,
            r.reversed_at,
            *amounts(-1),
        )
        .join_from(r, s, r.settlement_id == s.id)
        .where(r.reversed_at >= scope.start, r.reversed_at < scope.end, r.xact_id < horizon)
    )
    if scope.hospital_code is not None:
        settled = settled.where(s.hospital_code == scope.hospital_code)
        reversed_ = reversed_.where(s.hospital_code == scope.hospital_code)
    return union_all(settled, reversed_).subquery("events")


class _Fen(TypeDecorator[int]):
    """A sum of fen: ``numeric`` in PostgreSQL (``sum(bigint)`` is numeric, so it never
    overflows, however many settlements a range holds), a Python ``int`` here. app/bounds.py
    says why no stored amount can overflow; this is why no report can."""

    impl = Numeric
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)


def _sum(column: ColumnElement[Any], where: ColumnElement[bool] | None = None) -> Any:
    total = func.sum(column) if where is None else func.sum(column).filter(where)
    return cast(func.coalesce(total, 0), _Fen)


@dataclass(frozen=True, slots=True)
class _FundRow:
    fund_code: str
    fund_name: str
    settled_count: int
    settled_paid_fen: int
    reversed_count: int
    reversed_paid_fen: int

    @property
    def count(self) -> int:
        return self.settled_count - self.reversed_count

    @property
    def paid_fen(self) -> int:
        return self.settled_paid_fen + self.reversed_paid_fen


async def _fund_rows(session: AsyncSession, ev: Subquery) -> list[_FundRow]:
    """Per fund code, in layer order: events in which it paid and what it paid, by kind."""
    # Per event, a lateral lookup of its few layer rows (by primary key), summed per fund (a
    # policy could give two layers one fund): no join of the whole layers table, and only one
    # small group per fund code at the end.
    per_event = (
        select(
            _L.fund_code,
            func.min(_L.fund_name).label("fund_name"),
            func.min(_L.position).label("position"),
            (func.sum(_L.paid_fen) * ev.c.sign).label("paid_fen"),
        )
        .where(_L.settlement_id == ev.c.settlement_id)
        .group_by(_L.fund_code)
        .lateral("per_event")
    )
    settled, reversed_ = ev.c.kind == SETTLEMENT, ev.c.kind == REVERSAL
    paid = per_event.c.paid_fen != 0
    rows = await session.execute(
        select(
            per_event.c.fund_code,
            func.min(per_event.c.fund_name),
            func.count().filter(settled & paid),
            _sum(per_event.c.paid_fen, settled),
            func.count().filter(reversed_ & paid),
            _sum(per_event.c.paid_fen, reversed_),
        )
        .select_from(ev)
        .join(per_event, true())
        .group_by(per_event.c.fund_code)
        .order_by(func.min(per_event.c.position), per_event.c.fund_code)
    )
    return [_FundRow(*row) for row in rows]


# -- totals (对总账) ----------------------------------------------------------------------------


def _sums(count: int, amounts: Sequence[int]) -> Sums:
    return Sums(count=count, **{n: format_fen(a) for n, a in zip(AMOUNTS, amounts, strict=True)})


async def totals(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
) -> ReconciliationTotals:
    horizon = await _begin(session)
    scope = await _scope(session, caller, hospital_code, date_from, date_to, "query")
    ev = _events(scope, horizon)
    columns: list[Any] = []
    for kind in (SETTLEMENT, REVERSAL):
        columns.append(func.count().filter(ev.c.kind == kind))
        columns += [_sum(ev.c[f"{n}_fen"], ev.c.kind == kind) for n in AMOUNTS]
    row = (await session.execute(select(*columns))).one()
    width = 1 + len(AMOUNTS)
    settled_count, settled = row[0], row[1:width]
    reversed_count, reversed_ = row[width], row[width + 1 :]
    net = [a + b for a, b in zip(settled, reversed_, strict=True)]
    return ReconciliationTotals(
        hospital_code=scope.hospital_code,
        date_from=date_from,
        date_to=date_to,
        count=settled_count - reversed_count,
        **{n: format_fen(a) for n, a in zip(AMOUNTS, net, strict=True)},
        funds=[
            FundTotal(
                fund_code=f.fund_code,
                fund_name=f.fund_name,
                count=f.count,
                paid=format_fen(f.paid_fen),
                settled_count=f.settled_count,
                settled_paid=format_fen(f.settled_paid_fen),
                reversed_count=f.reversed_count,
                reversed_paid=format_fen(f.reversed_paid_fen),
            )
            for f in await _fund_rows(session, ev)
        ],
        settlements=_sums(settled_count, settled),
        reversals=_sums(reversed_count, reversed_),
    )


# -- details (对明细账) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Position:
    xact_id: int
    kind: int
    settlement_id: uuid.UUID


_START = _Position(-1, 0, uuid.UUID(int=0))


def _encode_cursor(scope: Scope, position: _Position) -> str:
    data = {
        "v": 1,
        "f": scope.fingerprint(),
        "x": position.xact_id,
        "k": position.kind,
        "s": str(position.settlement_id),
    }
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_CURSOR_MEMBERS = frozenset({"v", "f", "x", "k", "s"})
_XACT_ID_MIN, _XACT_ID_MAX = _START.xact_id, 2**63 - 1  # the start; xid8 and bigint hold 2**63-1
_KINDS = frozenset({SETTLEMENT, REVERSAL})


def _json_int(value: object, low: int, high: int) -> int:
    """``value`` when it is a JSON integer (not a boolean, not a float) in ``low..high``."""
    if type(value) is not int or not low <= value <= high:
        raise ValueError(value)
    return value


def _decode_cursor(scope: Scope, cursor: str | None) -> _Position:
    """The position a cursor of :func:`_encode_cursor` names. It comes from the client, so every
    member is checked for its exact type and the range the query can bind (a forged
    ``"x": 2**63`` must be 422, not a driver error): anything else is 422 ``invalid_cursor``."""
    if cursor is None:
        return _START

    def invalid(msg: str) -> Unprocessable:
        return Unprocessable(
            f"The cursor is not usable: {msg}.",
            code="invalid_cursor",
            errors=[{"loc": ["query", "cursor"], "msg": msg}],
        )

    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict) or data.keys() != _CURSOR_MEMBERS:
            raise ValueError(data)
        _json_int(data["v"], 1, 1)
        kind = _json_int(data["k"], min(_KINDS), max(_KINDS))
        settlement_id, fingerprint = data["s"], data["f"]
        if not isinstance(settlement_id, str) or not isinstance(fingerprint, str):
            raise ValueError(data)
        position = _Position(
            _json_int(data["x"], _XACT_ID_MIN, _XACT_ID_MAX), kind, uuid.UUID(settlement_id)
        )
    except (ValueError, binascii.Error):  # UnicodeDecodeError and JSONDecodeError included
        raise invalid("not a cursor returned by this endpoint") from None
    if kind not in _KINDS or str(position.settlement_id) != settlement_id:
        raise invalid("not a cursor returned by this endpoint")
    if fingerprint != scope.fingerprint():
        raise invalid("it was issued for another hospital_code, date_from or date_to")
    return position


@dataclass(frozen=True, slots=True)
class EventsPage:
    items: list[EventOut]
    next_cursor: str
    has_more: bool


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(SHANGHAI)


async def list_events(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    cursor: str | None,
    limit: int,
) -> EventsPage:
    """Up to ``limit`` events after ``cursor`` in ``(xact_id, kind, settlement_id)`` order."""
    horizon = await _begin(session)
    scope = await _scope(session, caller, hospital_code, date_from, date_to, "query")
    after = _decode_cursor(scope, cursor)
    ev = _events(scope, horizon)
    key = (ev.c.xact_id, ev.c.kind, ev.c.settlement_id)
    page = (
        select(ev)
        .where(tuple_(*key) > tuple_(after.xact_id, after.kind, after.settlement_id))
        .order_by(*key)
        .limit(limit + 1)
        .subquery("page")
    )
    funds = (
        select(
            _L.fund_code,
            func.min(_L.fund_name).label("fund_name"),
            func.min(_L.position).label("position"),
            func.sum(_L.paid_fen).label("paid_fen"),
        )
        .where(_L.settlement_id == page.c.settlement_id)
        .group_by(_L.fund_code)
        .lateral("funds")
    )
    rows = await session.execute(
        select(
            page,
            funds.c.fund_code,
            funds.c.fund_name,
            cast(funds.c.paid_fen * page.c.sign, BigInteger).label("fund_paid_fen_signed"),
        )
        .outerjoin(funds, true())
        .order_by(page.c.xact_id, page.c.kind, page.c.settlement_id, funds.c.position)
    )
    events: list[tuple[_Position, EventOut]] = []
    current: _Position | None = None
    for row in rows:
        position = _Position(row.xact_id, row.kind, row.settlement_id)
        if position != current:
            current = position
            event_at = row.event_at.astimezone(SHANGHAI)
            events.append(
                (
                    position,
                    EventOut(
                        event="settlement" if row.kind == SETTLEMENT else "reversal",
                        sign=row.sign,
                        day=event_at.date(),
                        event_at=event_at,
                        settlement_id=row.settlement_id,
                        hospital_code=row.hospital_code,
                        bill_no=row.bill_no,
                        discharge_date=row.discharge_date,
                        settled_at=row.settled_at.astimezone(SHANGHAI),
                        reversed_at=_local(row.reversed_at),
                        funds=[],
                        **{n: format_fen(getattr(row, f"{n}_fen")) for n in AMOUNTS},
                    ),
                )
            )
        if row.fund_code is not None:
            events[-1][1].funds.append(
                EventFund(
                    fund_code=row.fund_code,
                    fund_name=row.fund_name,
                    paid=format_fen(row.fund_paid_fen_signed),
                )
            )
    has_more = len(events) > limit
    events = events[:limit]
    last = events[-1][0] if events else after
    return EventsPage([e for _, e in events], _encode_cursor(scope, last), has_more)


# -- check (对账) -------------------------------------------------------------------------------


async def _id_difference(
    session: AsyncSession, ev: Subquery, kind: int, ids: Sequence[uuid.UUID]
) -> IdDifference:
    submitted = select(
        func.unnest(
            cast(sorted(set(ids)), ARRAY(UUID(as_uuid=True))), type_=UUID(as_uuid=True)
        ).label("id")
    ).subquery("submitted")
    recorded = select(ev.c.settlement_id.label("id")).where(ev.c.kind == kind).subquery("recorded")

    async def only(first: Subquery, second: Subquery) -> tuple[list[uuid.UUID], int]:
        diff = select(first.c.id).except_(select(second.c.id)).subquery("diff")
        rows = (
            await session.execute(
                select(diff.c.id, func.count().over()).order_by(diff.c.id).limit(MAX_IDS_LISTED)
            )
        ).all()
        return [row[0] for row in rows], rows[0][1] if rows else 0

    only_submitted, only_submitted_count = await only(submitted, recorded)
    only_recorded, only_recorded_count = await only(recorded, submitted)
    return IdDifference(
        only_submitted=only_submitted,
        only_submitted_count=only_submitted_count,
        only_recorded=only_recorded,
        only_recorded_count=only_recorded_count,
    )


async def check(session: AsyncSession, caller: Caller, body: CheckIn) -> CheckOut:
    """Compare a hospital's per-fund figures (and optionally its settlement ids) with ours."""
    horizon = await _begin(session)
    scope = await _scope(session, caller, body.hospital_code, body.date_from, body.date_to, "body")
    ev = _events(scope, horizon)
    recorded = {f.fund_code: f for f in await _fund_rows(session, ev)}
    submitted = {f.fund_code: (f.count, f.paid) for f in body.funds}
    order = list(recorded) + sorted(set(submitted) - set(recorded))
    differences = []
    for code in order:
        ours = recorded.get(code)
        mine = (ours.count, ours.paid_fen) if ours is not None else (0, 0)
        theirs = submitted.get(code, (0, 0))
        if mine != theirs:
            differences.append(
                FundDifference(
                    fund_code=code,
                    fund_name=ours.fund_name if ours is not None else None,
                    submitted=FundFigures(count=theirs[0], paid=format_fen(theirs[1])),
                    recorded=FundFigures(count=mine[0], paid=format_fen(mine[1])),
                )
            )
    settlements = (
        None
        if body.settlement_ids is None
        else await _id_difference(session, ev, SETTLEMENT, body.settlement_ids)
    )
    reversals = (
        None
        if body.reversed_settlement_ids is None
        else await _id_difference(session, ev, REVERSAL, body.reversed_settlement_ids)
    )
    ids_match = all(
        d is None or (d.only_submitted_count == 0 and d.only_recorded_count == 0)
        for d in (settlements, reversals)
    )
    return CheckOut(
        result="match" if not differences and ids_match else "mismatch",
        hospital_code=body.hospital_code,
        date_from=body.date_from,
        date_to=body.date_to,
        funds=differences,
        settlements=settlements,
        reversals=reversals,
    )


# -- poverty ledger (管理台帐) ------------------------------------------------------------------


async def ledger(
    session: AsyncSession, county_code: str | None, date_from: dt.date, date_to: dt.date
) -> LedgerOut:
    """Registered-poor settlements that stand (not reversed), per person's county and month of
    settlement (Asia/Shanghai)."""
    horizon = await _begin(session)
    _check_dates(date_from, date_to, "query")
    s = Settlement
    scope = Scope(None, date_from, date_to)
    month = func.to_char(
        func.timezone(literal_column(f"'{TIME_ZONE}'"), s.settled_at), literal_column("'YYYY-MM'")
    )
    reversed_ = (
        select(Reversal.id)
        .where(Reversal.settlement_id == s.id, Reversal.xact_id < horizon)
        .exists()
    )
    where = [
        REGISTERED_POOR,
        s.settled_at >= scope.start,
        s.settled_at < scope.end,
        s.xact_id < horizon,
        ~reversed_,
    ]
    if county_code is not None:
        where.append(s.person_county_code == county_code)
    tilted = aliased(SettlementLayer, name="tilted")
    target_fen = cast(func.round(cast(tilted.params["target"].astext, Numeric) * 100), BigInteger)
    in_county = s.in_county.is_(True)
    above = and_(in_county, s.in_policy_self_pay_fen > target_fen)
    main = await session.execute(
        select(
            s.person_county_code,
            month,
            func.count(),
            _sum(s.in_policy_fen),
            _sum(s.self_pay_fen),
            _sum(s.in_policy_self_pay_fen),
            func.count().filter(in_county),
            _sum(s.in_policy_fen, in_county),
            _sum(s.in_policy_self_pay_fen, in_county),
            func.count().filter(above),
        )
        .outerjoin(tilted, and_(tilted.settlement_id == s.id, tilted.layer == TILTED_LAYER))
        .where(*where)
        .group_by(s.person_county_code, month)
        .order_by(s.person_county_code, month)
    )
    per_fund = await session.execute(
        select(
            s.person_county_code,
            month,
            _L.fund_code,
            func.min(_L.fund_name),
            _sum(_L.paid_fen),
        )
        .join_from(s, _L, _L.settlement_id == s.id)
        .where(*where)
        .group_by(s.person_county_code, month, _L.fund_code)
        .order_by(s.person_county_code, month, func.min(_L.position), _L.fund_code)
    )
    funds: dict[tuple[str, str], list[LedgerFund]] = {}
    for county, mon, code, name, paid in per_fund:
        funds.setdefault((county, mon), []).append(
            LedgerFund(fund_code=code, fund_name=name, paid=format_fen(paid))
        )
    rows = []
    for (
        county,
        mon,
        count,
        in_policy,
        self_pay,
        ipsp,
        c_count,
        c_in_policy,
        c_ipsp,
        above_n,
    ) in main:
        ratio_bp = div_half_up(c_ipsp * BP, c_in_policy) if c_in_policy else 0
        rows.append(
            LedgerRow(
                county_code=county,
                month=mon,
                count=count,
                in_policy=format_fen(in_policy),
                self_pay=format_fen(self_pay),
                in_policy_self_pay=format_fen(ipsp),
                in_county=LedgerInCounty(
                    count=c_count,
                    in_policy=format_fen(c_in_policy),
                    in_policy_self_pay=format_fen(c_ipsp),
                    in_policy_self_pay_ratio=format_ratio_bp(ratio_bp),
                    above_target_count=above_n,
                ),
                funds=funds.get((county, mon), []),
            )
        )
    return LedgerOut(county_code=county_code, date_from=date_from, date_to=date_to, rows=rows)
