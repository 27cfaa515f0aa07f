"""Settlement transactions: 2303 住院预结算, 2304 住院结算, 2305 住院结算撤销, and the 冲正
(2601) of a 2304 and of a 2305.

A visit settles through the same core as a ``/v1`` bill (``app.settlement.service``):
:func:`_bill` makes the visit's netted lines a ``BillSpec`` (``bill_no = mdtrt_id``), the core
checks, computes and stores it, and :mod:`.settlement_out` writes the answer. The visit's row
lock is taken first (``visits.lock_visit_and_person``): it serialises a settlement against
2301/2302 of the same visit, so the lines settled are the lines standing; the lines are read in
a later statement (``visits.settle_state``), which sees what the lock's previous holder committed.

Rules (docs/nhsa-settlement.md):

- 2304 settles a visit once while it stands: a second 2304 under a new ``msgid`` is ``-1
  该就诊已结算，请勿重复结算`` (the same ``msgid`` is the dispatcher's replay). After a 2305 (or a
  冲正 of the 2304) the visit may settle again: the new settlement ``replaces`` the latest
  reversed one.
- ``medfee_sumamt`` must equal the net of the visit's standing lines to the fen.
- The discharge date is the 2402's, else ``dscgTime``; neither: ``-1``.
- The core's errors name ``/v1`` places and speak English; :data:`CORE_ERRORS` gives each code
  the wire field it is about and its Chinese text.
- A 2601 of a 2304 reverses the settlement with a reversal of kind ``correction``
  (migration 0016): for the HIS neither ever happened, so 3201/3202 leave both out. A 2601 of a
  2305 reinstates the settlement (``settlement.service.reinstate``) only while nothing of the
  person-year was settled or reversed after the reversal and the visit's lines are still those
  settled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.engine import Policy, format_fen
from app.errors import AppError
from app.registry.models import Person
from app.settlement import service as settlement
from app.settlement.models import CORRECTION, Settlement
from app.settlement.schemas import ReversalIn, SettlementOut
from app.settlement.service import BillSpec, LineSpec
from app.visits import service as visits
from app.visits.models import Visit
from app.visits.service import NetLine

from . import wire
from .codes import CODES
from .dispatch import Call, Done, transaction, undoes
from .errors import NhsaFailure
from .identity import baseinfo
from .settlement_out import setldetail, setlinfo

__all__ = [
    "CORE_ERRORS",
    "cancel_settlement",
    "lines_hash",
    "pre_settle",
    "settle",
    "undo_cancel_settlement",
    "undo_settle",
]

DATA = wire.Where("data")
CERT_TYPES = {"01", "02", "03"}  # 医保电子凭证 / 居民身份证 / 社会保障卡
SETLWAYS = {"01", "02"}  # 按项目结算 / 按定额结算
FLAGS = {"0", "1"}
ALREADY_SETTLED = "该就诊已结算，请勿重复结算"
ALREADY_REVERSED = "该笔结算已撤销，请勿重复办理"


def _fail(field: str, msg: str) -> NhsaFailure:
    return NhsaFailure(f"FSI-输入[data].{field}：{msg}")


# -- the core's errors, on the wire ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    """What the Chinese texts of :data:`CORE_ERRORS` may name."""

    spec: BillSpec
    exc: AppError

    def codes(self) -> str:
        """The catalogue codes the core's errors point at (``["body", "items", i, …]``)."""
        found: list[str] = []
        for error in self.exc.errors:
            loc = list(error.get("loc") or ())
            if len(loc) >= 3 and loc[:2] == ["body", "items"] and isinstance(loc[2], int):
                code = self.spec.lines[loc[2]].code
                if code not in found:
                    found.append(code)
        return "、".join(found)


CORE_ERRORS: dict[str, tuple[Sequence[str], Callable[[_Context], str]]] = {
    # code of app.settlement.service → (the wire field, its Chinese text)
    "unknown_hospital": (
        ["fixmedins_code"],
        lambda c: f"定点医药机构{c.spec.hospital_code}不存在",
    ),
    "hospital_not_designated": (
        ["fixmedins_code"],
        lambda c: f"{c.spec.hospital_code}不是定点医疗机构（非定点），不能结算",
    ),
    "unknown_person": (["data", "psn_no"], lambda c: "参保人不存在"),
    "person_not_enrolled": (
        ["data", "psn_no"],
        lambda c: f"参保人{c.spec.discharge_date.year}年度未参保",
    ),
    "unknown_catalog_code": (
        ["data", "mdtrt_id"],
        lambda c: (
            f"费用明细的目录编码{c.codes()}在出院日期"
            f"{c.spec.discharge_date.isoformat()}不在医保目录中"
        ),
    ),
    "no_policy_in_force": (
        ["data", "mdtrt_id"],
        lambda c: f"出院日期{c.spec.discharge_date.isoformat()}无生效的医保政策",
    ),
    "amount_out_of_range": (
        ["data", "medfee_sumamt"],
        lambda c: "金额超出范围（单条费用、单次结算或参保人年度累计超过上限）",
    ),
    "amount_mismatch": (
        ["data", "mdtrt_id"],
        lambda c: f"费用明细金额与单价×数量不符（目录编码{c.codes()}）",
    ),
    "dates_out_of_order": (
        ["data", "dscgTime"],
        lambda c: (
            f"出院日期{c.spec.discharge_date.isoformat()}早于入院日期"
            f"{c.spec.admission_date.isoformat()}"
        ),
    ),
    "validation_error": (["data", "mdtrt_id"], lambda c: "费用明细不符合结算要求"),
    "bill_conflict": (["data", "mdtrt_id"], lambda c: ALREADY_SETTLED),
    "bill_reversed": (["data", "mdtrt_id"], lambda c: "该就诊的结算已撤销，请重新结算"),
    "replaces_mismatch": (["data", "mdtrt_id"], lambda c: "该就诊的结算状态已变化，请重试"),
}
"""Every error code ``settle_spec``/``preview_spec`` raise below 500, translated."""


def _translated(exc: AppError, spec: BillSpec) -> NhsaFailure:
    entry = CORE_ERRORS.get(exc.code)
    if entry is None:  # a code this table does not know yet: still Chinese, still -1
        return _fail("mdtrt_id", f"结算失败（{exc.code}）")
    loc, text = entry
    msg = text(_Context(spec, exc))
    if loc == ["fixmedins_code"]:
        return NhsaFailure(f"FSI-报文头.fixmedins_code：{msg}")
    return _fail(str(loc[-1]), msg)


# -- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettleIn:
    """2303/2304's ``data``, parsed."""

    psn_no: str
    mdtrt_cert_type: str
    mdtrt_id: str
    medfee_sumamt_fen: int
    mid_setl_flag: str
    dscg_time: dt.date | None


def _required(data: Mapping[str, Any], name: str, max_len: int) -> str:
    value = wire.text(data.get(name), DATA.field(name), max_len)
    if value is None:  # required: text() raised already
        raise DATA.field(name).fail("不能为空")
    return value


def _data(node: Any) -> Mapping[str, Any]:
    return wire.node(wire.node(node, wire.Where("input")).get("data"), DATA)


def _settle_in(node: Any, infno: str) -> SettleIn:
    """The fields onestop uses are required as the specification marks them (§2303/2304);
    the rest are parsed when present (``fulamt_ownpay_amt`` … of 2303: the HIS's own figures,
    not compared) and unknown keys are ignored."""
    data = _data(node)
    psn_no = _required(data, "psn_no", 30)
    cert_type = wire.one_of(data.get("mdtrt_cert_type"), DATA.field("mdtrt_cert_type"), CERT_TYPES)
    _required(data, "mdtrt_cert_no", 50)
    medfee = wire.amount(data.get("medfee_sumamt"), DATA.field("medfee_sumamt"))
    wire.one_of(data.get("psn_setlway"), DATA.field("psn_setlway"), SETLWAYS)
    mdtrt_id = _required(data, "mdtrt_id", 30)
    insutype = _required(data, "insutype", 6)
    if insutype != CODES.insutype:
        raise DATA.field("insutype").fail(
            f"险种类型{insutype}不支持，只支持{CODES.insutype}（城乡居民基本医疗保险）"
        )
    mid = wire.one_of(data.get("mid_setl_flag"), DATA.field("mid_setl_flag"), FLAGS)
    if infno == "2304" or data.get("acct_used_flag") not in (None, ""):  # 2304: required
        wire.one_of(data.get("acct_used_flag"), DATA.field("acct_used_flag"), FLAGS)
    for name in ("fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt"):
        if data.get(name) not in (None, ""):
            wire.amount(data.get(name), DATA.field(name))
    raw_dscg = data.get("dscgTime")
    dscg = None if raw_dscg in (None, "") else wire.day(raw_dscg, DATA.field("dscgTime"))
    return SettleIn(psn_no, cert_type, mdtrt_id, medfee, mid, dscg)


# -- the visit as a bill -----------------------------------------------------------------------


def lines_hash(lines: Sequence[NetLine]) -> str:
    """SHA-256 over the netted lines (code, price, quantity, amount, hospital-borne, in order):
    the ``request_hash`` of a visit's settlement, so identical lines are recognised (a 2601 of
    a 2305 compares it with the lines standing)."""
    text = "\n".join(
        f"{x.code}\t{x.unit_price_e6}\t{x.quantity_e4}\t{x.amount_fen}\t{int(x.hospital_borne)}"
        for x in lines
    )
    return hashlib.sha256(f"nhsa-visit-lines\n{text}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class _Bill:
    visit: Visit
    person: Person
    spec: BillSpec


async def _person(call: Call, visit: Visit) -> Person:
    person = await call.session.scalar(select(Person).where(Person.id == visit.person_id))
    if person is None:  # visits.person_id is a foreign key
        raise RuntimeError(f"visit {visit.mdtrt_id}: person {visit.person_id} missing")
    return person


async def _bill(call: Call, data: SettleIn) -> _Bill:
    """Lock the visit and make its standing lines the bill to settle, after every check the
    adapter makes itself (the core makes the rest). Two statements: the visit's lock with its
    person, then (seeing what the lock's previous holder committed) whether a settlement of it
    stands, the bill's latest settlement if reversed, and the netted lines."""
    visit, person = await visits.lock_visit_and_person(
        call.session, call.hospital_code, data.mdtrt_id
    )
    if visit.status != "open":
        raise _fail("mdtrt_id", "该就诊已撤销")
    if person.psn_no != data.psn_no:
        raise _fail("psn_no", f"人员编号{data.psn_no}与就诊{data.mdtrt_id}不符")
    if data.mid_setl_flag != "0":
        raise _fail("mid_setl_flag", "暂不支持中途结算")
    state = await visits.settle_state(call.session, call.hospital_code, visit)
    if state.settled:
        raise _fail("mdtrt_id", ALREADY_SETTLED)
    discharge = visit.discharge_date or data.dscg_time
    if discharge is None:
        raise _fail("dscgTime", "该就诊未办理出院（2402），也未传出院日期dscgTime")
    lines = state.lines
    if not lines:
        raise _fail("mdtrt_id", "该就诊无费用明细")
    total = sum(line.amount_fen for line in lines)
    if data.medfee_sumamt_fen != total:
        raise _fail(
            "medfee_sumamt",
            f"医疗费总额{format_fen(data.medfee_sumamt_fen)}与已上传费用明细合计"
            f"{format_fen(total)}不符",
        )
    replaces = state.reversed_last_id
    spec = BillSpec(
        hospital_code=call.hospital_code,
        bill_no=visit.mdtrt_id,
        id_number=person.id_number,
        patient_name=person.name,
        admission_date=visit.admission_date,
        discharge_date=discharge,
        referral=False,  # 2401 carries no referral (转诊) flag: docs/nhsa-settlement.md
        lines=[
            LineSpec(
                seq=x.seq,
                code=x.code,
                name=x.name,
                unit_price_e6=x.unit_price_e6,
                quantity_e4=x.quantity_e4,
                amount_fen=x.amount_fen,
                hospital_borne=x.hospital_borne,
            )
            for x in lines
        ],
        request_hash=lines_hash(lines),
        replaces=replaces,
        mdtrt_id=visit.mdtrt_id,
    )
    return _Bill(visit, person, spec)


async def _policy(call: Call, out: SettlementOut) -> Policy:
    for policy in await call.policies.all(call.session):
        if policy.id == out.policy_version and policy.content_hash == out.policy_hash:
            return policy
    raise RuntimeError(f"policy {out.policy_version} of a settlement is not loaded")


def _baseinfo(person: Person, out: SettlementOut) -> dict[str, Any]:
    return {
        **baseinfo(person.id_number, person.name, person.psn_no, out.discharge_date),
        "psn_type": CODES.psn_type,
    }


async def _answer(
    call: Call,
    person: Person,
    out: SettlementOut,
    cert_type: str,
    setl_id: str | None,
    *,
    negate: bool = False,
) -> dict[str, Any]:
    """``setlinfo`` and ``setldetail`` of a 2303/2304, or (``negate``) of a 2305: negated, at
    the reversal's time, under the reversal record's ``setl_id``."""
    policy = await _policy(call, out)
    moment = out.reversed_at if negate else out.settled_at
    return {
        "setlinfo": setlinfo(
            out,
            policy,
            baseinfo=_baseinfo(person, out),
            msgid=call.msgid,
            clr_optins=person.county_code,
            setl_time=moment or call.now,
            mdtrt_cert_type=cert_type,
            setl_id=setl_id,
            mdtrt_id=out.mdtrt_id or "",
            negate=negate,
        ),
        "setldetail": setldetail(out, policy, negate=negate),
    }


# -- 2303 / 2304 -------------------------------------------------------------------------------


@transaction("2303")
async def pre_settle(call: Call, node: Any) -> Done:
    data = _settle_in(node, "2303")
    bill = await _bill(call, data)
    try:
        out = await settlement.preview_spec(call.session, call.policies, bill.spec)
    except AppError as exc:
        if exc.status >= 500:
            raise
        raise _translated(exc, bill.spec) from None
    out = out.model_copy(update={"mdtrt_id": bill.visit.mdtrt_id})
    return Done(output=await _answer(call, bill.person, out, data.mdtrt_cert_type, None))


@transaction("2304")
async def settle(call: Call, node: Any) -> Done:
    data = _settle_in(node, "2304")
    bill = await _bill(call, data)
    try:
        out, created = await settlement.settle_spec(
            call.session, call.policies, call.caller, bill.spec
        )
    except AppError as exc:
        if exc.status >= 500:
            raise
        raise _translated(exc, bill.spec) from None
    if not created or out.setl_id is None:  # the visit lock and is_settled rule this out
        raise RuntimeError(f"visit {bill.visit.mdtrt_id}: settle_spec created nothing")
    return Done(
        output=await _answer(call, bill.person, out, data.mdtrt_cert_type, out.setl_id),
        effect={"setl_id": out.setl_id, "mdtrt_id": bill.visit.mdtrt_id},
    )


# -- 2305 --------------------------------------------------------------------------------------


async def _settlement_of(call: Call, setl_id: str, mdtrt_id: str) -> SettlementOut:
    """The settlement ``setl_id`` names, which must be one of this visit's (not a reversal
    record, not another hospital's)."""
    try:
        out, is_reversal = await settlement.find_by_setl_id(call.session, call.caller, setl_id)
    except AppError as exc:
        if exc.status >= 500:
            raise
        raise _fail("setl_id", f"结算ID{setl_id}不存在") from None
    if is_reversal:
        raise _fail("setl_id", f"{setl_id}是结算撤销记录，不能再撤销")
    if out.mdtrt_id != mdtrt_id:
        raise _fail("setl_id", f"结算ID{setl_id}不属于就诊{mdtrt_id}")
    return out


async def _reverse(call: Call, out: SettlementOut, kind: str, reason: str) -> SettlementOut:
    if out.settlement_id is None:  # a stored settlement always has one
        raise RuntimeError(f"settlement {out.setl_id} has no id")
    reversed_, created = await settlement.reverse(
        call.session, call.caller, out.settlement_id, ReversalIn(reason=reason), kind=kind
    )
    if not created or reversed_.reversal_setl_id is None:  # checked under the visit lock
        raise _fail("setl_id", ALREADY_REVERSED)
    return reversed_


@transaction("2305")
async def cancel_settlement(call: Call, node: Any) -> Done:
    data = _data(node)
    mdtrt_id = _required(data, "mdtrt_id", 30)
    setl_id = _required(data, "setl_id", 30)
    psn_no = _required(data, "psn_no", 30)
    visit = await visits.lock_visit(call.session, call.hospital_code, mdtrt_id)
    person = await _person(call, visit)
    if person.psn_no != psn_no:
        raise _fail("psn_no", f"人员编号{psn_no}与就诊{mdtrt_id}不符")
    out = await _settlement_of(call, setl_id, mdtrt_id)
    if out.status == "reversed":
        raise _fail("setl_id", ALREADY_REVERSED)
    reversed_ = await _reverse(call, out, "reversal", f"2305 {call.msgid}")
    reversal_setl_id = reversed_.reversal_setl_id or ""
    return Done(
        output=await _answer(call, person, reversed_, "", reversal_setl_id, negate=True),
        effect={"setl_id": reversal_setl_id, "orig_setl_id": setl_id, "mdtrt_id": mdtrt_id},
    )


# -- 2601 冲正 ----------------------------------------------------------------------------------


@undoes("2304")
async def undo_settle(call: Call, effect: Mapping[str, str]) -> None:
    """冲正 of a 2304: reverse the settlement as 2305 does, as a ``correction`` (3201/3202
    leave the settlement and its correction out)."""
    mdtrt_id, setl_id = effect["mdtrt_id"], effect["setl_id"]
    await visits.lock_visit(call.session, call.hospital_code, mdtrt_id)
    out = await _settlement_of(call, setl_id, mdtrt_id)
    if out.status == "reversed":
        raise NhsaFailure(
            f"FSI-输入[data].omsgid：原结算{setl_id}已由结算撤销（2305）撤销"
            f"（撤销记录{out.reversal_setl_id}），不能再冲正"
        )
    await _reverse(call, out, CORRECTION, f"2601 {call.msgid}")


REINSTATE_ERRORS = {
    "reversal_not_found": "原结算撤销记录{setl_id}已不存在",
    "bill_settled_again": "结算撤销后该就诊已重新结算（{detail}），不能冲正",
    "person_year_moved_on": "结算撤销后该参保人本年度已有新的结算或撤销（{detail}），不能冲正",
}
"""The reinstate's refusals (``settlement.service.reinstate``), in Chinese."""


@undoes("2305")
async def undo_cancel_settlement(call: Call, effect: Mapping[str, str]) -> None:
    """冲正 of a 2305: reinstate the settlement, so for the HIS the 2305 never happened; only
    while nothing of the person-year moved on and the visit's lines are those settled."""
    mdtrt_id, setl_id = effect["mdtrt_id"], effect["setl_id"]
    visit = await visits.lock_visit(call.session, call.hospital_code, mdtrt_id)
    original = await _settlement_of(call, effect["orig_setl_id"], mdtrt_id)
    if visit.status != "open":
        raise NhsaFailure("FSI-输入[data].omsgid：结算撤销后该就诊已撤销（2404），不能冲正")
    if original.settlement_id is not None:
        row = await call.session.get(Settlement, original.settlement_id)
        lines = await visits.net_lines(call.session, visit)
        if row is not None and row.request_hash != lines_hash(lines):
            raise NhsaFailure("FSI-输入[data].omsgid：结算撤销后该就诊的费用明细已变更，不能冲正")
    try:
        await settlement.reinstate(call.session, call.caller, setl_id)
    except AppError as exc:
        if exc.status >= 500 or exc.code not in REINSTATE_ERRORS:
            raise
        detail = "、".join(str(e.get("msg", "")) for e in exc.errors)
        msg = REINSTATE_ERRORS[exc.code].format(setl_id=setl_id, detail=detail)
        raise NhsaFailure(f"FSI-输入[data].omsgid：{msg}") from None
