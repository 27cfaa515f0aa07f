"""Visit transactions: 2401 入院办理, 2402 出院办理, 2404 入院撤销, 2405 出院撤销,
2301 住院费用明细上传, 2302 住院费用明细撤销, and the 冲正 (2601) of a 2401.

Each handler parses its input node with the strict ``wire`` parsers, calls one use case of
``app.visits.service`` and writes the answer. Only the fields onestop uses are required
(``mdtrtinfo``: ``psn_no, insutype, begntime, mdtrt_cert_type, mdtrt_cert_no, med_type,
ipt_no``); the rest of the input is kept whole with the visit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.errors import Unprocessable
from app.visits import service
from app.visits.service import AdmissionIn, DischargeIn, FeeLineIn, LineRef, LineResult

from .dispatch import Call, Done, transaction, undoes
from .wire import Fen, Scaled, Where, amount, count, moment, price, text

__all__ = [
    "MED_CHRGITM_TYPE",
    "admission",
    "cancel_admission",
    "cancel_discharge",
    "cancel_lines",
    "discharge",
    "undo_admission",
    "upload_lines",
]

_GRADE_LEVEL = {"A": "01", "B": "02", "C": "03"}  # chrgitm_lv 甲/乙/丙
# The catalogue has no charge-item type (医疗收费项目类别); every line answers 14 其他费.
# Assumption: the national dictionary's "other" class.
MED_CHRGITM_TYPE = "14"


def _invalid(where: Where, msg: str) -> Unprocessable:
    return Unprocessable(msg, code="validation_error", errors=[{"loc": where.loc, "msg": msg}])


def _node(value: Any, name: str) -> Mapping[str, Any]:
    node = value.get(name) if isinstance(value, Mapping) else None
    if not isinstance(node, Mapping):
        raise _invalid(Where(name), f"节点{name}缺失或不是对象")
    return node


def _text(node: Mapping[str, Any], where: Where, name: str, max_len: int) -> str:
    value = text(node.get(name), where.field(name), max_len)
    if value is None:  # required=True never returns None; for the type checker
        raise _invalid(where.field(name), "不能为空")
    return value


def _optional(node: Mapping[str, Any], where: Where, name: str, max_len: int) -> str | None:
    return text(node.get(name), where.field(name), max_len, required=False)


@transaction("2401")
async def admission(call: Call, raw: Any) -> Done:
    info = _node(raw, "mdtrtinfo")
    where = Where("mdtrtinfo")
    for name, max_len in (("mdtrt_cert_type", 3), ("mdtrt_cert_no", 50)):
        _text(info, where, name, max_len)
    body = AdmissionIn(
        psn_no=_text(info, where, "psn_no", 30),
        insutype=_text(info, where, "insutype", 6),
        med_type=_text(info, where, "med_type", 6),
        ipt_no=_text(info, where, "ipt_no", 30),
        admitted_at=moment(info.get("begntime"), where.field("begntime")),
        record=raw,
    )
    mdtrt_id = await service.admit(call.session, call.hospital_code, body)
    return Done(output={"result": {"mdtrt_id": mdtrt_id}}, effect={"mdtrt_id": mdtrt_id})


@undoes("2401")
async def undo_admission(call: Call, effect: Mapping[str, str]) -> None:
    """冲正 of a 2401: cancel the visit as 2404 does (already cancelled: nothing to do)."""
    visit = await service.lock_visit(call.session, call.hospital_code, effect["mdtrt_id"])
    if visit.status == "cancelled":
        return
    await service.cancel_admission(call.session, call.hospital_code, visit.mdtrt_id, None)


@transaction("2402")
async def discharge(call: Call, raw: Any) -> Done:
    info = _node(raw, "dscginfo")
    where = Where("dscginfo")
    body = DischargeIn(
        mdtrt_id=_text(info, where, "mdtrt_id", 30),
        psn_no=_text(info, where, "psn_no", 30),
        insutype=_text(info, where, "insutype", 6),
        discharged_at=moment(info.get("endtime"), where.field("endtime")),
        record=raw,
    )
    await service.discharge(call.session, call.hospital_code, body)
    return Done(output={})


def _visit_ref(raw: Any) -> tuple[str, str]:
    data = _node(raw, "data")
    where = Where("data")
    return _text(data, where, "mdtrt_id", 30), _text(data, where, "psn_no", 30)


@transaction("2404")
async def cancel_admission(call: Call, raw: Any) -> Done:
    mdtrt_id, psn_no = _visit_ref(raw)
    await service.cancel_admission(call.session, call.hospital_code, mdtrt_id, psn_no)
    return Done(output={})


@transaction("2405")
async def cancel_discharge(call: Call, raw: Any) -> Done:
    mdtrt_id, psn_no = _visit_ref(raw)
    await service.cancel_discharge(call.session, call.hospital_code, mdtrt_id, psn_no)
    return Done(output={})


def _hospital_borne(value: Any, where: Where) -> bool:
    """``exp_content`` ``{"hosp_borne_flag": "1"}`` (an object, or the same as a JSON string)
    marks a hospital-borne (不合规) line."""
    if value is None or value == "":
        return False
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid(where, "扩展字段须为JSON对象") from None
    if not isinstance(value, Mapping):
        raise _invalid(where, "扩展字段须为JSON对象")
    flag = value.get("hosp_borne_flag")
    if flag is None or flag == "0":
        return False
    if flag == "1":
        return True
    raise _invalid(where.field("hosp_borne_flag"), f"医院负担标志须为0或1：{flag}")


def _fee_line(line: Any, i: int) -> FeeLineIn:
    where = Where("feedetail", i)
    if not isinstance(line, Mapping):
        raise _invalid(where, "费用明细须为对象")
    init = _optional(line, where, "init_feedetl_sn", 30)
    return FeeLineIn(
        feedetl_sn=_text(line, where, "feedetl_sn", 30),
        init_feedetl_sn=init,
        mdtrt_id=_text(line, where, "mdtrt_id", 30),
        psn_no=_text(line, where, "psn_no", 30),
        occurred_at=moment(line.get("fee_ocur_time"), where.field("fee_ocur_time")),
        code=_text(line, where, "med_list_codg", 64),
        unit_price_e6=price(line.get("pric"), where.field("pric")),
        quantity_e4=count(line.get("cnt"), where.field("cnt"), negative=True),
        amount_fen=amount(
            line.get("det_item_fee_sumamt"), where.field("det_item_fee_sumamt"), negative=True
        ),
        hospital_borne=_hospital_borne(line.get("exp_content"), where.field("exp_content")),
        raw=line,
        medins_list_codg=_optional(line, where, "medins_list_codg", 64),
        name=_optional(line, where, "medins_list_name", 200),
        bilg_dept_codg=_optional(line, where, "bilg_dept_codg", 30),
        bilg_dept_name=_optional(line, where, "bilg_dept_name", 100),
        bilg_dr_codg=_optional(line, where, "bilg_dr_codg", 30),
        bilg_dr_name=_optional(line, where, "bilg_dr_name", 50),
    )


def line_result(result: LineResult) -> dict[str, Any]:
    """One ``result[]`` row of 2301."""
    return {
        "feedetl_sn": result.feedetl_sn,
        "det_item_fee_sumamt": Fen(result.amount_fen),
        "cnt": Scaled(result.quantity_e4, 4),
        "pric": Scaled(result.unit_price_e6, 6),
        "pric_uplmt_amt": Scaled(result.price_cap_e6, 6),
        "selfpay_prop": Scaled(result.self_pay_ratio_bp, 4),
        "fulamt_ownpay_amt": Fen(result.full_self_pay_fen),
        "overlmt_amt": Fen(result.over_limit_fen),
        "preselfpay_amt": Fen(result.pre_self_pay_fen),
        "inscp_scp_amt": Fen(result.in_policy_fen),
        "chrgitm_lv": _GRADE_LEVEL[result.grade],
        "med_chrgitm_type": MED_CHRGITM_TYPE,
        "lmt_used_flag": "0",
        "memo": "",
    }


@transaction("2301")
async def upload_lines(call: Call, raw: Any) -> Done:
    lines = raw.get("feedetail") if isinstance(raw, Mapping) else None
    if not isinstance(lines, list) or not lines:
        raise _invalid(Where("feedetail"), "费用明细List不能为空")
    if len(lines) > service.MAX_LINES_PER_CALL:
        raise _invalid(Where("feedetail"), f"每次最多上传{service.MAX_LINES_PER_CALL}条费用明细")
    parsed = [_fee_line(line, i) for i, line in enumerate(lines)]
    results = await service.upload_lines(call.session, call.hospital_code, parsed)
    return Done(output={"result": [line_result(r) for r in results]})


@transaction("2302")
async def cancel_lines(call: Call, raw: Any) -> Done:
    data = raw.get("data") if isinstance(raw, Mapping) else None
    items: list[tuple[Mapping[str, Any], Where]]
    if isinstance(data, Mapping):
        items = [(data, Where("data"))]
    elif isinstance(data, list) and data:
        items = []
        for i, item in enumerate(data):
            if not isinstance(item, Mapping):
                raise _invalid(Where("data", i), "节点data的元素须为对象")
            items.append((item, Where("data", i)))
    else:
        raise _invalid(Where("data"), "节点data缺失")
    refs: list[LineRef] = []
    mdtrt_id = psn_no = ""
    for n, (item, where) in enumerate(items):
        sn = _text(item, where, "feedetl_sn", 30)
        this_visit = _text(item, where, "mdtrt_id", 30)
        this_person = _text(item, where, "psn_no", 30)
        if n == 0:
            mdtrt_id, psn_no = this_visit, this_person
        elif this_visit != mdtrt_id:
            raise _invalid(where.field("mdtrt_id"), "一次撤销的费用明细须属于同一就诊")
        elif this_person != psn_no:
            raise _invalid(where.field("psn_no"), "一次撤销的费用明细须属于同一人员")
        refs.append(LineRef(sn, tuple(where.field("feedetl_sn").loc)))
    node = tuple(items[0][1].loc)
    await service.cancel_lines(call.session, call.hospital_code, mdtrt_id, psn_no, refs, node=node)
    return Done(output={})
