"""The printable settlement slip (结算单): ``GET /ui/settlements/{id}/slip`` (HTML, A4 or A5
print styles) and ``GET /ui/settlements/{id}/slip.pdf`` (the same figures as a PDF download).

Every figure comes from :func:`app.settlement.service.get`, serialized exactly as ``/v1``
answers it (``SettlementOut.model_dump(mode="json")``, with the layers' reasons in Chinese by
``SettlementOut.in_chinese()``); this module only adds the words around them (the hospital's
and the patient's names, the reversal's reason, the 10% target from the policy) and never
computes money. A hospital sees its own settlements only: another hospital's answers the same
Chinese 404 page as an unknown id, as ``/v1`` answers the same 404 (docs/ui.md
"Settlement slip").
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from fastapi import APIRouter, Request
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.auth.service import Caller
from app.clock import local_time
from app.db.session import SessionDep
from app.engine.money import format_bp
from app.errors import NotFound
from app.i18n import zh_problem
from app.policy.store import PolicyStore
from app.registry.models import Hospital, Person
from app.settlement import service
from app.settlement.models import Reversal, Settlement

from .deps import ReaderPage
from .templating import percent, render

__all__ = ["CATEGORY_NAMES", "LAYER_NAMES", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False)


LAYER_NAMES: Final = {
    "basic": "基本医疗保险",
    "critical_illness": "大病保险",
    "supplementary": "补充医疗保险",
    "tilted": "倾斜支付",
    "civil_assistance": "医疗救助",
}
CATEGORY_NAMES: Final = {
    "registered_poor": "建档立卡贫困人员",
    "dibao": "低保对象",
    "tekun": "特困人员",
}
# The bill's classes in the order a slip lists them; 医院负担 only when it is not 0.
_CLASSES: Final = (
    ("total", "总费用"),
    ("full_self_pay", "全自费"),
    ("over_limit", "超限价"),
    ("pre_self_pay", "先行自付"),
    ("in_policy", "政策范围内"),
    ("hospital_borne", "医院负担"),
)
_STATUS_NAMES: Final = {"settled": "已结算", "reversed": "已撤销", "preview": "预结算"}
_SIZES: Final = {"a4": A4, "a5": A5}


@dataclass(frozen=True, slots=True)
class Slip:
    """What a slip shows: ``figures`` is the settlement exactly as ``/v1`` serializes it."""

    figures: dict[str, Any]
    hospital_name: str
    patient_name: str
    categories: list[str]
    classes: list[tuple[str, str, str]]  # (field, Chinese label, amount)
    layers: list[dict[str, Any]]  # the figures' layers, each with its Chinese "name"
    stay_days: int
    target_ratio: str | None  # the policy's target, e.g. "0.10"
    above_target: bool | None  # in county with a target: is the ratio above it (exact decimals)
    settled_at: str
    reversed_at: str | None
    reversal_reason: str | None
    size: str


def _local(moment: dt.datetime | None) -> str | None:
    return None if moment is None else local_time(moment)


def _stay_days(admission: dt.date, discharge: dt.date) -> int:
    """住院天数: the nights between admission and discharge; a same-day stay counts one."""
    return max(1, (discharge - admission).days)


async def _target_ratio(
    request: Request, session: AsyncSession, layers: list[dict[str, Any]], version: str
) -> str | None:
    """The 10% target: the tilted layer's own parameter when it applied, else the policy
    version's tilted layer (a person without the category still has the same target)."""
    for layer in layers:
        value = layer["params"].get("target_ratio")
        if layer["layer"] == "tilted" and value is not None:
            return str(value)
    store: PolicyStore = request.app.state.policies
    for policy in await store.all(session):
        if policy.id != version:
            continue
        for built in policy.layers:
            bp = getattr(built, "target_ratio_bp", None)
            if built.meta.name == "tilted" and isinstance(bp, int):
                return format_bp(bp)
    return None


def _not_found(request: Request, settlement_id: str) -> Response:
    _, detail, _ = zh_problem(
        status=404, code="settlement_not_found", title="", detail=f"No settlement {settlement_id}."
    )
    return render(
        request,
        "error.html",
        {"status": 404, "message": detail, "code": "settlement_not_found"},
        status_code=404,
    )


async def _slip(
    request: Request, session: AsyncSession, caller: Caller, settlement_id: uuid.UUID, size: str
) -> Slip:
    out = (await service.get(session, caller, settlement_id)).in_chinese()
    figures = out.model_dump(mode="json")
    names = (
        await session.execute(
            select(Hospital.name, Person.name)
            .select_from(Settlement)
            .join(Hospital, Hospital.code == Settlement.hospital_code)
            .join(Person, Person.id == Settlement.person_id)
            .where(Settlement.id == settlement_id)
        )
    ).one()
    reason = (
        await session.scalar(select(Reversal.reason).where(Reversal.settlement_id == settlement_id))
        if out.status == "reversed"
        else None
    )
    totals = figures["totals"]
    classes = [
        (field, label, totals[field])
        for field, label in _CLASSES
        if field != "hospital_borne" or Decimal(totals[field]) != 0
    ]
    layers = [
        {**layer, "name": LAYER_NAMES.get(layer["layer"], layer["layer"])}
        for layer in figures["layers"]
    ]
    target = await _target_ratio(request, session, figures["layers"], out.policy_version)
    return Slip(
        figures=figures,
        hospital_name=names[0],
        patient_name=names[1],
        categories=[CATEGORY_NAMES.get(c, c) for c in out.patient.categories],
        classes=classes,
        layers=layers,
        stay_days=_stay_days(out.admission_date, out.discharge_date),
        target_ratio=target,
        above_target=(
            None
            if target is None or not out.patient.in_county
            else Decimal(figures["in_policy_self_pay_ratio"]) > Decimal(target)
        ),
        settled_at=_local(out.settled_at) or "",
        reversed_at=_local(out.reversed_at),
        reversal_reason=reason,
        size=size,
    )


def _size(request: Request) -> str:
    return "a5" if request.query_params.get("size", "").lower() == "a5" else "a4"


def _parse_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


async def _found_slip(
    request: Request, session: AsyncSession, caller: Caller, settlement_id: str
) -> Slip | Response:
    """The slip of ``settlement_id`` for this caller, or the Chinese 404 page: the same answer
    for a malformed id, an unknown one and another hospital's (as /v1 reports it)."""
    parsed = _parse_id(settlement_id)
    if parsed is None:
        return _not_found(request, settlement_id)
    try:
        return await _slip(request, session, caller, parsed, _size(request))
    except NotFound:
        return _not_found(request, settlement_id)


@router.get("/settlements/{settlement_id}/slip")
async def slip_page(
    request: Request, settlement_id: str, session: SessionDep, caller: ReaderPage
) -> Response:
    slip = await _found_slip(request, session, caller, settlement_id)
    if isinstance(slip, Response):
        return slip
    return render(
        request,
        "slip.html",
        {"slip": slip, "s": slip.figures, "status_names": _STATUS_NAMES},
    )


@router.get("/settlements/{settlement_id}/slip.pdf")
async def slip_pdf(
    request: Request, settlement_id: str, session: SessionDep, caller: ReaderPage
) -> Response:
    slip = await _found_slip(request, session, caller, settlement_id)
    if isinstance(slip, Response):
        return slip
    name = f"slip-{slip.figures['setl_id'] or slip.figures['settlement_id']}.pdf"
    return Response(
        pdf_of(slip),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- the PDF -----------------------------------------------------------------------------------

_FONT = "STSong-Light"  # one of reportlab's built-in CID fonts: the reader supplies the glyphs
pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def pdf_of(slip: Slip) -> bytes:
    """The slip as a one-page PDF (A4 or A5), with the figures of the HTML slip."""
    s = slip.figures
    small = slip.size == "a5"
    base = 8.0 if small else 9.5
    body = ParagraphStyle("body", fontName=_FONT, fontSize=base, leading=base * 1.35)
    title = ParagraphStyle("title", parent=body, fontSize=base * 1.7, leading=base * 2.2)
    strong = ParagraphStyle("strong", parent=body, fontSize=base * 1.5, leading=base * 2)
    cell = ParagraphStyle("cell", parent=body, fontSize=base * 0.9, leading=base * 1.15)
    buffer = io.BytesIO()
    margin = (10 if small else 15) * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=_SIZES[slip.size],
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"结算单 {s['setl_id'] or s['settlement_id']}",
    )
    width = doc.width

    def grid(rows: list[list[Any]], widths: list[float], numeric_from: int) -> Table:
        table = Table(rows, colWidths=[width * w for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), _FONT, base * 0.9),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("ALIGN", (numeric_from, 1), (numeric_from + 2, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    story: list[Any] = [Paragraph("城乡居民住院“一站式”结算单", title)]
    if s["status"] == "reversed":
        story.append(
            Paragraph(
                f"已撤销　撤销时间 {slip.reversed_at}"
                + (f"　原因：{_esc(slip.reversal_reason)}" if slip.reversal_reason else ""),
                strong,
            )
        )
    info = [
        f"医疗机构：{_esc(slip.hospital_name)}（{s['hospital_code']}）　单据号：{s['bill_no']}",
        f"患者：{_esc(slip.patient_name)}　身份证号：{s['patient']['id_number']}"
        f"　人员类别：{'、'.join(slip.categories) or '无'}"
        f"　{'县域内' if s['patient']['in_county'] else '县域外'}",
        f"入院 {s['admission_date']}　出院 {s['discharge_date']}　住院 {slip.stay_days} 天",
    ]
    story += [Paragraph(line, body) for line in info]
    story.append(Spacer(1, 2 * mm))
    story.append(
        grid(
            [["费用分类", "金额（元）"]] + [[label, amount] for _, label, amount in slip.classes],
            [0.5, 0.5],
            1,
        )
    )
    story.append(Spacer(1, 2 * mm))
    rows: list[list[Any]] = [["支付层次", "基数", "支付", "剩余", "说明"]]
    for layer in slip.layers:
        rows.append(
            [
                Paragraph(f"{layer['name']}<br/>{_esc(layer['fund_name'])}", cell),
                layer["base"],
                layer["paid"],
                layer["left"],
                Paragraph(_esc(layer["reason"] or ""), cell),
            ]
        )
    story.append(grid(rows, [0.3, 0.15, 0.15, 0.15, 0.25], 1))
    story.append(Spacer(1, 2 * mm))
    story.append(Paragraph(f"基金支付合计：{s['fund_paid']} 元", body))
    story.append(Paragraph(f"个人自付：{s['self_pay']} 元", strong))
    story.append(
        Paragraph(
            f"县域内政策范围内个人自付：{s['in_policy_self_pay']} 元，"
            f"占政策范围内费用 {percent(s['in_policy_self_pay_ratio'])}"
            f"（目标 {percent(slip.target_ratio)} 以内）",
            body,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story += [
        Paragraph(line, cell)
        for line in (
            f"政策版本：{s['policy_version']}　结算状态：{_STATUS_NAMES[s['status']]}",
            f"结算流水号：{s['settlement_id']}　结算ID：{s['setl_id'] or '—'}",
            f"结算时间：{slip.settled_at}（北京时间）",
        )
    ]
    doc.build(story)
    return buffer.getvalue()


def _esc(text: str | None) -> str:
    """Text for a reportlab ``Paragraph``, which reads a little markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
