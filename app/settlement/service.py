"""Settlement use cases: preview, settle, reverse, read, look up. Never commits.

Functional core, imperative shell: this module gathers the inputs (hospital, person, categories,
catalogue, policy, accumulators), calls the pure engine, and stores what it returns. One
settlement passes through four files: ``endpoints.create`` (HTTP: authorize, call
:func:`settle_bill`; the request commits after it returns) → :func:`settle_bill` here (the
locks and reads, the checks, the engine call, the audit entry) → ``app.engine.settle`` (the
calculation: pure, no I/O) → ``repository`` (the two statements: :func:`repository.lock_and_read`,
:func:`repository.insert_settlement`). The response is built from what the engine returned
(``SettlementOut.from_engine``), or, for a replay, from the stored rows
(``SettlementOut.from_rows``).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_text  # what json.dumps uses for str

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record, staged_params
from app.auth.service import Caller
from app.bounds import BILL_MAX_FEN, PERSON_YEAR_MAX_FEN, PERSON_YEAR_TOTAL_KEY
from app.engine import (
    BillLine,
    Claim,
    InvariantViolation,
    Policy,
    expected_amount_fen,
    format_fen,
    settle,
)
from app.engine import Settlement as Computed
from app.errors import Conflict, NotFound, Unprocessable
from app.policy.store import PolicyStore
from app.registry.models import Person
from app.types import mask_id_number

from . import repository as repo
from .models import Reversal, Settlement
from .schemas import ReversalIn, SettlementIn, SettlementOut

__all__ = ["find_active", "get", "preview", "reverse", "settle_bill"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything the engine needs, resolved and validated."""

    hospital_level: str
    hospital_county_code: str
    person_id: int
    person_county_code: str
    claim: Claim
    policy: Policy
    year: int


def _unprocessable(code: str, detail: str, loc: list[str | int], msg: str) -> Unprocessable:
    return Unprocessable(detail, code=code, errors=[{"loc": loc, "msg": msg}])


def _check_body(body: SettlementIn) -> None:
    """What the body alone can be wrong about beyond its schema."""
    if body.discharge_date < body.admission_date:
        raise _unprocessable(
            "dates_out_of_order",
            "The discharge date is before the admission date.",
            ["body", "discharge_date"],
            "must not be before admission_date",
        )
    total = sum(item.amount for item in body.items)
    if total > BILL_MAX_FEN:
        raise _unprocessable(
            "amount_out_of_range",
            f"The bill's lines add up to {format_fen(total)}; a bill is at most "
            f"{format_fen(BILL_MAX_FEN)}.",
            ["body", "items"],
            f"lines total {format_fen(total)} > {format_fen(BILL_MAX_FEN)}",
        )
    mismatches = [
        {
            "loc": ["body", "items", i, "amount"],
            "msg": f"amount {format_fen(item.amount)} ≠ round(unit_price × quantity) = "
            f"{format_fen(expected_amount_fen(item.unit_price, item.quantity))}",
        }
        for i, item in enumerate(body.items)
        if item.amount != expected_amount_fen(item.unit_price, item.quantity)
    ]
    if mismatches:
        raise Unprocessable(
            f"{len(mismatches)} line(s) whose amount is not unit price × quantity.",
            code="amount_mismatch",
            errors=mismatches,
        )


def _deltas(computed: Computed, accumulators: dict[str, int], year: int) -> dict[str, int]:
    """What the settlement adds to the person-year's accumulators: the engine's deltas and the
    bill total (app.bounds.PERSON_YEAR_TOTAL_KEY), refused past the person-year bound."""
    total = computed.totals.total_fen
    year_total = accumulators.get(PERSON_YEAR_TOTAL_KEY, 0) + total
    if year_total > PERSON_YEAR_MAX_FEN:
        raise _unprocessable(
            "amount_out_of_range",
            f"With this bill the person's standing bills of {year} would add up to "
            f"{format_fen(year_total)}; a person-year is at most "
            f"{format_fen(PERSON_YEAR_MAX_FEN)}.",
            ["body", "patient", "id_number"],
            f"the person's {year} bills would total {format_fen(year_total)} > "
            f"{format_fen(PERSON_YEAR_MAX_FEN)}",
        )
    return {**computed.deltas, PERSON_YEAR_TOTAL_KEY: total} if total else dict(computed.deltas)


def _codes(body: SettlementIn) -> list[str]:
    return list({item.code for item in body.items})


async def _prepare(
    session: AsyncSession, body: SettlementIn, policies: PolicyStore, facts: repo.BillFacts
) -> Prepared:
    """Check the bill against the registries (in the order the error codes are documented) and
    resolve what the engine needs."""
    _check_body(body)
    if facts.hospital_level is None or facts.hospital_county_code is None:
        raise _unprocessable(
            "unknown_hospital",
            f"No hospital {body.hospital_code}.",
            ["body", "hospital_code"],
            "unknown hospital code",
        )
    if not facts.hospital_designated:
        raise _unprocessable(
            "hospital_not_designated",
            f"Hospital {body.hospital_code} is not designated (非定点).",
            ["body", "hospital_code"],
            "not a designated hospital",
        )
    if facts.person_id is None or facts.person_county_code is None:
        raise _unprocessable(
            "unknown_person",
            "No insured person with this ID number.",
            ["body", "patient", "id_number"],
            "not in the person registry",
        )
    year = body.discharge_date.year
    if not facts.enrolled:
        raise _unprocessable(
            "person_not_enrolled",
            f"The person is not enrolled for {year}.",
            ["body", "patient", "id_number"],
            f"not enrolled in resident medical insurance for {year}",
        )
    day = body.discharge_date
    catalog = facts.catalog
    unknown = [
        {
            "loc": ["body", "items", i, "code"],
            "msg": f"{item.code} is not in the catalogue on {day.isoformat()}",
        }
        for i, item in enumerate(body.items)
        if item.code not in catalog
    ]
    if unknown:
        listed = sorted({item.code for item in body.items if item.code not in catalog})
        raise Unprocessable(
            f"Unknown catalogue codes: {', '.join(listed)}.",
            code="unknown_catalog_code",
            errors=unknown,
        )
    region = facts.hospital_county_code[:4] + "00"
    policy = await policies.in_force(session, region, day)
    if policy is None:
        raise _unprocessable(
            "no_policy_in_force",
            f"No policy for region {region} is in force on {day}.",
            ["body", "discharge_date"],
            "no policy version in force on this date",
        )
    lines = []
    for item in body.items:
        grade, self_pay_ratio_bp, price_cap_e4 = catalog[item.code]
        lines.append(
            BillLine(
                seq=item.seq,
                code=item.code,
                unit_price_e4=item.unit_price,
                quantity_e3=item.quantity,
                amount_fen=item.amount,
                hospital_borne=item.hospital_borne,
                grade=grade,
                self_pay_ratio_bp=self_pay_ratio_bp,
                price_cap_e4=price_cap_e4,
            )
        )
    claim = Claim(
        lines=lines,
        level=facts.hospital_level,
        in_county=facts.hospital_county_code == facts.person_county_code,
        referral=body.referral,
        categories=facts.categories,
    )
    return Prepared(
        facts.hospital_level,
        facts.hospital_county_code,
        facts.person_id,
        facts.person_county_code,
        claim,
        policy,
        year,
    )


def _request_hash(body: SettlementIn) -> str:
    """SHA-256 of the body's canonical JSON: what a replay is recognised by, stored with every
    settlement, so it must never change for the same body."""
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def canonical_json(body: SettlementIn) -> str:
    """``json.dumps(body.model_dump(mode="json", exclude={"replaces"}), sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)``, written out for the body's fixed shape: the same
    text, several times faster for a long bill (tests/test_request_hash.py holds it to the
    reference). ``replaces`` is an instruction, not the bill's content: it is left out, so a
    replay is recognised with or without it and bodies from before it existed hash as they did."""
    text = _json_text
    patient = body.patient
    name = "null" if patient.name is None else text(patient.name)
    items = ",".join(
        [
            f'{{"amount":{i.amount},"code":{text(i.code)},'
            f'"hospital_borne":{"true" if i.hospital_borne else "false"},"name":{text(i.name)},'
            f'"quantity":{i.quantity},"seq":{i.seq},"unit_price":{i.unit_price}}}'
            for i in body.items
        ]
    )
    return (
        f'{{"admission_date":"{body.admission_date.isoformat()}","bill_no":{text(body.bill_no)},'
        f'"discharge_date":"{body.discharge_date.isoformat()}",'
        f'"hospital_code":{text(body.hospital_code)},"items":[{items}],'
        f'"patient":{{"id_number":{text(patient.id_number)},"name":{name}}},'
        f'"referral":{"true" if body.referral else "false"}}}'
    )


def _compute(prepared: Prepared, accumulators: Mapping[str, int], id_number: str) -> Computed:
    """The engine on the prepared claim. An invariant it finds broken is a bug: the exception
    carries what the error handler logs to reproduce it (``InvariantViolation.context``)."""
    try:
        return settle(prepared.claim, prepared.policy, accumulators)
    except InvariantViolation as exc:
        claim = prepared.claim
        exc.context = {
            "policy": prepared.policy.id,
            "person": mask_id_number(id_number),
            "lines": len(claim.lines),
            "level": claim.level,
            "in_county": claim.in_county,
            "referral": claim.referral,
            "categories": sorted(claim.categories),
            "accumulators": dict(sorted(accumulators.items())),
        }
        raise


async def preview(
    session: AsyncSession, policies: PolicyStore, body: SettlementIn
) -> SettlementOut:
    """预结算: what :func:`settle_bill` would compute now; stores nothing."""
    facts = await repo.read_facts(
        session, body.hospital_code, body.patient.id_number, body.discharge_date, _codes(body)
    )
    prepared = await _prepare(session, body, policies, facts)
    accumulators = await repo.read_accumulators(session, prepared.person_id, prepared.year)
    computed = _compute(prepared, accumulators, body.patient.id_number)
    _deltas(computed, accumulators, prepared.year)  # the person-year bound, as settling would
    return SettlementOut.from_engine(
        body, prepared.claim, computed, accumulator_year=prepared.year, status="preview"
    )


async def settle_bill(
    session: AsyncSession, policies: PolicyStore, caller: Caller, body: SettlementIn
) -> tuple[SettlementOut, bool]:
    """结算. Returns the settlement and whether it was created (False: a replay of the same body).

    The bill lock makes the replay check and the insert one step; the person-year lock makes
    reading and updating the annual accumulators one step. The unique ``(hospital_code, bill_no,
    generation)`` is the backstop should both locks ever be bypassed.
    """
    request_hash = _request_hash(body)
    # The bill lock, the registries, the person-year lock, then the bill's history and the
    # person-year's accumulators as every earlier holder of either lock committed them.
    facts, state = await repo.lock_and_read(
        session,
        body.hospital_code,
        body.bill_no,
        body.patient.id_number,
        body.discharge_date,
        _codes(body),
    )
    year = body.discharge_date.year
    if state.active_id is not None:
        if state.active_request_hash != request_hash:
            raise Conflict(
                f"Bill {body.bill_no} is already settled as {state.active_id} with different "
                "content; reverse that settlement first to settle a changed bill.",
                code="bill_conflict",
                errors=[
                    {
                        "loc": ["body", "bill_no"],
                        "msg": f"active settlement {state.active_id} has other content",
                    }
                ],
            )
        row = await session.get(Settlement, state.active_id)
        if row is None:  # held by the bill lock: cannot vanish
            raise RuntimeError(f"settlement {state.active_id} vanished")
        return await _read(session, row, None), False
    _check_replaces(body, state.last_id)
    prepared = await _prepare(session, body, policies, facts)
    person_id = prepared.person_id
    computed = _compute(prepared, state.accumulators, body.patient.id_number)
    deltas = _deltas(computed, state.accumulators, year)
    settlement_id = uuid.uuid4()
    audit = staged_params(
        caller,
        "settlement.create",
        "settlement",
        str(settlement_id),
        {
            "hospital_code": body.hospital_code,
            "bill_no": body.bill_no,
            "policy_version": computed.policy_id,
            "total_fen": computed.totals.total_fen,
            "fund_paid_fen": computed.fund_paid_fen,
            "self_pay_fen": computed.self_pay_fen,
            "paid_fen_by_fund": {line.fund_code: line.paid_fen for line in computed.layers},
            "replaces": None if body.replaces is None else str(body.replaces),
        },
    )
    settled_at = await repo.insert_settlement(
        session,
        settlement_id,
        {
            "hospital_code": body.hospital_code,
            "bill_no": body.bill_no,
            "generation": state.generations,
            "person_id": person_id,
            "request_hash": request_hash,
            "admission_date": body.admission_date,
            "discharge_date": body.discharge_date,
            "accumulator_year": year,
            "referral": body.referral,
            "in_county": prepared.claim.in_county,
            "hospital_level": prepared.hospital_level,
            "hospital_county_code": prepared.hospital_county_code,
            "person_county_code": prepared.person_county_code,
            "categories": sorted(prepared.claim.categories),
            "created_by_key_id": caller.key_id,
            "replaces_id": body.replaces,
        },
        computed,
        deltas,
        prepared.claim.lines,
        {item.seq: item.name for item in body.items},
        audit,  # staged in the same statement; chained at COMMIT
    )
    logger.info(
        "settled %s: hospital %s bill %s person %s fund_paid %s self_pay %s",
        settlement_id,
        body.hospital_code,
        body.bill_no,
        mask_id_number(body.patient.id_number),
        format_fen(computed.fund_paid_fen),
        format_fen(computed.self_pay_fen),
    )
    out = SettlementOut.from_engine(
        body,
        prepared.claim,
        computed,
        accumulator_year=year,
        status="settled",
        settlement_id=settlement_id,
        settled_at=settled_at,
    )
    return out, True


def _check_replaces(body: SettlementIn, last_id: uuid.UUID | None) -> None:
    """A bill with no active settlement: settle it only if ``replaces`` names what it must.

    ``last_id`` is the bill's latest settlement (all of them are reversed here), or ``None`` for
    a bill never settled. After a reversal, settling again must be asked for by naming the
    reversed settlement, so that a late retry of the old body never settles the bill twice."""
    if last_id is not None and body.replaces is None:
        raise Conflict(
            f"Bill {body.bill_no} was settled as {last_id} and that settlement was reversed. "
            f'To settle the bill again, send it with "replaces": "{last_id}".',
            code="bill_reversed",
            errors=[
                {
                    "loc": ["body", "replaces"],
                    "msg": f"the bill's settlement {last_id} is reversed; name it to settle again",
                }
            ],
        )
    if body.replaces is not None and body.replaces != last_id:
        msg = (
            "the bill has no settlement to replace"
            if last_id is None
            else f"the bill's latest reversed settlement is {last_id}"
        )
        raise Conflict(
            f"replaces {body.replaces} is not the latest reversed settlement of bill "
            f"{body.bill_no}: {msg}.",
            code="replaces_mismatch",
            errors=[{"loc": ["body", "replaces"], "msg": msg}],
        )


async def _load(session: AsyncSession, caller: Caller, settlement_id: uuid.UUID) -> Settlement:
    row = await session.get(Settlement, settlement_id)
    # Another hospital's settlement is reported as absent: its existence is none of the caller's
    # business.
    if row is None or (caller.role == "hospital" and row.hospital_code != caller.hospital_code):
        raise NotFound(f"No settlement {settlement_id}.", code="settlement_not_found")
    return row


async def _read(session: AsyncSession, row: Settlement, reversal: Reversal | None) -> SettlementOut:
    if reversal is None:
        reversal = await session.scalar(select(Reversal).where(Reversal.settlement_id == row.id))
    id_number = await session.scalar(select(Person.id_number).where(Person.id == row.person_id))
    layers = await repo.layers_of(session, row.id)
    return SettlementOut.from_rows(row, layers, reversal, id_number or "")


async def get(session: AsyncSession, caller: Caller, settlement_id: uuid.UUID) -> SettlementOut:
    return await _read(session, await _load(session, caller, settlement_id), None)


async def find_active(
    session: AsyncSession, caller: Caller, hospital_code: str, bill_no: str
) -> SettlementOut:
    history = await repo.settlements_of_bill(session, hospital_code, bill_no)
    for row, reversal in history:
        if reversal is None:
            return await _read(session, row, None)
    raise NotFound(
        f"No active settlement for bill {bill_no} at {hospital_code}.", code="settlement_not_found"
    )


async def reverse(
    session: AsyncSession, caller: Caller, settlement_id: uuid.UUID, body: ReversalIn
) -> tuple[SettlementOut, bool]:
    """撤销: idempotent; subtracts exactly the deltas the settlement added. Returns the reversed
    settlement and whether this call reversed it (False: it was already reversed)."""
    row = await _load(session, caller, settlement_id)
    await repo.lock_bill(session, row.hospital_code, row.bill_no)
    reversal = await session.scalar(select(Reversal).where(Reversal.settlement_id == row.id))
    created = reversal is None
    if reversal is None:
        await repo.lock_person_year(session, row.person_id, row.accumulator_year)
        reversal = await repo.insert_reversal(session, row.id, body.reason, caller.key_id)
        await repo.add_to_accumulators(
            session, row.person_id, row.accumulator_year, row.accumulator_deltas, -1
        )
        logger.info("reversed %s: hospital %s bill %s", row.id, row.hospital_code, row.bill_no)
        record(
            session,
            caller,
            "settlement.reverse",
            "settlement",
            str(row.id),
            {
                "hospital_code": row.hospital_code,
                "bill_no": row.bill_no,
                "reversal_id": str(reversal.id),
                "reason": body.reason,
                "fund_paid_fen": row.fund_paid_fen,
            },
        )
    return await _read(session, row, reversal), created
