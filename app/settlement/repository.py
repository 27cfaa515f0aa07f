"""Storage for settlements: locks, accumulators, append-only inserts, reads. Never commits."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine import BillLine
from app.engine import Settlement as Computed

from .models import Accumulator, Reversal, Settlement, SettlementItem, SettlementLayer

__all__ = [
    "add_to_accumulators",
    "insert_reversal",
    "insert_settlement",
    "layers_of",
    "lock_bill",
    "lock_person_year",
    "read_accumulators",
    "settlements_of_bill",
]

_YEAR_BITS = 12  # person-year lock key: person_id * 4096 + (year - 1900), always positive


async def lock_person_year(session: AsyncSession, person_id: int, year: int) -> None:
    """Serialize settlements and reversals of one person-year until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:k)"), {"k": (person_id << _YEAR_BITS) + (year - 1900)}
    )


async def lock_bill(session: AsyncSession, hospital_code: str, bill_no: str) -> None:
    """Serialize work on one bill. Keys are negative, so they never meet a person-year key.

    Lock order is always bill, then person-year, so two transactions cannot deadlock.
    """
    digest = hashlib.blake2b(f"{hospital_code}\x00{bill_no}".encode(), digest_size=8).digest()
    key = -(int.from_bytes(digest, "big") >> 1) - 1
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


async def read_accumulators(session: AsyncSession, person_id: int, year: int) -> dict[str, int]:
    rows = await session.execute(
        select(Accumulator.key, Accumulator.amount_fen).where(
            Accumulator.person_id == person_id, Accumulator.year == year
        )
    )
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


async def insert_settlement(
    session: AsyncSession,
    values: dict[str, object],
    computed: Computed,
    lines: Sequence[BillLine],
    names: Mapping[int, str],
) -> Settlement:
    t = computed.totals
    row = Settlement(
        id=uuid.uuid4(),
        **values,
        policy_version=computed.policy_id,
        policy_hash=computed.policy_hash,
        total_fen=t.total_fen,
        hospital_borne_fen=t.hospital_borne_fen,
        full_self_pay_fen=t.full_self_pay_fen,
        over_limit_fen=t.over_limit_fen,
        pre_self_pay_fen=t.pre_self_pay_fen,
        in_policy_fen=t.in_policy_fen,
        fund_paid_fen=computed.fund_paid_fen,
        self_pay_fen=computed.self_pay_fen,
        in_policy_self_pay_fen=computed.in_policy_self_pay_fen,
        in_policy_self_pay_ratio_bp=computed.in_policy_self_pay_ratio_bp,
        accumulator_deltas=dict(computed.deltas),
        settled_at=func.now(),
    )
    session.add(row)
    await session.flush()
    await session.execute(
        insert(SettlementLayer),
        [
            {
                "settlement_id": row.id,
                "position": position,
                "layer": line.layer,
                "fund_code": line.fund_code,
                "fund_name": line.fund_name,
                "base_fen": line.base_fen,
                "paid_fen": line.paid_fen,
                "left_fen": line.left_fen,
                "params": dict(line.params),
                "rule": line.rule,
                "reason": line.reason,
            }
            for position, line in enumerate(computed.layers)
        ],
    )
    await session.execute(
        insert(SettlementItem),
        [
            {
                "settlement_id": row.id,
                "seq": line.seq,
                "code": line.code,
                "name": names.get(line.seq, ""),
                "unit_price_e4": line.unit_price_e4,
                "quantity_e3": line.quantity_e3,
                "amount_fen": line.amount_fen,
                "hospital_borne": line.hospital_borne,
                "grade": line.grade,
                "self_pay_ratio_bp": line.self_pay_ratio_bp,
                "price_cap_e4": line.price_cap_e4,
            }
            for line in lines
        ],
    )
    await session.refresh(row, ["settled_at"])
    return row


async def insert_reversal(
    session: AsyncSession, settlement_id: uuid.UUID, reason: str | None, key_id: uuid.UUID | None
) -> Reversal:
    row = Reversal(
        id=uuid.uuid4(),
        settlement_id=settlement_id,
        reason=reason,
        created_by_key_id=key_id,
        reversed_at=func.now(),
    )
    session.add(row)
    await session.flush()
    await session.refresh(row, ["reversed_at"])
    return row


async def layers_of(session: AsyncSession, settlement_id: uuid.UUID) -> Sequence[SettlementLayer]:
    return (
        await session.scalars(
            select(SettlementLayer)
            .where(SettlementLayer.settlement_id == settlement_id)
            .order_by(SettlementLayer.position)
        )
    ).all()
