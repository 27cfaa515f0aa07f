"""``onestop audit verify``: the whole audit log, and the money rows against it.

1. The pre-0022 hash chain (``app.audit.service.verify``).
2. The Merkle tree recomputed from the entries themselves: leaf indices dense from 0, each
   stored leaf hash equal to the hash of its entry (an edited entry is found here), every stored
   inner node equal to the hash of its two children (checked in SQL), and the root at every
   stored head's size equal to the head's root, with a valid Ed25519 signature by the key the
   head names (optionally: only keys the caller trusts). A head larger than the log means leaves
   were deleted from the tail; an *anchored* head (one exported earlier, kept outside) catches
   the tail deleted together with the heads that covered it.
3. Every settlement, layer line and reversal row against its logged entry
   (``settlement.create`` carries the amounts and layer lines since 0022, ``settlement.reverse``
   the reversal's id and reason): an ``UPDATE settlement_layers SET paid_fen = …`` is reported.

The leaves are streamed in ``leaf_index`` order and folded into the stack of complete subtrees
(at most one per bit of the size); the signed heads are read with the leaves they cover, batch
by batch, and the cross-check is counted in the database, only its findings (at most 20 of
each kind) coming back: memory stays bounded whatever the size of the log and the number of
heads (bench/audit.py measures it).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import TextClause, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from . import merkle, signing
from .models import AuditEntry, SigningKey, TreeHead, TreeNode
from .service import leaf_data, verify

__all__ = ["AnchoredHead", "Report", "anchored_from_json", "head_json", "verify_all"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class AnchoredHead:
    """A head kept outside (the JSON of ``/v1/audit/head``)."""

    tree_size: int
    root_hash: bytes
    signed_at: dt.datetime
    public_key: bytes
    signature: bytes


@dataclass(slots=True)
class Report:
    chain_checked: int = 0
    leaves: int = 0
    heads: int = 0
    unsequenced: int = 0
    settlements: int = 0
    reversals: int = 0
    problems: list[str] = field(default_factory=list)
    broken_entry_id: int | None = None  # the first entry a problem names, if any

    def entry_problem(self, entry_id: int, problem: str) -> None:
        if self.broken_entry_id is None:
            self.broken_entry_id = entry_id
        self.problems.append(f"entry {entry_id}: {problem}")

    @property
    def ok(self) -> bool:
        return not self.problems


class _Frontier:
    """The complete subtrees of the leaves so far (largest first): the root at any size."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []  # (level, hash)
        self.size = 0

    def push(self, leaf: bytes) -> None:
        level, h = 0, leaf
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            h, level = merkle.node_hash(left, h), level + 1
        self.stack.append((level, h))
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return merkle.EMPTY_ROOT
        h = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            h = merkle.node_hash(left, h)
        return h


async def verify_all(
    session: AsyncSession,
    trusted_keys: Sequence[bytes] = (),
    anchored: Sequence[AnchoredHead] = (),
    batch: int = 5000,
) -> Report:
    report = Report()
    problems = report.problems
    checked, broken = await verify(session, batch)
    report.chain_checked = checked
    if broken is not None:
        report.entry_problem(broken.entry_id, f"pre-0022 chain: {broken.problem}")

    keys = {k.key_id: bytes(k.public_key) for k in (await session.scalars(select(SigningKey)))}
    trusted = {signing.key_id(k) for k in trusted_keys}

    def check_head(h: TreeHead) -> None:
        public = keys.get(h.key_id)
        if public is None or signing.key_id(public) != h.key_id:
            problems.append(f"head {h.tree_size}: its signing key {h.key_id} is not stored")
        elif not signing.verify_head(
            public, h.tree_size, bytes(h.root_hash), h.signed_at, bytes(h.signature)
        ):
            problems.append(f"head {h.tree_size}: the signature does not verify")
        elif trusted and h.key_id not in trusted:
            problems.append(f"head {h.tree_size}: signed by key {h.key_id}, not a trusted key")

    for a in anchored:
        if not signing.verify_head(
            a.public_key, a.tree_size, a.root_hash, a.signed_at, a.signature
        ):
            problems.append(f"anchored head {a.tree_size}: its signature does not verify")
    # The heads are not held all at once (a busy log signs one per sequencer round: millions):
    # those this walk covers are read batch by batch, the leaves' range each time, and checked
    # when the recomputed tree reaches their size. Only the anchored heads wait in memory.
    count, largest = (
        await session.execute(text("SELECT count(*), max(tree_size) FROM audit_tree_heads"))
    ).one()
    report.heads = int(count)
    anchored_at: dict[int, list[AnchoredHead]] = {}
    for a in anchored:
        anchored_at.setdefault(a.tree_size, []).append(a)

    # Read committed, so the sequencer may go on meanwhile: walk the leaves the heads counted
    # above cover (a batch commits its leaves and its head together), and look at what was
    # added since at the end.
    covered = max([int(largest or 0)] + [a.tree_size for a in anchored])
    stored_covered = int(largest or 0)
    frontier = _Frontier()
    last = -1
    while True:
        rows = (
            await session.execute(
                select(AuditEntry, TreeNode.hash)
                .outerjoin(
                    TreeNode, (TreeNode.level == 0) & (TreeNode.idx == AuditEntry.leaf_index)
                )
                .where(AuditEntry.leaf_index > last, AuditEntry.leaf_index < covered)
                .order_by(AuditEntry.leaf_index)
                .limit(batch)
                .execution_options(populate_existing=True)  # not an entry loaded earlier
            )
        ).all()
        if not rows:
            break
        heads = {
            h.tree_size: h
            for h in await session.scalars(
                select(TreeHead)
                .where(
                    TreeHead.tree_size > frontier.size,
                    TreeHead.tree_size <= frontier.size + len(rows),
                    TreeHead.tree_size <= stored_covered,
                )
                .order_by(TreeHead.tree_size)
            )
        }
        for h in heads.values():
            check_head(h)
        for entry, stored in rows:
            assert entry.leaf_index is not None
            if entry.leaf_index != frontier.size:
                report.entry_problem(
                    entry.id,
                    f"it is leaf {entry.leaf_index} but leaf {frontier.size} is missing: the "
                    "entry before it was deleted",
                )
                return report  # every later root differs: one finding is enough
            leaf = merkle.leaf_hash(leaf_data(entry))
            if stored is None or bytes(stored) != leaf:
                report.entry_problem(
                    entry.id,
                    f"it does not match leaf hash {entry.leaf_index}: the entry (or the stored "
                    "tree) was edited",
                )
            frontier.push(leaf)
            head = heads.get(frontier.size)
            reached = anchored_at.pop(frontier.size, [])
            if head is not None or reached:
                root = frontier.root()
                if head is not None and bytes(head.root_hash) != root:
                    problems.append(f"head {head.tree_size}: the root does not match the leaves")
                for a in reached:
                    if a.root_hash != root:
                        problems.append(
                            f"anchored head {a.tree_size}: the root does not match the leaves"
                        )
            last = entry.leaf_index
    # Heads beyond the leaves that are left: the tail was deleted (their signatures too).
    beyond = list(
        await session.scalars(
            select(TreeHead)
            .where(TreeHead.tree_size > frontier.size, TreeHead.tree_size <= stored_covered)
            .order_by(TreeHead.tree_size)
        )
    )
    wanted: dict[int, list[str]] = {}
    for h in beyond:
        check_head(h)
        wanted.setdefault(h.tree_size, []).append(f"head {h.tree_size}")
    for size, left in anchored_at.items():
        wanted.setdefault(size, []).extend(f"anchored head {size}" for _ in left)
    report.leaves = frontier.size
    for size, names in sorted(wanted.items()):
        for name in names:
            problems.append(
                f"{name} covers {size} leaves but the log has {frontier.size}: "
                "leaves were deleted from the tail"
            )
    # Nodes, then leaves, then heads: what one query sees, the next one sees committed with it.
    nodes_now = await session.scalar(
        text("SELECT max(idx) + 1 FROM audit_tree_nodes WHERE level = 0")
    )
    leaves_now = await session.scalar(text("SELECT max(leaf_index) + 1 FROM audit_log"))
    head_now = await session.scalar(text("SELECT max(tree_size) FROM audit_tree_heads"))
    if leaves_now is not None and (head_now is None or leaves_now > head_now):
        problems.append(
            f"the log has {leaves_now} leaves but its latest head covers {head_now or 0}: "
            "the heads after it were deleted"
        )
    bad_nodes = await session.scalar(
        text(
            "SELECT count(*) FROM audit_tree_nodes p"
            " LEFT JOIN audit_tree_nodes l ON l.level = p.level - 1 AND l.idx = 2 * p.idx"
            " LEFT JOIN audit_tree_nodes r ON r.level = p.level - 1 AND r.idx = 2 * p.idx + 1"
            " WHERE p.level > 0 AND p.hash IS DISTINCT FROM"
            " sha256('\\x01'::bytea || l.hash || r.hash)"
        )
    )
    if bad_nodes:
        problems.append(f"{bad_nodes} stored inner nodes of the tree do not match their children")
    if nodes_now is not None and nodes_now > (leaves_now or 0):
        problems.append(
            f"the tree has {nodes_now} leaf hashes but the log {leaves_now or 0} leaves: "
            "entries were deleted"
        )
    report.unsequenced = int(
        await session.scalar(text("SELECT count(*) FROM audit_log WHERE leaf_index IS NULL")) or 0
    )
    await _crosscheck(session, report)
    return report


# Each query lists rows that differ from their logged entry (at most 20 of each kind).
_SETTLEMENTS = text(
    """
WITH e AS (
  SELECT DISTINCT ON (entity_id) entity_id, details
  FROM audit_log WHERE action = 'settlement.create' ORDER BY entity_id, id
)
SELECT s.id::text AS id,
  CASE
    WHEN e.entity_id IS NULL THEN 'has no settlement.create entry'
    WHEN e.details->>'hospital_code' IS DISTINCT FROM s.hospital_code
      OR e.details->>'bill_no' IS DISTINCT FROM s.bill_no
      OR e.details->>'policy_version' IS DISTINCT FROM s.policy_version
      OR (e.details->>'total_fen')::bigint IS DISTINCT FROM s.total_fen
      OR (e.details->>'fund_paid_fen')::bigint IS DISTINCT FROM s.fund_paid_fen
      OR (e.details->>'self_pay_fen')::bigint IS DISTINCT FROM s.self_pay_fen
      THEN 'its amounts differ from its entry'
    WHEN e.details ? 'amounts' AND (
         e.details->'amounts' IS DISTINCT FROM jsonb_build_object(
           'hospital_borne_fen', s.hospital_borne_fen, 'full_self_pay_fen', s.full_self_pay_fen,
           'over_limit_fen', s.over_limit_fen, 'pre_self_pay_fen', s.pre_self_pay_fen,
           'in_policy_fen', s.in_policy_fen, 'in_policy_self_pay_fen', s.in_policy_self_pay_fen)
      OR e.details->'accumulator_deltas' IS DISTINCT FROM s.accumulator_deltas)
      THEN 'its amounts or accumulator deltas differ from its entry'
    WHEN e.details ? 'layers' AND e.details->'layers' IS DISTINCT FROM coalesce((
         SELECT jsonb_agg(jsonb_build_array(l.layer, l.fund_code, l.base_fen, l.paid_fen,
                                            l.left_fen) ORDER BY l.position)
         FROM settlement_layers l WHERE l.settlement_id = s.id), '[]'::jsonb)
      THEN 'its layer lines differ from its entry'
    WHEN NOT e.details ? 'layers' AND e.details->'paid_fen_by_fund' IS DISTINCT FROM coalesce((
         SELECT jsonb_object_agg(x.fund_code, x.paid_fen) FROM (
           SELECT DISTINCT ON (l.fund_code) l.fund_code, l.paid_fen FROM settlement_layers l
           WHERE l.settlement_id = s.id ORDER BY l.fund_code, l.position DESC) x), '{}'::jsonb)
      THEN 'its layer lines differ from its entry (paid_fen_by_fund)'
  END AS problem
FROM settlements s LEFT JOIN e ON e.entity_id = s.id::text
"""
)

_ORPHANS = text(
    """
SELECT a.entity_id FROM audit_log a
WHERE a.action = 'settlement.create'
  AND NOT EXISTS (SELECT 1 FROM settlements s WHERE s.id::text = a.entity_id)
LIMIT 20
"""
)

# A reversal row must be the one its settlement's latest settlement.reverse entry names, with
# that reason; and a settlement whose latest reverse entry was not undone by a later reinstate
# must have that reversal row.
_REVERSALS = text(
    """
WITH rev AS (
  SELECT DISTINCT ON (entity_id) entity_id, id, details
  FROM audit_log WHERE action = 'settlement.reverse' ORDER BY entity_id, id DESC
), rein AS (
  SELECT entity_id, max(id) AS id FROM audit_log WHERE action = 'settlement.reinstate'
  GROUP BY entity_id
)
SELECT coalesce(r.settlement_id::text, rev.entity_id) AS id,
  CASE
    WHEN rev.entity_id IS NULL THEN 'reversal row has no settlement.reverse entry'
    WHEN r.id IS NULL THEN 'the settlement.reverse entry has no reversal row'
    WHEN rev.details->>'reversal_id' IS DISTINCT FROM r.id::text
      OR rev.details->>'reason' IS DISTINCT FROM r.reason
      OR coalesce(rev.details->>'kind', 'reversal') IS DISTINCT FROM r.kind
      THEN 'the reversal row differs from its entry'
  END AS problem
FROM reversals r
FULL JOIN (
  SELECT rev.* FROM rev LEFT JOIN rein ON rein.entity_id = rev.entity_id
  WHERE rein.id IS NULL OR rein.id < rev.id
) rev ON rev.entity_id = r.settlement_id::text
"""
)


def _summarized(rows: str) -> TextClause:
    """One row from a query listing ``(id, problem)`` per checked row: how many rows, how many
    with a problem, and the first 20 of those. The rows stay in the database (a materialized
    CTE spills to disk past ``work_mem``): the client never holds one row per settlement, and no
    cursor makes a round trip per page of them."""
    return text(
        f"WITH x AS MATERIALIZED ({rows})"
        " SELECT count(*) AS n, count(x.problem) AS bad,"
        " (SELECT coalesce(array_agg(f.id), '{}') FROM (SELECT id FROM x"
        "   WHERE problem IS NOT NULL ORDER BY id LIMIT 20) f) AS ids,"
        " (SELECT coalesce(array_agg(f.problem), '{}') FROM (SELECT id, problem FROM x"
        "   WHERE problem IS NOT NULL ORDER BY id LIMIT 20) f) AS shown"
        " FROM x"
    )


_SETTLEMENTS_SUMMARY = _summarized(_SETTLEMENTS.text)
_REVERSALS_SUMMARY = _summarized(_REVERSALS.text)


async def _crosscheck(session: AsyncSession, report: Report) -> None:
    n, found, ids, shown = (await session.execute(_SETTLEMENTS_SUMMARY)).one()
    report.settlements = int(n)
    for sid, problem in zip(ids, shown, strict=True):
        report.problems.append(f"settlement {sid}: {problem}")
    for (sid,) in (await session.execute(_ORPHANS)).all():
        report.problems.append(f"settlement {sid}: logged as created but its row is missing")
    n, bad, ids, listed = (await session.execute(_REVERSALS_SUMMARY)).one()
    report.reversals = int(n)
    for sid, problem in zip(ids, listed, strict=True):
        report.problems.append(f"settlement {sid}: {problem}")
    if found > 20 or bad > 20:
        report.problems.append(f"({found} settlements and {bad} reversals differ in all)")


def head_json(head: TreeHead, public_key: bytes) -> dict[str, object]:
    """A head as ``/v1/audit/head`` gives it, and as an agency keeps it (``--anchor``)."""
    return {
        "tree_size": head.tree_size,
        "root_hash": bytes(head.root_hash).hex(),
        "signed_at": head.signed_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "signed_at_ms": signing.millis(head.signed_at),
        "key_id": head.key_id,
        "public_key": base64.b64encode(public_key).decode(),
        "signature": base64.b64encode(bytes(head.signature)).decode(),
    }


def anchored_from_json(data: object) -> AnchoredHead:
    """The inverse of :func:`head_json`; ValueError for anything else."""
    if not isinstance(data, dict):
        raise ValueError("an anchored head is a JSON object")
    try:
        size, at_ms = data["tree_size"], data["signed_at_ms"]
        if type(size) is not int or type(at_ms) is not int or size < 0:
            raise ValueError("tree_size and signed_at_ms are integers")
        return AnchoredHead(
            tree_size=size,
            root_hash=bytes.fromhex(str(data["root_hash"])),
            signed_at=_EPOCH + dt.timedelta(milliseconds=at_ms),
            public_key=base64.b64decode(str(data["public_key"]), validate=True),
            signature=base64.b64decode(str(data["signature"]), validate=True),
        )
    except (KeyError, binascii.Error) as bad:
        raise ValueError(f"not an anchored head: {bad}") from None
