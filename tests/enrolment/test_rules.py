"""The enrolment rules file (policies/enrolment/2018.yaml via app.enrolment.rules): what it says,
that a bad file is refused with errors naming the field, and the age band."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.enrolment import rules as rules_module
from app.enrolment.rules import (
    RulesError,
    age_on,
    birth_date_of,
    eligible_for,
    load_directory,
    parse_rules,
    rules_for,
)
from app.errors import NotFound
from app.policy.loader import NOT_POLICIES
from app.policy.loader import load_directory as load_policies

from .conftest import document


def test_the_shipped_2018_rules() -> None:
    medical, pension = rules_for("medical", 2018), rules_for("pension", 2018)
    assert medical.medical is not None and pension.pension is not None
    # 180.00 (A: the 2017 rate most 2018 contributions were collected at; 220 is the national
    # July-2018 figure): 18000 fen.
    assert medical.medical.contribution_fen == 18000
    assert medical.eligible_age is None
    # Notice 一(一): 100.00 for 建档立卡, 低保, 特困, paid by the county; tagged V.
    assert pension.pension.daijiao_fen == 10000
    assert pension.pension.daijiao_categories == ("registered_poor", "dibao", "tekun")
    assert pension.sources["pension.daijiao.amount"].tag == "V"
    # The 12 national tiers 100…1000, 1500, 2000 (V-2nd), the highest 2000 (A).
    assert pension.pension.tiers_fen == (*(100_00 * n for n in range(1, 11)), 1500_00, 2000_00)
    assert pension.sources["pension.tiers"].tag == "V-2nd"
    assert pension.pension.highest_tier_fen == 2000_00
    assert pension.eligible_age == (16, 59)


def test_every_placeholder_is_tagged_a_and_says_what_to_obtain() -> None:
    # The NF items of the research: the 488号 subsidies, the medical contribution, the highest
    # tier, the subsidy table and its payer, the 脱贫 flags, the age band's day.
    medical, pension = rules_for("medical", 2018), rules_for("pension", 2018)
    for path in (
        "medical.individual_contribution",
        "medical.include_tuopin_in_subsidy",
        "medical.subsidies.tekun",
        "medical.subsidies.registered_poor",
        "medical.subsidies.dibao",
    ):
        assert medical.sources[path].tag == "A", path
        assert (medical.sources[path].note or "").startswith("placeholder"), path
    for path in (
        "pension.highest_tier",
        "pension.subsidy_by_tier",
        "pension.subsidy_payer",
        "pension.daijiao.include_tuopin_in_daijiao",
    ):
        assert pension.sources[path].tag == "A", path
        assert (pension.sources[path].note or "").startswith("placeholder"), path


def test_no_rules_for_a_year_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        rules_for("pension", 2030)
    assert caught.value.code == "no_enrolment_rules"


def test_the_settlement_policy_loader_skips_the_folder() -> None:
    assert "enrolment" in NOT_POLICIES
    assert all(d.document.get("id") != "enrolment-2018" for d in load_policies())


def _errors(doc: Any) -> list[str]:
    with pytest.raises(RulesError) as caught:
        parse_rules(doc, "bad.yaml")
    return [".".join(str(p) for p in loc) for loc, _ in caught.value.errors]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(mode="half"),
            "medical.subsidies.dibao.mode",
        ),
        (lambda d: d["medical"]["subsidies"]["dibao"].update(value="150"), None),  # valid: 150 yuan
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(value="1e2"),
            "medical.subsidies.dibao.value",
        ),
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(payer="bank"),
            "medical.subsidies.dibao.payer",
        ),
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(payer="self"),
            "medical.subsidies.dibao.payer",
        ),
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(priority=1),
            "medical.subsidies.dibao.priority",
        ),
        (
            lambda d: d["medical"]["subsidies"]["dibao"].pop("source"),
            "medical.subsidies.dibao.source",
        ),
        (
            lambda d: d["medical"]["subsidies"].update(orphan=d["medical"]["subsidies"]["dibao"]),
            "medical.subsidies.orphan",
        ),
        (
            lambda d: d["medical"]["subsidies"]["dibao"].update(mode="fixed_ratio", value="1.5"),
            "medical.subsidies.dibao.value",
        ),
        (
            lambda d: d["medical"]["individual_contribution"].update(value=180.0),
            "medical.individual_contribution.value",
        ),
        (
            lambda d: d["medical"]["individual_contribution"].update(tag="guess"),
            "medical.individual_contribution.tag",
        ),
        (
            lambda d: d["medical"].pop("include_tuopin_in_subsidy"),
            "medical.include_tuopin_in_subsidy",
        ),
        (lambda d: d["pension"]["tiers"].pop("source"), "pension.tiers.source"),
        (lambda d: d["pension"]["tiers"]["value"].reverse(), "pension.tiers.value.1"),
        (
            lambda d: d["pension"]["highest_tier"].update(value="2500.00"),
            "pension.highest_tier.value",
        ),
        (
            lambda d: d["pension"]["subsidy_by_tier"]["value"].pop("300.00"),
            "pension.subsidy_by_tier.value",
        ),
        (
            lambda d: d["pension"]["subsidy_by_tier"]["value"].update({"250.00": "35.00"}),
            "pension.subsidy_by_tier.value.250.00",
        ),
        (
            lambda d: d["pension"]["daijiao"]["amount"].update(value="150.00"),
            "pension.daijiao.amount.value",
        ),
        (
            lambda d: d["pension"]["daijiao"]["categories"].update(value=["poor"]),
            "pension.daijiao.categories.value",
        ),
        (
            lambda d: d["pension"]["daijiao"]["include_tuopin_in_daijiao"].update(value="yes"),
            "pension.daijiao.include_tuopin_in_daijiao.value",
        ),
        (
            lambda d: d["pension"]["stacking"]["not_a_tier"].update(value="round_up"),
            "pension.stacking.not_a_tier.value",
        ),
        (
            lambda d: d["pension"]["eligibility"]["age_band"].update(value=[60, 16]),
            "pension.eligibility.age_band.value",
        ),
        (
            lambda d: d["pension"]["eligibility"]["age_on"].update(value="13-01"),
            "pension.eligibility.age_on.value",
        ),
        (lambda d: d["payers"].pop("self"), "payers.self"),
        (
            lambda d: (
                d["pension"]["highest_tier"].update(value="100.00"),
                d["pension"]["daijiao"]["amount"].update(value="200.00"),
            ),
            "pension.daijiao.amount.value",
        ),
        (lambda d: d.update(year="2018"), "year"),
        (lambda d: d.update(extra=1), "extra"),
    ],
)
def test_a_bad_field_is_named(edit: Any, field: str | None) -> None:
    doc = document()
    edit(doc)
    if field is None:
        parse_rules(doc, "ok.yaml")  # no error
        return
    assert field in _errors(doc)


def test_the_error_text_names_the_file_and_the_field() -> None:
    doc = document()
    doc["medical"]["subsidies"]["dibao"]["mode"] = "half"
    with pytest.raises(
        RulesError, match=r"bad\.yaml: medical\.subsidies\.dibao\.mode: must be one of"
    ):
        parse_rules(doc, "bad.yaml")


def test_a_year_in_two_files_is_refused(tmp_path: Any) -> None:
    shipped = (rules_module.ENROLMENT_DIR / "2018.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(shipped, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(shipped, encoding="utf-8")
    with pytest.raises(RulesError, match="in another file too"):
        load_directory(tmp_path)


def test_the_rules_hash_changes_with_a_value_and_only_its_scheme() -> None:
    base = parse_rules(document())
    doc = document()
    doc["pension"]["subsidy_by_tier"]["value"]["100.00"] = "31.00"
    changed = parse_rules(doc)
    assert changed["pension"].sha256 != base["pension"].sha256
    assert changed["medical"].sha256 == base["medical"].sha256


# -- ages ------------------------------------------------------------------------------------


def test_birth_date_from_the_id_number() -> None:
    # Digits 7-14 of 510402 19500101 001 4 are 19500101.
    assert birth_date_of("510402195001010014") == dt.date(1950, 1, 1)
    with pytest.raises(ValueError):
        birth_date_of("510402195013010014")  # month 13


def test_age_on() -> None:
    # Born 2002-06-30: 15 on 2018-06-29, 16 on 2018-06-30.
    assert age_on(dt.date(2002, 6, 30), dt.date(2018, 6, 29)) == 15
    assert age_on(dt.date(2002, 6, 30), dt.date(2018, 6, 30)) == 16
    assert age_on("510402200206300011", dt.date(2018, 12, 31)) == 16
    # Born on 29 February: a year older on 1 March of a common year.
    assert age_on(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 17
    assert age_on(dt.date(2000, 2, 29), dt.date(2018, 3, 1)) == 18


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        # The age reached on 2018-12-31 must be 16..59.
        (dt.date(2002, 12, 31), True),  # 16 on the day
        (dt.date(2003, 1, 1), False),  # 15
        (dt.date(1959, 1, 1), True),  # 59
        (dt.date(1958, 12, 31), False),  # 60
    ],
)
def test_the_pension_age_band(born: dt.date, eligible: bool) -> None:
    assert eligible_for("pension", 2018, born) is eligible


def test_medical_has_no_age_band() -> None:
    assert eligible_for("medical", 2018, dt.date(1920, 1, 1))
    assert eligible_for("medical", 2018, dt.date(2018, 12, 31))
