"""The pipeline beyond the demo policy: layer order and set as data, guards, report shape."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from app.engine import BillLine, Claim, InvariantViolation, settle
from app.engine.money import ensure, format_e4
from app.engine.report import settlement_dict
from app.policy import POLICY_DIR, parse_document

from . import invariants

BASE_PATH = POLICY_DIR / "panzhihua" / "2018-01-01.yaml"


def document(**changes: Any) -> dict[str, Any]:
    doc = yaml.safe_load(BASE_PATH.read_text(encoding="utf-8"))
    doc.update(changes)
    return doc


def line(seq: int, grade: str, amount_fen: int, ratio_bp: int = 0) -> BillLine:
    return BillLine(
        seq, f"{grade}{seq}", amount_fen * 100, 1000, amount_fen, False, grade, ratio_bp
    )


EXAMPLE_1 = [line(1, "C", 100_000), line(2, "B", 500_000, 1000), line(3, "A", 1_400_000)]
POOR_IN_COUNTY = Claim(EXAMPLE_1, "secondary", True, False, frozenset({"registered_poor"}))


def test_layer_order_is_policy_data() -> None:
    """Civil assistance before supplementary: same bill, different split, invariants hold."""
    doc = document(
        order=["basic", "critical_illness", "civil_assistance", "supplementary", "tilted"]
    )
    policy = parse_document(doc).policy
    result = settle(POOR_IN_COUNTY, policy, {})
    invariants.check(POOR_IN_COUNTY, policy, {}, result)
    by_layer = {ln.layer: ln for ln in result.layers}
    # basic 14640.00 left 3860.00; critical 0; civil 0.70 × 3860 = 2702.00, left 1158.00;
    # supplementary 0.50 × 1158 = 579.00, left 579.00; tilted target 1850.00 → 0.00
    assert [ln.layer for ln in result.layers][2] == "civil_assistance"
    assert by_layer["civil_assistance"].paid_fen == 270_200
    assert by_layer["supplementary"].paid_fen == 57_900
    assert by_layer["tilted"].paid_fen == 0
    assert result.self_pay_fen == 100_000 + 50_000 + 57_900


def test_a_policy_may_list_fewer_layers() -> None:
    doc = document(order=["basic", "civil_assistance"])
    for name in ("critical_illness", "supplementary", "tilted"):
        del doc["layers"][name]
    policy = parse_document(doc).policy
    result = settle(POOR_IN_COUNTY, policy, {})
    invariants.check(POOR_IN_COUNTY, policy, {}, result)
    # basic 14640.00, left 3860.00; civil 0.70 × 3860 = 2702.00
    assert [ln.paid_fen for ln in result.layers] == [1_464_000, 270_200]
    assert result.self_pay_fen == 2_000_000 - 1_464_000 - 270_200


def test_basic_ratio_reduced_to_zero_says_so() -> None:
    """A reduction at least as large as the ratio floors at 0 and the line explains why."""
    doc = document()
    doc["layers"]["basic"]["params"]["out_of_county_no_referral_reduction"]["value"] = "1.00"
    policy = parse_document(doc).policy
    claim = Claim(EXAMPLE_1, "secondary", False, False, frozenset())
    basic = settle(claim, policy, {}).layers[0]
    assert basic.paid_fen == 0
    assert basic.reason == "ratio is 0"
    assert dict(basic.params)["ratio"] == "0.00"


def test_unknown_level_is_an_invariant_violation() -> None:
    policy = parse_document(document()).policy
    with pytest.raises(InvariantViolation, match="unknown hospital level 'quaternary'"):
        settle(Claim(EXAMPLE_1, "quaternary", True, False, frozenset()), policy, {})


def test_amount_inconsistent_with_price_is_not_paid() -> None:
    """The service validates amount = round(unit_price × quantity) (a /v1 line; a visit's line
    when 2301 takes it). Should a line whose over-cap part exceeds its amount reach the engine,
    the over-cap part is bounded by the amount (docs/rules.md §3): no class goes negative and the
    funds pay nothing for it. Here 1000.00 × 1 against a cap of 0 is 1000.00 over the cap, more
    than the line's 1.00, so 1.00 is over the cap and 0 is in policy."""
    policy = parse_document(document()).policy
    bad = BillLine(
        1,
        "X",
        unit_price_e6=1000_000000,
        quantity_e4=1_0000,
        amount_fen=100,
        hospital_borne=False,
        grade="A",
        price_cap_e6=0,
    )
    result = settle(Claim([bad], "primary", True, False, frozenset()), policy, {})
    assert (result.totals.over_limit_fen, result.totals.in_policy_fen) == (100, 0)
    assert (result.fund_paid_fen, result.self_pay_fen) == (0, 100)


def test_ensure() -> None:
    ensure(True, "fine")
    with pytest.raises(InvariantViolation, match="broken"):
        ensure(False, "broken")


def test_format_e4() -> None:
    """Unit prices and caps: at least 2, at most 4 decimals (the money.format_e4 docstring)."""
    assert format_e4(125_000) == "12.50"
    assert format_e4(125_050) == "12.505"
    assert format_e4(1) == "0.0001"
    assert format_e4(0) == "0.00"


def test_settlement_dict_is_all_strings_for_money() -> None:
    policy = parse_document(document()).policy
    data = settlement_dict(settle(POOR_IN_COUNTY, policy, {}))
    assert data["policy_version"] == "panzhihua-2018"
    assert data["policy_hash"] == policy.content_hash
    assert data["totals"]["in_policy"] == "18500.00"
    assert [layer["paid"] for layer in data["layers"]] == [
        "14640.00",
        "0.00",
        "1930.00",
        "80.00",
        "1295.00",
    ]
    assert data["self_pay"] == "2055.00"
    assert data["in_policy_self_pay_ratio"] == "0.0300"
    assert data["accumulator_deltas"]["critical_illness:base_fen"] == "3860.00"
