"""Published policy versions in the database, and an in-process cache of the built policies.

``publish`` is idempotent: a document whose id is already published with the same content hash
is left alone; the same id with different content is refused (published versions are immutable:
a fix is a new version with a later ``effective_from``). On load, each stored document is
rebuilt and its hash recomputed, so an edited row is detected instead of silently used.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.engine import Policy, in_force
from app.errors import AppError

from .loader import PolicyDocument, parse_document
from .models import PolicyVersion

__all__ = ["PolicyConflict", "PolicyStore", "publish", "versions"]


class PolicyConflict(AppError):
    status, code, title = 409, "policy_version_conflict", "Policy Version Conflict"


async def publish(session: AsyncSession, documents: Iterable[PolicyDocument]) -> dict[str, str]:
    """Store each document unless already published; returns ``{id: "published"|"unchanged"}``."""
    outcome: dict[str, str] = {}
    for doc in documents:
        policy = doc.policy
        existing = await session.get(PolicyVersion, policy.id)
        if existing is not None:
            if existing.content_hash != doc.content_hash:
                raise PolicyConflict(
                    f"Policy {policy.id} is already published with other content; publish a new "
                    "version (new id, later effective_from) instead of editing a published one."
                )
            outcome[policy.id] = "unchanged"
            continue
        session.add(
            PolicyVersion(
                id=policy.id,
                region_code=policy.region_code,
                effective_from=policy.effective_from,
                content_hash=doc.content_hash,
                document=doc.document,
            )
        )
        outcome[policy.id] = "published"
        record(
            session,
            None,
            "policy.publish",
            "policy_version",
            policy.id,
            {"content_hash": doc.content_hash, "effective_from": policy.effective_from.isoformat()},
        )
    await session.flush()
    return outcome


class PolicyStore:
    """Built policies, loaded from the database on first use and kept for the life of the
    process. Policies are published before a server serves (``onestop serve`` publishes at
    start, as ``onestop publish-policies`` does before a rollout), so a version published while
    a process runs is in force there once it restarts."""

    def __init__(self) -> None:
        self._policies: tuple[Policy, ...] | None = None
        self._lock = asyncio.Lock()

    async def all(self, session: AsyncSession) -> tuple[Policy, ...]:
        if self._policies is None:
            async with self._lock:
                if self._policies is None:
                    rows = (await session.scalars(select(PolicyVersion))).all()
                    self._policies = tuple(_rebuild(row) for row in rows)
        return self._policies

    async def in_force(self, session: AsyncSession, region_code: str, on: dt.date) -> Policy | None:
        return in_force(await self.all(session), on, region_code)


def _rebuild(row: PolicyVersion) -> Policy:
    doc = parse_document(row.document)
    if doc.content_hash != row.content_hash:
        raise RuntimeError(f"policy {row.id}: stored document does not match its content hash")
    return doc.policy


async def versions(session: AsyncSession) -> Sequence[PolicyVersion]:
    """Every published version with its document, by region and date (the console's page)."""
    query = select(PolicyVersion).order_by(PolicyVersion.region_code, PolicyVersion.effective_from)
    return (await session.scalars(query)).all()
