"""The state machine of app.work_injury.domain, without storage: every transition it allows and
every one it refuses, and the amounts of a decision worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from app.work_injury import domain
from app.work_injury.domain import Recovery, Refused
from app.work_injury.rules import RULES

D = dt.date
STATUSES = domain.APPLICATION_STATUSES


def _code(call: object, *args: object, **kwargs: object) -> tuple[str, bool]:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code, caught.value.state


# -- paths ---------------------------------------------------------------------------------------


def test_which_paths_need_a_reminder() -> None:
    # 15号令 art. 7: always on the employer path; art. 5 (三)(四): on a third-party path only
    # when the employer had not paid premiums; (一)(二): the fund pays at once.
    assert domain.needs_reminder("employer_unpaid", employer_insured=False)
    assert domain.needs_reminder("third_party_unpaid", employer_insured=False)
    assert not domain.needs_reminder("third_party_unpaid", employer_insured=True)
    assert not domain.needs_reminder("third_party_unknown", employer_insured=True)


def test_path_conditions() -> None:
    ok = domain.check_path
    ok("employer_unpaid", "refuses", employer_insured=False, third_party_liable=False)
    ok("third_party_unknown", None, employer_insured=True, third_party_liable=True)
    assert _code(
        ok, "employer_unpaid", "refuses", employer_insured=True, third_party_liable=False
    ) == ("path_not_open", False)
    assert _code(ok, "employer_unpaid", None, employer_insured=False, third_party_liable=False) == (
        "path_not_open",
        False,
    )
    assert _code(
        ok, "third_party_unpaid", None, employer_insured=True, third_party_liable=False
    ) == ("path_not_open", False)
    assert _code(
        ok, "third_party_unpaid", "other", employer_insured=True, third_party_liable=True
    ) == ("path_not_open", False)


# -- application transitions -------------------------------------------------------------------


def test_remind_only_an_applied_application_that_needs_it() -> None:
    domain.check_remind("applied", True)
    assert _code(domain.check_remind, "applied", False) == ("reminder_not_needed", True)
    for status in set(STATUSES) - {"applied"}:
        assert _code(domain.check_remind, status, True) == ("invalid_transition", True), status


def test_employer_payment_only_after_a_reminder() -> None:
    # Claim 100.00: 40.00 paid leaves it reminded; 100.00 in all closes it.
    assert domain.employer_payment_status("reminded", 10_000, 4_000) == "reminded"
    assert domain.employer_payment_status("reminded", 10_000, 10_000) == "employer_paid"
    for status in set(STATUSES) - {"reminded"}:
        assert _code(domain.employer_payment_status, status, 10_000, 0) == (
            "invalid_transition",
            True,
        ), status


def test_refuse_only_an_undecided_application() -> None:
    domain.check_refuse("applied")
    domain.check_refuse("reminded")
    for status in ("employer_paid", "paid", "refused"):
        assert _code(domain.check_refuse, status) == ("invalid_transition", True)


def test_pay_only_after_the_employer_deadline_has_passed_unpaid() -> None:
    due = D(2018, 5, 7)
    # Reminder needed: not before the reminder, not on the last day, the next day yes.
    assert _code(domain.check_decide, "applied", True, D(2018, 6, 1), None, 0, 100) == (
        "reminder_required",
        True,
    )
    assert _code(domain.check_decide, "reminded", True, due, due, 0, 100) == (
        "employer_deadline_open",
        True,
    )
    domain.check_decide("reminded", True, D(2018, 5, 8), due, 0, 100)
    # No reminder needed (insured employer, third-party path): at once.
    domain.check_decide("applied", False, D(2018, 5, 1), None, 0, 100)
    for status in ("employer_paid", "paid", "refused"):
        assert _code(domain.check_decide, status, True, D(2018, 6, 1), due, 0, 100) == (
            "invalid_transition",
            True,
        )


def test_recovery_needs_a_paid_decision() -> None:
    domain.check_recovery("paid", D(2018, 6, 1), D(2018, 6, 1))
    for status in set(STATUSES) - {"paid"}:
        assert _code(domain.check_recovery, status, D(2018, 6, 1), D(2018, 6, 1)) == (
            "recovery_needs_payment",
            True,
        )
    assert _code(domain.check_recovery, "paid", D(2018, 5, 31), D(2018, 6, 1)) == (
        "date_before_decision",
        False,
    )


def test_who_may_be_ordered_to_repay() -> None:
    assert domain.allowed_debtors("employer_unpaid", False) == ("employer",)
    assert domain.allowed_debtors("third_party_unpaid", True) == ("third_party", "person")
    assert set(domain.allowed_debtors("third_party_unknown", False)) == {
        "third_party",
        "person",
        "employer",
    }


# -- amounts -------------------------------------------------------------------------------------


def test_amounts_on_the_employer_path() -> None:
    claimed = {
        "medical": 800_000,  # 8,000.00
        "hospital_food": 45_000,  # 450.00
        "wages_during_treatment": 600_000,  # 6,000.00: the employer's (art. 39)
        "one_off_disability": 2_700_000,  # 27,000.00
    }
    # Claimed 8,000.00 + 450.00 + 6,000.00 + 27,000.00 = 41,450.00; employer paid 1,000.00.
    asked = {"medical": 800_000, "hospital_food": 45_000, "one_off_disability": 2_700_000}
    amounts = domain.decide_amounts(asked, claimed, RULES.items, "employer_unpaid", 0, 100_000)
    # 8,000.00 + 450.00 + 27,000.00 = 35,450.00 ≤ 41,450.00 − 1,000.00 = 40,450.00.
    assert amounts.total_fen == 3_545_000
    assert (amounts.yb_refund_fen, amounts.to_worker_fen) == (0, 3_545_000)
    # The employer's item is never advanced (15号令 art. 8).
    with pytest.raises(Refused) as caught:
        domain.decide_amounts(
            {**asked, "wages_during_treatment": 600_000},
            claimed,
            RULES.items,
            "employer_unpaid",
            0,
            0,
        )
    assert caught.value.code == "item_not_fund_payable"
    assert caught.value.errors[0]["loc"] == ["body", "items", "wages_during_treatment"]
    # More than the claim for an item, or than the claim less what the employer paid.
    assert _code(
        domain.decide_amounts, {"medical": 800_001}, claimed, RULES.items, "employer_unpaid", 0, 0
    ) == ("amount_above_claim", False)
    # 35,450.00 > 41,450.00 − 7,000.00 = 34,450.00.
    assert _code(
        domain.decide_amounts, asked, claimed, RULES.items, "employer_unpaid", 0, 700_000
    ) == ("amount_above_claim", False)
    assert _code(
        domain.decide_amounts, {"medical": 0}, claimed, RULES.items, "employer_unpaid", 0, 0
    ) == ("nothing_to_advance", False)
    assert _code(
        domain.decide_amounts, {"nope": 1}, claimed, RULES.items, "employer_unpaid", 0, 0
    ) == ("unknown_item", False)


def test_amounts_on_a_third_party_path_with_a_medical_insurance_advance() -> None:
    claimed = {"medical": 1_200_000, "hospital_food": 60_000}  # 12,000.00 and 600.00
    # 医保 advanced 3,000.00: of the 12,000.00 medical, 3,000.00 goes back to the 医保 fund
    # (15号令 art. 5 (一)(三)) and 12,000.00 − 3,000.00 = 9,000.00 to the worker.
    amounts = domain.decide_amounts(
        {"medical": 1_200_000}, claimed, RULES.items, "third_party_unpaid", 300_000, 0
    )
    assert (amounts.total_fen, amounts.yb_refund_fen, amounts.to_worker_fen) == (
        1_200_000,
        300_000,
        900_000,
    )
    # A 医保 advance larger than the medical item refunds at most the item: min(15,000.00,
    # 12,000.00) = 12,000.00, nothing to the worker.
    amounts = domain.decide_amounts(
        {"medical": 1_200_000}, claimed, RULES.items, "third_party_unknown", 1_500_000, 0
    )
    assert (amounts.yb_refund_fen, amounts.to_worker_fen) == (1_200_000, 0)
    # Only medical costs on a third-party path (社会保险法 art. 42).
    assert _code(
        domain.decide_amounts,
        {"hospital_food": 60_000},
        claimed,
        RULES.items,
        "third_party_unpaid",
        0,
        0,
    ) == ("item_not_on_path", False)


# -- recoveries ----------------------------------------------------------------------------------


def _recovery() -> Recovery:
    # 35,450.00 ordered Mon 2018-06-11, due 10 days later Thu 06-21.
    return Recovery(3_545_000, D(2018, 6, 11), D(2018, 6, 21))


def test_repayments_retries_and_write_off() -> None:
    r, created = _recovery().repay("R1", D(2018, 6, 15), 1_000_000)  # 10,000.00
    assert created and r.outstanding_fen == 2_545_000  # 35,450.00 − 10,000.00
    again, created = r.repay("R1", D(2018, 6, 15), 1_000_000)
    assert again is r and not created  # a retry adds nothing
    assert _code(r.repay, "R1", D(2018, 6, 15), 999_999) == ("repayment_key_reused", True)
    r, _ = r.repay("R2", D(2018, 6, 20), 500_050)  # 5,000.50
    assert r.repaid_fen == 1_500_050 and r.outstanding_fen == 2_044_950  # 20,449.50
    assert _code(r.repay, "R3", D(2018, 6, 20), 2_044_951) == ("amount_above_outstanding", False)
    assert _code(r.repay, "R3", D(2018, 6, 10), 1) == ("date_before_order", False)
    assert _code(r.write_off, D(2018, 6, 10)) == ("date_before_order", False)
    w, created = r.write_off(D(2018, 12, 1))
    assert created and w.status == "written_off"
    # 15,000.50 recovered + 0 outstanding + 20,449.50 written off = 35,450.00 advanced.
    assert (w.repaid_fen, w.outstanding_fen, w.written_off_fen) == (1_500_050, 0, 2_044_950)
    assert w.write_off(D(2018, 12, 1)) == (w, False)  # a retry
    assert _code(w.write_off, D(2018, 12, 2)) == ("invalid_transition", True)
    assert _code(w.repay, "R4", D(2018, 12, 2), 1) == ("invalid_transition", True)


def test_repaid_in_full_closes_it() -> None:
    r, _ = _recovery().repay("R1", D(2018, 6, 15), 3_545_000)
    assert r.status == "repaid" and r.outstanding_fen == 0
    assert _code(r.repay, "R2", D(2018, 6, 16), 1) == ("invalid_transition", True)
    assert _code(r.write_off, D(2018, 6, 16)) == ("invalid_transition", True)


def test_overdue_is_derived_on_the_day() -> None:
    due = D(2018, 6, 21)
    assert domain.recovery_status("open", due, 100, D(2018, 6, 21)) == "open"  # the last day
    assert domain.recovery_status("open", due, 100, D(2018, 6, 22)) == "overdue"
    assert domain.recovery_status("repaid", due, 0, D(2018, 6, 22)) == "repaid"
    assert domain.recovery_status("written_off", due, 0, D(2018, 6, 22)) == "written_off"
