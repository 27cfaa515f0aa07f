"""The national interface's one URL: envelope, authentication, message idempotency, dispatch.

``POST /fsi/api/rsfComIfsService/callService`` (and ``…/callService/{infno}``) reads the
envelope, checks the caller and ``fixmedins_code``, then inside the request's one transaction:

1. takes the transaction-level advisory lock of ``(fixmedins_code, msgid)``, in the statement
   that also reads the hospital's county and the answer's ``inf_refmsgid`` number;
2. in the next statement (so it sees what the lock's previous holder committed), looks the
   message up in ``nhsa_messages``: the same ``infno`` and ``input`` answer the stored
   bytes again, byte for byte; another input ``-1 报文ID重复``; a tombstone or a message undone
   by 2601 ``-1 该报文已冲正``;
3. runs the transaction's handler; on success stores the answer bytes with its ``effect`` in the
   same transaction, which ``SessionDep`` commits before the answer is sent; on failure rolls
   back and stores nothing (the message changed nothing, so the same ``msgid`` runs again).

A handler raises ``app.errors.AppError`` (its ``errors[].loc`` in wire names), a pydantic
``ValidationError`` or :class:`~app.nhsa.errors.NhsaFailure`; each becomes ``infcode -1`` with
the Chinese ``err_msg`` of :func:`err_msg`. An ``AppError`` of status 5xx (the database is
unavailable, …) is the service's failure, not the message's: the app's 503 problem+json, as on
``/v1``. Any other exception is a bug: the app's 500, never ``infcode 0``. Every envelope
answer is HTTP 200; authentication failures are 401 problem+json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Caller
from app.db.session import SessionDep
from app.errors import AppError, problem_responses
from app.policy.store import PolicyStore
from app.routing import loads

from . import wire
from .auth import fsi_caller
from .errors import NhsaFailure
from .models import NhsaMessage

__all__ = [
    "ENVELOPE_KEYS",
    "HANDLERS",
    "NODE_LABELS",
    "UNDO",
    "Call",
    "Done",
    "Handler",
    "Undo",
    "err_msg",
    "lock_message",
    "router",
    "transaction",
    "undoes",
]

PATH = "/fsi/api/rsfComIfsService/callService"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Call:
    session: AsyncSession  # the request's read-write session; the dispatcher commits
    caller: Caller  # role "hospital"
    hospital_code: str  # == envelope fixmedins_code == caller.hospital_code (checked)
    msgid: str
    infno: str
    envelope: Mapping[str, Any]  # the whole request envelope as parsed
    policies: PolicyStore
    now: dt.datetime  # when the message arrived, tz-aware (Asia/Shanghai)


@dataclass(frozen=True, slots=True)
class Done:
    output: Mapping[str, Any]  # the answer's "output" node
    effect: Mapping[str, str] | None = None  # what 2601 needs to undo it
    file: bytes | None = None  # 9102: the raw file answered instead of an envelope


Handler = Callable[[Call, Any], Awaitable[Done]]
Undo = Callable[[Call, Mapping[str, str]], Awaitable[None]]

HANDLERS: dict[str, Handler] = {}
UNDO: dict[str, Undo] = {}


def transaction(infno: str) -> Callable[[Handler], Handler]:
    """Register the handler of ``infno`` (``@transaction("9001")``)."""

    def register(handler: Handler) -> Handler:
        if infno in HANDLERS and HANDLERS[infno] is not handler:
            raise RuntimeError(f"two handlers for infno {infno}")
        HANDLERS[infno] = handler
        return handler

    return register


def undoes(infno: str) -> Callable[[Undo], Undo]:
    """Register what 2601 calls to undo a stored ``infno`` message, given its ``effect``."""

    def register(undo: Undo) -> Undo:
        if infno in UNDO and UNDO[infno] is not undo:
            raise RuntimeError(f"two undo functions for infno {infno}")
        UNDO[infno] = undo
        return undo

    return register


# --- the envelope ---------------------------------------------------------------------------

ENVELOPE_KEYS: dict[str, int] = {
    # NHSA.md "Envelope" (lengths from nhsa-interface-detail.md, spec-quote N1 InputPost1.cs)
    "infno": 6,
    "msgid": 30,
    "mdtrtarea_admvs": 6,
    "insuplc_admdvs": 6,
    "recer_sys_code": 10,
    "dev_no": 100,
    "dev_safe_info": 2000,
    "cainfo": 1024,
    "signtype": 10,
    "infver": 6,
    "opter_type": 3,
    "opter": 30,
    "opter_name": 50,
    "inf_time": 19,
    "fixmedins_code": 30,
    "fixmedins_name": 200,
    "sign_no": 30,
    "recer_admdvs": 6,  # the Guangzhou envelope's extra key
}
REQUIRED = ("infno", "msgid", "fixmedins_code", "inf_time")

NODE_LABELS: dict[str, str] = {
    "feedetail": "费用明细",
    "mdtrtinfo": "就诊信息",
    "dscginfo": "出院信息",
    "diseinfo": "诊断信息",
    "data": "输入",
    "input": "输入",
    "signIn": "签到信息",
    "fsUploadIn": "文件上传",
    "fsDownloadIn": "文件下载",
    "setlinfo": "结算信息",
    "setldetail": "结算明细",
    "stmtinfo": "对账信息",
}
"""The Chinese label of each input node, for ``err_msg`` (``FSI-费用明细[feedetail][3].…``)."""
ENVELOPE_LABEL = "报文头"


def err_msg(errors: Sequence[Mapping[str, Any]], detail: str) -> str:
    """``FSI-<label>[node][i].field：msg`` for each error (joined with ``；``); the detail as it
    is when no error has a place."""
    parts = [_one(list(e.get("loc") or ()), str(e.get("msg", ""))) for e in errors]
    parts = [p for p in parts if p]
    return "；".join(parts) if parts else detail


def _one(loc: list[Any], msg: str) -> str:
    if loc[:1] == ["input"] and len(loc) > 1:
        loc = loc[1:]
    if not loc:
        return f"FSI-{msg}" if msg else ""
    head, rest = loc[0], loc[1:]
    if isinstance(head, str) and (head in ENVELOPE_KEYS or head == "input") and not rest:
        return f"FSI-{ENVELOPE_LABEL}.{head}：{msg}"
    out = f"FSI-{NODE_LABELS.get(str(head), str(head))}[{head}]"
    for part in rest:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"{out}：{msg}"


class _Refused(Exception):
    """An envelope problem answered with ``infcode -1`` before any handler runs."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _envelope(body: bytes, content_type: str | None, path_infno: str | None) -> dict[str, Any]:
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    if media not in ("", JSON, "text/plain"):
        raise _Refused(f"FSI-请求的Content-Type须为application/json或text/plain，而不是{media}")
    charset = params.strip().lower().removeprefix("charset=").strip('"')
    if "charset=" in params.lower() and charset not in ("utf-8", "utf8"):
        raise _Refused(f"FSI-请求须为UTF-8编码，而不是{charset}")
    try:
        parsed = loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Refused("FSI-请求不是UTF-8编码的JSON") from None
    except ValueError as exc:
        raise _Refused(f"FSI-请求不是有效的JSON：{exc}") from None
    if not isinstance(parsed, dict):
        raise _Refused("FSI-请求须为JSON对象")
    for key in REQUIRED:
        wire.text(parsed.get(key), wire.Where(key), ENVELOPE_KEYS[key])
    if "input" not in parsed or parsed["input"] is None:
        raise wire.Where("input").fail("不能为空")
    if not isinstance(parsed["input"], dict):
        raise wire.Where("input").fail("必须是JSON对象")
    for key, max_len in ENVELOPE_KEYS.items():
        if key not in REQUIRED:
            wire.text(parsed.get(key), wire.Where(key), max_len, required=False)
    if path_infno is not None and path_infno != parsed["infno"]:
        raise wire.Where("infno").fail(f"与请求路径中的交易编号{path_infno}不一致")
    wire.moment(parsed["inf_time"], wire.Where("inf_time"))
    return parsed


# --- answers ----------------------------------------------------------------------------------


def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y%m%d%H%M%S") + f"{at.microsecond // 1000:03d}"


def _answer(
    refmsgid: str, received: dt.datetime, output: Mapping[str, Any] | None, failure: str | None
) -> bytes:
    return wire.dumps(
        {
            "infcode": 0 if failure is None else -1,
            "inf_refmsgid": refmsgid,
            "refmsg_time": _stamp(received),
            "respond_time": _stamp(dt.datetime.now(wire.ZONE)),
            "enctype": "",
            "signtype": "",
            "err_msg": failure,
            "output": {} if output is None else output,
        }
    )


def _refmsgid(county: str, number: int, received: dt.datetime) -> str:
    return f"{county}{received:%Y%m%d%H%M%S}{number % 10**10:010d}"


# The hospital's county and the next inf_refmsgid number, in one statement; with the message's
# lock (:func:`lock_message`) beside them once the envelope names the message. The number is
# taken whether or not the message then runs (a replay answers its stored one): the sequence
# only promises unique numbers, and a failure's answer uses it after its rollback.
_COUNTY = "(SELECT county_code FROM hospitals WHERE code = :h)"
_NUMBER = text(f"SELECT {_COUNTY} AS county, nextval('nhsa_refmsgid_seq') AS number")
_LOCK_AND_NUMBER = text(
    f"SELECT {_COUNTY} AS county, nextval('nhsa_refmsgid_seq') AS number,"
    " pg_advisory_xact_lock(1852339041, hashtext(:h || '/' || :m)) AS locked"
)


async def _number(
    session: AsyncSession, hospital_code: str | None, msgid: str | None = None
) -> tuple[str, int]:
    """``(county, number)`` of the answer: the hospital's county (``000000`` when none), the
    next ``nhsa_refmsgid_seq``; with ``msgid``, also :func:`lock_message` of it."""
    if msgid is None or hospital_code is None:
        row = (await session.execute(_NUMBER, {"h": hospital_code})).one()
    else:
        row = (await session.execute(_LOCK_AND_NUMBER, {"h": hospital_code, "m": msgid})).one()
    return row.county or "000000", int(row.number)


async def lock_message(session: AsyncSession, hospital_code: str, msgid: str) -> None:
    """The transaction-level advisory lock of one message id (two-int form, first int "nhsa":
    never the one-bigint bill, person-year and migration locks nor the admin-keys lock)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(1852339041, hashtext(:h || '/' || :m))"),
        {"h": hospital_code, "m": msgid},
    )


def input_hash(infno: str, node: Any) -> str:
    return hashlib.sha256(f"{infno}\n{wire.canonical(node)}".encode()).hexdigest()


def _header(envelope: Mapping[str, Any]) -> dict[str, Any]:
    """What the envelope said besides ``input``, kept with the message (audit)."""
    return {
        key: envelope[key]
        for key in ENVELOPE_KEYS
        if isinstance(envelope.get(key), str) and envelope[key] != ""
    }


# --- the route --------------------------------------------------------------------------------

router = APIRouter(tags=["national interface (fsi)"])

_ENVELOPE_IN = {
    "type": "object",
    "required": [*REQUIRED, "input"],
    "properties": {
        "infno": {"type": "string", "description": "交易编号, e.g. 2304", "example": "9001"},
        "msgid": {
            "type": "string",
            "maxLength": 30,
            "description": "发送方报文ID: unique per hospital; a repeat returns the stored answer",
        },
        "fixmedins_code": {"type": "string", "description": "定点医药机构编号: the key's hospital"},
        "inf_time": {"type": "string", "description": "交易时间 yyyy-MM-dd HH:mm:ss"},
        "input": {"type": "object", "description": "the transaction's input nodes"},
    },
    "additionalProperties": True,
}
_ENVELOPE_OUT = {
    "type": "object",
    "properties": {
        "infcode": {"type": "integer", "enum": [0, -1], "description": "0 success, -1 failure"},
        "inf_refmsgid": {"type": "string", "description": "接收方报文ID (ours, 30 characters)"},
        "refmsg_time": {"type": "string", "description": "yyyyMMddHHmmssSSS"},
        "respond_time": {"type": "string", "description": "yyyyMMddHHmmssSSS"},
        "enctype": {"type": "string"},
        "signtype": {"type": "string"},
        "err_msg": {
            "type": "string",
            "nullable": True,
            "description": "null on success; Chinese text naming the node and field",
        },
        "output": {"type": "object", "description": "the transaction's output nodes"},
    },
}
_DOC = {
    "description": "See docs/nhsa.md. Also served as `…/callService/{infno}` (some HIS append the "
    "code; it must agree with the body's). The body is a JSON envelope, sent as application/json "
    "or as text/plain (as some HIS do; the same JSON); the answer is an envelope with `infcode` 0 "
    "or -1 (HTTP 200), or for 9102 the raw file. 401 problem+json when no credential verifies.",
    "responses": {
        200: {
            "description": "An envelope answer (success or failure), or a 9102 file.",
            "content": {
                JSON: {"schema": _ENVELOPE_OUT},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(
            400,
            401,
            422,
            codes={
                400: ["ambiguous_credentials"],
                401: ["unauthorized"],
                422: ["validation_error"],  # an unknown query parameter
            },
        ),
    },
    "openapi_extra": {
        "requestBody": {"required": True, "content": {JSON: {"schema": _ENVELOPE_IN}}}
    },
}


@router.post(
    PATH,
    operation_id="callService",
    summary="医保接口 National interface (fsi), every transaction",
    **_DOC,  # type: ignore[arg-type]
)
async def call_service(request: Request, session: SessionDep) -> Response:
    return await _serve(request, session, None)


@router.post(
    PATH + "/{infno}",
    summary="医保接口 National interface (fsi), the transaction code in the path",
    # The same operation under the path some HIS use; documented once, on the path above.
    include_in_schema=False,
)
async def call_service_infno(request: Request, session: SessionDep, infno: str) -> Response:
    return await _serve(request, session, infno)


# Built once (its compiled form is cached): the message lookup.
_STORED = select(NhsaMessage).where(
    NhsaMessage.hospital_code == bindparam("h"), NhsaMessage.msgid == bindparam("m")
)


async def _serve(request: Request, session: AsyncSession, path_infno: str | None) -> Response:
    received = dt.datetime.now(wire.ZONE)
    caller = await fsi_caller(request)
    body = await request.body()
    numbered: list[tuple[str, int]] = []  # (county, number), once taken

    async def fail(message: str) -> Response:
        await session.rollback()  # nothing of a failed message stays
        if not numbered:
            numbered.append(await _number(session, caller.hospital_code))
        refmsgid = _refmsgid(*numbered[0], received)
        return Response(_answer(refmsgid, received, None, message), media_type=JSON)

    try:
        envelope = _envelope(body, request.headers.get("content-type"), path_infno)
    except _Refused as refused:
        return await fail(refused.message)
    except AppError as exc:
        return await fail(err_msg(exc.errors, exc.detail))
    infno, msgid, hospital = envelope["infno"], envelope["msgid"], envelope["fixmedins_code"]
    if caller.role != "hospital" or caller.hospital_code is None:
        return await fail(f"FSI-该密钥不属于定点医药机构（角色{caller.role}），不能调用此接口")
    if hospital != caller.hospital_code:
        return await fail(
            f"FSI-{ENVELOPE_LABEL}.fixmedins_code：{hospital}不是该密钥所属的定点医药机构"
        )
    numbered.append(await _number(session, hospital, msgid))  # hospital == the key's
    stored = await session.scalar(_STORED, {"h": hospital, "m": msgid})
    digest = input_hash(infno, envelope["input"])
    if stored is not None:
        if stored.tombstone or stored.reversed_by is not None:
            return await fail("FSI-该报文已冲正")
        if stored.infno != infno or stored.input_hash != digest:
            return await fail(f"FSI-报文ID重复：{msgid}已用于另一报文")
        if stored.answer is None or stored.content_type is None:  # ck_…_answered_or_tombstone
            raise RuntimeError(f"nhsa_messages {stored.id}: neither answered nor a tombstone")
        return Response(stored.answer, media_type=stored.content_type)
    handler = HANDLERS.get(infno)
    if handler is None:
        return await fail(f"FSI-不支持的交易编号：{infno}")
    call = Call(
        session=session,
        caller=caller,
        hospital_code=hospital,
        msgid=msgid,
        infno=infno,
        envelope=envelope,
        policies=request.app.state.policies,
        now=received,
    )
    try:
        done = await handler(call, envelope["input"])
    except NhsaFailure as failure:
        return await fail(failure.err_msg)
    except AppError as exc:
        if exc.status >= 500:  # the service, not the message (database down, …): 503 as on /v1
            raise
        return await fail(err_msg(exc.errors, exc.detail))
    except ValidationError as exc:
        return await fail(
            err_msg([{"loc": e["loc"], "msg": e["msg"]} for e in exc.errors()], str(exc))
        )
    refmsgid = _refmsgid(*numbered[0], received)
    if done.file is not None:
        answer, content_type = done.file, "application/octet-stream"
    else:
        answer, content_type = _answer(refmsgid, received, done.output, None), JSON
    # Through the ORM, one flush with whatever the handler added (tests/faults/test_kill_fsi.py
    # recognises the message's flush).
    session.add(
        NhsaMessage(
            hospital_code=hospital,
            msgid=msgid,
            infno=infno,
            input_hash=digest,
            answer=answer,
            content_type=content_type,
            inf_refmsgid=refmsgid,
            header=_header(envelope),
            effect=dict(done.effect) if done.effect is not None else None,
        )
    )
    await session.flush()
    return Response(answer, media_type=content_type)
