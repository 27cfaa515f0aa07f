"""Storage for settlements: locks, reads, append-only inserts. Never commits.

The last of the four files a settlement passes through: ``endpoints.create`` (HTTP) →
``service.settle_bill`` (the checks, the engine call, the audit entry) → ``app.engine.settle``
(the pure calculation) → here. The settle path runs two statements, written out below rather
than one ORM call per table (bench/README.md):

1. :data:`_LOCK_AND_READ` (:func:`lock_and_read`): take the bill's advisory lock, read every
   registry fact the bill needs, then, in the database function ``settlement_lock_state``
   (``sql/settlement_lock_state.sql``), take the person-year's lock and read the bill's history
   and the person-year's accumulators. PostgreSQL (READ COMMITTED) takes a snapshot when a
   statement starts, so what must see the previous lock holder's commit is read by a statement
   that starts after the lock is held; a PL/pgSQL function's statements each take a new one,
   which saves a round trip.
2. :data:`_INSERT_SETTLEMENT` (:func:`insert_settlement`): in one statement, every table a
   settlement writes: ``settlements``, ``settlement_layers``, ``settlement_item_lists``,
   ``audit_pending`` (its audit entry, chained at COMMIT) and ``accumulators``.

The person-year lock key is one SQL function, ``person_year_lock_key``
(``sql/person_year_lock_key.sql``), which the settle path and a reversal
(:func:`lock_person_year`) both call. The SQL files are loaded by migrations (0010).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json
from sqlalchemy import func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine import BillLine
from app.engine import Settlement as Computed

from .models import Accumulator, Reversal, Settlement, SettlementLayer

__all__ = [
    "BillFacts",
    "BillState",
    "CatalogFacts",
    "add_to_accumulators",
    "insert_reversal",
    "insert_settlement",
    "layers_of",
    "lock_and_read",
    "lock_bill",
    "lock_person_year",
    "read_accumulators",
    "read_facts",
    "settlement_of_setl_id",
    "settlements_of_bill",
]


def bill_key(hospital_code: str, bill_no: str) -> int:
    """Negative, so a bill key never meets a person-year key."""
    digest = hashlib.blake2b(f"{hospital_code}\x00{bill_no}".encode(), digest_size=8).digest()
    return -(int.from_bytes(digest, "big") >> 1) - 1


_LOCK_PERSON_YEAR = text("SELECT pg_advisory_xact_lock(person_year_lock_key(:person_id, :year))")


async def lock_person_year(session: AsyncSession, person_id: int, year: int) -> None:
    """Serialize settlements and reversals of one person-year until the transaction ends: the
    lock the settle path takes in ``settlement_lock_state``, by the same key function."""
    await session.execute(_LOCK_PERSON_YEAR, {"person_id": person_id, "year": year})


async def lock_bill(session: AsyncSession, hospital_code: str, bill_no: str) -> None:
    """Serialize work on one bill until the transaction ends.

    Lock order is always bill, then person-year, so two transactions cannot deadlock.
    """
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:k)"), {"k": bill_key(hospital_code, bill_no)}
    )


CatalogFacts = tuple[str, int, int | None]
"""A catalogue entry as the engine needs it: ``(grade, self_pay_ratio_bp, price_cap_e4)``."""


@dataclass(frozen=True, slots=True)
class BillFacts:
    """What the registries say about a bill on its discharge date (``None``: no such row)."""

    hospital_level: str | None
    hospital_county_code: str | None
    hospital_designated: bool
    person_id: int | None
    person_county_code: str | None
    enrolled: bool  # for the discharge year
    categories: frozenset[str]  # valid on the discharge date
    catalog: dict[str, CatalogFacts]  # the bill's codes valid on the discharge date


# What the registries say about a bill: one row, whether or not the hospital and person exist.
_FACTS = """
SELECT
  h.level AS hospital_level, h.county_code AS hospital_county_code,
  coalesce(h.designated, false) AS hospital_designated,
  p.id AS person_id, p.county_code AS person_county_code,
  EXISTS (SELECT FROM person_enrolments e WHERE e.person_id = p.id AND e.year = :year)
    AS enrolled,
  ARRAY(SELECT c.category FROM person_categories c
        WHERE c.person_id = p.id AND c.valid_from <= :day
          AND (c.valid_to IS NULL OR c.valid_to >= :day)) AS categories,
  cat.codes, cat.grades, cat.ratios, cat.caps
FROM (SELECT) AS one
LEFT JOIN hospitals h ON h.code = :hospital_code
LEFT JOIN persons p ON p.id_number = :id_number
CROSS JOIN LATERAL (
  SELECT array_agg(i.code) AS codes, array_agg(i.grade) AS grades,
         array_agg(i.self_pay_ratio_bp) AS ratios, array_agg(i.price_cap_e4) AS caps
  FROM catalog_items i
  WHERE i.code = ANY(CAST(:codes AS varchar[])) AND i.valid_from <= :day
    AND (i.valid_to IS NULL OR i.valid_to >= :day)) AS cat
"""
_READ_FACTS = text(_FACTS)
# The facts above, with the bill lock taken beside them in a query of their own (OFFSET 0 keeps
# it a separate step); then the person-year lock, which needs the person's id, and the state
# read after it, in a lateral call that can only run on that query's row: bill, then
# person-year, the one lock order.
_LOCK_AND_READ = text(
    f"""
SELECT f.*, st.*
FROM (SELECT pg_advisory_xact_lock(:bill_key) AS bill_locked, facts.*
      FROM ({_FACTS}) AS facts
      OFFSET 0) AS f
CROSS JOIN LATERAL settlement_lock_state(:hospital_code, :bill_no, f.person_id, :year) AS st
"""
)


def _facts_params(
    hospital_code: str, id_number: str, day: dt.date, codes: Sequence[str]
) -> dict[str, object]:
    return {
        "hospital_code": hospital_code,
        "id_number": id_number,
        "day": day,
        "year": day.year,
        "codes": list(codes),
    }


def _facts_of(row: Any) -> BillFacts:
    catalog = (
        dict(zip(row.codes, zip(row.grades, row.ratios, row.caps, strict=True), strict=True))
        if row.codes
        else {}
    )
    return BillFacts(
        hospital_level=row.hospital_level,
        hospital_county_code=row.hospital_county_code,
        hospital_designated=row.hospital_designated,
        person_id=row.person_id,
        person_county_code=row.person_county_code,
        enrolled=row.enrolled,
        categories=frozenset(row.categories),
        catalog=catalog,
    )


async def read_facts(
    session: AsyncSession, hospital_code: str, id_number: str, day: dt.date, codes: Sequence[str]
) -> BillFacts:
    """Hospital, person, enrolment, categories and catalogue entries in one round trip."""
    params = _facts_params(hospital_code, id_number, day, codes)
    return _facts_of((await session.execute(_READ_FACTS, params)).one())


@dataclass(frozen=True, slots=True)
class BillState:
    """A bill's settlements so far, and the accumulators of the person-year it would count in."""

    generations: int  # settlements of the bill so far, reversed or not
    active_id: uuid.UUID | None  # the one not reversed, if any
    active_request_hash: str | None
    last_id: uuid.UUID | None  # the latest settlement, reversed or not
    accumulators: dict[str, int]


async def lock_and_read(
    session: AsyncSession,
    hospital_code: str,
    bill_no: str,
    id_number: str,
    day: dt.date,
    codes: Sequence[str],
) -> tuple[BillFacts, BillState]:
    """In one round trip: take the bill's lock (:func:`lock_bill`); read what :func:`read_facts`
    reads; if the person is registered, take the lock of the discharge year
    (:func:`lock_person_year`); then read the bill's settlements and the person-year's
    accumulators as committed by every earlier holder of either lock."""
    params = _facts_params(hospital_code, id_number, day, codes)
    params["bill_key"] = bill_key(hospital_code, bill_no)
    params["bill_no"] = bill_no
    row = (await session.execute(_LOCK_AND_READ, params)).one()
    keys, amounts = row.accumulator_keys, row.accumulator_amounts
    state = BillState(
        row.generations,
        row.active_id,
        row.active_request_hash,
        row.last_id,
        dict(zip(keys, amounts, strict=True)) if keys else {},
    )
    return _facts_of(row), state


_READ_ACCUMULATORS = text(
    "SELECT key, amount_fen FROM accumulators WHERE person_id = :person_id AND year = :year"
)


async def read_accumulators(session: AsyncSession, person_id: int, year: int) -> dict[str, int]:
    """The person-year's accumulators; after its lock, in a later statement, when they are to
    be updated."""
    rows = await session.execute(_READ_ACCUMULATORS, {"person_id": person_id, "year": year})
    return {key: amount for key, amount in rows}


async def add_to_accumulators(
    session: AsyncSession, person_id: int, year: int, deltas: Mapping[str, int], sign: int
) -> None:
    if not deltas:
        return
    if sign < 0:
        # A reversal subtracts from rows its settlement created. Not INSERT … ON CONFLICT:
        # PostgreSQL checks CHECK (amount_fen >= 0) on the proposed negative row first.
        for k, v in sorted(deltas.items()):
            result = await session.execute(
                update(Accumulator)
                .where(
                    Accumulator.person_id == person_id,
                    Accumulator.year == year,
                    Accumulator.key == k,
                )
                .values(amount_fen=Accumulator.amount_fen + sign * v)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise RuntimeError(f"accumulator {person_id}/{year}/{k} missing on reversal")
        return
    stmt = insert(Accumulator).values(
        [
            {"person_id": person_id, "year": year, "key": k, "amount_fen": sign * v}
            for k, v in sorted(deltas.items())
        ]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["person_id", "year", "key"],
        set_={"amount_fen": Accumulator.amount_fen + stmt.excluded.amount_fen},
    )
    await session.execute(stmt)


async def settlements_of_bill(
    session: AsyncSession, hospital_code: str, bill_no: str
) -> Sequence[tuple[Settlement, Reversal | None]]:
    """Every settlement of the bill, oldest first, each with its reversal if any."""
    rows = await session.execute(
        select(Settlement, Reversal)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(Settlement.hospital_code == hospital_code, Settlement.bill_no == bill_no)
        .order_by(Settlement.generation)
    )
    return [(s, r) for s, r in rows]


async def settlement_of_setl_id(
    session: AsyncSession, setl_id: str
) -> tuple[Settlement, Reversal | None] | None:
    """The settlement whose own ``setl_id`` or whose reversal record's ``setl_id`` this is (one
    sequence numbers both, migration 0011), with its reversal if any; ``None`` if neither."""
    rows = await session.execute(
        select(Settlement, Reversal)
        .outerjoin(Reversal, Reversal.settlement_id == Settlement.id)
        .where(or_(Settlement.setl_id == setl_id, Reversal.setl_id == setl_id))
    )
    found = rows.first()
    return None if found is None else (found[0], found[1])


# One statement, every table a settlement writes: the settlement row, its layers (unnest of
# column arrays), its lines (one JSON document, migration 0005), its audit entry (staged in
# audit_pending with app.audit.service.staged_params, chained into audit_log at COMMIT by
# migration 0006's trigger, like the entries app.audit.service.record queues), and the
# accumulator deltas added with INSERT … ON CONFLICT DO UPDATE. A unique violation on
# (hospital_code, bill_no, generation), the backstop, fails the whole statement.
_INSERT_SETTLEMENT = text(
    """
WITH s AS (
  INSERT INTO settlements (id, hospital_code, bill_no, generation, person_id, request_hash,
    policy_version, policy_hash, admission_date, discharge_date, accumulator_year, referral,
    in_county, hospital_level, hospital_county_code, person_county_code, categories,
    total_fen, hospital_borne_fen, full_self_pay_fen, over_limit_fen, pre_self_pay_fen,
    in_policy_fen, fund_paid_fen, self_pay_fen, in_policy_self_pay_fen,
    in_policy_self_pay_ratio_bp, accumulator_deltas, created_by_key_id, replaces_id,
    tilted_target_fen, mdtrt_id)
  VALUES (:id, :hospital_code, :bill_no, :generation, :person_id, :request_hash,
    :policy_version, :policy_hash, :admission_date, :discharge_date, :accumulator_year,
    :referral, :in_county, :hospital_level, :hospital_county_code, :person_county_code,
    CAST(:categories AS varchar[]), :total_fen, :hospital_borne_fen, :full_self_pay_fen,
    :over_limit_fen, :pre_self_pay_fen, :in_policy_fen, :fund_paid_fen, :self_pay_fen,
    :in_policy_self_pay_fen, :in_policy_self_pay_ratio_bp, CAST(:accumulator_deltas AS jsonb),
    :created_by_key_id, :replaces_id, :tilted_target_fen, :mdtrt_id)
  RETURNING id, settled_at, setl_id
), layers AS (
  INSERT INTO settlement_layers (settlement_id, position, layer, fund_code, fund_name, base_fen,
    paid_fen, left_fen, params, rule, reason)
  SELECT s.id, l.* FROM s, unnest(CAST(:l_position AS smallint[]),
    CAST(:l_layer AS varchar[]), CAST(:l_fund_code AS varchar[]),
    CAST(:l_fund_name AS varchar[]), CAST(:l_base_fen AS bigint[]),
    CAST(:l_paid_fen AS bigint[]), CAST(:l_left_fen AS bigint[]), CAST(:l_params AS jsonb[]),
    CAST(:l_rule AS text[]), CAST(:l_reason AS text[])) AS l
), items AS (
  INSERT INTO settlement_item_lists (settlement_id, items)
  SELECT s.id, CAST(:items AS jsonb) FROM s
), audited AS (
  INSERT INTO audit_pending (lock_key, entry, body)
  VALUES (:audit_lock_key, CAST(:audit_entry AS jsonb), :audit_body)
), accumulated AS (
  INSERT INTO accumulators AS a (person_id, year, key, amount_fen)
  SELECT :person_id, :accumulator_year, d.key, d.amount_fen
  FROM unnest(CAST(:d_key AS varchar[]), CAST(:d_amount_fen AS bigint[])) AS d(key, amount_fen)
  ON CONFLICT (person_id, year, key) DO UPDATE SET amount_fen = a.amount_fen + excluded.amount_fen
)
SELECT settled_at, setl_id FROM s
"""
)


def _items_json(lines: Sequence[BillLine], names: Mapping[int, str]) -> str:
    """The lines as ``settlement_item_lists.items``: one array per line in ``ITEM_COLUMNS``
    order. (pydantic-core's serializer: a quarter of ``json.dumps``'s time for a long bill.)"""
    return to_json(
        [
            [
                x.seq,
                x.code,
                names.get(x.seq, ""),
                x.unit_price_e6,
                x.quantity_e4,
                x.amount_fen,
                x.hospital_borne,
                x.grade,
                x.self_pay_ratio_bp,
                x.price_cap_e6,
            ]
            for x in lines
        ]
    ).decode()


async def insert_settlement(
    session: AsyncSession,
    settlement_id: uuid.UUID,
    values: dict[str, object],
    computed: Computed,
    accumulator_deltas: Mapping[str, int],
    lines: Sequence[BillLine],
    names: Mapping[int, str],
    audit: Mapping[str, object],
) -> tuple[dt.datetime, str]:
    """Store a new settlement with its layers and lines and add ``accumulator_deltas`` (the
    engine's, and the service's own) to the accumulators of ``values["person_id"]`` /
    ``values["accumulator_year"]`` (whose lock the caller holds),
    staging the audit entry ``audit`` (``app.audit.service.staged_params``). ``values`` names
    every column of ``settlements`` the engine's result does not give (``mdtrt_id``: None for a
    /v1 bill). Returns ``settled_at`` and the ``setl_id`` the database assigned (migration
    0011)."""
    t = computed.totals
    layers = computed.layers
    deltas = sorted(accumulator_deltas.items())
    params: dict[str, object] = {
        **values,
        **audit,
        "id": settlement_id,
        "policy_version": computed.policy_id,
        "policy_hash": computed.policy_hash,
        "total_fen": t.total_fen,
        "hospital_borne_fen": t.hospital_borne_fen,
        "full_self_pay_fen": t.full_self_pay_fen,
        "over_limit_fen": t.over_limit_fen,
        "pre_self_pay_fen": t.pre_self_pay_fen,
        "in_policy_fen": t.in_policy_fen,
        "fund_paid_fen": computed.fund_paid_fen,
        "self_pay_fen": computed.self_pay_fen,
        "in_policy_self_pay_fen": computed.in_policy_self_pay_fen,
        "in_policy_self_pay_ratio_bp": computed.in_policy_self_pay_ratio_bp,
        "tilted_target_fen": computed.tilted_target_fen,
        "accumulator_deltas": json.dumps(dict(deltas)),
        "l_position": list(range(len(layers))),
        "l_layer": [x.layer for x in layers],
        "l_fund_code": [x.fund_code for x in layers],
        "l_fund_name": [x.fund_name for x in layers],
        "l_base_fen": [x.base_fen for x in layers],
        "l_paid_fen": [x.paid_fen for x in layers],
        "l_left_fen": [x.left_fen for x in layers],
        "l_params": [json.dumps(dict(x.params)) for x in layers],
        "l_rule": [x.rule for x in layers],
        "l_reason": [x.reason for x in layers],
        "items": _items_json(lines, names),
        "d_key": [k for k, _ in deltas],
        "d_amount_fen": [v for _, v in deltas],
    }
    row = (await session.execute(_INSERT_SETTLEMENT, params)).one()
    settled_at: dt.datetime = row.settled_at
    setl_id: str = row.setl_id
    return settled_at, setl_id


async def insert_reversal(
    session: AsyncSession,
    settlement_id: uuid.UUID,
    reason: str | None,
    key_id: uuid.UUID | None,
    kind: str = "reversal",
) -> Reversal:
    """Store the reversal record of a settlement (``kind``: ``reversal`` or ``correction``,
    migration 0016). Returns it as stored, with what the database assigned (``reversed_at``,
    ``setl_id``: one ``INSERT … RETURNING``)."""
    row = await session.scalar(
        insert(Reversal)
        .values(
            id=uuid.uuid4(),
            settlement_id=settlement_id,
            reason=reason,
            created_by_key_id=key_id,
            reversed_at=func.now(),
            kind=kind,
        )
        .returning(Reversal)
    )
    if not isinstance(row, Reversal):  # INSERT … RETURNING returns the one row it inserted
        raise RuntimeError("reversal insert returned no row")
    return row


async def layers_of(session: AsyncSession, settlement_id: uuid.UUID) -> Sequence[SettlementLayer]:
    return (
        await session.scalars(
            select(SettlementLayer)
            .where(SettlementLayer.settlement_id == settlement_id)
            .order_by(SettlementLayer.position)
        )
    ).all()
