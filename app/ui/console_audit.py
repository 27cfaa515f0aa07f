"""审计日志 in the agency console (docs/audit.md "The console page"): agency and admin read,
in Chinese.

- ``GET /ui/console/audit``: the latest signed tree head (size, root, time, key, signature), a
  look-up of an entry's or a settlement's inclusion proof, a consistency check between two
  heads, the newest entries; ``?verify=1`` also runs the whole log's verification
  (``onestop audit verify``: at a million entries it reads every row, so only when asked);
- ``GET /ui/console/audit/head.json``: the latest head as a file, the same JSON as
  ``GET /v1/audit/head`` (what ``onestop audit verify --anchor`` reads), to keep outside.

Every proof is computed from the stored tree (:mod:`app.audit.proofs`) and checked here with
:mod:`app.audit.merkle` against the head, whose signature is checked with the public key it
names: the page says "验证通过" only when the recomputed leaf hash folds up to the signed root.
A bad field is a Chinese message beside it (status 422) and no proof; nothing is written.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.audit import merkle, proofs, signing
from app.audit import service as audit_service
from app.audit.models import AuditEntry, SigningKey, TreeHead
from app.audit.service import leaf_data
from app.audit.verification import head_json, verify_all
from app.auth.service import Caller
from app.db.session import ReadSessionDep

from .deps import require_role
from .templating import render

__all__ = ["router"]

router = APIRouter(prefix="/ui/console/audit", include_in_schema=False)

AuditPage = Annotated[Caller, Depends(require_role("agency", "admin"))]

_POSITIVE = re.compile(r"[1-9][0-9]{0,18}")  # ASCII digits, no sign, no leading zero
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_BIGINT = 2**63 - 1
FIELDS = ("entry_id", "settlement_id", "tree_size", "first", "second")
LABELS = {
    "entry_id": "审计记录序号",
    "settlement_id": "结算编号",
    "tree_size": "树头大小（不填为最新）",
    "first": "第一个树头大小",
    "second": "第二个树头大小（不填为最新）",
}


@dataclass(frozen=True, slots=True)
class HeadView:
    head: TreeHead
    json: dict[str, Any]  # head_json: what /v1/audit/head answers
    signature_ok: bool


@dataclass(frozen=True, slots=True)
class Inclusion:
    entry: AuditEntry
    leaf_data: str
    leaf_hash: str
    path: list[str]
    head: HeadView
    verified: bool  # the recomputed leaf folds up to the head's root


@dataclass(frozen=True, slots=True)
class Consistency:
    first: HeadView
    second: HeadView
    proof: list[str]
    verified: bool


async def _view(session: AsyncSession, head: TreeHead) -> HeadView:
    key = await session.get(SigningKey, head.key_id)
    public = bytes(key.public_key) if key is not None else b""
    ok = key is not None and signing.verify_head(
        public, head.tree_size, bytes(head.root_hash), head.signed_at, bytes(head.signature)
    )
    return HeadView(head, head_json(head, public), ok)


def _number(fields: dict[str, str], errors: dict[str, str], name: str) -> int | None:
    value = fields[name]
    if not value:
        return None
    if not _POSITIVE.fullmatch(value) or int(value) > _BIGINT:
        errors[name] = "format"
        return None
    return int(value)


async def _head_of(
    session: AsyncSession, errors: dict[str, str], name: str, size: int | None
) -> TreeHead | None:
    head = await proofs.head_at(session, size)
    if head is None:
        errors[name] = "no_head" if size is not None else "no_heads"
    return head


async def _inclusion(
    session: AsyncSession, fields: dict[str, str], errors: dict[str, str]
) -> Inclusion | None:
    entry_id = _number(fields, errors, "entry_id")
    tree_size = _number(fields, errors, "tree_size")
    settlement = fields["settlement_id"]
    if settlement and not _UUID.fullmatch(settlement):
        errors["settlement_id"] = "format"
    if fields["entry_id"] and settlement:
        errors["settlement_id"] = "both"
    if errors:
        return None
    entry: AuditEntry | None
    if entry_id is not None:
        entry = await session.get(AuditEntry, entry_id)
        missing = "entry_id"
    else:
        entry = await session.scalar(
            select(AuditEntry)
            .where(
                AuditEntry.entity_type == "settlement",
                AuditEntry.entity_id == str(uuid.UUID(settlement)),
                AuditEntry.action == "settlement.create",
            )
            .order_by(AuditEntry.id)
            .limit(1)
        )
        missing = "settlement_id"
    if entry is None:
        errors[missing] = "unknown"
        return None
    head = await _head_of(session, errors, "tree_size", tree_size)
    if head is None:
        return None
    if entry.leaf_index is None or entry.leaf_index >= head.tree_size:
        errors[missing] = "not_integrated"
        return None
    path = await proofs.inclusion(session, entry.leaf_index, head.tree_size)
    data = leaf_data(entry)
    leaf = merkle.leaf_hash(data)
    verified = merkle.verify_inclusion(
        entry.leaf_index, head.tree_size, leaf, path, bytes(head.root_hash)
    )
    return Inclusion(
        entry=entry,
        leaf_data=data.decode(),
        leaf_hash=leaf.hex(),
        path=[p.hex() for p in path],
        head=await _view(session, head),
        verified=verified,
    )


async def _consistency(
    session: AsyncSession, fields: dict[str, str], errors: dict[str, str]
) -> Consistency | None:
    first = _number(fields, errors, "first")
    second = _number(fields, errors, "second")
    if not fields["first"] and "first" not in errors:
        errors["first"] = "missing"
    if first is not None and second is not None and first > second:
        errors["second"] = "order"
    if errors or first is None:
        return None
    old = await _head_of(session, errors, "first", first)
    new = await _head_of(session, errors, "second", second)
    if old is None or new is None:
        return None
    if old.tree_size > new.tree_size:  # second omitted: the latest head, smaller than first
        errors["first"] = "after_latest"
        return None
    proof = await proofs.consistency(session, old.tree_size, new.tree_size)
    verified = merkle.verify_consistency(
        old.tree_size, new.tree_size, bytes(old.root_hash), bytes(new.root_hash), proof
    )
    return Consistency(
        first=await _view(session, old),
        second=await _view(session, new),
        proof=[p.hex() for p in proof],
        verified=verified,
    )


@router.get("")
async def audit(request: Request, session: ReadSessionDep, caller: AuditPage) -> Response:
    """The latest head, the proofs asked for, the newest entries (and, asked, the verification)."""
    fields = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    inclusion_errors: dict[str, str] = {}
    consistency_errors: dict[str, str] = {}
    inclusion = consistency = None
    if fields["entry_id"] or fields["settlement_id"] or fields["tree_size"]:
        if not fields["entry_id"] and not fields["settlement_id"]:
            inclusion_errors["entry_id"] = "missing"
        else:
            inclusion = await _inclusion(session, fields, inclusion_errors)
    if fields["first"] or fields["second"]:
        consistency = await _consistency(session, fields, consistency_errors)
    latest = await proofs.latest_head(session)
    report = None
    if request.query_params.get("verify") == "1":
        report = await verify_all(session)
    errors = {**inclusion_errors, **consistency_errors}
    return render(
        request,
        "console_audit.html",
        {
            "fields": fields,
            "labels": LABELS,
            "errors": errors,
            "head": await _view(session, latest) if latest is not None else None,
            "inclusion": inclusion,
            "consistency": consistency,
            "entries": await audit_service.latest(session, 50),
            "report": report,
            "checked": report.leaves if report is not None else 0,
        },
        status_code=422 if errors else 200,
    )


@router.get("/head.json")
async def head_file(request: Request, session: ReadSessionDep, caller: AuditPage) -> Response:
    """The latest signed head as a file to keep outside the service (an anchor)."""
    latest = await proofs.latest_head(session)
    if latest is None:
        return render(
            request,
            "console_audit.html",
            {
                "fields": dict.fromkeys(FIELDS, ""),
                "labels": LABELS,
                "errors": {"head": "no_heads"},
                "head": None,
                "inclusion": None,
                "consistency": None,
                "entries": [],
                "report": None,
                "checked": 0,
            },
            status_code=404,
        )
    view = await _view(session, latest)
    return Response(
        json.dumps(view.json, ensure_ascii=False),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="audit-head-{latest.tree_size}.json"'
        },
    )
