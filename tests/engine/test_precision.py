"""The engine works at 1e-6 yuan × 1e-4 units (the national interface's ``pric`` and ``cnt``);
``/v1`` sends 4 price decimals and 3 quantity decimals, converted exactly (×100, ×10). For every
``/v1``-precision line, the engine at the new scale must classify exactly as the rulebook's
arithmetic at the old scale does (docs/rules.md §3: round half up at the fen), worked out here
with ``Decimal`` in yuan, independently of ``app.engine.bill``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bounds import QUANTITY_MAX_E3, UNIT_PRICE_MAX_E4
from app.engine import (
    BillLine,
    Claim,
    LineSplit,
    Policy,
    Totals,
    classify,
    classify_line,
    expected_amount_fen,
    settle,
)
from app.policy import load_directory

POLICIES = [document.policy for document in load_directory()]
FEN = Decimal("0.01")


def _fen(yuan: Decimal) -> int:
    """round(yuan) half up to the fen, as integer fen."""
    return int(yuan.quantize(FEN, rounding=ROUND_HALF_UP) * 100)


# A /v1 line at its own precision: (price_e4, quantity_e3, hospital_borne, grade, ratio_bp, cap_e4)
V1Line = tuple[int, int, bool, str, int, int | None]


@st.composite
def v1_lines(draw: st.DrawFn) -> list[V1Line]:
    lines: list[V1Line] = []
    for _ in range(draw(st.integers(0, 10))):
        price = draw(
            st.one_of(
                st.integers(0, 2_000_000),  # up to 200 yuan
                st.integers(0, UNIT_PRICE_MAX_E4),
                st.integers(0, 100).map(lambda k: k * 50),  # half-fen prices: 0.0050 yuan steps
            )
        )
        quantity = draw(st.one_of(st.integers(1, 50_000), st.integers(1, QUANTITY_MAX_E3 // 1000)))
        cap = draw(
            st.one_of(st.none(), st.just(price), st.integers(0, max(2 * price, 1)), st.just(0))
        )
        lines.append(
            (
                price,
                quantity,
                draw(st.sampled_from([False] * 9 + [True])),
                draw(st.sampled_from("AABBC")),
                draw(st.one_of(st.integers(0, 10_000), st.sampled_from([500, 1000, 2000, 5000]))),
                cap,
            )
        )
    return lines


def old_totals(lines: list[V1Line]) -> Totals:
    """docs/rules.md §3 at /v1's scale, in Decimal yuan: amount = round(price × quantity);
    over = round((price − cap) × quantity) above the cap; pre = round((amount − over) × ratio)
    for 乙类; the rest in-policy."""
    total = borne = full = over_total = pre_total = 0
    with localcontext() as context:
        context.prec = 60  # exact: at most 11 + 10 digits before rounding
        for price_e4, quantity_e3, hospital_borne, grade, ratio_bp, cap_e4 in lines:
            price = Decimal(price_e4).scaleb(-4)
            quantity = Decimal(quantity_e3).scaleb(-3)
            amount = _fen(price * quantity)
            total += amount
            if hospital_borne:
                borne += amount
                continue
            if grade == "C":
                full += amount
                continue
            over = 0
            if cap_e4 is not None and price_e4 > cap_e4:
                over = _fen((price - Decimal(cap_e4).scaleb(-4)) * quantity)
            rest = Decimal(amount - over).scaleb(-2)
            pre = _fen(rest * Decimal(ratio_bp).scaleb(-4)) if grade == "B" else 0
            over_total += over
            pre_total += pre
    in_policy = total - borne - full - over_total - pre_total
    return Totals(total, borne, full, over_total, pre_total, in_policy)


def as_engine_lines(lines: list[V1Line]) -> list[BillLine]:
    """What the service gives the engine for these /v1 lines: ×100, ×10, the cap ×100."""
    return [
        BillLine(
            seq=seq,
            code=f"X{seq}",
            unit_price_e6=price * 100,
            quantity_e4=quantity * 10,
            amount_fen=expected_amount_fen(price * 100, quantity * 10),
            hospital_borne=borne,
            grade=grade,
            self_pay_ratio_bp=ratio,
            price_cap_e6=None if cap is None else cap * 100,
        )
        for seq, (price, quantity, borne, grade, ratio, cap) in enumerate(lines, start=1)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=v1_lines(), policy=st.sampled_from(POLICIES), poor=st.booleans())
def test_v1_precision_lines_settle_as_at_the_old_scale(
    lines: list[V1Line], policy: Policy, poor: bool
) -> None:
    expected = old_totals(lines)
    engine_lines = as_engine_lines(lines)
    with localcontext() as context:
        context.prec = 60
        assert [line.amount_fen for line in engine_lines] == [
            _fen(Decimal(p).scaleb(-4) * Decimal(q).scaleb(-3)) for p, q, *_ in lines
        ]
    assert classify(engine_lines) == expected
    # The pipeline reads the lines only through classify (app/engine/pipeline.py): with the same
    # totals every layer, and so the whole Settlement, is what the old scale gave.
    categories = frozenset({"registered_poor"} if poor else ())
    claim = Claim(engine_lines, "secondary", True, False, categories)
    computed = settle(claim, policy, {})
    assert computed.totals == expected
    assert computed.fund_paid_fen + computed.self_pay_fen == expected.total_fen - (
        expected.hospital_borne_fen
    )


def test_half_a_fen_rounds_up_at_both_scales() -> None:
    # 0.0050 yuan × 1.000 = half a fen → 0.01; over (0.0050 − 0) × 1 → 0.01 (docs/rules.md §3)
    lines: list[V1Line] = [(50, 1000, False, "A", 0, 0)]
    assert old_totals(lines) == Totals(1, 0, 0, 1, 0, 0)
    assert classify(as_engine_lines(lines)) == Totals(1, 0, 0, 1, 0, 0)


def test_over_the_cap_is_at_most_the_line_amount() -> None:
    """A visit's line netted after a partial refund can be a fen below round(price × quantity):
    0.15 × 3 = 0.45 uploaded, a refund of 0.5 is round(0.075) = 0.08, leaving 2.5 for 0.37,
    where round(0.15 × 2.5) = round(0.375) = 0.38. With a cap of 0 the whole line is over the
    cap: round((0.15 − 0) × 2.5) = 0.38 would exceed the line, so it is the line's 0.37 and
    nothing is left in policy (docs/rules.md §3, step 3)."""
    line = BillLine(1, "X", 150_000, 25_000, 37, False, "A", 0, 0)
    assert classify_line(line) == LineSplit(over_limit_fen=37)
    totals = classify([line])
    assert (totals.total_fen, totals.over_limit_fen, totals.in_policy_fen) == (37, 37, 0)
