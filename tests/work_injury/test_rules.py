"""The dated rules of policies/work_injury/ (app.work_injury.rules): deadline arithmetic on the
working-day calendar, worked out by hand day by day; the premium; what the loader refuses."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from app.policy.loader import NOT_POLICIES, load_directory
from app.work_injury.rules import (
    CALENDAR_DIR,
    RULES,
    RULES_PATH,
    CalendarNotCovered,
    NoRule,
    load_rules,
)

D = dt.date
CAL = RULES.calendar("510421")  # 米易县: no county, city or province file, so the national one


def test_the_settlement_loader_skips_the_folder() -> None:
    assert "work_injury" in NOT_POLICIES
    assert all("work_injury" not in str(d.document) for d in load_directory())


def test_the_rules_in_force() -> None:
    rule = RULES.deadline_rule(D(2018, 6, 1))
    # 人社部令第15号 arts. 5/7 (3 and 5 working days) and art. 13 (10 days): tagged V.
    assert (rule.reminder_working_days, rule.employer_pay_working_days) == (3, 5)
    assert rule.repayment_days == 10 and rule.repayment_rolls_past_rest_day
    assert RULES.poor_categories == ("registered_poor",)
    assert RULES.items["medical"].fund_payable and RULES.items["medical"].third_party
    assert not RULES.items["wages_during_treatment"].fund_payable  # 社会保险法 art. 39 (一)
    employer_items = {c for c, i in RULES.items.items() if not i.fund_payable}
    assert employer_items == {
        "wages_during_treatment",
        "disability_allowance_5_6",
        "one_off_employment",
    }
    with pytest.raises(NoRule):
        RULES.deadline_rule(D(2011, 6, 30))  # before 15号令 took effect


def test_plain_weekend() -> None:
    # Application Fri 2018-06-01 (day 0). Mon 06-04 = 1, Tue 06-05 = 2, Wed 06-06 = 3.
    assert CAL.add_working_days(D(2018, 6, 1), 3) == D(2018, 6, 6)
    # Reminder Wed 06-06: Thu 07 = 1, Fri 08 = 2, (Sat 09, Sun 10), Mon 11 = 3, Tue 12 = 4,
    # Wed 13 = 5.
    assert CAL.add_working_days(D(2018, 6, 6), 5) == D(2018, 6, 13)


def test_labour_day_2018_with_the_adjusted_working_saturday() -> None:
    # 国办发明电〔2017〕12号 四: 4月29日至5月1日放假, 4月28日（星期六）上班.
    assert CAL.is_working_day(D(2018, 4, 28))  # a Saturday, worked
    assert not CAL.is_working_day(D(2018, 4, 30))  # a Monday, rest
    # Application Thu 04-26: Fri 27 = 1, Sat 28 (adjusted) = 2, Sun 29 / Mon 30 / Tue 05-01
    # rest, Wed 05-02 = 3.
    assert CAL.add_working_days(D(2018, 4, 26), 3) == D(2018, 5, 2)
    # Reminder Fri 04-27: Sat 28 = 1, (29, 30, 05-01 rest), Wed 02 = 2, Thu 03 = 3, Fri 04 = 4,
    # (Sat 05, Sun 06), Mon 07 = 5.
    assert CAL.add_working_days(D(2018, 4, 27), 5) == D(2018, 5, 7)


def test_spring_festival_2018() -> None:
    # 二: 2月15日至21日放假, 2月11日（星期日）、2月24日（星期六）上班.
    # Application Tue 02-13: Wed 14 = 1, (15..21 rest), Thu 22 = 2, Fri 23 = 3.
    assert CAL.add_working_days(D(2018, 2, 13), 3) == D(2018, 2, 23)
    # Reminder Fri 02-23: Sat 24 (adjusted) = 1, (Sun 25), Mon 26 = 2, Tue 27 = 3, Wed 28 = 4,
    # Thu 03-01 = 5.
    assert CAL.add_working_days(D(2018, 2, 23), 5) == D(2018, 3, 1)
    # Sun 02-11 worked: from Sat 02-10 one working day is that Sunday.
    assert CAL.add_working_days(D(2018, 2, 10), 1) == D(2018, 2, 11)


def test_labour_day_2019_as_adjusted_by_the_2019_notice() -> None:
    # 国办发明电〔2019〕3号: 5月1日至4日放假, 4月28日（星期日）、5月5日（星期日）上班.
    # Application Fri 2019-04-26: (Sat 27), Sun 28 (adjusted) = 1, Mon 29 = 2, Tue 30 = 3.
    assert CAL.add_working_days(D(2019, 4, 26), 3) == D(2019, 4, 30)
    # Reminder Tue 04-30: (05-01..04 rest), Sun 05 (adjusted) = 1, Mon 06 = 2, Tue 07 = 3,
    # Wed 08 = 4, Thu 09 = 5.
    assert CAL.add_working_days(D(2019, 4, 30), 5) == D(2019, 5, 9)


def test_repayment_due_ten_calendar_days_later_rolled_past_rest_days() -> None:
    # Order Fri 2018-09-21 + 10 = Mon 10-01, 国庆节 (10-01..07 rest): the next working day
    # is Mon 10-08.
    assert CAL.add_days(D(2018, 9, 21), 10, roll=True) == D(2018, 10, 8)
    assert CAL.add_days(D(2018, 9, 21), 10, roll=False) == D(2018, 10, 1)
    # Order Wed 09-19 + 10 = Sat 09-29, an adjusted working Saturday: it stays.
    assert CAL.add_days(D(2018, 9, 19), 10, roll=True) == D(2018, 9, 29)
    # Order Wed 06-06 + 10 = Sat 06-16 (端午节 06-16..18 rest): Tue 06-19.
    assert CAL.add_days(D(2018, 6, 6), 10, roll=True) == D(2018, 6, 19)


def test_a_deadline_beyond_the_calendar_is_refused_not_guessed() -> None:
    # From Mon 2019-12-30: Tue 31 = 1, then 2020-01-01 is outside covers_to 2019-12-31.
    with pytest.raises(CalendarNotCovered):
        CAL.add_working_days(D(2019, 12, 30), 3)


def test_premium_is_price_times_the_dated_rate_half_up() -> None:
    rate = RULES.premium_rate("510421", D(2018, 3, 1))
    assert (rate.rate_ppm, rate.tag) == (660, "A")  # 0.66‰, a peer city's placeholder
    # 12,345,678.90 yuan = 1,234,567,890 fen × 660 / 1,000,000 = 814,814.8074 → 814,815 fen.
    assert rate.premium_fen(1_234_567_890) == 814_815
    # 250.00 yuan = 25,000 fen × 660 / 1,000,000 = 16.5 → 17 (half up).
    assert rate.premium_fen(25_000) == 17
    with pytest.raises(NoRule):
        RULES.premium_rate("510421", D(2017, 12, 31))  # the rate starts 2018-01-01
    with pytest.raises(NoRule):
        RULES.premium_rate("110101", D(2018, 3, 1))  # no rate for Beijing


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules.yaml"
    shutil.copy(RULES_PATH, rules)
    calendars = tmp_path / "calendar"
    shutil.copytree(CALENDAR_DIR, calendars)
    return rules, calendars


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("      tag: V\n    employer", "      tag: X\n    employer", "tag must be one of"),
        ('      value: "0.00066"', '      value: "6.6e-4"', "rate"),
        (
            "    payer: employer\n    third_party: false\n    source: 社会保险法 art. 39 (一)",
            "    payer: employer\n    third_party: true\n    source: 社会保险法 art. 39 (一)",
            "employer item",
        ),
        ("  categories: [registered_poor]", "  categories: [poor]", "must be some of"),
    ],
)
def test_the_loader_refuses_a_broken_rules_file(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    rules, calendars = _copy(tmp_path)
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_rules(rules, calendars)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("{date: 2018-02-24,", "{date: 2018-02-23,", "is a weekday"),  # a Friday
        ("{from: 2018-01-01, to: 2018-01-01,", "{from: 2018-02-11, to: 2018-02-11,", "both"),
        (
            "    tag: V-2nd\n    rest_days:\n      - {from: 2018-01-01",
            "    rest_days:\n      - {from: 2018-01-01",
            "tag",
        ),
    ],
)
def test_the_loader_refuses_a_broken_calendar(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    rules, calendars = _copy(tmp_path)
    path = calendars / "CN.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_rules(rules, calendars)


def test_a_region_file_of_its_own_wins(tmp_path: Path) -> None:
    rules, calendars = _copy(tmp_path)
    text = (
        (calendars / "CN.yaml")
        .read_text(encoding="utf-8")
        .replace("region: CN", "region: '510400'")
    )
    # A local rest day on Wed 2018-06-06 (invented for the test).
    text = text.replace(
        "      - {from: 2018-06-16,",
        "      - {from: 2018-06-06, to: 2018-06-06, name: 测试}\n      - {from: 2018-06-16,",
    )
    (calendars / "510400.yaml").write_text(text, encoding="utf-8")
    loaded = load_rules(rules, calendars)
    # From Fri 06-01: Mon 04 = 1, Tue 05 = 2, (Wed 06 local rest), Thu 07 = 3.
    assert loaded.calendar("510421").add_working_days(D(2018, 6, 1), 3) == D(2018, 6, 7)
    assert loaded.calendar("510102").add_working_days(D(2018, 6, 1), 3) == D(2018, 6, 6)
