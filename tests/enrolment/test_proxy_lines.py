"""The line of one person (app.enrolment.proxy.line_for), figures worked out by hand from the
shipped 2018 rules (policies/enrolment/2018.yaml):

medical: contribution 180.00; 特困 full by civil_affairs (priority 1), 建档立卡 full by
poverty_office (2), 低保 fixed 150.00 by civil_affairs (3).
pension: 代缴 100.00 by county_finance; tiers 100…1000, 1500, 2000; highest 2000; subsidy 30 for
100/200, 40 for 300/400, 60 from 500; stacked totals that are not a tier are rejected.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engine.money import BP, apply_ratio
from app.enrolment.proxy import Candidate, TopUp, TopUpProblem, line_for
from app.enrolment.rules import CATEGORIES, SELF, THIRD_PARTY

from .conftest import document, rules_from

MEDICAL = rules_from(document(), "medical")
PENSION = rules_from(document(), "pension")


def _line(rules: Any, categories: dict[str, bool], top_up: TopUp | None = None) -> Any:
    return line_for(rules, Candidate(1, categories), top_up)


# -- medical ---------------------------------------------------------------------------------


def test_medical_full_subsidy() -> None:
    # 特困: mode full → civil_affairs pays all 180.00 = 18000 fen; the person nothing.
    line = _line(MEDICAL, {"tekun": False})
    assert (line.category, line.contribution_fen) == ("tekun", 18000)
    assert line.shares == (("civil_affairs", 18000),)
    assert (line.tier_fen, line.subsidy_fen) == (None, None)


def test_medical_partial_fixed_amount() -> None:
    # 低保: fixed 150.00 → civil_affairs 15000; the person 18000 − 15000 = 3000 (30.00).
    line = _line(MEDICAL, {"dibao": False})
    assert line.shares == (("civil_affairs", 15000), (SELF, 3000))


def test_medical_partial_fixed_ratio() -> None:
    # 低保 at a ratio 0.6667: 18000 × 0.6667 = 12000.6 → half up 12001; self 18000 − 12001 = 5999.
    doc = document()
    doc["medical"]["subsidies"]["dibao"].update(mode="fixed_ratio", value="0.6667")
    line = _line(rules_from(doc, "medical"), {"dibao": False})
    assert line.shares == (("civil_affairs", 12001), (SELF, 5999))


def test_a_fixed_amount_above_the_contribution_pays_the_contribution() -> None:
    # 低保 fixed 200.00 on a contribution of 180.00: the subsidy is capped at 180.00, self 0.
    doc = document()
    doc["medical"]["subsidies"]["dibao"]["value"] = "200.00"
    line = _line(rules_from(doc, "medical"), {"dibao": False})
    assert line.shares == (("civil_affairs", 18000),)


def test_two_categories_the_priority_rule_applies() -> None:
    # 低保 (priority 3, 150.00) and 建档立卡 (priority 2, full): 建档立卡's rule, 180.00 by 扶贫.
    line = _line(MEDICAL, {"dibao": False, "registered_poor": False})
    assert line.category == "registered_poor"
    assert line.shares == (("poverty_office", 18000),)
    # 特困 (1) beats both.
    line = _line(MEDICAL, {"dibao": False, "registered_poor": False, "tekun": False})
    assert (line.category, line.shares) == ("tekun", (("civil_affairs", 18000),))


def test_the_priority_is_data_not_the_most_money() -> None:
    # Swap: 低保 priority 1 (150.00), 特困 priority 3 (full): a 低保+特困 person gets 低保's rule
    # (150.00 + self 30.00): the file's priority decides, as documented.
    doc = document()
    doc["medical"]["subsidies"]["dibao"]["priority"] = 1
    doc["medical"]["subsidies"]["tekun"]["priority"] = 3
    line = _line(rules_from(doc, "medical"), {"dibao": False, "tekun": False})
    assert line.shares == (("civil_affairs", 15000), (SELF, 3000))


def test_medical_tuopin_flag() -> None:
    # include_tuopin_in_subsidy true (shipped): a 脱贫-marked 建档立卡 person keeps the full 资助.
    assert _line(MEDICAL, {"registered_poor": True}).shares == (("poverty_office", 18000),)
    doc = document()
    doc["medical"]["include_tuopin_in_subsidy"]["value"] = False
    off = rules_from(doc, "medical")
    assert _line(off, {"registered_poor": True}) is None
    # ... but their 低保 still counts: 150.00 + self 30.00.
    line = _line(off, {"registered_poor": True, "dibao": False})
    assert (line.category, line.shares) == ("dibao", (("civil_affairs", 15000), (SELF, 3000)))


# -- pension ---------------------------------------------------------------------------------


def test_pension_daijiao_and_subsidy() -> None:
    # 代缴 100.00 by the county: tier 100, its subsidy 30.00 (notice 一(一)(三)).
    line = _line(PENSION, {"dibao": False})
    assert line.shares == (("county_finance", 10000),)
    assert (line.contribution_fen, line.tier_fen, line.subsidy_fen) == (10000, 10000, 3000)
    assert line.notice is None


def test_self_top_up_gets_the_stacked_tier_subsidy() -> None:
    # 100 (gov) + 200 (self) = 300 → the 300 tier, subsidy 40.00 (not the 100 tier's 30.00).
    line = _line(PENSION, {"tekun": False}, TopUp(self_fen=20000))
    assert line.shares == (("county_finance", 10000), (SELF, 20000))
    assert (line.contribution_fen, line.tier_fen, line.subsidy_fen) == (30000, 30000, 4000)


def test_third_party_capped_at_the_highest_tier() -> None:
    # 100 (gov) + 2500 (third) asked: room = 2000 − 100 − 0 = 1900; 600 refused; total 2000,
    # the 2000 tier, subsidy 60.00; the notice says the person may choose 职工养老.
    line = _line(
        PENSION,
        {"registered_poor": False},
        TopUp(third_party_fen=250000, third_party_name="某基金会"),
    )
    assert line.shares == (("county_finance", 10000), (THIRD_PARTY, 190000))
    assert (line.contribution_fen, line.tier_fen, line.subsidy_fen) == (200000, 200000, 6000)
    assert line.refused_fen == 60000
    assert line.third_party_name == "某基金会"
    assert line.notice is not None and "600.00" in line.notice and "城镇职工" in line.notice


def test_self_and_third_party_stack_then_cap() -> None:
    # 100 + 400 (self) + 1600 (third): room = 2000 − 100 − 400 = 1500 → third 1500, refused 100;
    # total 2000 → subsidy 60.00.
    line = _line(PENSION, {"dibao": False}, TopUp(40000, 160000, "某企业"))
    assert line.shares == (("county_finance", 10000), (SELF, 40000), (THIRD_PARTY, 150000))
    assert (line.contribution_fen, line.refused_fen, line.subsidy_fen) == (200000, 10000, 6000)


def test_a_total_that_is_not_a_tier_is_rejected() -> None:
    # 100 + 150 = 250: not a tier, and the shipped rule is reject.
    with pytest.raises(TopUpProblem) as caught:
        _line(PENSION, {"dibao": False}, TopUp(self_fen=15000))
    assert caught.value.field == "self"
    assert caught.value.item["key"] == "not_a_tier"
    assert caught.value.item["params"]["total"] == "250.00"


def test_round_down_when_the_rules_say_so() -> None:
    # not_a_tier: round_down → 250 paid, the 200 tier, its subsidy 30.00; the shares still 250.
    doc = document()
    doc["pension"]["stacking"]["not_a_tier"]["value"] = "round_down"
    line = _line(rules_from(doc, "pension"), {"dibao": False}, TopUp(self_fen=15000))
    assert (line.contribution_fen, line.tier_fen, line.subsidy_fen) == (25000, 20000, 3000)


def test_self_above_the_highest_tier_is_refused() -> None:
    # 100 + 2000 = 2100 > 2000: over the highest tier (the person's own money is not capped
    # silently; a third party's would be).
    with pytest.raises(TopUpProblem) as caught:
        _line(PENSION, {"dibao": False}, TopUp(self_fen=200000))
    assert caught.value.item["key"] == "over_highest_tier"


def test_pension_tuopin_flag() -> None:
    # include_tuopin_in_daijiao true (shipped): a 脱贫-marked 建档立卡 person is proxy-paid.
    assert _line(PENSION, {"registered_poor": True}).shares == (("county_finance", 10000),)
    doc = document()
    doc["pension"]["daijiao"]["include_tuopin_in_daijiao"]["value"] = False
    off = rules_from(doc, "pension")
    assert _line(off, {"registered_poor": True}) is None
    assert _line(off, {"registered_poor": True, "tekun": False}).category == "tekun"


def test_a_category_no_rule_covers_gets_no_line() -> None:
    doc = document()
    doc["pension"]["daijiao"]["categories"]["value"] = ["tekun"]
    assert _line(rules_from(doc, "pension"), {"dibao": False}) is None


# -- property: the shares add up -------------------------------------------------------------

_money = st.integers(min_value=1, max_value=500_000)


@st.composite
def _medical_rules(draw: st.DrawFn) -> Any:
    doc = document()
    doc["medical"]["individual_contribution"]["value"] = _yuan(draw(_money))
    payers = ["county_finance", "finance", "civil_affairs", "poverty_office"]
    priorities = draw(st.permutations([1, 2, 3]))
    for category, priority in zip(CATEGORIES, priorities, strict=True):
        mode = draw(st.sampled_from(["full", "fixed_amount", "fixed_ratio"]))
        value: str | None = None
        if mode == "fixed_amount":
            value = _yuan(draw(_money))
        elif mode == "fixed_ratio":
            ratio = draw(st.integers(1, BP))
            value = f"{ratio // BP}.{ratio % BP:04d}"
        doc["medical"]["subsidies"][category] = {
            "priority": priority,
            "mode": mode,
            "value": value,
            "payer": draw(st.sampled_from(payers)),
            "source": "property test",
            "tag": "A",
        }
    return rules_from(doc, "medical")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


_held = st.dictionaries(st.sampled_from(CATEGORIES), st.booleans(), min_size=1)


@given(rules=_medical_rules(), held=_held)
def test_medical_shares_add_up(rules: Any, held: dict[str, bool]) -> None:
    line = _line(rules, held)
    if line is None:  # only possible through a 脱贫 mark the rules exclude: they include it
        raise AssertionError("every category is covered")
    assert sum(a for _, a in line.shares) == line.contribution_fen
    assert all(a > 0 for _, a in line.shares)
    rule = rules.medical.rule_for(set(held))
    expected = {
        "full": line.contribution_fen,
        "fixed_amount": min(rule.value, line.contribution_fen),
        "fixed_ratio": apply_ratio(line.contribution_fen, rule.value),
    }[rule.mode]
    assert dict(line.shares).get(rule.payer, 0) == expected


@given(
    held=_held,
    self_fen=st.sampled_from([0, 10000, 20000, 40000, 90000, 140000, 190000]),
    third_fen=st.integers(0, 400_000),
)
def test_pension_shares_add_up(held: dict[str, bool], self_fen: int, third_fen: int) -> None:
    # The self amounts keep 100 + self on a tier when the third party adds nothing, so a third
    # party's random amount may land between tiers: rejected, never a wrong sum.
    try:
        line = _line(PENSION, held, TopUp(self_fen, third_fen))
    except TopUpProblem as problem:
        assert problem.item["key"] == "not_a_tier"
        return
    assert sum(a for _, a in line.shares) == line.contribution_fen
    assert all(a > 0 for _, a in line.shares)
    assert line.contribution_fen + line.refused_fen == 10000 + self_fen + third_fen
    assert line.contribution_fen <= PENSION.pension.highest_tier_fen
    assert line.subsidy_fen == PENSION.pension.subsidy_by_tier[line.tier_fen]


@st.composite
def _pension_rules(draw: st.DrawFn) -> Any:
    # Random tiers (ascending, distinct), a highest tier among them, the 代缴 a tier at or
    # below it, a subsidy per tier, a public payer and either stacking rule.
    tiers = sorted(draw(st.sets(st.integers(1, 3000), min_size=1, max_size=12)))
    highest = draw(st.sampled_from(tiers))
    daijiao = draw(st.sampled_from([t for t in tiers if t <= highest]))
    doc = document()
    pension = doc["pension"]
    pension["tiers"]["value"] = [f"{t}.00" for t in tiers]
    pension["highest_tier"]["value"] = f"{highest}.00"
    pension["subsidy_by_tier"]["value"] = {
        f"{t}.00": f"{draw(st.integers(0, 100))}.00" for t in tiers
    }
    pension["daijiao"]["amount"]["value"] = f"{daijiao}.00"
    pension["daijiao"]["payer"]["value"] = draw(st.sampled_from(["county_finance", "finance"]))
    pension["stacking"]["not_a_tier"]["value"] = draw(st.sampled_from(["reject", "round_down"]))
    return rules_from(doc, "pension")


@given(
    rules=_pension_rules(),
    held=_held,
    self_fen=st.integers(0, 300_000),
    third_fen=st.integers(0, 300_000),
)
def test_pension_shares_add_up_for_random_rules(
    rules: Any, held: dict[str, bool], self_fen: int, third_fen: int
) -> None:
    pension = rules.pension
    try:
        line = _line(rules, held, TopUp(self_fen, third_fen))
    except TopUpProblem as problem:
        # Refused only for the documented reasons: the person's own money above the highest
        # tier, or a stacked total that is no tier (reject) or below every tier (round_down).
        assert problem.item["key"] in ("over_highest_tier", "not_a_tier")
        return
    assert sum(a for _, a in line.shares) == line.contribution_fen
    assert all(a > 0 for _, a in line.shares)
    gov = pension.daijiao_fen
    assert dict(line.shares)[pension.daijiao_payer] == gov
    assert line.contribution_fen + line.refused_fen == gov + self_fen + third_fen
    assert line.contribution_fen <= pension.highest_tier_fen
    assert line.tier_fen <= line.contribution_fen and line.tier_fen in pension.tiers_fen
    assert line.subsidy_fen == pension.subsidy_by_tier[line.tier_fen]
