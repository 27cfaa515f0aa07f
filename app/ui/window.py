"""The one-stop window (一站式窗口, hospital role): find a bill, 预结算, 结算, 撤销 (docs/ui.md
"The window").

Every figure comes from :mod:`app.settlement.service`, as ``/v1`` gives it: a pasted or
uploaded bill is read exactly as ``POST /v1/settlements`` reads its body (:func:`app.types.loads`,
then :class:`SettlementIn`), so the window accepts what the API accepts and refuses what it
refuses, with the same codes, in Chinese. The settle button carries the bill in a hidden field;
settling parses and checks it again from scratch (a page's copy is only text the browser sent).

A refusal changes nothing: the page's transaction is rolled back before the Chinese error is
shown (the request would otherwise commit what it had begun, the bill lock included).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile
from starlette.responses import Response

from app import metrics
from app.auth.service import Caller
from app.clock import local_time
from app.db.session import SessionDep
from app.errors import AppError, NotFound
from app.i18n import zh_problem
from app.policy.store import PolicyStore
from app.settlement import repository as settlement_repo
from app.settlement import service
from app.settlement.schemas import ReversalIn, SettlementIn, SettlementOut
from app.types import loads

from .deps import HospitalPage, check_hospital, require_role
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/window", include_in_schema=False)

HospitalForm = Annotated[Caller, Depends(require_role("hospital", form=True))]
_BILL_NO_MAX = 64
# The most bill text the window reads (an uploaded file): the default of /v1's body limit
# (Settings.max_body_bytes). A form field is already held to 1 MB by Starlette (docs/ui.md).
_BILL_TEXT_MAX = 4 * 1024 * 1024


class _Refused(Exception):
    """A bill or form the window refuses: a Chinese ``(title, detail, errors)`` and a status."""

    def __init__(
        self, status: int, title: str, detail: str, errors: Sequence[Mapping[str, Any]] = ()
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = [dict(e) for e in errors]

    @classmethod
    def of(cls, exc: AppError) -> _Refused:
        return cls(exc.status, *exc.in_chinese())

    def context(self) -> dict[str, Any]:
        return {"title": self.title, "detail": self.detail, "errors": self.errors}


def _policies(request: Request) -> PolicyStore:
    store: PolicyStore = request.app.state.policies
    return store


def _validation(found: Sequence[Mapping[str, Any]], detail: str) -> _Refused:
    """pydantic's errors of the body, in Chinese, as ``/v1``'s 422 ``validation_error``."""
    errors = [{"loc": ["body", *e["loc"]], "msg": str(e["msg"])} for e in found]
    title, zh_detail, zh_errors = zh_problem(
        status=422,
        code=_validation_code(found),
        title="Unprocessable Content",
        detail=detail,
        errors=errors,
        found=found,
    )
    return _Refused(422, title, zh_detail, zh_errors)


def _validation_code(found: Sequence[Mapping[str, Any]]) -> str:
    # As app.errors does: one coded type (amount_out_of_range, invalid_character) names the
    # problem; anything else is validation_error.
    types = {str(e.get("type")) for e in found}
    if len(types) == 1 and types <= {"amount_out_of_range", "invalid_character"}:
        return types.pop()
    return "validation_error"


def parse_bill(text: str) -> SettlementIn:
    """A bill's JSON text as ``/v1`` reads a body: :func:`app.types.loads`, then the model."""
    if not text.strip():
        raise _Refused(422, "未提供账单", "请粘贴账单 JSON 或选择 .json 文件。")
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        bad_json: list[dict[str, Any]] = [
            {
                "type": "json_invalid",
                "loc": (exc.pos,),
                "msg": "JSON decode error",
                "ctx": {"error": exc.msg},
            }
        ]
        raise _validation(bad_json, "The request body is not valid JSON.") from None
    try:
        return SettlementIn.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        raise _validation(errors, f"The request has {len(errors)} invalid field(s).") from None


async def _bill_text(request: Request) -> str:
    """The bill a form sent: an uploaded ``.json`` file if one was chosen (and not empty), else
    the textarea (or the settle form's hidden field)."""
    form = await request.form()
    upload = form.get("bill_file")
    if isinstance(upload, UploadFile):
        # Read and closed here: no FastAPI parameter owns this form, so nothing else closes it.
        try:
            raw = await upload.read(_BILL_TEXT_MAX + 1) if upload.filename else b""
        finally:
            await upload.close()
    else:
        raw = b""
    if raw:
        if len(raw) > _BILL_TEXT_MAX:
            raise _Refused(413, "文件过大", "账单文件超过 4 MB。")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _Refused(
                422,
                "无法处理的内容",
                "账单文件不是 UTF-8 编码的 JSON。",
                [{"loc": ["body"], "msg": f"不是 UTF-8 编码（第 {exc.start} 字节）"}],
            ) from None
    text = form.get("bill")
    if not isinstance(text, str):
        return ""
    if len(text) > _BILL_TEXT_MAX:
        raise _Refused(413, "账单过大", "账单超过 4 MB。")
    return text


def _own_bill(caller: Caller, body: SettlementIn) -> None:
    check_hospital(caller, body.hospital_code)  # another hospital's bill: the 403 page


def _figures(out: SettlementOut) -> dict[str, Any]:
    """A settlement as the template shows it: ``/v1``'s JSON (money as yuan text, two
    decimals; the ratio with four), layer reasons in Chinese, and the in-policy self-pay target
    the tilted layer applied (``None`` when no layer applied one)."""
    shown = out.in_chinese().model_dump(mode="json")
    target = next(
        (
            layer["params"]["target_ratio"]
            for layer in shown["layers"]
            if layer["params"].get("target_ratio")
        ),
        None,
    )
    shown["target_ratio"] = target
    for when in ("settled_at", "reversed_at"):  # as the window's clock reads: Asia/Shanghai
        moment = getattr(out, when)
        shown[when] = None if moment is None else local_time(moment)
    shown["within_target"] = target is not None and Decimal(
        shown["in_policy_self_pay_ratio"]
    ) <= Decimal(target)
    return shown


def _preview_page(
    request: Request,
    *,
    bill: str,
    result: dict[str, Any] | None = None,
    problem: _Refused | None = None,
) -> Response:
    return render(
        request,
        "window/preview.html",
        {
            "bill": bill,
            "result": result,
            "problem": None if problem is None else problem.context(),
        },
        status_code=200 if problem is None else problem.status,
    )


async def _history(
    session: AsyncSession, caller: Caller, bill_no: str
) -> list[tuple[dict[str, Any], str | None]]:
    """Every settlement of the caller's bill, oldest first, with its reversal reason."""
    hospital_code = caller.hospital_code or ""
    rows = await settlement_repo.settlements_of_bill(session, hospital_code, bill_no)
    found = []
    for row, reversal in rows:
        out = await service.get(session, caller, row.id)
        found.append((_figures(out), None if reversal is None else reversal.reason))
    return found


def _valid_bill_no(bill_no: str) -> bool:
    return 0 < len(bill_no) <= _BILL_NO_MAX and all(
        ch.isascii() and (ch.isalnum() or ch in "._/-") for ch in bill_no
    )


async def _find_page(
    request: Request,
    session: AsyncSession,
    caller: Caller,
    bill_no: str,
    *,
    problem: _Refused | None = None,
) -> Response:
    bill_no = bill_no.strip()
    history: list[tuple[dict[str, Any], str | None]] = []
    searched = bool(bill_no)
    invalid = searched and not _valid_bill_no(bill_no)
    if searched and not invalid:
        history = await _history(session, caller, bill_no)
    return render(
        request,
        "window/find.html",
        {
            "bill_no": bill_no,
            "searched": searched,
            "invalid": invalid,
            "history": history,
            "problem": None if problem is None else problem.context(),
        },
        status_code=200 if problem is None else problem.status,
    )


@router.get("/")
async def find(
    request: Request, session: SessionDep, caller: HospitalPage, bill_no: str = ""
) -> Response:
    """找账单: the caller's bill by number, with every settlement it had."""
    return await _find_page(request, session, caller, bill_no[:200])


@router.get("/preview")
async def preview_form(request: Request, caller: HospitalPage) -> Response:
    return _preview_page(request, bill="")


@router.post("/preview")
async def preview(request: Request, session: SessionDep, caller: HospitalForm) -> Response:
    """预结算: what settling now would give; stores nothing. The page then offers 结算 with the
    bill's text in a hidden field."""
    bill = ""
    try:
        bill = await _bill_text(request)
        body = parse_bill(bill)
        _own_bill(caller, body)
        out = await service.preview(session, _policies(request), body)
    except _Refused as refused:
        await session.rollback()
        return _preview_page(request, bill=bill, problem=refused)
    except AppError as exc:
        await session.rollback()
        return _preview_page(request, bill=bill, problem=_Refused.of(exc))
    return _preview_page(request, bill=bill, result=_figures(out))


@router.post("/settle")
async def settle(request: Request, session: SessionDep, caller: HospitalForm) -> Response:
    """结算 of the bill the preview page carried (parsed and checked again, as ``/v1`` would),
    then the slip (303). The same bill again: its existing settlement, nothing added."""
    bill = ""
    try:
        bill = await _bill_text(request)
        body = parse_bill(bill)
        _own_bill(caller, body)
        out, created = await service.settle_bill(session, _policies(request), caller, body)
    except _Refused as refused:
        await session.rollback()
        return _preview_page(request, bill=bill, problem=refused)
    except AppError as exc:
        await session.rollback()
        return _preview_page(request, bill=bill, problem=_Refused.of(exc))
    metrics.settlement_returned(out, created=created)
    return RedirectResponse(f"/ui/settlements/{out.settlement_id}/slip", status_code=303)


@router.post("/settlements/{settlement_id}/reverse")
async def reverse(
    request: Request, settlement_id: uuid.UUID, session: SessionDep, caller: HospitalForm
) -> Response:
    """撤销 with a reason (required here; optional in ``/v1``), then back to the bill."""
    try:
        current = await service.get(session, caller, settlement_id)  # another's: 404
    except NotFound as exc:
        await session.rollback()
        return _error_page(request, _Refused.of(exc))
    form = await request.form()
    reason = form.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    try:
        if not reason:
            raise _Refused(
                422,
                "缺少撤销原因",
                "请填写撤销原因，结算未撤销。",
                [{"loc": ["body", "reason"], "msg": "必填"}],
            )
        try:
            body = ReversalIn.model_validate({"reason": reason})
        except ValidationError as exc:
            raise _validation(exc.errors(), "invalid reason") from None
        out, created = await service.reverse(session, caller, settlement_id, body)
    except _Refused as refused:
        await session.rollback()
        return await _find_page(request, session, caller, current.bill_no, problem=refused)
    except AppError as exc:
        await session.rollback()
        return await _find_page(request, session, caller, current.bill_no, problem=_Refused.of(exc))
    metrics.settlement_returned(out, created=created)
    return RedirectResponse(f"/ui/window/?bill_no={quote(out.bill_no, safe='')}", status_code=303)


def _error_page(request: Request, refused: _Refused) -> Response:
    return render(
        request,
        "window/problem.html",
        {"problem": refused.context()},
        status_code=refused.status,
    )
