"""Reconciliation through the national interface: 3201 对总账, 3202 对明细账 and the file
exchange 9101 文件上传 / 9102 文件下载 (NHSA.md; nhsa-interface-detail.md §3201, §3202).

These functions take parsed values (``tx_reconcile`` parses the wire) and count exactly what
``/v1`` reconciliation counts: the events of :func:`app.reconciliation.events.events` (every
settlement of the hospital, whether a /v1 bill or a national-interface visit, on its
``settled_at``; every reversal record on its ``reversed_at`` with its amounts negated), over
Asia/Shanghai calendar days, both ends inclusive (:class:`app.reconciliation.scope.Scope`),
below the same horizon (:func:`app.reconciliation.cursor.current_horizon`). 3201 reads its
totals from the rollups of migration 0025 (:mod:`.rollup`: closed days from the rollups, open
ones from the rows), so a year costs its days; 3202 reads the rows (it compares them one by one).

Choices where the sources are silent or disagree (docs/nhsa-reconciliation.md says the same):

- ``setl_optins`` (结算经办机构) is the person's county code (``settlements.person_county_code``:
  the clearing agency); given, it narrows the records to it; empty or absent, all of the
  hospital's.
- ``fixmedins_setl_cnt`` counts records: a settlement and a reversal record are one each (a
  reversal's amounts are negative, its count is not), as a HIS counts the rows of its settlement
  table.
- ``refd_setl_flag`` (or ``REFD_SETL_FLAG``) ``"0"`` leaves the reversal records out (N7:
  "为0时，总账对账数据不包含退费数据"); the settlements they reverse stay in: each was a
  settlement on its day, and only the refund data is excluded. ``"1"``, empty or absent: they
  count. In 3202 the flag "0" means the file need not list reversal records: ours are left out
  unless the file lists the same ``setl_id`` (then the record is matched like any other). Every
  HIS seen sends "0" for 3202 while its file carries reversal rows flagged 1 (N5, N7, N8), which
  a plain exclusion would report as 医药机构多.
- ``insutype`` must be 390 and ``clr_type`` 21 (the only insurance and clearing type this
  service settles); any other value is ``-1`` naming it, as 2401 does for ``insutype``. In 3202,
  where some HIS leave ``clr_type`` out, it is checked when present.
- ``acct_pay`` is always 0 here (no personal accounts for resident insurance); ``cash_payamt``
  is the self-pay (``psn_cash_pay``).
- 3202's declared totals are parsed strictly (a bad figure is ``-1``) but not compared: the
  rows are, and 3201 compares totals.
- The upload's txt may start with a header row (its first cell ``setl_id``): it is skipped. The
  result has none (HIS parse every line of result.txt as a row).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.bounds import NHSA_DETAIL_TXT_MAX_BYTES, NHSA_UPLOAD_MAX_BYTES
from app.engine.money import format_fen, parse_scaled
from app.errors import Unprocessable
from app.reconciliation.cursor import REVERSAL, SETTLEMENT, current_horizon
from app.reconciliation.events import events
from app.reconciliation.scope import FIRST_DAY, LAST_DAY, SHANGHAI, Scope
from app.reconciliation.sums import fen_sum
from app.registry.models import Person
from app.settlement.models import CORRECTION, Reversal

from .codes import CODES
from .errors import NhsaFailure
from .files import NhsaFile, load_file, store_file
from .models import NhsaMessage
from .rollup import rolled

__all__ = [
    "DETAIL_COLUMNS",
    "MAKERS",
    "RESULT_COLUMNS",
    "RESULT_FILENAME",
    "RESULT_TXT",
    "DetailQuery",
    "Figures",
    "FileInfo",
    "StmtInfo",
    "TotalsQuery",
    "check_clr_type",
    "check_days",
    "check_insutype",
    "decode_upload",
    "download",
    "nhsa_msgids_by_setl_id",
    "our_figures",
    "our_figures_from_rows",
    "reconcile_details",
    "reconcile_totals",
    "upload",
]


# The uploaded detail file's columns (nhsa-interface-detail.md §3202.4) and the result's (§3202.5).
DETAIL_COLUMNS = (
    "setl_id",
    "mdtrt_id",
    "psn_no",
    "medfee_sumamt",
    "fund_pay_sumamt",
    "acct_pay",
    "refd_setl_flag",
)
RESULT_COLUMNS = (
    "psn_no",
    "mdtrt_id",
    "setl_id",
    "msgid",
    "stmt_rslt",
    "refd_setl_flag",
    "memo",
    "medfee_sumamt",
    "fund_pay_sumamt",
    "acct_pay",
)
RESULT_TXT = "result.txt"
RESULT_FILENAME = "result.zip"
NULL = "null"  # how the files write an empty value

# Per-row stmt_rslt (§3202.5).
MATCH, ONLY_OURS, ONLY_THEIRS, DIFFERENT = "0", "1", "2", "3"

# The Chinese names of the figures, as stmt_rslt_dscr and memo name them.
NAMES = {
    "medfee_sumamt": "医疗费总额",
    "fund_pay_sumamt": "基金支付总额",
    "acct_pay": "个人账户支付金额",
    "cash_payamt": "现金支付金额",
    "fixmedins_setl_cnt": "结算笔数",
    "mdtrt_id": "就诊ID",
    "psn_no": "人员编号",
    "refd_setl_flag": "退费结算标志",
}

_DLD_FORMAT = "%Y-%m-%d %H:%M:%S"


# -- checks shared by 3201 and 3202 ------------------------------------------------------------


def _invalid(loc: Sequence[str], msg: str) -> Unprocessable:
    return Unprocessable(msg, code="validation_error", errors=[{"loc": list(loc), "msg": msg}])


def check_insutype(value: str, loc: Sequence[str]) -> None:
    if value != CODES.insutype:
        raise _invalid(
            loc, f"险种类型{value}不支持，只支持{CODES.insutype}（城乡居民基本医疗保险）"
        )


def check_clr_type(value: str, loc: Sequence[str]) -> None:
    if value != CODES.clr_type:
        raise _invalid(loc, f"清算类别{value}不支持，只支持{CODES.clr_type}（住院）")


def check_days(begin: dt.date, end: dt.date, node: str) -> None:
    for name, day in (("stmt_begndate", begin), ("stmt_enddate", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise _invalid([node, name], f"日期{day}超出范围")
    if end < begin:
        raise _invalid([node, "stmt_enddate"], f"对账结束日期{end}早于开始日期{begin}")


# -- 3201 对总账 ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    """Totals of a set of records, in fen; ``setl_cnt`` the number of records."""

    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    cash_payamt: int
    setl_cnt: int

    @classmethod
    def of(cls, sums: Any) -> Figures:
        """From ``records``, ``total_fen``, ``fund_paid_fen`` and ``self_pay_fen`` (a row of the
        row query, or :class:`.rollup.Rolled`); ``acct_pay`` is always 0 (module docstring)."""
        return cls(
            medfee_sumamt=sums.total_fen,
            fund_pay_sumamt=sums.fund_paid_fen,
            acct_pay=0,
            cash_payamt=sums.self_pay_fen,
            setl_cnt=sums.records,
        )


@dataclass(frozen=True, slots=True)
class TotalsQuery:
    """3201's ``data``, parsed (amounts in fen)."""

    insutype: str
    clr_type: str
    setl_optins: str | None
    begin: dt.date
    end: dt.date
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    fixmedins_setl_cnt: int
    include_refunds: bool  # refd_setl_flag not "0"


@dataclass(frozen=True, slots=True)
class StmtInfo:
    setl_optins: str | None
    stmt_rslt: str  # "0" 对平, "1" 不平
    stmt_rslt_dscr: str


async def our_figures(
    session: AsyncSession,
    hospital_code: str,
    setl_optins: str | None,
    begin: dt.date,
    end: dt.date,
    include_refunds: bool,
) -> Figures:
    """The hospital's records over the days (reversal records only if ``include_refunds``),
    below the horizon: from the rollups of migration 0025 (:mod:`.rollup`), exactly what
    :func:`our_figures_from_rows` counts."""
    horizon = await current_horizon(session)
    found = await rolled(session, hospital_code, setl_optins, begin, end, include_refunds, horizon)
    return Figures.of(found)


async def our_figures_from_rows(
    session: AsyncSession,
    hospital_code: str,
    setl_optins: str | None,
    begin: dt.date,
    end: dt.date,
    include_refunds: bool,
) -> Figures:
    """:func:`our_figures` read from the rows (the events of every day): the reference the
    rollups are tested against, and what 3201 read before migration 0025."""
    horizon = await current_horizon(session)
    ev = events(Scope(hospital_code, begin, end), horizon)
    query = (
        select(
            func.count().label("records"),
            fen_sum(ev.c.total_fen).label("total_fen"),
            fen_sum(ev.c.fund_paid_fen).label("fund_paid_fen"),
            fen_sum(ev.c.self_pay_fen).label("self_pay_fen"),
        )
        .select_from(ev)
        .where(~_corrected(ev.c.settlement_id, horizon))
    )
    if setl_optins:
        query = query.where(ev.c.person_county_code == setl_optins)
    if not include_refunds:
        query = query.where(ev.c.kind == SETTLEMENT)
    row = (await session.execute(query)).one()
    return Figures.of(row)


def _differs(name: str, theirs: str, ours: str) -> str:
    return f"{NAMES[name]}不符：医药机构{theirs}，中心{ours}"


async def reconcile_totals(session: AsyncSession, hospital_code: str, q: TotalsQuery) -> StmtInfo:
    """Compare the hospital's four figures with ours: ``stmt_rslt_dscr`` names each that
    differs with both values (``医疗费总额不符：医药机构100.00，中心120.00``), ``；`` between
    them, or ``对平``."""
    check_insutype(q.insutype, ["data", "insutype"])
    check_clr_type(q.clr_type, ["data", "clr_type"])
    check_days(q.begin, q.end, "data")
    ours = await our_figures(
        session, hospital_code, q.setl_optins, q.begin, q.end, q.include_refunds
    )
    differences = [
        _differs(name, format_fen(theirs), format_fen(mine))
        for name, theirs, mine in (
            ("medfee_sumamt", q.medfee_sumamt, ours.medfee_sumamt),
            ("fund_pay_sumamt", q.fund_pay_sumamt, ours.fund_pay_sumamt),
            ("acct_pay", q.acct_pay, ours.acct_pay),
        )
        if theirs != mine
    ]
    if q.fixmedins_setl_cnt != ours.setl_cnt:
        differences.append(
            _differs("fixmedins_setl_cnt", str(q.fixmedins_setl_cnt), str(ours.setl_cnt))
        )
    return StmtInfo(
        setl_optins=q.setl_optins,
        stmt_rslt="1" if differences else "0",
        stmt_rslt_dscr="；".join(differences) if differences else "对平",
    )


# -- 9101 文件上传 / 9102 文件下载 ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileInfo:
    file_qury_no: str
    filename: str
    dld_endtime: str  # yyyy-MM-dd HH:mm:ss, Asia/Shanghai

    @classmethod
    def of(cls, row: NhsaFile) -> FileInfo:
        return cls(
            file_qury_no=row.file_qury_no,
            filename=row.filename,
            dld_endtime=row.expires_at.astimezone(SHANGHAI).strftime(_DLD_FORMAT),
        )


def decode_upload(value: Any, loc: Sequence[str]) -> bytes:
    """9101's ``in``: a base64 string (line breaks allowed, as MIME encoders write them) or a
    JSON array of signed bytes (−128..127, as Java's ``byte[]`` and C#'s ``sbyte`` write them).
    At most :data:`~app.bounds.NHSA_UPLOAD_MAX_BYTES` bytes."""
    limit = NHSA_UPLOAD_MAX_BYTES
    if isinstance(value, str):
        compact = value.replace("\r", "").replace("\n", "")
        if len(compact) > (limit + 2) // 3 * 4:
            raise _invalid(loc, f"文件超过{limit}字节")
        try:
            content = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid(loc, "文件数据不是有效的base64字符串") from None
    elif isinstance(value, list):
        if len(value) > limit:
            raise _invalid(loc, f"文件超过{limit}字节")
        out = bytearray()
        for i, b in enumerate(value):
            if type(b) is not int or not -128 <= b <= 127:
                raise _invalid([*loc, str(i)], f"第{i + 1}个字节{b!r}不是-128至127的整数")
            out.append(b & 0xFF)
        content = bytes(out)
    else:
        raise _invalid(loc, "文件数据应为base64字符串或字节数组")
    if not content:
        raise _invalid(loc, "文件为空")
    if len(content) > limit:
        raise _invalid(loc, f"文件超过{limit}字节")
    return content


async def upload(
    session: AsyncSession, hospital_code: str, filename: str, content: bytes, now: dt.datetime
) -> FileInfo:
    """Store an uploaded file for 24 h (9101). What it holds is read by 3202."""
    return FileInfo.of(await store_file(session, hospital_code, filename, "upload", content, now))


async def download(
    session: AsyncSession, hospital_code: str, file_qury_no: str, now: dt.datetime
) -> bytes:
    """The bytes of one of the hospital's 3202 result files (9102)."""
    row = await load_file(session, hospital_code, file_qury_no, "result", now)
    if row is None:
        raise _invalid(["fsDownloadIn", "file_qury_no"], _unknown_file(file_qury_no))
    return row.bytes


def _unknown_file(file_qury_no: str) -> str:
    return f"文件查询号{file_qury_no}不存在或已过期"


# -- 3202 对明细账 --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DetailQuery:
    """3202's ``data``, parsed (amounts in fen)."""

    setl_optins: str | None
    file_qury_no: str
    begin: dt.date
    end: dt.date
    medfee_sumamt: int
    fund_pay_sumamt: int
    cash_payamt: int
    fixmedins_setl_cnt: int
    clr_type: str | None
    include_refunds: bool  # REFD_SETL_FLAG not "0"


@dataclass(frozen=True, slots=True)
class Record:
    """One settlement or reversal record, ours or a row of the hospital's file."""

    setl_id: str
    mdtrt_id: str | None
    psn_no: str | None
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    refd_setl_flag: str  # "0" settlement, "1" reversal (refund) record


def _file_error(msg: str) -> NhsaFailure:
    return NhsaFailure(f"FSI-对账明细文件：{msg}")


def _cell_error(line: int, column: int, msg: str) -> NhsaFailure:
    name = DETAIL_COLUMNS[column]
    return NhsaFailure(f"FSI-对账明细文件第{line}行第{column + 1}列{name}：{msg}")


def read_detail_file(content: bytes) -> list[tuple[int, Record]]:
    """The rows of an uploaded detail zip with their line numbers (1-based, in the txt)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise _file_error("不是有效的zip文件") from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) != 1 or not entries[0].filename.lower().endswith(".txt"):
            names = "、".join(info.filename for info in entries) or "无"
            raise _file_error(f"zip中应只有一个txt文件，实有：{names}")
        entry = entries[0]
        if entry.file_size > NHSA_DETAIL_TXT_MAX_BYTES:
            raise _file_error(f"txt文件超过{NHSA_DETAIL_TXT_MAX_BYTES}字节")
        try:
            with archive.open(entry) as stream:
                raw = stream.read(NHSA_DETAIL_TXT_MAX_BYTES + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
            raise _file_error("zip文件已损坏或使用了不支持的压缩方式") from None
    if len(raw) > NHSA_DETAIL_TXT_MAX_BYTES:
        raise _file_error(f"txt文件超过{NHSA_DETAIL_TXT_MAX_BYTES}字节")
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        bad_line = raw[: e.start].count(b"\n") + 1
        raise _file_error(f"第{bad_line}行不是UTF-8编码") from None
    rows: list[tuple[int, Record]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(body.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) == len(DETAIL_COLUMNS) + 1 and cells[-1] == "":
            cells.pop()  # a trailing TAB (N6 writes one)
        if not rows and not seen and cells[0].strip().lower() == "setl_id":
            seen[""] = number  # a header row: skipped, and only as the first row
            continue
        if len(cells) != len(DETAIL_COLUMNS):
            raise _file_error(f"第{number}行应有{len(DETAIL_COLUMNS)}列，实有{len(cells)}列")
        record = _row(number, cells)
        if record.setl_id in seen:
            raise _cell_error(number, 0, f"结算ID{record.setl_id}与第{seen[record.setl_id]}行重复")
        seen[record.setl_id] = number
        rows.append((number, record))
    return rows


def _row(line: int, cells: list[str]) -> Record:
    def ident(column: int) -> str | None:
        value = cells[column].strip()
        if value in ("", NULL):
            return None
        if len(value) > 30:
            raise _cell_error(line, column, "长度不能超过30")
        return value

    def money(column: int) -> int:
        value = cells[column].strip()
        try:
            return parse_scaled(value, 2)
        except ValueError:
            raise _cell_error(line, column, f"金额格式不正确：{value}") from None

    setl_id = ident(0)
    if setl_id is None:
        raise _cell_error(line, 0, "不能为空")
    flag = cells[6].strip()
    if flag not in ("0", "1"):
        raise _cell_error(line, 6, f"应为0或1：{flag}")
    return Record(
        setl_id=setl_id,
        mdtrt_id=ident(1),
        psn_no=ident(2),
        medfee_sumamt=money(3),
        fund_pay_sumamt=money(4),
        acct_pay=money(5),
        refd_setl_flag=flag,
    )


async def our_records(
    session: AsyncSession,
    hospital_code: str,
    setl_optins: str | None,
    begin: dt.date,
    end: dt.date,
) -> list[Record]:
    """The hospital's settlement and reversal records over the days, by ``setl_id``."""
    horizon = await current_horizon(session)
    ev = events(Scope(hospital_code, begin, end), horizon)
    query = (
        select(
            ev.c.kind,
            ev.c.setl_id,
            ev.c.mdtrt_id,
            Person.psn_no,
            ev.c.total_fen,
            ev.c.fund_paid_fen,
        )
        .select_from(ev)
        .join(Person, Person.id == ev.c.person_id)
        .where(~_corrected(ev.c.settlement_id, horizon))
        .order_by(ev.c.setl_id)
    )
    if setl_optins:
        query = query.where(ev.c.person_county_code == setl_optins)
    return [
        Record(
            setl_id=row.setl_id,
            mdtrt_id=row.mdtrt_id,
            psn_no=row.psn_no,
            medfee_sumamt=row.total_fen,
            fund_pay_sumamt=row.fund_paid_fen,
            acct_pay=0,
            refd_setl_flag="1" if row.kind == REVERSAL else "0",
        )
        for row in await session.execute(query)
    ]


async def nhsa_msgids_by_setl_id(
    session: AsyncSession, hospital_code: str, setl_ids: Sequence[str]
) -> dict[str, str]:
    """For each ``setl_id`` made through the national interface, the ``msgid`` of the 2304 (a
    settlement) or 2305 (a reversal record) that made it: the message whose ``effect`` names
    it (``ix_nhsa_messages_setl_id``, migration 0016). Records made through /v1 have none
    (``null`` in result.txt)."""
    if not setl_ids:
        return {}
    made_by = NhsaMessage.effect["setl_id"].astext
    rows = await session.execute(
        select(made_by, NhsaMessage.msgid).where(
            NhsaMessage.hospital_code == hospital_code,
            NhsaMessage.infno.in_(MAKERS),
            NhsaMessage.effect.has_key("setl_id"),
            made_by.in_(list(setl_ids)),
        )
    )
    return {setl_id: msgid for setl_id, msgid in rows}


MAKERS = ("2304", "2305")
"""The transactions whose message makes a record: 2304 a settlement, 2305 a reversal record."""


def _corrected(settlement_id: ColumnElement[uuid.UUID], horizon: int) -> ColumnElement[bool]:
    """Whether the settlement was undone by a 冲正 of its 2304 (a reversal of kind
    ``correction``, below the horizon): for the HIS neither the settlement nor its correction
    ever existed, so 3201/3202 leave both out (``/v1`` keeps both: they net to zero)."""
    return exists().where(
        Reversal.settlement_id == settlement_id,
        Reversal.kind == CORRECTION,
        Reversal.xact_id < horizon,
    )


def _compare(theirs: Record, ours: Record) -> list[str]:
    """What differs between a file row and our record of the same ``setl_id``, in Chinese."""
    differences = []
    for name in ("mdtrt_id", "psn_no", "refd_setl_flag"):
        a, b = getattr(theirs, name), getattr(ours, name)
        if a != b:
            differences.append(_differs(name, a or NULL, b or NULL))
    for name in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay"):
        a, b = getattr(theirs, name), getattr(ours, name)
        if a != b:
            differences.append(_differs(name, format_fen(a), format_fen(b)))
    return differences


def _result_line(record: Record, msgid: str | None, stmt_rslt: str, memo: str | None) -> str:
    cells = (
        record.psn_no,
        record.mdtrt_id,
        record.setl_id,
        msgid,
        stmt_rslt,
        record.refd_setl_flag,
        memo,
        format_fen(record.medfee_sumamt),
        format_fen(record.fund_pay_sumamt),
        format_fen(record.acct_pay),
    )
    return "\t".join(NULL if c is None or c == "" else c for c in cells) + "\n"


def detail_result(
    theirs: Sequence[Record], ours: Sequence[Record], include_refunds: bool, msgids: dict[str, str]
) -> str:
    """result.txt: the file's rows in its order (0 对平, 3 数据不一致 with the differences in
    ``memo``, 2 医药机构多), then ours the file does not list, by ``setl_id`` (1 中心多). Matched
    and our rows carry our figures; a row only the hospital has carries its own."""
    by_setl_id = {record.setl_id: record for record in ours}
    listed = {record.setl_id for record in theirs}
    lines = []
    for row in theirs:
        mine = by_setl_id.get(row.setl_id)
        if mine is None:
            lines.append(_result_line(row, None, ONLY_THEIRS, "中心无此结算记录"))
            continue
        differences = _compare(row, mine)
        msgid = msgids.get(mine.setl_id)
        if differences:
            lines.append(_result_line(mine, msgid, DIFFERENT, "；".join(differences)))
        else:
            lines.append(_result_line(mine, msgid, MATCH, None))
    for mine in ours:
        if mine.setl_id in listed or (not include_refunds and mine.refd_setl_flag == "1"):
            continue
        lines.append(
            _result_line(mine, msgids.get(mine.setl_id), ONLY_OURS, "医药机构无此结算记录")
        )
    return "".join(lines)


def zip_result(text: str) -> bytes:
    """A zip holding ``result.txt`` (UTF-8), with a fixed timestamp so equal results are equal
    bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(RESULT_TXT, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


async def reconcile_details(
    session: AsyncSession, hospital_code: str, q: DetailQuery, now: dt.datetime
) -> FileInfo:
    """3202: match the uploaded rows with our records by ``setl_id`` over the days, store the
    result zip (kind ``result``, 24 h) and name it."""
    if q.clr_type is not None:
        check_clr_type(q.clr_type, ["data", "clr_type"])
    check_days(q.begin, q.end, "data")
    upload_row = await load_file(session, hospital_code, q.file_qury_no, "upload", now)
    if upload_row is None:
        raise _invalid(["data", "file_qury_no"], _unknown_file(q.file_qury_no))
    theirs = [record for _, record in read_detail_file(upload_row.bytes)]
    ours = await our_records(session, hospital_code, q.setl_optins, q.begin, q.end)
    msgids = await nhsa_msgids_by_setl_id(session, hospital_code, [r.setl_id for r in ours])
    content = zip_result(detail_result(theirs, ours, q.include_refunds, msgids))
    stored = await store_file(session, hospital_code, RESULT_FILENAME, "result", content, now)
    return FileInfo.of(stored)
