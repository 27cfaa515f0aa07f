"""Property tests (docs/rules.md §6) over random bills, people, hospitals and accumulators.

Caps and the tilted target are read from the shipped policy objects, never written here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import (
    BillLine,
    Claim,
    LineSplit,
    Policy,
    Settlement,
    classify,
    classify_line,
    expected_amount_fen,
    format_fen,
    format_ratio_bp,
    paid_key,
    parse_date,
    parse_scaled,
    settle,
)
from app.engine.layers import base_key
from app.engine.money import apply_ratio, div_half_up
from app.engine.spec import CATEGORIES, LEVELS
from app.policy import load_directory

from . import invariants

settings.register_profile(
    "engine", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
ENGINE = settings.get_profile("engine")

POLICIES: list[Policy] = [document.policy for document in load_directory()]


# -- strategies -----------------------------------------------------------------------------------
@st.composite
def bill_lines(draw: st.DrawFn, max_lines: int = 12) -> list[BillLine]:
    count = draw(st.integers(min_value=0, max_value=max_lines))
    lines = []
    for seq in range(1, count + 1):
        unit_price = draw(
            st.one_of(
                st.integers(min_value=0, max_value=200_000000),  # up to 200 yuan, 6 decimals
                st.integers(min_value=0, max_value=500_000_000000),  # up to 500000 yuan
            )
        )
        quantity = draw(st.integers(min_value=0, max_value=50_0000))  # up to 50 units, 4 decimals
        cap = draw(
            st.one_of(
                st.none(),
                st.none(),
                st.just(unit_price),
                st.integers(min_value=0, max_value=max(unit_price * 2, 1)),
            )
        )
        lines.append(
            BillLine(
                seq=seq,
                code=f"X{seq:03d}",
                unit_price_e6=unit_price,
                quantity_e4=quantity,
                amount_fen=expected_amount_fen(unit_price, quantity),
                hospital_borne=draw(st.sampled_from([False] * 9 + [True])),
                grade=draw(st.sampled_from("AAABBC")),
                self_pay_ratio_bp=draw(
                    st.one_of(st.integers(0, 10_000), st.sampled_from([500, 1000, 1500, 2000]))
                ),
                price_cap_e6=cap,
            )
        )
    return lines


categories = st.frozensets(st.sampled_from(CATEGORIES))


@st.composite
def claims(draw: st.DrawFn, people: st.SearchStrategy[frozenset[str]] = categories) -> Claim:
    return Claim(
        lines=draw(bill_lines()),
        level=draw(st.sampled_from(LEVELS)),
        in_county=draw(st.booleans()),
        referral=draw(st.booleans()),
        categories=draw(people),
    )


def _caps_by_layer(policy: Policy) -> dict[str, list[int]]:
    """Every finite cap a layer has, over all profiles and categories."""
    found: dict[str, list[int]] = {}
    for cats in [frozenset(), *({c} for c in CATEGORIES)]:
        for key, cap in invariants.annual_caps(policy, frozenset(cats)).items():
            if cap:
                found.setdefault(key, []).append(cap)
    return found


@st.composite
def accumulators(draw: st.DrawFn, policy: Policy) -> dict[str, int]:
    """Random amounts, often right at, just under or over a cap."""
    caps = _caps_by_layer(policy)
    result: dict[str, int] = {}
    for layer in policy.layers:
        key = paid_key(layer.meta.name)
        near = [value + d for value in caps.get(key, [200_000_00]) for d in (-1, 0, 1, -10_000)]
        amount = draw(
            st.one_of(
                st.just(0),
                st.sampled_from(near),
                st.integers(min_value=0, max_value=max(near) + 100_000),
            )
        )
        if amount > 0:
            result[key] = amount
    base = draw(
        st.one_of(
            st.just(0),
            st.integers(0, 20_000_000),
            st.sampled_from([500_000, 1_000_000, 5_000_000, 10_000_000]),
        )
    )
    if base:
        result[base_key("critical_illness")] = base
    return result


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Claim, Policy, dict[str, int]]:
    policy = draw(st.sampled_from(POLICIES))
    return draw(claims()), policy, draw(accumulators(policy))


def _add(acc: Mapping[str, int], deltas: Mapping[str, int], sign: int = 1) -> dict[str, int]:
    result = dict(acc)
    for key, amount in deltas.items():
        result[key] = result.get(key, 0) + sign * amount
    return {key: amount for key, amount in result.items() if amount}


# -- one settlement -------------------------------------------------------------------------------
@ENGINE
@given(scenarios())
def test_every_settlement_keeps_the_invariants(
    scenario: tuple[Claim, Policy, dict[str, int]],
) -> None:
    claim, policy, acc = scenario
    invariants.check(claim, policy, acc, settle(claim, policy, acc))


@ENGINE
@given(scenarios())
def test_registered_poor_in_county_pay_at_most_the_target(
    scenario: tuple[Claim, Policy, dict[str, int]],
) -> None:
    claim, policy, acc = scenario
    claim = Claim(
        claim.lines, claim.level, True, claim.referral, claim.categories | {"registered_poor"}
    )
    result = settle(claim, policy, acc)
    target = invariants.tilted_target_fen(policy, claim, result.totals.in_policy_fen)
    assert target is not None
    assert result.in_policy_self_pay_fen <= target
    assert target == invariants.round_half_up(Decimal(result.totals.in_policy_fen) / 10)


@ENGINE
@given(scenarios())
def test_settlement_is_deterministic(scenario: tuple[Claim, Policy, dict[str, int]]) -> None:
    claim, policy, acc = scenario
    first = settle(claim, policy, acc)
    again = settle(
        Claim(
            tuple(claim.lines),
            claim.level,
            claim.in_county,
            claim.referral,
            frozenset(sorted(claim.categories)),
        ),
        policy,
        dict(acc),
    )
    assert first == again
    assert first.deltas == again.deltas


@ENGINE
@given(bill_lines(max_lines=30))
def test_classify_is_the_sum_of_classify_line(lines: list[BillLine]) -> None:
    totals = classify(lines)
    splits = [classify_line(line) for line in lines]
    for name in ("hospital_borne", "full_self_pay", "over_limit", "pre_self_pay", "in_policy"):
        assert getattr(totals, f"{name}_fen") == sum(getattr(s, f"{name}_fen") for s in splits)
    assert totals.total_fen == sum(line.amount_fen for line in lines)
    for line, split in zip(lines, splits, strict=True):
        assert min(split.over_limit_fen, split.pre_self_pay_fen, split.in_policy_fen) >= 0
        assert line.amount_fen == sum(
            (
                split.hospital_borne_fen,
                split.full_self_pay_fen,
                split.over_limit_fen,
                split.pre_self_pay_fen,
                split.in_policy_fen,
            )
        )


def test_classify_line_by_hand() -> None:
    """docs/rules.md §3 order: hospital-borne beats 丙类; the price cap precedes the 乙类 ratio."""
    line = BillLine(
        1,
        "B",
        unit_price_e6=100_000000,
        quantity_e4=10_0000,
        amount_fen=100_000,
        hospital_borne=False,
        grade="B",
        self_pay_ratio_bp=1000,
        price_cap_e6=80_000000,
    )
    # over (100 − 80) × 10 = 200.00; rest 800.00; pre 80.00; in 720.00
    assert classify_line(line) == LineSplit(
        over_limit_fen=20_000, pre_self_pay_fen=8_000, in_policy_fen=72_000
    )
    borne = BillLine(2, "C", 1_0000, 1000, 100, hospital_borne=True, grade="C")
    assert classify_line(borne) == LineSplit(hospital_borne_fen=100)
    assert classify_line(BillLine(3, "C", 1_0000, 1000, 100, False, "C")) == LineSplit(
        full_self_pay_fen=100
    )
    assert classify_line(BillLine(4, "A", 1_0000, 1000, 100, False, "A", 5000)) == LineSplit(
        in_policy_fen=100
    )


# -- sequences of settlements and reversals -------------------------------------------------------
@st.composite
def sequences(draw: st.DrawFn) -> tuple[Policy, list[Claim]]:
    policy = draw(st.sampled_from(POLICIES))
    person = draw(categories)
    count = draw(st.integers(min_value=1, max_value=6))
    return policy, [draw(claims(st.just(person))) for _ in range(count)]


def _run(
    policy: Policy, claims_: list[Claim], acc: dict[str, int]
) -> tuple[dict[str, int], list[Settlement]]:
    results = []
    for claim in claims_:
        result = settle(claim, policy, acc)
        invariants.check(claim, policy, acc, result)
        results.append(result)
        acc = _add(acc, result.deltas)
    return acc, results


@ENGINE
@given(sequences())
def test_a_year_of_settlements_never_exceeds_a_cap(sequence: tuple[Policy, list[Claim]]) -> None:
    policy, claims_ = sequence
    final, results = _run(policy, claims_, {})
    for key, cap in invariants.annual_caps(policy, claims_[0].categories).items():
        if cap is not None:
            assert final.get(key, 0) <= cap, (key, final.get(key), cap)
    assert final == dict(sum((Counter(r.deltas) for r in results), Counter()))


@ENGINE
@given(sequences(), st.data())
def test_reversing_any_settlement_restores_the_accumulators(
    sequence: tuple[Policy, list[Claim]], data: st.DataObject
) -> None:
    policy, claims_ = sequence
    start = data.draw(accumulators(policy))
    final, results = _run(policy, claims_, start)
    k = data.draw(st.integers(min_value=0, max_value=len(results) - 1))
    reversed_ = _add(final, results[k].deltas, sign=-1)
    others = start
    for j, result in enumerate(results):
        if j != k:
            others = _add(others, result.deltas)
    assert reversed_ == others
    assert all(amount >= 0 for amount in reversed_.values())
    # reversing the last one gives back exactly the accumulators it started from, and settling
    # the same bill again gives the same figures
    before_last = _add(final, results[-1].deltas, sign=-1)
    _, earlier = _run(policy, claims_[:-1], start)
    assert before_last == _add(start, dict(sum((Counter(r.deltas) for r in earlier), Counter())))
    assert settle(claims_[-1], policy, before_last) == results[-1]
    # and a further settlement after the reversal still respects every cap
    after = settle(claims_[k], policy, reversed_)
    invariants.check(claims_[k], policy, reversed_, after)


# -- money helpers --------------------------------------------------------------------------------
big = st.integers(min_value=-(10**15), max_value=10**15)


@ENGINE
@given(big, st.integers(min_value=1, max_value=10**9))
def test_div_half_up_is_decimal_round_half_up(numerator: int, denominator: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 60  # exact enough that no quotient is rounded onto a tie
        expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_UP)
    assert div_half_up(numerator, denominator) == int(expected)


@ENGINE
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_apply_ratio_is_round_half_up(amount_fen: int, ratio_bp: int) -> None:
    expected = (Decimal(amount_fen) * ratio_bp / 10_000).quantize(Decimal(1), ROUND_HALF_UP)
    assert apply_ratio(amount_fen, ratio_bp) == int(expected)


def test_div_half_up_ties_and_bad_denominators() -> None:
    assert [div_half_up(n, 2) for n in (-3, -1, 1, 3)] == [-2, -1, 1, 2]
    assert div_half_up(5, 10) == 1 and div_half_up(-5, 10) == -1 and div_half_up(4, 10) == 0
    for bad in (0, -1):
        try:
            div_half_up(1, bad)
        except ValueError:
            continue
        raise AssertionError("a non-positive denominator must be rejected")


@ENGINE
@given(big)
def test_format_fen_parse_scaled_round_trip(amount_fen: int) -> None:
    text = format_fen(amount_fen)
    assert parse_scaled(text, 2) == amount_fen
    assert Decimal(text) == Decimal(amount_fen) / 100
    assert text.split(".")[1].isdigit() and len(text.split(".")[1]) == 2


@ENGINE
@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False
    ),
    st.integers(min_value=4, max_value=6),
)
def test_parse_scaled_matches_decimal(value: Decimal, places: int) -> None:
    text = format(value, "f")
    assert parse_scaled(text, places) == int(value.scaleb(places))


@ENGINE
@given(st.integers(min_value=0, max_value=10_000))
def test_format_ratio_bp(ratio_bp: int) -> None:
    text = format_ratio_bp(ratio_bp)
    assert len(text.split(".")[1]) == 4
    assert parse_scaled(text, 4) == ratio_bp


def test_parse_scaled_rejects_what_is_not_a_plain_decimal() -> None:
    # Issue 11 item 3: other scripts' digits (Arabic-Indic, fullwidth), which int() reads, and a
    # trailing newline, which a regex's $ lets through, are not plain decimals either.
    odd = ("٥٠٠٠", "５０００.００", "5000.00\n", "100\n", "1\n", "１")
    for text in ("1e3", " 1", "1,000.00", "", "1.", ".5", "+1", "0x10", "1.234", *odd):
        try:
            parse_scaled(text, 2)
        except ValueError:
            continue
        raise AssertionError(f"{text!r} must be rejected")
    assert parse_scaled("-0.5", 2) == -50
    assert parse_scaled("7", 3) == 7000


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_parse_date_reads_every_day_written_yyyy_mm_dd(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


def test_parse_date_takes_nothing_else() -> None:
    # fromisoformat alone reads the first two (issue 11 item 4); the rest are not days either.
    for text in (
        "20180601",
        "2018-W22-5",
        "2018-06-01T00:00:00",
        "２０18-06-01",
        "2018-06-01\n",
        " 2018-06-01",
        "2018-6-1",
        "2018-02-30",
        "0000-01-01",
    ):
        try:
            parse_date(text)
        except ValueError:
            continue
        raise AssertionError(f"{text!r} must be rejected")
