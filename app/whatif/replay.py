"""The replay: a period's standing settlements through the pure engine under a draft policy,
compared with what was paid (docs/what-if.md "Replay semantics").

History, not the accumulators table
-----------------------------------
A settlement was computed from its person-year's accumulators as they stood when it took the
person-year lock: the stored deltas of every earlier settlement of that person-year, less those
of every settlement reversed before it. Settlements and reversals take their ``setl_id`` from
one sequence while holding that lock (migration 0011), so within a person-year ``setl_id`` order
*is* the order the accumulators changed in. The replay walks each person-year's events in that
order:

- a settlement made in the range, in the draft's region, is settled again by the engine under
  the draft, from the simulated accumulators; what it adds to them is what the engine says
  (plus the bill total, ``app.bounds.PERSON_YEAR_TOTAL_KEY``, as the service adds);
- any other settlement of the person-year (before the range, after it, another region's) adds
  its *stored* deltas: what really happened;
- a reversal subtracts exactly what its settlement added in this walk (the draft's deltas if it
  was replayed, the stored ones otherwise), as a real reversal subtracts what it added.

So a bill reversed after a later bill of the same person still counted for that later bill, as
it did; and replaying under the policy in force gives back every stored figure, deltas 0.00,
whatever the history (tests/whatif/test_reproduction.py). A reinstated reversal (冲正 of a 2305)
left no row, and nothing of the person-year happened between the reversal and its undoing (the
service refuses it otherwise), so leaving both out is exact.

Compared (the result) are the range's *standing* settlements (no reversal row in the snapshot)
of the draft's region, narrowed by the person's county and the hospital. Reversed settlements of
the range are replayed (they moved the accumulators while they stood) but not compared: paid and
taken back, they net to nothing.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic_core import from_json

from app.bounds import PERSON_YEAR_TOTAL_KEY
from app.engine import BillLine, Claim, Policy, paid_key, settle
from app.engine.money import BP, div_half_up, format_fen, format_ratio_bp

__all__ = ["TOP_CHANGES", "EventRow", "Replay"]

TOP_CHANGES = 20
REGISTERED_POOR = "registered_poor"


class EventRow(Protocol):
    """One event of the stream (app.whatif.source): a settlement (``kind`` 0) or a reversal (1)."""

    kind: int
    setl_id: str
    person_id: int
    accumulator_year: int
    settlement_id: Any
    replay: bool | None
    compared: bool | None
    deltas: str | None
    items: str | None
    hospital_level: str | None
    in_county: bool | None
    referral: bool | None
    categories: Sequence[str] | None
    self_pay_fen: int | None
    in_policy_self_pay_fen: int | None
    tilted_target_fen: int | None
    person_county_code: str | None
    month: str | None
    hospital_code: str | None
    bill_no: str | None
    policy_version: str | None


def _lines(items_json: str) -> list[BillLine]:
    """The stored lines (``settlement_item_lists.items``, ``ITEM_COLUMNS`` order) as the engine
    takes them: the catalogue facts are the ones the settlement used. (pydantic-core's JSON
    parser, as the settle path's serializer: under half of ``json.loads``'s time.)"""
    return [
        BillLine(seq, code, price, quantity, amount, borne, grade, ratio, cap)
        for seq, code, _name, price, quantity, amount, borne, grade, ratio, cap in from_json(
            items_json
        )
    ]


@dataclass(slots=True)
class _Cell:
    """Sums of one person's county and month."""

    bills: int = 0
    fund_actual: int = 0
    fund_what_if: int = 0
    self_pay_actual: int = 0
    self_pay_what_if: int = 0
    poor_in_county: int = 0
    above_actual: int = 0
    above_what_if: int = 0


@dataclass(slots=True)
class Replay:
    """Feed it a person-year-ordered event stream (:meth:`feed`); :meth:`result` is the answer."""

    draft: Policy
    published: Mapping[str, Policy] = field(default_factory=dict)  # by id: the stored versions
    compared: int = 0
    changed: int = 0
    _key: tuple[int, int] | None = None
    _acc: dict[str, int] = field(default_factory=dict)
    _added: dict[Any, Mapping[str, int]] = field(default_factory=dict)
    _funds_actual: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _funds_what_if: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _cells: dict[tuple[str, str], _Cell] = field(default_factory=dict)
    _versions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _top: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    _fund_codes: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def _add(self, deltas: Mapping[str, int], sign: int) -> None:
        acc = self._acc
        for key, amount in deltas.items():
            acc[key] = acc.get(key, 0) + sign * amount

    def feed(self, row: EventRow) -> bool:
        """Take one event; returns whether it was a compared settlement (for progress)."""
        key = (row.person_id, row.accumulator_year)
        if key != self._key:
            self._key, self._acc, self._added = key, {}, {}
        if row.kind == 1:  # a reversal: take back what its settlement added in this walk
            added = self._added.pop(row.settlement_id, None)
            if added is not None:
                self._add(added, -1)
            return False
        stored: dict[str, int] = from_json(row.deltas or "{}")  # pydantic-core's: 4× json's
        if not row.replay:
            self._added[row.settlement_id] = stored
            self._add(stored, +1)
            return False
        claim = Claim(
            lines=_lines(row.items or "[]"),
            level=str(row.hospital_level),
            in_county=bool(row.in_county),
            referral=bool(row.referral),
            categories=frozenset(row.categories or ()),
        )
        computed = settle(claim, self.draft, self._acc)
        total = computed.totals.total_fen
        deltas = {**computed.deltas, PERSON_YEAR_TOTAL_KEY: total} if total else computed.deltas
        self._added[row.settlement_id] = deltas
        self._add(deltas, +1)
        if not row.compared:
            return False
        self._compare(row, claim, computed, stored)
        return True

    def _funds_of(self, version: str) -> tuple[tuple[str, str], ...]:
        """``(layer, fund code)`` of a stored version's layers, in its order."""
        found = self._fund_codes.get(version)
        if found is None:
            policy = self.published.get(version)
            layers = policy.layers if policy is not None else ()
            found = tuple((layer.meta.name, layer.meta.fund_code) for layer in layers)
            self._fund_codes[version] = found
        return found

    def _compare(
        self, row: EventRow, claim: Claim, computed: Any, stored: Mapping[str, int]
    ) -> None:
        self.compared += 1
        # What each layer paid, as stored: its accumulator delta ``<layer>:paid_fen`` (the
        # engine writes one for every layer that paid, app.engine.layers.base.LayerMeta.line).
        actual_layers = [
            (code, stored[paid_key(name)])
            for name, code in self._funds_of(str(row.policy_version))
            if stored.get(paid_key(name))
        ]
        what_if_layers = [
            (line.fund_code, line.paid_fen) for line in computed.layers if line.paid_fen
        ]
        for code, paid in actual_layers:
            self._funds_actual[code] += paid
        for code, paid in what_if_layers:
            self._funds_what_if[code] += paid
        self._versions[str(row.policy_version)] += 1
        actual_self = int(row.self_pay_fen or 0)
        what_if_self = computed.self_pay_fen
        cell = self._cells.get((str(row.person_county_code), str(row.month)))
        if cell is None:
            cell = self._cells[(str(row.person_county_code), str(row.month))] = _Cell()
        cell.bills += 1
        cell.fund_actual += sum(paid for _, paid in actual_layers)
        cell.fund_what_if += computed.fund_paid_fen
        cell.self_pay_actual += actual_self
        cell.self_pay_what_if += what_if_self
        if claim.in_county and REGISTERED_POOR in claim.categories:
            cell.poor_in_county += 1
            target = row.tilted_target_fen
            if target is not None:  # as the ledger: no target, not above it
                cell.above_actual += int(row.in_policy_self_pay_fen or 0) > target
                cell.above_what_if += computed.in_policy_self_pay_fen > target
        # unchanged: the same self-pay and the same payment per fund (in whatever layer order)
        if actual_self == what_if_self and sorted(actual_layers) == sorted(what_if_layers):
            return
        self.changed += 1
        delta = what_if_self - actual_self
        if delta == 0:
            return
        # the 20 largest |delta|; among equal ones the earliest settled (smallest setl_id)
        order = -int(row.setl_id[1:]) if row.setl_id[1:].isdigit() else 0
        key = (abs(delta), order)
        if len(self._top) < TOP_CHANGES:
            heapq.heappush(self._top, (*key, self._top_entry(row, actual_self, what_if_self)))
        elif key > self._top[0][:2]:
            heapq.heapreplace(self._top, (*key, self._top_entry(row, actual_self, what_if_self)))

    @staticmethod
    def _top_entry(row: EventRow, actual: int, what_if: int) -> dict[str, Any]:
        return {
            "setl_id": row.setl_id,
            "settlement_id": str(row.settlement_id),
            "person_id": row.person_id,  # replaced by the masked ID number, then dropped
            "hospital_code": row.hospital_code,
            "bill_no": row.bill_no,
            "county_code": row.person_county_code,
            "month": row.month,
            "self_pay": _three(actual, what_if),
        }

    def top_changes(self) -> list[dict[str, Any]]:
        return [entry for _, _, entry in sorted(self._top, key=lambda e: (-e[0], -e[1]))]

    def result(self) -> dict[str, Any]:
        """Everything as 2-decimal amounts and 4-decimal shares (``top_changes`` still carries
        ``person_id``: the caller puts the masked ID number in its place)."""
        names: dict[str, str] = {}
        for policy in (self.draft, *self.published.values()):
            for layer in policy.layers:
                names.setdefault(layer.meta.fund_code, layer.meta.fund_name)
        # the draft's funds in its order, then any other a stored version paid
        codes = list(
            dict.fromkeys(
                [
                    *(layer.meta.fund_code for layer in self.draft.layers),
                    *self._funds_actual,
                    *self._funds_what_if,
                ]
            )
        )
        funds = [
            {
                "fund_code": code,
                "fund_name": names.get(code, ""),
                **_three(self._funds_actual.get(code, 0), self._funds_what_if.get(code, 0)),
            }
            for code in codes
        ]
        cells = sorted(self._cells.items())
        total = _Cell()
        rows = []
        for (county, month), cell in cells:
            for name in _Cell.__slots__:
                setattr(total, name, getattr(total, name) + getattr(cell, name))
            rows.append({"county_code": county, "month": month, **_cell(cell)})
        return {
            "settlements": self.compared,
            "bills_changed": self.changed,
            "policy_versions": [
                {"policy_version": version, "settlements": count}
                for version, count in sorted(self._versions.items())
            ],
            "funds": funds,
            **_cell(total),
            "by_county_month": rows,
            "top_changes": self.top_changes(),
        }


def _three(actual: int, what_if: int) -> dict[str, str]:
    return {
        "actual": format_fen(actual),
        "what_if": format_fen(what_if),
        "delta": format_fen(what_if - actual),
    }


def _share(count: int, of: int) -> str | None:
    return format_ratio_bp(div_half_up(count * BP, of)) if of else None


def _cell(cell: _Cell) -> dict[str, Any]:
    return {
        "bills": cell.bills,
        "fund_paid": _three(cell.fund_actual, cell.fund_what_if),
        "self_pay": _three(cell.self_pay_actual, cell.self_pay_what_if),
        "target": {
            "bills": cell.poor_in_county,
            "above_actual": cell.above_actual,
            "above_what_if": cell.above_what_if,
            "share_actual": _share(cell.above_actual, cell.poor_in_county),
            "share_what_if": _share(cell.above_what_if, cell.poor_in_county),
        },
    }
