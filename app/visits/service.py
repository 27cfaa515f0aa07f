"""Visit use cases: admit, discharge, their cancellations, fee-line upload and cancellation, and
the netted lines a settlement classifies. Never commits (the request does, once).

Errors are the project's ``app.errors`` exceptions; their ``loc`` uses the national interface's
wire names (``["feedetail", 3, "med_list_codg"]``) because the adapter is the caller that names
fields, and their ``msg`` is Chinese, read by a person at the HIS.

Every use case that changes a visit or its lines first takes the visit's row lock
(:func:`lock_visit`), so two uploads, an upload and a cancellation, or an upload and a settlement
(which must take the same lock) of one visit run one after the other. A visit is *settled*
while a settlement with its ``mdtrt_id`` stands (no reversal points at it); its lines are then
frozen and neither the admission nor the discharge can be undone.

Rules chosen where the contract is silent (docs of the adapter repeat them):

- A refund (negative ``cnt``) names its original with ``init_feedetl_sn``: an earlier positive
  line of the visit (an earlier call, or earlier in the same call), of the same ``med_list_codg``
  and the same ``pric``. It may not take more than the original has left, in quantity or in
  amount. Its amount is ``round(pric × cnt)`` like any line's, except the refund that takes the
  original's last quantity: its amount is exactly what the original has left (the per-line
  rounding of partial refunds may have left a fen either way), so a fully refunded line nets to
  0 and drops out.
- A refund is classified with its original's catalogue entry and hospital-borne flag: what it
  answers is the difference it makes to the original's classification.
- A cancelled ``feedetl_sn`` may be used again (2302 then a corrected 2301 is how HIS fix a
  line). Cancelling an original also cancels its standing refunds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.engine import BillLine, LineSplit, classify_line, format_fen
from app.engine.money import BP, div_half_up
from app.errors import Conflict, NotFound, Unprocessable
from app.registry.models import CatalogItem, Person, PersonEnrolment
from app.settlement.models import Reversal, Settlement
from app.settlement.service import LineSpec

from .models import FeeLine, Visit

__all__ = [
    "MAX_LINES_PER_CALL",
    "AdmissionIn",
    "DischargeIn",
    "FeeLineIn",
    "LineRef",
    "LineResult",
    "NetLine",
    "SettleState",
    "admit",
    "cancel_admission",
    "cancel_discharge",
    "cancel_lines",
    "discharge",
    "expected_amount_fen",
    "is_settled",
    "lock_visit",
    "lock_visit_and_person",
    "net_lines",
    "settle_state",
    "upload_lines",
]

MAX_LINES_PER_CALL = 1000  # NHSA.md 2301: up to 1,000 lines a call
ALL_LINES = "0000"  # 2302: every line of the visit

_ZONE = ZoneInfo("Asia/Shanghai")
# price (1e-6 yuan) × quantity (1e-4) is in 1e-10 yuan; a fen is 1e8 of those.
_PRICE_QTY_PER_FEN = 100_000_000

Loc = list[str | int]


# -- inputs and outputs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdmissionIn:
    psn_no: str
    insutype: str
    med_type: str
    ipt_no: str
    admitted_at: dt.datetime
    record: Mapping[str, Any]  # the whole 2401 input, kept for audit
    node: str = "mdtrtinfo"


@dataclass(frozen=True, slots=True)
class DischargeIn:
    mdtrt_id: str
    psn_no: str
    insutype: str
    discharged_at: dt.datetime
    record: Mapping[str, Any]  # the whole 2402 input
    node: str = "dscginfo"


@dataclass(frozen=True, slots=True)
class FeeLineIn:
    """One 2301 line, its values already parsed (price 1e-6 yuan, quantity 1e-4, amount fen)."""

    feedetl_sn: str
    init_feedetl_sn: str | None
    mdtrt_id: str
    psn_no: str
    occurred_at: dt.datetime
    code: str  # med_list_codg: our catalogue code
    unit_price_e6: int
    quantity_e4: int
    amount_fen: int
    hospital_borne: bool
    raw: Mapping[str, Any]
    medins_list_codg: str | None = None
    name: str | None = None
    bilg_dept_codg: str | None = None
    bilg_dept_name: str | None = None
    bilg_dr_codg: str | None = None
    bilg_dr_name: str | None = None


@dataclass(frozen=True, slots=True)
class LineResult:
    """How one uploaded line was classified (a refund: the change it makes to its original)."""

    feedetl_sn: str
    amount_fen: int
    quantity_e4: int
    unit_price_e6: int
    price_cap_e6: int  # the catalogue cap, or the line's price when the item has none
    self_pay_ratio_bp: int  # 0 甲, the ratio 乙, 10000 丙
    grade: str  # "A" 甲 / "B" 乙 / "C" 丙
    full_self_pay_fen: int  # 全自费, hospital-borne included (the platform's four classes)
    over_limit_fen: int
    pre_self_pay_fen: int
    in_policy_fen: int
    hospital_borne: bool


@dataclass(frozen=True, slots=True)
class LineRef:
    """A line named by a 2302 item, and where the item is (for the error's ``loc``)."""

    feedetl_sn: str
    loc: tuple[str | int, ...] = ("data", "feedetl_sn")


# A visit's line as the settlement sees it: exactly the settle core's line (its fields: seq,
# code, name, unit_price_e6, quantity_e4, amount_fen, hospital_borne).
NetLine = LineSpec


# -- errors -----------------------------------------------------------------------------------


def _invalid(
    loc: Sequence[str | int], msg: str, code: str = "validation_error", **params: object
) -> Unprocessable:
    return Unprocessable(msg, code=code, errors=[{"loc": list(loc), "msg": msg}], params=params)


def _conflict(msg: str, code: str, loc: Sequence[str | int] | None = None) -> Conflict:
    return Conflict(msg, code=code, errors=[{"loc": list(loc), "msg": msg}] if loc else ())


def _not_found(loc: Sequence[str | int], msg: str, code: str) -> NotFound:
    return NotFound(msg, code=code, errors=[{"loc": list(loc), "msg": msg}])


# -- the engine, through one adapter ----------------------------------------------------------


def _bill_line(
    code: str,
    unit_price_e6: int,
    quantity_e4: int,
    amount_fen: int,
    hospital_borne: bool,
    grade: str,
    self_pay_ratio_bp: int,
    price_cap_e6: int | None,
) -> BillLine:
    """The engine's line, at the national interface's precision (1e-6 price, 1e-4 quantity:
    the engine's own scale, so nothing is converted)."""
    return BillLine(
        0,
        code,
        unit_price_e6,
        quantity_e4,
        amount_fen,
        hospital_borne,
        grade,
        self_pay_ratio_bp,
        price_cap_e6,
    )


def _cap_e6(item: CatalogItem) -> int | None:
    return None if item.price_cap_e4 is None else item.price_cap_e4 * 100


def expected_amount_fen(unit_price_e6: int, quantity_e4: int) -> int:
    """``round(pric × cnt)`` to the fen, half away from zero (a refund rounds like its line)."""
    return div_half_up(unit_price_e6 * quantity_e4, _PRICE_QTY_PER_FEN)


def _quantity(quantity_e4: int) -> str:
    """``25000`` → ``"2.5"`` (for messages)."""
    return format(Decimal(quantity_e4).scaleb(-4).normalize(), "f")


def _ratio_bp(item: CatalogItem) -> int:
    return {"A": 0, "B": item.self_pay_ratio_bp, "C": BP}[item.grade]


# -- visits -----------------------------------------------------------------------------------


async def lock_visit(
    session: AsyncSession,
    hospital_code: str,
    mdtrt_id: str,
    *,
    loc: Sequence[str | int] = ("data", "mdtrt_id"),
) -> Visit:
    """The visit, row-locked (``SELECT … FOR UPDATE``) for the rest of the transaction. Unknown,
    or another hospital's: ``就诊信息不存在``."""
    visit = await session.scalar(
        select(Visit)
        .where(Visit.mdtrt_id == mdtrt_id, Visit.hospital_code == hospital_code)
        .with_for_update()
    )
    if visit is None:
        raise _not_found(loc, "就诊信息不存在", "visit_not_found")
    return visit


_VISIT_AND_PERSON = (
    select(Visit, Person)
    .join(Person, Person.id == Visit.person_id)
    .where(Visit.mdtrt_id == bindparam("m"), Visit.hospital_code == bindparam("h"))
    .with_for_update(of=Visit)
)


async def lock_visit_and_person(
    session: AsyncSession,
    hospital_code: str,
    mdtrt_id: str,
    *,
    loc: Sequence[str | int] = ("data", "mdtrt_id"),
) -> tuple[Visit, Person]:
    """:func:`lock_visit` and the visit's person, in one statement (only the visit's row is
    locked). Unknown, or another hospital's: ``就诊信息不存在``."""
    found = (await session.execute(_VISIT_AND_PERSON, {"m": mdtrt_id, "h": hospital_code})).first()
    if found is None:
        raise _not_found(loc, "就诊信息不存在", "visit_not_found")
    return found[0], found[1]


async def is_settled(session: AsyncSession, visit: Visit) -> bool:
    """Whether a settlement of the visit stands (none of its reversals points at it)."""
    standing = (
        select(Settlement.id)
        .where(Settlement.mdtrt_id == visit.mdtrt_id)
        .where(~exists().where(Reversal.settlement_id == Settlement.id))
    )
    return bool(await session.scalar(select(exists(standing))))


async def _psn_no(session: AsyncSession, visit: Visit) -> str:
    return (await session.scalars(select(Person.psn_no).where(Person.id == visit.person_id))).one()


async def _open_visit(
    session: AsyncSession,
    hospital_code: str,
    mdtrt_id: str,
    psn_no: str | None,
    node: str | Sequence[str | int],
) -> Visit:
    """Lock the visit; it must be open and (unless ``psn_no`` is None) the person's. ``node``:
    where the request names them (``"data"``, or ``("feedetail", 0)``)."""
    at: Loc = [node] if isinstance(node, str) else list(node)
    visit = await lock_visit(session, hospital_code, mdtrt_id, loc=[*at, "mdtrt_id"])
    if visit.status != "open":
        raise _conflict("该就诊已撤销", "visit_cancelled", [*at, "mdtrt_id"])
    if psn_no is not None and await _psn_no(session, visit) != psn_no:
        raise _invalid([*at, "psn_no"], f"人员编号{psn_no}与就诊{mdtrt_id}不符")
    return visit


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(_ZONE).date()


def _jsonable(value: Any) -> Any:
    """The raw input as JSONB can hold it: a Decimal keeps its exact text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


async def admit(session: AsyncSession, hospital_code: str, body: AdmissionIn) -> str:
    """2401: open a visit; returns its ``mdtrt_id``."""
    # Imported here: app.nhsa's package imports its handlers, which import this module.
    from app.nhsa.codes import CODES

    node = body.node
    if body.insutype != CODES.insutype:
        raise _invalid(
            [node, "insutype"],
            f"险种类型{body.insutype}不支持，仅支持{CODES.insutype}城乡居民基本医疗保险",
        )
    if body.med_type != CODES.med_type:
        raise _invalid(
            [node, "med_type"], f"医疗类别{body.med_type}不支持，仅支持{CODES.med_type}普通住院"
        )
    person = await session.scalar(select(Person).where(Person.psn_no == body.psn_no))
    if person is None:
        raise _not_found([node, "psn_no"], f"人员编号{body.psn_no}不存在", "person_not_found")
    admission_date = _local_date(body.admitted_at)
    enrolled = await session.scalar(
        select(
            exists().where(
                PersonEnrolment.person_id == person.id,
                PersonEnrolment.year == admission_date.year,
            )
        )
    )
    if not enrolled:
        raise _invalid(
            [node, "psn_no"],
            f"该参保人{admission_date.year}年度未参加城乡居民基本医疗保险",
            "not_enrolled",
        )
    mdtrt_id: str | None = await session.scalar(
        insert(Visit)
        .values(
            hospital_code=hospital_code,
            person_id=person.id,
            ipt_no=body.ipt_no,
            insutype=body.insutype,
            med_type=body.med_type,
            admitted_at=body.admitted_at,
            admission_date=admission_date,
            admission=_jsonable(body.record),
        )
        .on_conflict_do_nothing(
            index_elements=["hospital_code", "ipt_no"], index_where=text("status = 'open'")
        )
        .returning(Visit.mdtrt_id)
    )
    if mdtrt_id is None:
        other = await session.scalar(
            select(Visit.mdtrt_id).where(
                Visit.hospital_code == hospital_code,
                Visit.ipt_no == body.ipt_no,
                Visit.status == "open",
            )
        )
        raise _conflict(
            f"住院号{body.ipt_no}已有未撤销的就诊{other}", "visit_exists", [node, "ipt_no"]
        )
    return mdtrt_id


async def discharge(session: AsyncSession, hospital_code: str, body: DischargeIn) -> None:
    """2402: record the discharge (its date is the one the settlement uses)."""
    node = body.node
    visit = await _open_visit(session, hospital_code, body.mdtrt_id, body.psn_no, node)
    if body.insutype != visit.insutype:
        raise _invalid([node, "insutype"], f"险种类型{body.insutype}与入院登记不符")
    if await is_settled(session, visit):
        raise _conflict("该就诊已结算，不能办理出院", "visit_settled")
    if visit.discharged_at is not None:
        raise _conflict("该就诊已办理出院，请先撤销出院", "visit_discharged", [node, "mdtrt_id"])
    if body.discharged_at < visit.admitted_at:
        raise _invalid([node, "endtime"], "出院时间不能早于入院时间")
    visit.discharged_at = body.discharged_at
    visit.discharge_date = _local_date(body.discharged_at)
    visit.discharge = _jsonable(body.record)
    visit.updated_at = func.now()
    await session.flush()


async def cancel_admission(
    session: AsyncSession,
    hospital_code: str,
    mdtrt_id: str,
    psn_no: str | None,
    *,
    node: str = "data",
) -> None:
    """2404 (and 2601 of a 2401, with ``psn_no`` None: no person to check): cancel a visit with
    no fee lines left and not settled."""
    visit = await _open_visit(session, hospital_code, mdtrt_id, psn_no, node)
    if await is_settled(session, visit):
        raise _conflict("该就诊已结算，不能撤销入院", "visit_settled")
    lines = await session.scalar(
        select(exists().where(FeeLine.visit_id == visit.id, FeeLine.cancelled_at.is_(None)))
    )
    if lines:
        raise _conflict("该就诊存在费用明细，请先撤销费用明细", "visit_has_lines")
    visit.status = "cancelled"
    visit.cancelled_at = func.now()
    visit.updated_at = func.now()
    await session.flush()


async def cancel_discharge(
    session: AsyncSession, hospital_code: str, mdtrt_id: str, psn_no: str, *, node: str = "data"
) -> None:
    """2405: undo the discharge while no settlement of the visit stands."""
    visit = await _open_visit(session, hospital_code, mdtrt_id, psn_no, node)
    if visit.discharged_at is None:
        raise _conflict("该就诊未办理出院", "visit_not_discharged", [node, "mdtrt_id"])
    if await is_settled(session, visit):
        raise _conflict("该就诊已结算，请先撤销结算", "visit_settled")
    visit.discharged_at = None
    visit.discharge_date = None
    visit.discharge = None
    visit.updated_at = func.now()
    await session.flush()


# -- fee lines ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Original:
    """A positive line and what its refunds have left of it."""

    sn: str
    code: str
    unit_price_e6: int
    hospital_borne: bool
    occurred_on: dt.date
    left_e4: int
    left_fen: int
    row: FeeLine | None = None  # None until stored
    refunds: list[int] = field(default_factory=list)


def _split(orig: _Original, item: CatalogItem, quantity_e4: int, amount_fen: int) -> LineSplit:
    return classify_line(
        _bill_line(
            orig.code,
            orig.unit_price_e6,
            quantity_e4,
            amount_fen,
            orig.hospital_borne,
            item.grade,
            item.self_pay_ratio_bp,
            _cap_e6(item),
        )
    )


def _result(
    line: FeeLineIn, item: CatalogItem, split: LineSplit, hospital_borne: bool
) -> LineResult:
    cap = _cap_e6(item)
    return LineResult(
        feedetl_sn=line.feedetl_sn,
        amount_fen=line.amount_fen,
        quantity_e4=line.quantity_e4,
        unit_price_e6=line.unit_price_e6,
        price_cap_e6=line.unit_price_e6 if cap is None else cap,
        self_pay_ratio_bp=_ratio_bp(item),
        grade=item.grade,
        full_self_pay_fen=split.hospital_borne_fen + split.full_self_pay_fen,
        over_limit_fen=split.over_limit_fen,
        pre_self_pay_fen=split.pre_self_pay_fen,
        in_policy_fen=split.in_policy_fen,
        hospital_borne=hospital_borne,
    )


def _minus(after: LineSplit, before: LineSplit) -> LineSplit:
    return LineSplit(
        hospital_borne_fen=after.hospital_borne_fen - before.hospital_borne_fen,
        full_self_pay_fen=after.full_self_pay_fen - before.full_self_pay_fen,
        over_limit_fen=after.over_limit_fen - before.over_limit_fen,
        pre_self_pay_fen=after.pre_self_pay_fen - before.pre_self_pay_fen,
        in_policy_fen=after.in_policy_fen - before.in_policy_fen,
    )


def _valid_item(
    items: Mapping[str, CatalogItem], code: str, on: dt.date, loc: Loc, sn: str
) -> CatalogItem:
    """The catalogue entry of ``code`` valid on ``on``; else fail the line at ``loc``, naming
    its ``feedetl_sn`` ``sn`` (issue 17: the HIS finds the line by its number, not its index)."""
    item = items.get(code)
    if item is None:
        raise _invalid(
            loc, f"目录编码{code}不存在（费用明细流水号{sn}）", "unknown_catalog_code", codes=code
        )
    if on < item.valid_from or (item.valid_to is not None and on > item.valid_to):
        raise _invalid(
            loc,
            f"目录编码{code}在{on.isoformat()}不在有效期内（费用明细流水号{sn}）",
            "catalog_not_valid",
        )
    return item


async def _standing_lines(session: AsyncSession, visit: Visit) -> list[FeeLine]:
    rows = await session.scalars(
        select(FeeLine)
        .where(FeeLine.visit_id == visit.id, FeeLine.cancelled_at.is_(None))
        .order_by(FeeLine.id)
    )
    return list(rows)


def _originals(rows: Sequence[FeeLine]) -> dict[str, _Original]:
    by_id: dict[int, _Original] = {}
    out: dict[str, _Original] = {}
    for row in rows:
        if row.original_id is None:
            orig = _Original(
                row.feedetl_sn,
                row.med_list_codg,
                row.pric_e6,
                row.hospital_borne,
                _local_date(row.occurred_at),
                row.cnt_e4,
                row.amount_fen,
                row,
            )
            by_id[row.id] = orig
            out[row.feedetl_sn] = orig
    for row in rows:
        if row.original_id is not None:
            orig = by_id[row.original_id]
            orig.left_e4 += row.cnt_e4
            orig.left_fen += row.amount_fen
            orig.refunds.append(row.id)
    return out


async def upload_lines(
    session: AsyncSession, hospital_code: str, lines: Sequence[FeeLineIn]
) -> list[LineResult]:
    """2301: add lines to an open, unsettled visit, all or nothing; answer each one's
    classification. Every line names the same visit (the first line's ``mdtrt_id``)."""
    if not lines:
        raise _invalid(["feedetail"], "费用明细不能为空")
    if len(lines) > MAX_LINES_PER_CALL:
        raise _invalid(["feedetail"], f"每次最多上传{MAX_LINES_PER_CALL}条费用明细")
    first = lines[0]
    visit = await _open_visit(
        session, hospital_code, first.mdtrt_id, first.psn_no, ("feedetail", 0)
    )
    if await is_settled(session, visit):
        raise _conflict("该就诊已结算，费用明细不可变更", "visit_settled")
    rows = await _standing_lines(session, visit)
    taken = {row.feedetl_sn for row in rows}
    originals = _originals(rows)
    codes = {line.code for line in lines} | {o.code for o in originals.values()}
    items = {
        item.code: item
        for item in await session.scalars(select(CatalogItem).where(CatalogItem.code.in_(codes)))
    }

    results: list[LineResult] = []
    plan: list[tuple[FeeLineIn, _Original | None, bool]] = []  # (line, its original, borne)
    for i, line in enumerate(lines):

        def at(name: str, i: int = i) -> Loc:
            return ["feedetail", i, name]

        if line.mdtrt_id != visit.mdtrt_id:
            raise _invalid(at("mdtrt_id"), "同一次上传的费用明细须属于同一就诊")
        if line.psn_no != first.psn_no:
            raise _invalid(at("psn_no"), f"人员编号{line.psn_no}与就诊{visit.mdtrt_id}不符")
        if line.feedetl_sn in taken:
            raise _conflict(
                f"费用明细流水号{line.feedetl_sn}重复", "duplicate_feedetl_sn", at("feedetl_sn")
            )
        taken.add(line.feedetl_sn)
        if line.unit_price_e6 < 0:
            raise _invalid(at("pric"), "单价不能为负")
        if line.quantity_e4 == 0:
            raise _invalid(at("cnt"), "数量不能为0")
        expected = expected_amount_fen(line.unit_price_e6, line.quantity_e4)

        if line.quantity_e4 > 0:
            if line.amount_fen != expected:
                raise _invalid(
                    at("det_item_fee_sumamt"),
                    f"明细项目费用总额{format_fen(line.amount_fen)}"
                    f"不等于单价×数量{format_fen(expected)}",
                )
            occurred_on = _local_date(line.occurred_at)
            item = _valid_item(items, line.code, occurred_on, at("med_list_codg"), line.feedetl_sn)
            orig = _Original(
                line.feedetl_sn,
                line.code,
                line.unit_price_e6,
                line.hospital_borne,
                occurred_on,
                line.quantity_e4,
                line.amount_fen,
            )
            split = _split(orig, item, line.quantity_e4, line.amount_fen)
            originals[line.feedetl_sn] = orig
            results.append(_result(line, item, split, line.hospital_borne))
            plan.append((line, None, line.hospital_borne))
            continue

        # A refund: folds into its original.
        init = line.init_feedetl_sn
        if init is None:
            raise _invalid(at("init_feedetl_sn"), "退费明细须填写原费用明细流水号")
        found = originals.get(init)
        if found is None:
            raise _invalid(at("init_feedetl_sn"), f"原费用明细流水号{init}不存在")
        if line.code != found.code:
            raise _invalid(at("med_list_codg"), f"退费项目须与原明细{init}的目录编码相同")
        if line.unit_price_e6 != found.unit_price_e6:
            raise _invalid(at("pric"), f"退费单价须与原明细{init}的单价相同")
        if found.left_e4 + line.quantity_e4 < 0:
            raise _invalid(
                at("cnt"), f"退费数量超过原明细{init}的剩余数量{_quantity(found.left_e4)}"
            )
        emptied = found.left_e4 + line.quantity_e4 == 0
        wanted = -found.left_fen if emptied else expected
        if line.amount_fen != wanted:
            raise _invalid(
                at("det_item_fee_sumamt"),
                f"退费金额{format_fen(line.amount_fen)}应为{format_fen(wanted)}",
            )
        if found.left_fen + line.amount_fen < 0:
            raise _invalid(
                at("det_item_fee_sumamt"),
                f"退费金额超过原明细{init}的剩余金额{format_fen(found.left_fen)}",
            )
        item = _valid_item(
            items, found.code, found.occurred_on, at("med_list_codg"), line.feedetl_sn
        )
        before = _split(found, item, found.left_e4, found.left_fen)
        found.left_e4 += line.quantity_e4
        found.left_fen += line.amount_fen
        after = _split(found, item, found.left_e4, found.left_fen)
        results.append(_result(line, item, _minus(after, before), found.hospital_borne))
        plan.append((line, found, found.hospital_borne))

    stored: dict[str, FeeLine] = {o.sn: o.row for o in originals.values() if o.row is not None}
    for line, refunded, borne in plan:
        original_id = None
        if refunded is not None:
            target = stored[refunded.sn]
            if target.id is None:
                await session.flush()
            original_id = target.id
        row = FeeLine(
            visit_id=visit.id,
            feedetl_sn=line.feedetl_sn,
            init_feedetl_sn=line.init_feedetl_sn,
            original_id=original_id,
            med_list_codg=line.code,
            medins_list_codg=line.medins_list_codg,
            name=line.name,
            occurred_at=line.occurred_at,
            pric_e6=line.unit_price_e6,
            cnt_e4=line.quantity_e4,
            amount_fen=line.amount_fen,
            hospital_borne=borne,
            bilg_dept_codg=line.bilg_dept_codg,
            bilg_dept_name=line.bilg_dept_name,
            bilg_dr_codg=line.bilg_dr_codg,
            bilg_dr_name=line.bilg_dr_name,
            raw=_jsonable(line.raw),
        )
        session.add(row)
        if refunded is None:
            stored[line.feedetl_sn] = row
    await session.flush()
    return results


async def cancel_lines(
    session: AsyncSession,
    hospital_code: str,
    mdtrt_id: str,
    psn_no: str,
    refs: Sequence[LineRef],
    *,
    node: str | Sequence[str | int] = "data",
) -> list[str]:
    """2302: cancel the named lines (``"0000"``: every line) of an unsettled visit; cancelling
    an original cancels its refunds too. Returns the cancelled ``feedetl_sn`` in upload order."""
    visit = await _open_visit(session, hospital_code, mdtrt_id, psn_no, node)
    if await is_settled(session, visit):
        raise _conflict("该就诊已结算，费用明细不可变更", "visit_settled")
    rows = await _standing_lines(session, visit)
    at: Loc = [node] if isinstance(node, str) else list(node)
    if any(ref.feedetl_sn == ALL_LINES for ref in refs):
        chosen = rows
        if not chosen:
            raise _not_found(
                [*at, "feedetl_sn"],
                "根据传来的参数在费用明细表中未查询到任何有效相关的记录",
                "no_lines",
            )
    else:
        by_sn = {row.feedetl_sn: row for row in rows}
        ids: set[int] = set()
        for ref in refs:
            row = by_sn.get(ref.feedetl_sn)
            if row is None:
                raise _not_found(
                    ref.loc, f"费用明细流水号{ref.feedetl_sn}不存在", "unknown_feedetl_sn"
                )
            ids.add(row.id)
        ids |= {row.id for row in rows if row.original_id in ids}
        chosen = [row for row in rows if row.id in ids]
    if not chosen:
        raise _not_found([*at, "feedetl_sn"], "没有需要撤销的费用明细", "no_lines")
    await session.execute(
        update(FeeLine)
        .where(FeeLine.id.in_([row.id for row in chosen]))
        .values(cancelled_at=func.now())
    )
    return [row.feedetl_sn for row in chosen]


# The visit's standing lines netted (each original plus its standing refunds, which are lines of
# the same visit; originals are the rows without ``original_id``), fully refunded ones dropped,
# in upload order, as column arrays. Both reads of fee_lines go by the visit (the partial index
# of its standing lines): by ``original_id`` per line, a planner short of statistics scanned
# every standing line of the table once per line. The name is the one sent, else the catalogue's,
# else the code (a sent "" counts as none).
_NET_LINES = """
SELECT array_agg(n.code ORDER BY n.id) AS codes, array_agg(n.name ORDER BY n.id) AS names,
       array_agg(n.pric_e6 ORDER BY n.id) AS prices, array_agg(n.left_e4 ORDER BY n.id) AS qtys,
       array_agg(n.left_fen ORDER BY n.id) AS amounts,
       array_agg(n.hospital_borne ORDER BY n.id) AS borne
FROM (
  SELECT o.id, o.med_list_codg AS code,
         coalesce(nullif(o.name, ''), c.name, o.med_list_codg) AS name, o.pric_e6,
         o.cnt_e4 + coalesce(r.cnt_e4, 0) AS left_e4,
         o.amount_fen + coalesce(r.amount_fen, 0) AS left_fen, o.hospital_borne
  FROM fee_lines o
  LEFT JOIN (
    SELECT x.original_id, sum(x.cnt_e4)::bigint AS cnt_e4, sum(x.amount_fen)::bigint AS amount_fen
    FROM fee_lines x
    WHERE x.visit_id = :visit_id AND x.cancelled_at IS NULL AND x.original_id IS NOT NULL
    GROUP BY x.original_id) AS r ON r.original_id = o.id
  LEFT JOIN catalog_items c ON c.code = o.med_list_codg
  WHERE o.visit_id = :visit_id AND o.cancelled_at IS NULL AND o.original_id IS NULL
) AS n
WHERE n.left_e4 <> 0
"""
_READ_NET_LINES = text(_NET_LINES)
# The lines above, beside what a settlement of the visit needs to know first: whether one of its
# settlements stands (:func:`is_settled`), and the bill's latest settlement if it is reversed
# (``bill_no`` = ``mdtrt_id``, oldest first by generation: a settlement to ``replace``).
_READ_SETTLE_STATE = text(
    f"""
SELECT
  EXISTS (SELECT FROM settlements s
          WHERE s.mdtrt_id = :mdtrt_id
            AND NOT EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id)) AS settled,
  (SELECT s.id FROM settlements s
   WHERE s.hospital_code = :hospital_code AND s.bill_no = :mdtrt_id
     AND EXISTS (SELECT FROM reversals r WHERE r.settlement_id = s.id)
     AND s.generation = (SELECT max(t.generation) FROM settlements t
                         WHERE t.hospital_code = :hospital_code AND t.bill_no = :mdtrt_id))
    AS reversed_last_id,
  lines.*
FROM ({_NET_LINES}) AS lines
"""
)


@dataclass(frozen=True, slots=True)
class SettleState:
    """A visit as its settlement reads it, after the visit's lock (:func:`settle_state`)."""

    settled: bool  # :func:`is_settled`
    reversed_last_id: uuid.UUID | None  # the bill's latest settlement, if it is reversed
    lines: list[NetLine]  # :func:`net_lines`


def _net_lines_of(row: Any) -> list[NetLine]:
    if not row.codes:
        return []
    return [
        NetLine(seq, code, name, price, qty, amount, borne)
        for seq, (code, name, price, qty, amount, borne) in enumerate(
            zip(row.codes, row.names, row.prices, row.qtys, row.amounts, row.borne, strict=True),
            start=1,
        )
    ]


async def net_lines(session: AsyncSession, visit: Visit) -> list[NetLine]:
    """The visit's lines netted for settlement: each original at what its refunds left of it,
    fully refunded ones dropped, in upload order, numbered 1..n. One statement."""
    row = (await session.execute(_READ_NET_LINES, {"visit_id": visit.id})).one()
    return _net_lines_of(row)


async def settle_state(session: AsyncSession, hospital_code: str, visit: Visit) -> SettleState:
    """:func:`is_settled`, the bill's latest settlement if reversed, and :func:`net_lines`, in
    one statement: call it after the visit's lock, in a statement of its own, so it sees what
    the lock's previous holder committed."""
    params = {"visit_id": visit.id, "mdtrt_id": visit.mdtrt_id, "hospital_code": hospital_code}
    row = (await session.execute(_READ_SETTLE_STATE, params)).one()
    last = row.reversed_last_id
    return SettleState(
        bool(row.settled), None if last is None else uuid.UUID(str(last)), _net_lines_of(row)
    )
