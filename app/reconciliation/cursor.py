"""The read snapshot, its horizon, and the cursor of the event listing (对明细账).

One snapshot per request
------------------------
Every reconciliation request reads in one ``REPEATABLE READ READ ONLY`` transaction
(:func:`begin_snapshot`): all its statements see one snapshot, so the per-fund lines and the
overall line of a totals call agree with each other.

The cursor: transaction ids below the snapshot's xmin, not timestamps
--------------------------------------------------------------------
``settled_at`` is ``now()``, the *start* time of the writing transaction, while the row becomes
visible at *commit*. A transaction that started at 10:00:00 and commits at 10:00:03 adds a row
stamped 10:00:00 after rows stamped 10:00:01 may already have been listed; a cursor "after
(10:00:01, id)" would skip it forever. No column can carry "commit order" without serializing
every writer. So instead:

- each settlement and reversal row records the id of the transaction that wrote it
  (``xact_id``, database default ``pg_current_xact_id()``);
- events are listed in ``(xact_id, kind, settlement_id)`` order (unique: a bill's settlement and
  its reversal are different transactions, and there is one reversal per settlement);
- a read returns only events with ``xact_id`` below ``pg_snapshot_xmin(pg_current_snapshot())``
  of its own snapshot (the *horizon*): every transaction with a smaller id has finished, so no
  event can ever appear below that line again.

A cursor is the :class:`Position` of the last event handed out, which is below the horizon of
the read that handed it out. Any event committed later belongs to a transaction that was running
then or started after, so its ``xact_id`` is at or above that horizon, above the cursor: it is
listed on a later page, never skipped and never repeated. The horizon is not frozen in the
cursor: a walk that goes on while settlements arrive picks them up at its end, and the final
cursor can be kept to fetch later only what was committed since (an incremental pull). The cost:
an event stays out of reconciliation while an older *writing* transaction is still open
(read-only transactions do not hold the horizon back). It also works on a streaming replica
(``DATABASE_READ_URL``), whose snapshots carry the primary's running transaction ids. Totals,
check and ledger use the same horizon, so a walk of the details right after a totals call adds
up to it.

The cursor also carries a fingerprint of the filters (hospital and days); it is refused with
other filters. It is opaque to clients (base64url JSON) and comes back from them, so
:func:`decode_cursor` checks every member for its exact type and range.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app import cursor_token
from app.cursor_token import invalid, json_int  # invalid by name: the catalogue walk reads its key

from .scope import Scope

__all__ = [
    "REVERSAL",
    "SETTLEMENT",
    "START",
    "Position",
    "begin_snapshot",
    "current_horizon",
    "decode_cursor",
    "encode_cursor",
]

# The kinds of event, the middle member of the listing order: at one transaction id (which
# cannot hold both a settlement and its reversal) settlements come first.
SETTLEMENT, REVERSAL = 0, 1
_KINDS = frozenset({SETTLEMENT, REVERSAL})


async def begin_snapshot(session: AsyncSession) -> int:
    """Start the request's one-snapshot read transaction; return its horizon: the smallest
    transaction id still running when the snapshot was taken (every smaller one has finished)."""
    await session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )
    return await current_horizon(session)


async def current_horizon(session: AsyncSession) -> int:
    """The horizon of the session's current snapshot, in whatever transaction it is: for the
    national interface's 3201/3202, which read in the request's read-write transaction (its
    answer is stored with it) and so cannot start a read-only one. They count the same events
    as /v1 would at that moment: those of every transaction finished below the horizon."""
    horizon = await session.scalar(
        text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
    )
    return int(horizon)


@dataclass(frozen=True, slots=True)
class Position:
    """Where an event sits in the listing order ``(xact_id, kind, settlement_id)``."""

    xact_id: int
    kind: int
    settlement_id: uuid.UUID


START = Position(-1, SETTLEMENT, uuid.UUID(int=0))  # before every event

_MEMBERS = frozenset({"v", "f", "x", "k", "s"})
_VERSION = 1
_XACT_ID_MIN, _XACT_ID_MAX = START.xact_id, 2**63 - 1  # the start; xid8 and bigint hold 2**63-1


def encode_cursor(scope: Scope, position: Position) -> str:
    data = {
        "v": _VERSION,
        "f": scope.fingerprint(),
        "x": position.xact_id,
        "k": position.kind,
        "s": str(position.settlement_id),
    }
    return cursor_token.encode(data)


def decode_cursor(scope: Scope, cursor: str | None) -> Position:
    """The position a cursor of :func:`encode_cursor` names (``None``: :data:`START`). It comes
    from the client, so every member is checked for its exact type and the range the query can
    bind (a forged ``"x": 2**63`` must be 422, not a driver error): anything else is 422
    ``invalid_cursor``, and so is a cursor issued for other filters."""
    if cursor is None:
        return START
    data = cursor_token.decode(cursor, _MEMBERS)
    try:
        json_int(data["v"], _VERSION, _VERSION)
        kind = json_int(data["k"], min(_KINDS), max(_KINDS))
        settlement_id, fingerprint = data["s"], data["f"]
        if not isinstance(settlement_id, str) or not isinstance(fingerprint, str):
            raise ValueError(data)
        position = Position(
            json_int(data["x"], _XACT_ID_MIN, _XACT_ID_MAX), kind, uuid.UUID(settlement_id)
        )
    except ValueError:
        raise cursor_token.not_ours() from None
    if kind not in _KINDS or str(position.settlement_id) != settlement_id:
        raise cursor_token.not_ours()
    if fingerprint != scope.fingerprint():
        raise invalid(
            "it was issued for another hospital_code, date_from or date_to", "cursor_other_scope"
        )
    return position
