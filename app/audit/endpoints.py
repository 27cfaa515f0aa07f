"""The audit trail: entries and the pre-0022 chain's verification (admin); the Merkle log's
signed heads, public key and proofs (docs/audit.md)."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Annotated, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.deps import AdminCaller, ReaderCaller, require
from app.auth.service import Caller
from app.db.session import SessionDep
from app.errors import AUTH_CODES, Conflict, NotFound, Unprocessable, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT, Text

from . import merkle, proofs, signing
from .models import AuditEntry, SigningKey, TreeHead
from .service import leaf_data
from .verification import head_json, verify_all

AgencyOrAdmin = Annotated[Caller, Depends(require("agency", "admin"))]

router = APIRouter(prefix="/v1/audit", tags=["audit 审计"], route_class=JSONRoute)


class AuditEntryOut(BaseModel):
    id: int
    at: dt.datetime
    key_id: uuid.UUID | None
    role: str
    action: str = Field(examples=["settlement.create"])
    entity_type: str
    entity_id: str
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str | None = Field(description="The pre-0022 chain; null for later entries")
    hash: str | None
    leaf_index: int | None = Field(description="Its leaf in the Merkle log; null until integrated")


class AuditPage(BaseModel):
    entries: list[AuditEntryOut]
    next_after_id: int | None = Field(
        description="Pass as after_id for the next page; null at the end"
    )


class AuditVerification(BaseModel):
    ok: bool
    checked: int = Field(description="Leaves of the Merkle log checked")
    broken_entry_id: int | None = Field(description="The first entry a finding names, if any")
    problem: str | None = Field(description="The first finding")
    problems: list[str] = Field(description="Every finding (the same as `onestop audit verify`)")
    heads: int = Field(description="Signed tree heads checked")
    unsequenced: int = Field(description="Entries committed but not yet integrated")


@router.get(
    "",
    operation_id="listAuditEntries",
    summary="审计记录 List audit entries",
    responses=problem_responses(401, 403, 422, codes={**AUTH_CODES, 422: ["validation_error"]}),
)
async def list_entries(
    session: SessionDep,
    caller: AdminCaller,
    # At most the columns' lengths (a longer filter matches nothing), and never U+0000.
    action: Annotated[Annotated[str, Text(64)] | None, Query()] = None,
    entity_type: Annotated[Annotated[str, Text(32)] | None, Query()] = None,
    entity_id: Annotated[Annotated[str, Text(128)] | None, Query()] = None,
    after_id: Annotated[int, Query(ge=0, le=2**63 - 1), ASCII_INT] = 0,  # BIGINT: larger is no id
    limit: Annotated[int, Query(ge=1, le=1000), ASCII_INT] = 100,
) -> AuditPage:
    """Entries in chain order (by id), filtered; page with ``after_id``."""
    query = select(AuditEntry).where(AuditEntry.id > after_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if entity_type is not None:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    rows = (await session.scalars(query.order_by(AuditEntry.id).limit(limit + 1))).all()
    entries = [AuditEntryOut.model_validate(row, from_attributes=True) for row in rows[:limit]]
    return AuditPage(entries=entries, next_after_id=entries[-1].id if len(rows) > limit else None)


@router.get(
    "/verify",
    operation_id="verifyAuditChain",
    summary="校验审计链 Verify the audit chain",
    responses=problem_responses(401, 403, codes=AUTH_CODES),
)
async def verify_chain(session: SessionDep, caller: AdminCaller) -> AuditVerification:
    """Recompute the Merkle tree from the entries, check every signed head, the pre-0022 chain,
    and every settlement, layer line and reversal against its entry (``onestop audit
    verify``: docs/audit.md)."""
    report = await verify_all(session)
    return AuditVerification(
        ok=report.ok,
        checked=report.leaves,
        broken_entry_id=report.broken_entry_id,
        problem=report.problems[0] if report.problems else None,
        problems=report.problems,
        heads=report.heads,
        unsequenced=report.unsequenced,
    )


# -- the Merkle log (migration 0022, docs/audit.md) ----------------------------------------


class TreeHeadOut(BaseModel):
    tree_size: int = Field(description="Leaves the head covers")
    root_hash: str = Field(description="RFC 9162 Merkle tree hash, lowercase hex")
    signed_at: str = Field(description="UTC, ISO 8601")
    signed_at_ms: int = Field(description="The signed timestamp: ms since 1970-01-01T00:00:00Z")
    key_id: str = Field(description="Hex SHA-256 of the raw public key")
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64")
    signature: str = Field(description="Ed25519 signature of the head message, base64")


class PublicKeyOut(BaseModel):
    algorithm: str = Field(examples=["Ed25519"])
    key_id: str
    public_key: str = Field(description="Raw 32 bytes, base64")
    pem: str = Field(description="SubjectPublicKeyInfo PEM")


class InclusionProofOut(BaseModel):
    entry_id: int
    leaf_index: int
    tree_size: int
    leaf_data: str = Field(description="The bytes the leaf hash covers (UTF-8 canonical JSON)")
    leaf_hash: str = Field(description="SHA-256(0x00 || leaf_data), hex")
    audit_path: list[str] = Field(description="Sibling hashes, leaf side first, hex")
    root_hash: str
    head: TreeHeadOut


class ConsistencyProofOut(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 9162 §2.1.4 consistency proof, hex")
    first_head: TreeHeadOut
    second_head: TreeHeadOut


_HEAD_CODES = {**AUTH_CODES, 404: ["audit_head_not_found"], 422: ["validation_error"]}
TreeSize = Annotated[
    int | None,
    Query(ge=1, le=2**63 - 1, description="A stored head's size; omit for the latest head"),
    ASCII_INT,
]


async def _head_out(session: AsyncSession, head: TreeHead) -> TreeHeadOut:
    key = await session.get(SigningKey, head.key_id)
    return TreeHeadOut.model_validate(head_json(head, bytes(key.public_key) if key else b""))


async def _head(session: AsyncSession, tree_size: int | None) -> TreeHead:
    head = await proofs.head_at(session, tree_size)
    if head is None:
        raise NotFound(
            "No signed tree head of that size (yet)."
            if tree_size is not None
            else "No signed tree head yet: nothing integrated.",
            code="audit_head_not_found",
        )
    return head


@router.get(
    "/head",
    operation_id="getAuditTreeHead",
    summary="最新签名树头 Latest signed tree head",
    responses=problem_responses(401, 403, 404, codes={**AUTH_CODES, 404: ["audit_head_not_found"]}),
)
async def get_head(session: SessionDep, caller: ReaderCaller) -> TreeHeadOut:
    """The latest signed tree head, for an agency to keep outside the service (anchor it)."""
    return await _head_out(session, await _head(session, None))


@router.get(
    "/heads/{tree_size}",
    operation_id="getAuditTreeHeadOfSize",
    summary="指定大小的签名树头 Signed tree head of a size",
    responses=problem_responses(401, 403, 404, 422, codes=_HEAD_CODES),
)
async def get_head_of_size(
    session: SessionDep,
    caller: ReaderCaller,
    tree_size: Annotated[int, Path(ge=1, le=2**63 - 1), ASCII_INT],
) -> TreeHeadOut:
    return await _head_out(session, await _head(session, tree_size))


@router.get(
    "/public-key",
    operation_id="getAuditPublicKey",
    summary="树头签名公钥 The tree heads' public key",
    responses=problem_responses(401, 403, codes=AUTH_CODES),
)
async def get_public_key(request: Request, caller: ReaderCaller) -> PublicKeyOut:
    """The Ed25519 public key this process signs tree heads with."""
    raw: bytes = request.app.state.audit_public_key
    pem = Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return PublicKeyOut(
        algorithm="Ed25519",
        key_id=signing.key_id(raw),
        public_key=base64.b64encode(raw).decode(),
        pem=pem.decode(),
    )


async def _inclusion(
    session: AsyncSession, entry: AuditEntry | None, tree_size: int | None
) -> InclusionProofOut:
    if entry is None:
        raise NotFound("No such audit entry.", code="audit_entry_not_found")
    head = await _head(session, tree_size)
    if entry.leaf_index is None or entry.leaf_index >= head.tree_size:
        raise Conflict(
            "The entry is not in that tree head yet: the sequencer integrates committed entries "
            "within a moment; ask again, or against a later head.",
            code="audit_entry_not_integrated",
        )
    path = await proofs.inclusion(session, entry.leaf_index, head.tree_size)
    data = leaf_data(entry)
    return InclusionProofOut(
        entry_id=entry.id,
        leaf_index=entry.leaf_index,
        tree_size=head.tree_size,
        leaf_data=data.decode(),
        leaf_hash=merkle.leaf_hash(data).hex(),
        audit_path=[p.hex() for p in path],
        root_hash=bytes(head.root_hash).hex(),
        head=await _head_out(session, head),
    )


_PROOF_CODES = {
    **AUTH_CODES,
    404: ["audit_entry_not_found", "audit_head_not_found"],
    409: ["audit_entry_not_integrated"],
    422: ["validation_error"],
}


@router.get(
    "/entries/{entry_id}/proof",
    operation_id="getAuditInclusionProof",
    summary="审计记录包含证明 Inclusion proof of an entry",
    responses=problem_responses(401, 403, 404, 409, 422, codes=_PROOF_CODES),
)
async def entry_proof(
    session: SessionDep,
    caller: AgencyOrAdmin,
    entry_id: Annotated[int, Path(ge=1, le=2**63 - 1), ASCII_INT],
    tree_size: TreeSize = None,
) -> InclusionProofOut:
    """RFC 9162 inclusion proof of the entry against the head of ``tree_size`` (or the latest)."""
    return await _inclusion(session, await session.get(AuditEntry, entry_id), tree_size)


@router.get(
    "/settlements/{settlement_id}/proof",
    operation_id="getSettlementAuditProof",
    summary="结算审计记录包含证明 Inclusion proof of a settlement's entry",
    responses=problem_responses(401, 403, 404, 409, 422, codes=_PROOF_CODES),
)
async def settlement_proof(
    session: SessionDep,
    caller: AgencyOrAdmin,
    settlement_id: uuid.UUID,
    tree_size: TreeSize = None,
) -> InclusionProofOut:
    """Inclusion proof of the settlement's ``settlement.create`` entry (its amounts and layer
    lines are in ``leaf_data``)."""
    entry = await session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.entity_type == "settlement",
            AuditEntry.entity_id == str(settlement_id),
            AuditEntry.action == "settlement.create",
        )
        .order_by(AuditEntry.id)
        .limit(1)
    )
    return await _inclusion(session, entry, tree_size)


@router.get(
    "/consistency",
    operation_id="getAuditConsistencyProof",
    summary="树头一致性证明 Consistency proof between two heads",
    responses=problem_responses(401, 403, 404, 422, codes=_HEAD_CODES),
)
async def consistency_proof(
    session: SessionDep,
    caller: AgencyOrAdmin,
    first: Annotated[int, Query(ge=1, le=2**63 - 1), ASCII_INT],
    second: TreeSize = None,
) -> ConsistencyProofOut:
    """RFC 9162 proof that the head of ``first`` leaves is a prefix of the head of ``second``
    (or the latest): an anchored head stays valid as the log grows."""
    old = await _head(session, first)
    new = await _head(session, second)
    if old.tree_size > new.tree_size:
        raise Unprocessable(
            "first must not be larger than second.",
            code="validation_error",
            errors=[
                {
                    "loc": ["query", "first"],
                    "msg": "larger than second",
                    "key": "first_after_second",
                }
            ],
        )
    proof = await proofs.consistency(session, old.tree_size, new.tree_size)
    return ConsistencyProofOut(
        first=old.tree_size,
        second=new.tree_size,
        proof=[p.hex() for p in proof],
        first_head=await _head_out(session, old),
        second_head=await _head_out(session, new),
    )
