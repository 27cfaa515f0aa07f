"""Reading the YAML settlement cases in ``tests/engine/cases`` (format: ``cases/README.md``).

Every amount in a case is a quoted yuan string; this module turns a case into the engine's
integer inputs and the expected figures into plain comparable data, and rejects typos (an unknown
key fails the case instead of being silently ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.engine import (
    BillLine,
    Claim,
    Policy,
    Settlement,
    expected_amount_fen,
    in_force,
    parse_date,
    parse_scaled,
    settle,
)
from app.engine.layers import base_key, paid_key

CASES_DIR = Path(__file__).parent / "cases"

_CASE_KEYS = {
    "name",
    "about",
    "policy",
    "discharge_date",
    "hospital_level",
    "in_county",
    "referral",
    "categories",
    "accumulators_before",
    "earlier_settlements",
    "lines",
    "expected",
}
_LINE_KEYS = {
    "code",
    "grade",
    "self_pay_ratio",
    "price_cap",
    "unit_price",
    "quantity",
    "amount",
    "hospital_borne",
}
_EXPECTED_KEYS = {
    "policy",
    "totals",
    "layers",
    "fund_paid",
    "self_pay",
    "in_policy_self_pay",
    "in_policy_self_pay_ratio",
    "accumulator_deltas",
}
_TOTAL_KEYS = {
    "total",
    "hospital_borne",
    "full_self_pay",
    "over_limit",
    "pre_self_pay",
    "in_policy",
}
_LAYER_KEYS = {"base", "paid", "left", "reason", "params"}
_ACCUMULATOR_KINDS = {"paid": paid_key, "base": base_key}


class CaseError(ValueError):
    """A case file is malformed (a problem with the test data, not with the engine)."""


@dataclass(frozen=True)
class Case:
    name: str
    source: Path
    raw: Mapping[str, Any]
    claim: Claim
    accumulators_before: dict[str, int]
    earlier: tuple[tuple[tuple[BillLine, ...], bool], ...]  # (lines, reversed)
    expected: Mapping[str, Any] = field(default_factory=dict)

    def policy(self, policies: list[Policy]) -> Policy:
        """By id, or the version in force on the discharge date."""
        by_id = self.raw.get("policy")
        if by_id is not None:
            found = [p for p in policies if p.id == by_id]
            if not found:
                raise CaseError(f"{self.name}: no policy with id {by_id!r}")
            return found[0]
        policy = in_force(policies, _date(self.raw["discharge_date"], self.name))
        if policy is None:
            raise CaseError(f"{self.name}: no policy in force on {self.raw['discharge_date']}")
        return policy


def _scaled(text: Any, places: int, what: str) -> int:
    """A quoted decimal string, by the one parser (a float in a case file is an error: it may
    not be exact)."""
    if not isinstance(text, str):
        raise CaseError(f"{what} must be a quoted string, got {text!r}")
    return parse_scaled(text, places)


def yuan(text: Any, what: str = "amount") -> int:
    """A quoted yuan string → fen."""
    return _scaled(text, 2, what)


def _date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise CaseError(f"{name}: discharge_date must be a date")


def _check_keys(data: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise CaseError(f"{where}: must be a mapping")
    unknown = set(data) - allowed
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    return data


def bill_line(seq: int, raw: Any, where: str) -> BillLine:
    data = _check_keys(raw, _LINE_KEYS, where)
    grade = data.get("grade")
    if grade not in ("A", "B", "C"):
        raise CaseError(f"{where}: grade must be A, B or C")
    amount = yuan(data["amount"], f"{where}.amount") if "amount" in data else None
    if "unit_price" in data:
        # the engine's precision: unit prices (and caps) in 1e-6 yuan, quantities in 1e-4
        unit_price = _scaled(data["unit_price"], 6, f"{where}.unit_price")
        quantity = _scaled(data.get("quantity", "1"), 4, f"{where}.quantity")
    elif amount is not None:
        unit_price, quantity = amount * 10_000, 10_000  # one unit at the line's amount
    else:
        raise CaseError(f"{where}: needs amount or unit_price")
    computed = expected_amount_fen(unit_price, quantity)
    if amount is not None and amount != computed:
        raise CaseError(f"{where}: amount is not round(unit_price × quantity)")
    cap = data.get("price_cap")
    return BillLine(
        seq=seq,
        code=str(data.get("code", f"L{seq}")),
        unit_price_e6=unit_price,
        quantity_e4=quantity,
        amount_fen=computed,
        hospital_borne=bool(data.get("hospital_borne", False)),
        grade=grade,
        self_pay_ratio_bp=_scaled(data.get("self_pay_ratio", "0"), 4, f"{where}.self_pay_ratio"),
        price_cap_e6=None if cap is None else _scaled(cap, 6, f"{where}.price_cap"),
    )


def bill_lines(raw: Any, where: str) -> tuple[BillLine, ...]:
    if not isinstance(raw, list):
        raise CaseError(f"{where}: must be a list of lines")
    return tuple(bill_line(i + 1, line, f"{where}[{i}]") for i, line in enumerate(raw))


def accumulators(raw: Any, where: str) -> dict[str, int]:
    """``{layer: {paid: "…", base: "…"}}`` → engine keys (``basic:paid_fen``) in fen."""
    result: dict[str, int] = {}
    for layer, kinds in _check_keys(raw or {}, set(raw or {}), where).items():
        for kind, amount in _check_keys(kinds, set(_ACCUMULATOR_KINDS), f"{where}.{layer}").items():
            result[_ACCUMULATOR_KINDS[kind](layer)] = yuan(amount, f"{where}.{layer}.{kind}")
    return result


def parse_case(raw: Any, source: Path) -> Case:
    data = _check_keys(raw, _CASE_KEYS, f"{source.name}: case")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise CaseError(f"{source.name}: every case needs a name")
    if ("policy" in data) == ("discharge_date" in data):
        raise CaseError(f"{name}: give exactly one of policy or discharge_date")
    expected = _check_keys(data.get("expected"), _EXPECTED_KEYS, f"{name}.expected")
    _check_keys(expected.get("totals", {}), _TOTAL_KEYS, f"{name}.expected.totals")
    for layer, line in expected.get("layers", {}).items():
        _check_keys(line, _LAYER_KEYS, f"{name}.expected.layers.{layer}")
    earlier = []
    for index, entry in enumerate(data.get("earlier_settlements", [])):
        entry = _check_keys(entry, {"lines", "reversed"}, f"{name}.earlier_settlements[{index}]")
        lines = bill_lines(entry["lines"], f"{name}.earlier_settlements[{index}].lines")
        earlier.append((lines, bool(entry.get("reversed", False))))
    claim = Claim(
        lines=bill_lines(data.get("lines"), f"{name}.lines"),
        level=data["hospital_level"],
        in_county=bool(data["in_county"]),
        referral=bool(data.get("referral", False)),
        categories=frozenset(data.get("categories", [])),
    )
    return Case(
        name=name,
        source=source,
        raw=data,
        claim=claim,
        accumulators_before=accumulators(data.get("accumulators_before"), f"{name}.accumulators"),
        earlier=tuple(earlier),
        expected=expected,
    )


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        _check_keys(document, {"cases"}, path.name)
        cases.extend(parse_case(raw, path) for raw in document["cases"])
    names = [case.name for case in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CaseError(f"duplicate case names: {duplicates}")
    return cases


def settle_case(case: Case, policies: list[Policy]) -> tuple[Policy, dict[str, int], Settlement]:
    """The engine's answer for ``case``: its earlier admissions settled in order (reversing
    those marked so), then its own bill. Returns the policy, the accumulators the bill was
    settled on, and the settlement."""
    policy = case.policy(policies)
    acc = dict(case.accumulators_before)
    for lines, reversed_ in case.earlier:
        earlier = settle(
            Claim(
                lines,
                case.claim.level,
                case.claim.in_county,
                case.claim.referral,
                case.claim.categories,
            ),
            policy,
            acc,
        )
        for key, amount in earlier.deltas.items():
            acc[key] = acc.get(key, 0) + amount
        if reversed_:  # a reversal subtracts exactly what the settlement added
            for key, amount in earlier.deltas.items():
                acc[key] -= amount
    if any(amount < 0 for amount in acc.values()):
        raise CaseError(f"{case.name}: the accumulators went negative")
    before = {key: amount for key, amount in acc.items() if amount}
    return policy, before, settle(case.claim, policy, before)
