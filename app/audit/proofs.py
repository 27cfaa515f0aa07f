"""Proofs from the stored tree (``audit_tree_nodes``): each fetches the few complete subtrees
it needs in one query (``app.audit.sequencer.perfect_lookup``) and computes the proof with
``app.audit.merkle``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from . import merkle
from .models import TreeHead
from .sequencer import perfect_lookup

__all__ = ["consistency", "head_at", "inclusion", "latest_head"]

Perfect = Callable[[int, int], bytes]


async def latest_head(session: AsyncSession) -> TreeHead | None:
    return await session.scalar(select(TreeHead).order_by(TreeHead.tree_size.desc()).limit(1))


async def head_at(session: AsyncSession, tree_size: int | None) -> TreeHead | None:
    if tree_size is None:
        return await latest_head(session)
    return await session.get(TreeHead, tree_size)


async def inclusion(session: AsyncSession, index: int, tree_size: int) -> list[bytes]:
    def compute(perfect: Perfect) -> list[bytes]:
        return merkle.inclusion_proof(
            lambda a, b: merkle.range_hash(perfect, a, b), index, tree_size
        )

    path: list[bytes] = await perfect_lookup(session, compute)  # type: ignore[assignment]
    return path


async def consistency(session: AsyncSession, first: int, second: int) -> list[bytes]:
    def compute(perfect: Perfect) -> list[bytes]:
        return merkle.consistency_proof(
            lambda a, b: merkle.range_hash(perfect, a, b), first, second
        )

    proof: list[bytes] = await perfect_lookup(session, compute)  # type: ignore[assignment]
    return proof


async def leaf_hash_at(session: AsyncSession, index: int) -> bytes | None:
    def compute(perfect: Perfect) -> bytes:
        return perfect(0, index)

    try:
        found: bytes = await perfect_lookup(session, compute)  # type: ignore[assignment]
    except LookupError:
        return None
    return found
