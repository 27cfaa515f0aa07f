"""Handlers of 3201 对总账, 3202 对明细账, 9101 文件上传 and 9102 文件下载: parse the wire
(:mod:`app.nhsa.wire`), call :mod:`app.nhsa.reconcile`, shape the answer (NHSA.md; field lists
in nhsa-interface-detail.md §3201, §3202).

The nodes' own ``fixmedins_code`` (9101, 9102) and 9102's ``filename`` are read but not checked:
the file belongs to the envelope's hospital (which the dispatcher checked against the key), and
HIS fill these with other things (N1 sends ``setl_optins``, N6 sends ``"plc"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.errors import Unprocessable

from . import reconcile, wire
from .dispatch import Call, Done, transaction
from .wire import Where

__all__ = ["details_3202", "download_9102", "totals_3201", "upload_9101"]


def _node(raw: Any, name: str) -> Mapping[str, Any]:
    node = raw.get(name) if isinstance(raw, Mapping) else None
    if not isinstance(node, Mapping):
        msg = f"缺少{name}节点"
        raise Unprocessable(msg, code="validation_error", errors=[{"loc": [name], "msg": msg}])
    return node


def _whole(value: Any, where: Where) -> int:
    """A count (N10): a JSON integer or a string of ASCII digits."""
    if type(value) is int and 0 <= value < 10**10:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    msg = f"应为不超过10位的非负整数：{value}"
    raise Unprocessable(msg, code="validation_error", errors=[{"loc": where.loc, "msg": msg}])


def _include_refunds(data: Mapping[str, Any], node: str) -> bool:
    """``refd_setl_flag`` / ``REFD_SETL_FLAG``: "0" leaves reversal records out; "1", empty,
    null or absent counts them (N7)."""
    name = "refd_setl_flag" if "refd_setl_flag" in data else "REFD_SETL_FLAG"
    value = data.get(name)
    if value in (None, "", "1", 1):
        return True
    if value in ("0", 0):
        return False
    msg = f"退费结算标志应为0或1：{value}"
    raise Unprocessable(msg, code="validation_error", errors=[{"loc": [node, name], "msg": msg}])


def _text(data: Mapping[str, Any], where: Where, name: str, max_len: int) -> str:
    value = wire.text(data.get(name), where.field(name), max_len)
    if value is None:  # required=True never gives None; this satisfies the type
        raise Unprocessable("不能为空", code="validation_error")
    return value


def _sum(data: Mapping[str, Any], at: Where, name: str) -> int:
    """One of the hospital's totals, in fen: negative when its reversals outweigh."""
    return wire.amount(data.get(name), at.field(name), negative=True)


@transaction("3201")
async def totals_3201(call: Call, raw: Any) -> Done:
    data = _node(raw, "data")
    at = Where("data")
    query = reconcile.TotalsQuery(
        insutype=_text(data, at, "insutype", 6),
        clr_type=_text(data, at, "clr_type", 6),
        setl_optins=wire.text(data.get("setl_optins"), at.field("setl_optins"), 6, required=False),
        begin=wire.day(data.get("stmt_begndate"), at.field("stmt_begndate")),
        end=wire.day(data.get("stmt_enddate"), at.field("stmt_enddate")),
        medfee_sumamt=_sum(data, at, "medfee_sumamt"),
        fund_pay_sumamt=_sum(data, at, "fund_pay_sumamt"),
        acct_pay=_sum(data, at, "acct_pay"),
        fixmedins_setl_cnt=_whole(data.get("fixmedins_setl_cnt"), at.field("fixmedins_setl_cnt")),
        include_refunds=_include_refunds(data, "data"),
    )
    info = await reconcile.reconcile_totals(call.session, call.hospital_code, query)
    return Done(
        output={
            "stmtinfo": {
                "setl_optins": info.setl_optins,
                "stmt_rslt": info.stmt_rslt,
                "stmt_rslt_dscr": info.stmt_rslt_dscr,
            }
        }
    )


def _file_info(info: reconcile.FileInfo) -> dict[str, str]:
    return {
        "file_qury_no": info.file_qury_no,
        "filename": info.filename,
        "dld_endtime": info.dld_endtime,
    }


@transaction("9101")
async def upload_9101(call: Call, raw: Any) -> Done:
    node = _node(raw, "fsUploadIn")
    at = Where("fsUploadIn")
    if "in" not in node:
        raise Unprocessable(
            "不能为空",
            code="validation_error",
            errors=[{"loc": at.field("in").loc, "msg": "不能为空"}],
        )
    content = reconcile.decode_upload(node["in"], ["fsUploadIn", "in"])
    filename = _text(node, at, "filename", 200)
    info = await reconcile.upload(call.session, call.hospital_code, filename, content, call.now)
    return Done(output=_file_info(info))  # no sub-node (N1 Output_9101, N5, N7)


@transaction("3202")
async def details_3202(call: Call, raw: Any) -> Done:
    data = _node(raw, "data")
    at = Where("data")
    query = reconcile.DetailQuery(
        setl_optins=wire.text(data.get("setl_optins"), at.field("setl_optins"), 6, required=False),
        file_qury_no=_text(data, at, "file_qury_no", 30),
        begin=wire.day(data.get("stmt_begndate"), at.field("stmt_begndate")),
        end=wire.day(data.get("stmt_enddate"), at.field("stmt_enddate")),
        medfee_sumamt=_sum(data, at, "medfee_sumamt"),
        fund_pay_sumamt=_sum(data, at, "fund_pay_sumamt"),
        cash_payamt=_sum(data, at, "cash_payamt"),
        fixmedins_setl_cnt=_whole(data.get("fixmedins_setl_cnt"), at.field("fixmedins_setl_cnt")),
        clr_type=wire.text(data.get("clr_type"), at.field("clr_type"), 6, required=False),
        include_refunds=_include_refunds(data, "data"),
    )
    info = await reconcile.reconcile_details(call.session, call.hospital_code, query, call.now)
    return Done(output={"fileinfo": _file_info(info)})


@transaction("9102")
async def download_9102(call: Call, raw: Any) -> Done:
    node = _node(raw, "fsDownloadIn")
    file_qury_no = _text(node, Where("fsDownloadIn"), "file_qury_no", 30)
    content = await reconcile.download(call.session, call.hospital_code, file_qury_no, call.now)
    return Done(output={}, file=content)
