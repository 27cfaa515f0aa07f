"""Recording audit entries, and the pre-0022 hash chain.

Services call :func:`record` during the request; the entries wait in ``session.info``. A
``before_commit`` hook makes each entry's canonical JSON (:func:`entry_body`) and inserts the
entries into ``audit_pending`` (a hot path may instead stage its entry inside a statement of its
own, with the parameters :func:`staged_params` gives: the settle path's insert,
``app.settlement.repository``); at ``COMMIT`` a deferred trigger in the database moves each
entry into ``audit_log``. A rolled-back transaction writes no audit rows, and a committed one
always writes its rows. Since migration 0022 the trigger takes no lock: the sequencer
(``app.audit.sequencer``) later makes each committed entry a leaf of the Merkle tree
(:func:`leaf_data` is what the leaf hash covers) and signs tree heads; ``app.audit.verification``
checks the whole log.

Before 0022 the trigger took one advisory lock at COMMIT and chained each entry:
``hash = sha256(prev_hash + canonical JSON of the entry)``. Those rows keep their hashes;
:func:`verify` walks that chain (and :func:`leaf_data` of a chained row covers its hash too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.auth.service import Caller
from app.context import request_id_var

from .models import AuditEntry

__all__ = [
    "GENESIS",
    "Broken",
    "entry_body",
    "entry_hash",
    "latest",
    "leaf_data",
    "record",
    "staged_params",
    "verify",
]

GENESIS = "0" * 64
_LOCK_KEY = 0x61756469745F6C67  # "audit_lg": one lock for the whole chain
_PENDING = "audit_pending"


def _canonical(values: dict[str, Any]) -> str:
    return json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def entry_body(
    at: dt.datetime,
    key_id: uuid.UUID | None,
    role: str,
    action: str,
    entity_type: str,
    entity_id: str,
    request_id: str | None,
    details: dict[str, Any],
) -> str:
    """The entry's canonical JSON: what its hash covers, after the previous hash."""
    return _canonical(
        {
            "at": at.astimezone(dt.UTC).isoformat(),
            "key_id": str(key_id) if key_id else None,
            "role": role,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "request_id": request_id,
            "details": details,
        }
    )


def entry_hash(prev_hash: str, *fields: Any, **named: Any) -> str:
    """``sha256(prev_hash + entry_body(...))`` in hex; the commit-time trigger computes the
    same."""
    return hashlib.sha256((prev_hash + entry_body(*fields, **named)).encode()).hexdigest()


def _entry(
    actor: Caller | None,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "key_id": actor.key_id if actor else None,
        "role": actor.role if actor else "system",
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "request_id": request_id_var.get(),
        # Through JSON once, so what is hashed is exactly what JSONB gives back.
        "details": json.loads(_canonical(details or {})),
    }


def _staged(entry: dict[str, Any], at: dt.datetime) -> tuple[str, str]:
    """``(entry as audit_pending.entry JSON, its canonical body)``."""
    row = {
        **entry,
        "at": at.isoformat(),
        "key_id": str(entry["key_id"]) if entry["key_id"] else None,
    }
    return json.dumps(row, ensure_ascii=False), entry_body(at, **entry)


def record(
    session: AsyncSession,
    actor: Caller | None,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue an audit entry; it is written with the transaction's commit, or not at all."""
    entry = _entry(actor, action, entity_type, entity_id, details)
    session.sync_session.info.setdefault(_PENDING, []).append(entry)


def staged_params(
    actor: Caller | None,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any] | None = None,
) -> dict[str, object]:
    """One entry (as :func:`record` would queue it) as the parameters of a row of
    ``audit_pending``, for a hot path that stages its entry inside a statement of its own
    instead of the statement this module runs at commit (one round trip fewer)::

        INSERT INTO audit_pending (lock_key, entry, body)
        VALUES (:audit_lock_key, CAST(:audit_entry AS jsonb), :audit_body)

    It is chained at COMMIT like any other, after entries staged earlier in the transaction."""
    entry, body = _staged(
        _entry(actor, action, entity_type, entity_id, details), dt.datetime.now(dt.UTC)
    )
    return {"audit_lock_key": _LOCK_KEY, "audit_entry": entry, "audit_body": body}


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    at = dt.datetime.now(dt.UTC)
    entries, bodies = zip(*(_staged(entry, at) for entry in pending), strict=True)
    session.execute(_STAGE, {"k": _LOCK_KEY, "entries": list(entries), "bodies": list(bodies)})


# Chained at COMMIT, in this order, by the trigger on audit_pending (migration 0006).
_STAGE = text(
    """
INSERT INTO audit_pending (lock_key, entry, body)
SELECT :k, u.entry, u.body
FROM unnest(CAST(:entries AS jsonb[]), CAST(:bodies AS text[]))
  WITH ORDINALITY AS u(entry, body, n)
ORDER BY u.n
"""
)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True, slots=True)
class Broken:
    entry_id: int
    problem: str


def check_chain(
    entries: Iterable[AuditEntry], prev_hash: str = GENESIS
) -> tuple[int, Broken | None]:
    """Walk entries in id order; returns how many were checked and the first broken link."""
    count = 0
    for entry in entries:
        count += 1
        if entry.prev_hash != prev_hash:
            return count, Broken(
                entry.id,
                "prev_hash does not match the previous entry: an entry "
                "before it was deleted, inserted or edited",
            )
        expected = entry_hash(prev_hash, *_columns(entry))
        if entry.hash != expected:
            return count, Broken(
                entry.id, "hash does not match the entry's content: the entry was edited"
            )
        prev_hash = entry.hash
    return count, None


def _columns(entry: AuditEntry) -> tuple[Any, ...]:
    """A stored entry's columns in :func:`entry_body`'s order: what its hash and leaf cover."""
    return (
        entry.at,
        entry.key_id,
        entry.role,
        entry.action,
        entry.entity_type,
        entry.entity_id,
        entry.request_id,
        entry.details,
    )


def leaf_data(entry: AuditEntry) -> bytes:
    """The bytes a leaf hash covers: the canonical JSON of the entry's id and every column of
    it (:func:`entry_body`'s members, ``id``, and ``chain_hash`` for a pre-0022 chained row)."""
    values: dict[str, Any] = json.loads(entry_body(*_columns(entry)))
    values["id"] = entry.id
    if entry.hash is not None or entry.prev_hash is not None:
        values["chain_hash"] = entry.hash
        values["chain_prev_hash"] = entry.prev_hash
    return _canonical(values).encode()


async def verify(session: AsyncSession, batch: int = 5000) -> tuple[int, Broken | None]:
    """Walk the pre-0022 chain (the entries that have a hash) in batches; returns (entries
    checked, first broken link or None). The whole log: ``app.audit.verification``."""
    checked, prev, last_id = 0, GENESIS, 0
    while True:
        rows: Sequence[AuditEntry] = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last_id, AuditEntry.hash.is_not(None))
                .order_by(AuditEntry.id)
                .limit(batch)
            )
        ).all()
        if not rows:
            return checked, None
        count, broken = check_chain(rows, prev)
        checked += count
        if broken is not None:
            return checked, broken
        prev, last_id = rows[-1].hash or GENESIS, rows[-1].id


async def latest(session: AsyncSession, limit: int = 50) -> Sequence[AuditEntry]:
    """The newest ``limit`` entries, newest first (the agency console's audit page)."""
    return (
        await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    ).all()
