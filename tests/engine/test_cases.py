"""Every YAML case in ``tests/engine/cases`` settled and compared with its hand-worked figures."""

from __future__ import annotations

from typing import Any

import pytest

from app.engine import Policy, parse_scaled
from app.engine.layers import base_key, paid_key
from app.policy import load_directory

from . import invariants
from .caseformat import Case, accumulators, load_cases, settle_case, yuan

CASES = load_cases()
POLICIES: list[Policy] = [document.policy for document in load_directory()]


def _check_reason(layer: str, actual: str | None, expected: Any) -> None:
    if expected is None:
        assert actual is None, f"{layer}: expected no reason, got {actual!r}"
    else:
        assert actual is not None, f"{layer}: expected a reason containing {expected!r}"
        assert str(expected).lower() in actual.lower(), f"{layer}: reason {actual!r}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case) -> None:
    policy, before, result = settle_case(case, POLICIES)
    invariants.check(case.claim, policy, before, result)
    expected = case.expected

    if "policy" in expected:
        assert result.policy_id == expected["policy"]
    totals = result.totals
    for name, amount in expected.get("totals", {}).items():
        assert getattr(totals, f"{name}_fen") == yuan(amount), f"totals.{name}"

    by_layer = {line.layer: line for line in result.layers}
    for layer, want in expected.get("layers", {}).items():
        line = by_layer[layer]
        for field in ("base", "paid", "left"):
            if field in want:
                got = getattr(line, f"{field}_fen")
                assert got == yuan(want[field]), f"{layer}.{field}: got {got} fen"
        if "reason" in want:
            _check_reason(layer, line.reason, want["reason"])
        params = dict(line.params)
        for key, value in want.get("params", {}).items():
            assert params.get(key) == value, f"{layer}.params.{key}: got {params.get(key)!r}"

    for name in ("fund_paid", "self_pay", "in_policy_self_pay"):
        if name in expected:
            got = getattr(result, f"{name}_fen")
            assert got == yuan(expected[name]), f"{name}: got {got} fen"
    if "in_policy_self_pay_ratio" in expected:
        ratio = parse_scaled(expected["in_policy_self_pay_ratio"], 4)
        assert result.in_policy_self_pay_ratio_bp == ratio
    if "accumulator_deltas" in expected:
        want_deltas = accumulators(expected["accumulator_deltas"], f"{case.name}.deltas")
        assert dict(result.deltas) == {k: v for k, v in want_deltas.items() if v}


def test_every_case_checks_the_result() -> None:
    """A case with no expected figures would pass vacuously."""
    for case in CASES:
        assert {"fund_paid", "self_pay"} <= set(case.expected), case.name
        assert case.expected.get("layers"), case.name


def test_accumulator_keys_are_the_engine_keys() -> None:
    parsed = accumulators({"basic": {"paid": "1.00"}, "critical_illness": {"base": "2.50"}}, "x")
    assert parsed == {paid_key("basic"): 100, base_key("critical_illness"): 250}
