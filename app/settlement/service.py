"""Settlement use cases: preview, settle, reverse, read, look up. Never commits.

Functional core, imperative shell: this module gathers the inputs (hospital, person, categories,
catalogue, policy, accumulators), calls the pure engine, and stores what it returns. One
settlement passes through four files: ``endpoints.create`` (HTTP: authorize, call
:func:`settle_bill`; the request commits after it returns) → :func:`settle_bill` here, which
makes the body a :class:`BillSpec` for :func:`settle_spec` (the locks and reads, the checks, the
engine call, the audit entry; the national interface calls it with a visit's lines) →
``app.engine.settle`` (the calculation: pure, no I/O) → ``repository`` (the two statements:
:func:`repository.lock_and_read`, :func:`repository.insert_settlement`). The response is built
from what the engine returned (``SettlementOut.from_engine``), or, for a replay, from the stored
rows (``SettlementOut.from_rows``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_text  # what json.dumps uses for str

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record, staged_params
from app.auth.service import Caller
from app.bounds import (
    BILL_MAX_FEN,
    LINE_MAX_FEN,
    PERSON_YEAR_MAX_FEN,
    PERSON_YEAR_TOTAL_KEY,
    QUANTITY_MAX_E4,
    UNIT_PRICE_MAX_E6,
)
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
from .schemas import MAX_ITEMS, ReversalIn, SettlementIn, SettlementOut

__all__ = [
    "BillSpec",
    "LineSpec",
    "find_active",
    "find_by_setl_id",
    "get",
    "preview",
    "preview_spec",
    "reinstate",
    "reverse",
    "settle_bill",
    "settle_spec",
    "spec_of",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One bill line as the settle core takes it, at the engine's precision: unit price in 1e-6
    yuan, quantity in 1e-4 units, amount in fen (``/v1``'s values ×100 and ×10, the national
    interface's ``pric`` and ``cnt`` as sent)."""

    seq: int
    code: str
    name: str
    unit_price_e6: int
    quantity_e4: int
    amount_fen: int
    hospital_borne: bool


@dataclass(frozen=True, slots=True)
class BillSpec:
    """A bill to preview or settle, from any front: ``/v1`` (:func:`spec_of` a ``SettlementIn``)
    or the national interface (a visit's netted fee lines, ``bill_no = mdtrt_id``).

    ``request_hash`` is what a replay is recognised by (stored with the settlement; unused by a
    preview); ``replaces`` the reversed settlement to settle again; ``mdtrt_id`` the visit,
    stored in ``settlements.mdtrt_id`` (None for /v1).

    Errors name the bill's parts by ``/v1``'s ``loc``, whichever front sent it, for the caller
    to rename: ``["body", "hospital_code"]``, ``["body", "bill_no"]``, ``["body", "replaces"]``,
    ``["body", "patient", "id_number"]``, ``["body", "discharge_date"]``, ``["body", "items"]``
    (the lines as a whole) and ``["body", "items", i, field]`` with ``i`` the index in
    ``lines`` and ``field`` one of ``seq``, ``code``, ``name``, ``unit_price``, ``quantity``,
    ``amount``."""

    hospital_code: str
    bill_no: str
    id_number: str
    patient_name: str | None
    admission_date: dt.date
    discharge_date: dt.date
    referral: bool
    lines: Sequence[LineSpec]
    request_hash: str
    replaces: uuid.UUID | None
    mdtrt_id: str | None


def spec_of(body: SettlementIn, request_hash: str) -> BillSpec:
    """A ``/v1`` body as the settle core takes it: its prices (1e-4 yuan) ×100 and quantities
    (1e-3 units) ×10, exactly."""
    return BillSpec(
        hospital_code=body.hospital_code,
        bill_no=body.bill_no,
        id_number=body.patient.id_number,
        patient_name=body.patient.name,
        admission_date=body.admission_date,
        discharge_date=body.discharge_date,
        referral=body.referral,
        lines=[
            LineSpec(
                seq=i.seq,
                code=i.code,
                name=i.name,
                unit_price_e6=i.unit_price * 100,
                quantity_e4=i.quantity * 10,
                amount_fen=i.amount,
                hospital_borne=i.hospital_borne,
            )
            for i in body.items
        ],
        request_hash=request_hash,
        replaces=body.replaces,
        mdtrt_id=None,
    )


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


def _unprocessable(
    code: str,
    detail: str,
    loc: list[str | int],
    msg: str,
    *,
    msg_key: str,
    msg_params: dict[str, object] | None = None,
    **params: object,
) -> Unprocessable:
    """``msg_key`` and ``msg_params``: the item's Chinese (app.i18n.catalog.ITEMS)."""
    item = {"loc": loc, "msg": msg, "key": msg_key, "params": msg_params or {}}
    return Unprocessable(detail, code=code, errors=[item], params=params)


_SEQ_MAX = 10**6  # ItemIn.seq's bound
_CODE_MAX = 64  # catalog_items.code
_NAME_MAX = 200  # ItemIn.name, the stored line's name


def _check_lines(lines: Sequence[LineSpec]) -> None:
    """What ``SettlementIn``'s schema checks of the lines, for a spec no schema parsed (the
    national interface's): 1 to ``MAX_ITEMS`` lines, unique ``seq``, names and codes that fit,
    no negative number, a positive quantity (``validation_error``); the bounds of app/bounds.py
    at the engine's precision (``amount_out_of_range``). A ``/v1`` body passed them all."""
    invalid: list[dict[str, object]] = []
    out_of_range: list[dict[str, object]] = []
    if not 1 <= len(lines) <= MAX_ITEMS:
        invalid.append(
            {
                "loc": ["body", "items"],
                "msg": f"1 to {MAX_ITEMS} lines",
                "key": "lines_count",
                "params": {"most": MAX_ITEMS},
            }
        )
    first: dict[int, int] = {}
    for i, line in enumerate(lines):
        where: list[str | int] = ["body", "items", i]
        if not 1 <= line.seq <= _SEQ_MAX:
            invalid.append(
                {
                    "loc": [*where, "seq"],
                    "msg": f"seq must be 1 to {_SEQ_MAX}",
                    "key": "seq_range",
                    "params": {"most": _SEQ_MAX},
                }
            )
        elif line.seq in first:
            invalid.append(
                {
                    "loc": [*where, "seq"],
                    "msg": f"item seq {line.seq} appears twice (items {first[line.seq]} and {i})",
                    "key": "seq_twice",
                    "params": {"seq": line.seq, "first": first[line.seq], "second": i},
                }
            )
        first.setdefault(line.seq, i)
        if not 1 <= len(line.code) <= _CODE_MAX:
            invalid.append(
                {
                    "loc": [*where, "code"],
                    "msg": f"1 to {_CODE_MAX} characters",
                    "key": "code_length",
                    "params": {"most": _CODE_MAX},
                }
            )
        if len(line.name) > _NAME_MAX:
            invalid.append(
                {
                    "loc": [*where, "name"],
                    "msg": f"at most {_NAME_MAX} characters",
                    "key": "name_length",
                    "params": {"most": _NAME_MAX},
                }
            )
        for field, value, least, most, shown in (
            ("unit_price", line.unit_price_e6, 0, UNIT_PRICE_MAX_E6, "9999999.999999"),
            ("quantity", line.quantity_e4, 1, QUANTITY_MAX_E4, "9999999.9999"),
            ("amount", line.amount_fen, 0, LINE_MAX_FEN, format_fen(LINE_MAX_FEN)),
        ):
            if value < least:
                msg = f"{field} must be {'positive' if least else 'non-negative'}"
                invalid.append(
                    {
                        "loc": [*where, field],
                        "msg": msg,
                        "key": "line_positive" if least else "line_non_negative",
                        "params": {"what": field.replace("_", " ")},
                    }
                )
            elif value > most:
                out_of_range.append(
                    {
                        "loc": [*where, field],
                        "msg": f"at most {shown}",
                        "key": "at_most",
                        "params": {"maximum": shown},
                    }
                )
    if invalid:
        raise Unprocessable(
            f"{len(invalid)} problem(s) with the bill's lines.",
            code="validation_error",
            errors=invalid,
        )
    if out_of_range:
        raise Unprocessable(
            f"{len(out_of_range)} line value(s) out of range.",
            code="amount_out_of_range",
            errors=out_of_range,
        )


def _check_body(spec: BillSpec) -> None:
    """What the bill alone can be wrong about (for ``/v1``: beyond its schema)."""
    _check_lines(spec.lines)
    if spec.discharge_date < spec.admission_date:
        raise _unprocessable(
            "dates_out_of_order",
            "The discharge date is before the admission date.",
            ["body", "discharge_date"],
            "must not be before admission_date",
            msg_key="not_before_admission",
        )
    total = sum(line.amount_fen for line in spec.lines)
    if total > BILL_MAX_FEN:
        raise _unprocessable(
            "amount_out_of_range",
            f"The bill's lines add up to {format_fen(total)}; a bill is at most "
            f"{format_fen(BILL_MAX_FEN)}.",
            ["body", "items"],
            f"lines total {format_fen(total)} > {format_fen(BILL_MAX_FEN)}",
            msg_key="lines_total_over",
            msg_params={"total": format_fen(total), "maximum": format_fen(BILL_MAX_FEN)},
        )
    if spec.mdtrt_id is not None:
        # A visit's netted line: each uploaded line was round(pric × cnt) when 2301 took it,
        # but an original less a partial refund keeps both roundings and may differ from
        # round(pric × what is left) by a fen (docs/nhsa-visits.md); its amount is what the
        # HIS was told and what medfee_sumamt adds up, and the engine settles amounts.
        return
    mismatches = [
        {
            "loc": ["body", "items", i, "amount"],
            "msg": f"amount {format_fen(line.amount_fen)} ≠ round(unit_price × quantity) = "
            f"{format_fen(expected)}",
            "key": "amount_not_price_times_quantity",
            "params": {"amount": format_fen(line.amount_fen), "expected": format_fen(expected)},
        }
        for i, line in enumerate(spec.lines)
        if line.amount_fen
        != (expected := expected_amount_fen(line.unit_price_e6, line.quantity_e4))
    ]
    if mismatches:
        raise Unprocessable(
            f"{len(mismatches)} line(s) whose amount is not unit price × quantity.",
            code="amount_mismatch",
            errors=mismatches,
        )


def _audited_rows(computed: Computed, deltas: dict[str, int]) -> dict[str, object]:
    """The stored money of a settlement, in its audit entry: its amounts, its accumulator deltas
    and each layer line ``[layer, fund_code, base_fen, paid_fen, left_fen]`` in position order,
    so that ``onestop audit verify`` (app.audit.crosscheck) finds any later edit of the rows."""
    t = computed.totals
    return {
        "amounts": {
            "hospital_borne_fen": t.hospital_borne_fen,
            "full_self_pay_fen": t.full_self_pay_fen,
            "over_limit_fen": t.over_limit_fen,
            "pre_self_pay_fen": t.pre_self_pay_fen,
            "in_policy_fen": t.in_policy_fen,
            "in_policy_self_pay_fen": computed.in_policy_self_pay_fen,
        },
        "accumulator_deltas": dict(sorted(deltas.items())),
        "layers": [
            [x.layer, x.fund_code, x.base_fen, x.paid_fen, x.left_fen] for x in computed.layers
        ],
    }


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
            msg_key="person_year_total_over",
            msg_params={
                "year": year,
                "total": format_fen(year_total),
                "maximum": format_fen(PERSON_YEAR_MAX_FEN),
            },
        )
    return {**computed.deltas, PERSON_YEAR_TOTAL_KEY: total} if total else dict(computed.deltas)


def _codes(spec: BillSpec) -> list[str]:
    return list({line.code for line in spec.lines})


async def _prepare(
    session: AsyncSession, spec: BillSpec, policies: PolicyStore, facts: repo.BillFacts
) -> Prepared:
    """Check the bill against the registries (in the order the error codes are documented) and
    resolve what the engine needs."""
    _check_body(spec)
    if facts.hospital_level is None or facts.hospital_county_code is None:
        raise _unprocessable(
            "unknown_hospital",
            f"No hospital {spec.hospital_code}.",
            ["body", "hospital_code"],
            "unknown hospital code",
            msg_key="unknown_hospital_code",
            hospital_code=spec.hospital_code,
        )
    if not facts.hospital_designated:
        raise _unprocessable(
            "hospital_not_designated",
            f"Hospital {spec.hospital_code} is not designated (非定点).",
            ["body", "hospital_code"],
            "not a designated hospital",
            msg_key="not_designated",
            hospital_code=spec.hospital_code,
        )
    if facts.person_id is None or facts.person_county_code is None:
        raise _unprocessable(
            "unknown_person",
            "No insured person with this ID number.",
            ["body", "patient", "id_number"],
            "not in the person registry",
            msg_key="not_in_person_registry",
        )
    year = spec.discharge_date.year
    if not facts.enrolled:
        raise _unprocessable(
            "person_not_enrolled",
            f"The person is not enrolled for {year}.",
            ["body", "patient", "id_number"],
            f"not enrolled in resident medical insurance for {year}",
            msg_key="not_enrolled_in",
            msg_params={"year": year},
            year=year,
        )
    day = spec.discharge_date
    catalog = facts.catalog
    unknown = [
        {
            "loc": ["body", "items", i, "code"],
            "msg": f"{line.code} is not in the catalogue on {day.isoformat()}",
            "key": "code_not_in_catalogue",
            "params": {"code": line.code, "day": day.isoformat()},
        }
        for i, line in enumerate(spec.lines)
        if line.code not in catalog
    ]
    if unknown:
        listed = sorted({line.code for line in spec.lines if line.code not in catalog})
        raise Unprocessable(
            f"Unknown catalogue codes: {', '.join(listed)}.",
            code="unknown_catalog_code",
            errors=unknown,
            params={"codes": ", ".join(listed)},
        )
    region = facts.hospital_county_code[:4] + "00"
    policy = await policies.in_force(session, region, day)
    if policy is None:
        raise _unprocessable(
            "no_policy_in_force",
            f"No policy for region {region} is in force on {day}.",
            ["body", "discharge_date"],
            "no policy version in force on this date",
            msg_key="no_policy_on_day",
            region=region,
            day=day.isoformat(),
        )
    lines = []
    for line in spec.lines:
        grade, self_pay_ratio_bp, price_cap_e4 = catalog[line.code]
        lines.append(
            BillLine(
                seq=line.seq,
                code=line.code,
                unit_price_e6=line.unit_price_e6,
                quantity_e4=line.quantity_e4,
                amount_fen=line.amount_fen,
                hospital_borne=line.hospital_borne,
                grade=grade,
                self_pay_ratio_bp=self_pay_ratio_bp,
                # the catalogue's cap is in 1e-4 yuan, the engine's in 1e-6
                price_cap_e6=None if price_cap_e4 is None else price_cap_e4 * 100,
            )
        )
    claim = Claim(
        lines=lines,
        level=facts.hospital_level,
        in_county=facts.hospital_county_code == facts.person_county_code,
        referral=spec.referral,
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
    """预结算 of a ``/v1`` body: :func:`preview_spec`."""
    return await preview_spec(session, policies, spec_of(body, ""))


async def preview_spec(
    session: AsyncSession, policies: PolicyStore, spec: BillSpec
) -> SettlementOut:
    """预结算: what :func:`settle_spec` would compute now; stores nothing (``request_hash`` and
    ``replaces`` are not looked at)."""
    facts = await repo.read_facts(
        session, spec.hospital_code, spec.id_number, spec.discharge_date, _codes(spec)
    )
    prepared = await _prepare(session, spec, policies, facts)
    accumulators = await repo.read_accumulators(session, prepared.person_id, prepared.year)
    computed = _compute(prepared, accumulators, spec.id_number)
    _deltas(computed, accumulators, prepared.year)  # the person-year bound, as settling would
    return SettlementOut.from_engine(
        spec, prepared.claim, computed, accumulator_year=prepared.year, status="preview"
    )


async def settle_bill(
    session: AsyncSession, policies: PolicyStore, caller: Caller, body: SettlementIn
) -> tuple[SettlementOut, bool]:
    """结算 of a ``/v1`` body (:func:`settle_spec`), recognised on replay by the hash of its
    canonical JSON."""
    return await settle_spec(session, policies, caller, spec_of(body, _request_hash(body)))


async def settle_spec(
    session: AsyncSession, policies: PolicyStore, caller: Caller, spec: BillSpec
) -> tuple[SettlementOut, bool]:
    """结算. Returns the settlement and whether it was created (False: a replay, the bill's
    active settlement has ``spec.request_hash``).

    The bill lock makes the replay check and the insert one step; the person-year lock makes
    reading and updating the annual accumulators one step. The unique ``(hospital_code, bill_no,
    generation)`` is the backstop should both locks ever be bypassed.
    """
    request_hash = spec.request_hash
    # The bill lock, the registries, the person-year lock, then the bill's history and the
    # person-year's accumulators as every earlier holder of either lock committed them.
    facts, state = await repo.lock_and_read(
        session,
        spec.hospital_code,
        spec.bill_no,
        spec.id_number,
        spec.discharge_date,
        _codes(spec),
    )
    year = spec.discharge_date.year
    if state.active_id is not None:
        if state.active_request_hash != request_hash:
            raise Conflict(
                f"Bill {spec.bill_no} is already settled as {state.active_id} with different "
                "content; reverse that settlement first to settle a changed bill.",
                code="bill_conflict",
                params={"bill_no": spec.bill_no, "settlement_id": str(state.active_id)},
                errors=[
                    {
                        "loc": ["body", "bill_no"],
                        "msg": f"active settlement {state.active_id} has other content",
                        "key": "active_other_content",
                        "params": {"settlement_id": str(state.active_id)},
                    }
                ],
            )
        row = await session.get(Settlement, state.active_id)
        if row is None:  # held by the bill lock: cannot vanish
            raise RuntimeError(f"settlement {state.active_id} vanished")
        return await _read(session, row, None), False
    _check_replaces(spec, state.last_id)
    prepared = await _prepare(session, spec, policies, facts)
    person_id = prepared.person_id
    computed = _compute(prepared, state.accumulators, spec.id_number)
    deltas = _deltas(computed, state.accumulators, year)
    settlement_id = uuid.uuid4()
    audited: dict[str, object] = {
        "hospital_code": spec.hospital_code,
        "bill_no": spec.bill_no,
        "policy_version": computed.policy_id,
        "total_fen": computed.totals.total_fen,
        "fund_paid_fen": computed.fund_paid_fen,
        "self_pay_fen": computed.self_pay_fen,
        "paid_fen_by_fund": {line.fund_code: line.paid_fen for line in computed.layers},
        "replaces": None if spec.replaces is None else str(spec.replaces),
    }
    if spec.mdtrt_id is not None:  # /v1's entries stay as they were
        audited["mdtrt_id"] = spec.mdtrt_id
    # What `onestop audit verify` cross-checks the stored rows against (migration 0022).
    audited.update(_audited_rows(computed, deltas))
    audit = staged_params(caller, "settlement.create", "settlement", str(settlement_id), audited)
    settled_at, setl_id = await repo.insert_settlement(
        session,
        settlement_id,
        {
            "hospital_code": spec.hospital_code,
            "bill_no": spec.bill_no,
            "generation": state.generations,
            "person_id": person_id,
            "request_hash": request_hash,
            "admission_date": spec.admission_date,
            "discharge_date": spec.discharge_date,
            "accumulator_year": year,
            "referral": spec.referral,
            "in_county": prepared.claim.in_county,
            "hospital_level": prepared.hospital_level,
            "hospital_county_code": prepared.hospital_county_code,
            "person_county_code": prepared.person_county_code,
            "categories": sorted(prepared.claim.categories),
            "created_by_key_id": caller.key_id,
            "replaces_id": spec.replaces,
            "mdtrt_id": spec.mdtrt_id,
        },
        computed,
        deltas,
        prepared.claim.lines,
        {line.seq: line.name for line in spec.lines},
        audit,  # staged in the same statement; chained at COMMIT
    )
    logger.info(
        "settled %s: hospital %s bill %s person %s fund_paid %s self_pay %s",
        settlement_id,
        spec.hospital_code,
        spec.bill_no,
        mask_id_number(spec.id_number),
        format_fen(computed.fund_paid_fen),
        format_fen(computed.self_pay_fen),
    )
    out = SettlementOut.from_engine(
        spec,
        prepared.claim,
        computed,
        accumulator_year=year,
        status="settled",
        settlement_id=settlement_id,
        settled_at=settled_at,
        setl_id=setl_id,
    )
    return out, True


def _check_replaces(spec: BillSpec, last_id: uuid.UUID | None) -> None:
    """A bill with no active settlement: settle it only if ``replaces`` names what it must.

    ``last_id`` is the bill's latest settlement (all of them are reversed here), or ``None`` for
    a bill never settled. After a reversal, settling again must be asked for by naming the
    reversed settlement, so that a late retry of the old body never settles the bill twice."""
    if last_id is not None and spec.replaces is None:
        raise Conflict(
            f"Bill {spec.bill_no} was settled as {last_id} and that settlement was reversed. "
            f'To settle the bill again, send it with "replaces": "{last_id}".',
            code="bill_reversed",
            params={"bill_no": spec.bill_no, "settlement_id": str(last_id)},
            errors=[
                {
                    "loc": ["body", "replaces"],
                    "msg": f"the bill's settlement {last_id} is reversed; name it to settle again",
                    "key": "reversed_name_it",
                    "params": {"settlement_id": str(last_id)},
                }
            ],
        )
    if spec.replaces is not None and spec.replaces != last_id:
        msg = (
            "the bill has no settlement to replace"
            if last_id is None
            else f"the bill's latest reversed settlement is {last_id}"
        )
        raise Conflict(
            f"replaces {spec.replaces} is not the latest reversed settlement of bill "
            f"{spec.bill_no}: {msg}.",
            code="replaces_mismatch",
            params={"replaces": str(spec.replaces), "bill_no": spec.bill_no},
            errors=[
                {
                    "loc": ["body", "replaces"],
                    "msg": msg,
                    "key": "nothing_to_replace" if last_id is None else "latest_reversed_is",
                    "params": {"settlement_id": str(last_id)},
                }
            ],
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


async def find_by_setl_id(
    session: AsyncSession, caller: Caller, setl_id: str
) -> tuple[SettlementOut, bool]:
    """The settlement a ``setl_id`` names, its own or its reversal record's (one sequence numbers
    both, migration 0011), and whether it is the reversal's. Another hospital's is absent, as in
    :func:`get`."""
    found = await repo.settlement_of_setl_id(session, setl_id)
    if found is None or (
        caller.role == "hospital" and found[0].hospital_code != caller.hospital_code
    ):
        raise NotFound(f"No settlement {setl_id}.", code="settlement_not_found")
    row, reversal = found
    is_reversal = reversal is not None and reversal.setl_id == setl_id
    return await _read(session, row, reversal), is_reversal


async def reverse(
    session: AsyncSession,
    caller: Caller,
    settlement_id: uuid.UUID,
    body: ReversalIn,
    *,
    kind: str = "reversal",
) -> tuple[SettlementOut, bool]:
    """撤销: idempotent; subtracts exactly the deltas the settlement added. Returns the reversed
    settlement and whether this call reversed it (False: it was already reversed). ``kind``
    ``correction``: the national interface's 冲正 of the 2304 that made the settlement
    (migration 0016)."""
    row = await _load(session, caller, settlement_id)
    await repo.lock_bill(session, row.hospital_code, row.bill_no)
    reversal = await session.scalar(select(Reversal).where(Reversal.settlement_id == row.id))
    created = reversal is None
    if reversal is None:
        await repo.lock_person_year(session, row.person_id, row.accumulator_year)
        reversal = await repo.insert_reversal(session, row.id, body.reason, caller.key_id, kind)
        await repo.add_to_accumulators(
            session, row.person_id, row.accumulator_year, row.accumulator_deltas, -1
        )
        logger.info("reversed %s: hospital %s bill %s", row.id, row.hospital_code, row.bill_no)
        details: dict[str, object] = {
            "hospital_code": row.hospital_code,
            "bill_no": row.bill_no,
            "reversal_id": str(reversal.id),
            "reason": body.reason,
            "fund_paid_fen": row.fund_paid_fen,
        }
        if kind != "reversal":  # /v1's entries stay as they were
            details["kind"] = kind
        record(session, caller, "settlement.reverse", "settlement", str(row.id), details)
    return await _read(session, row, reversal), created


async def reinstate(session: AsyncSession, caller: Caller, reversal_setl_id: str) -> SettlementOut:
    """Undo a reversal (the national interface's 冲正 of a 2305): delete the reversal record and
    add the settlement's ``accumulator_deltas`` back, under the bill lock and the person-year
    lock, with an audit entry ``settlement.reinstate``. Refused (409) when anything of the
    person-year was settled or reversed after the reversal (``person_year_moved_on``: its
    figures were computed without this settlement) or the bill was settled again
    (``bill_settled_again``). ``setl_id`` order is lock order: settlements and reversals take
    their number from one sequence while holding the person-year lock."""
    found = await repo.settlement_of_setl_id(session, reversal_setl_id)
    if found is None or (
        caller.role == "hospital" and found[0].hospital_code != caller.hospital_code
    ):
        raise NotFound(f"No reversal record {reversal_setl_id}.", code="reversal_not_found")
    row = found[0]
    await repo.lock_bill(session, row.hospital_code, row.bill_no)
    await repo.lock_person_year(session, row.person_id, row.accumulator_year)
    reversal = await session.scalar(
        select(Reversal)
        .where(Reversal.settlement_id == row.id)
        .execution_options(populate_existing=True)
    )
    if reversal is None or reversal.setl_id != reversal_setl_id:
        raise NotFound(f"No reversal record {reversal_setl_id}.", code="reversal_not_found")
    later_of_bill = await session.scalar(
        select(Settlement.setl_id)
        .where(
            Settlement.hospital_code == row.hospital_code,
            Settlement.bill_no == row.bill_no,
            Settlement.generation > row.generation,
        )
        .limit(1)
    )
    if later_of_bill is not None:
        raise Conflict(
            f"Bill {row.bill_no} was settled again as {later_of_bill} after the reversal.",
            code="bill_settled_again",
            params={"bill_no": row.bill_no, "settlement": str(later_of_bill)},
            errors=[{"loc": ["setl_id"], "msg": later_of_bill}],
        )
    same_year = (Settlement.person_id == row.person_id) & (
        Settlement.accumulator_year == row.accumulator_year
    )
    later_settled = select(Settlement.setl_id).where(
        same_year, Settlement.setl_id > reversal.setl_id
    )
    later_reversed = (
        select(Reversal.setl_id)
        .join(Settlement, Settlement.id == Reversal.settlement_id)
        .where(same_year, Reversal.setl_id > reversal.setl_id)
    )
    moved = later_settled.union_all(later_reversed).subquery("later")
    later = await session.scalar(select(func.min(moved.c.setl_id)))
    if later is not None:
        raise Conflict(
            f"The person's {row.accumulator_year} moved on after the reversal ({later}).",
            code="person_year_moved_on",
            params={"year": row.accumulator_year, "later": str(later)},
            errors=[{"loc": ["setl_id"], "msg": str(later)}],
        )
    await session.execute(delete(Reversal).where(Reversal.id == reversal.id))
    session.expunge(reversal)
    await repo.add_to_accumulators(
        session, row.person_id, row.accumulator_year, row.accumulator_deltas, +1
    )
    logger.info("reinstated %s: hospital %s bill %s", row.id, row.hospital_code, row.bill_no)
    record(
        session,
        caller,
        "settlement.reinstate",
        "settlement",
        str(row.id),
        {
            "hospital_code": row.hospital_code,
            "bill_no": row.bill_no,
            "reversal_id": str(reversal.id),
            "reversal_setl_id": reversal.setl_id,
            "accumulator_deltas": dict(row.accumulator_deltas),
        },
    )
    return await _read(session, row, None)
