"""No bill the service accepts can make a stored or reported sum overflow (issue 11, item 2).

Bodies are drawn with lines up to a little past the line bound, and as many lines as it takes
to pass the bill bound; each is parsed as the API parses it and checked as the service checks
it, then settled by the engine under every shipped policy on accumulators that a person-year
can hold. For every body accepted: each stored amount is within [0, BILL_MAX_FEN], each
accumulator delta within [0, the bill's total], and every accumulator afterwards within the
person-year bound (so below BIGINT's 2^63 - 1). Accumulators are drawn with every key at most
the person-year's bill total: each delta of a settlement is at most its bill's total, so that
holds for any sequence of settlements, by induction. Reports add up in numeric
(tests/api/test_bounds.py::test_report_sums_are_exact_past_bigint).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.bounds import (
    BILL_MAX_FEN,
    LINE_MAX_FEN,
    PERSON_YEAR_MAX_FEN,
    PERSON_YEAR_TOTAL_KEY,
    QUANTITY_MAX_E3,
)
from app.engine import BillLine, Claim, Policy, expected_amount_fen, paid_key, settle
from app.engine.layers import base_key
from app.errors import Unprocessable
from app.policy import load_directory
from app.settlement import service
from app.settlement.schemas import SettlementIn
from app.types import id_check_digit

POLICIES: list[Policy] = [document.policy for document in load_directory()]
BIGINT_MAX = 2**63 - 1
FIRST17 = "51040219500101001"
ID_NUMBER = FIRST17 + id_check_digit(FIRST17)


def _decimal(value: int, places: int) -> str:
    whole, frac = divmod(value, 10**places)
    return f"{whole}.{frac:0{places}d}"


@st.composite
def lines(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 24))  # 11 lines at the line bound already pass the bill bound
    out = []
    for seq in range(1, count + 1):
        # mostly near the line bound, sometimes a little past it
        amount_fen = draw(
            st.one_of(
                st.integers(0, LINE_MAX_FEN),
                st.integers(LINE_MAX_FEN - 1000, LINE_MAX_FEN + 1000),
            )
        )
        quantity_e3 = draw(st.sampled_from([1000, 500, 2000, 3]))
        # the unit price that gives exactly this amount: amount = price × quantity / 10^5
        price_e4, rest = divmod(amount_fen * 100_000, quantity_e3)
        if rest:
            quantity_e3, price_e4 = 1000, amount_fen * 100
        assert expected_amount_fen(price_e4 * 100, quantity_e3 * 10) == amount_fen  # engine's scale
        out.append(
            {
                "seq": seq,
                "code": f"X{seq:03d}",
                "unit_price": _decimal(price_e4, 4),
                "quantity": _decimal(min(quantity_e3, QUANTITY_MAX_E3), 3),
                "amount": _decimal(amount_fen, 2),
                "hospital_borne": draw(st.sampled_from([False] * 9 + [True])),
            }
        )
    return out


@st.composite
def accumulators(draw: st.DrawFn, policy: Policy) -> dict[str, int]:
    year_total = draw(
        st.one_of(
            st.integers(0, PERSON_YEAR_MAX_FEN),
            st.integers(PERSON_YEAR_MAX_FEN - 2 * BILL_MAX_FEN, PERSON_YEAR_MAX_FEN),
        )
    )
    keys = [paid_key(layer.meta.name) for layer in policy.layers] + [base_key("critical_illness")]
    values = {key: draw(st.integers(0, year_total)) for key in keys}
    return {**values, PERSON_YEAR_TOTAL_KEY: year_total}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_accepted_bill_can_overflow_a_stored_or_accumulated_sum(data: st.DataObject) -> None:
    policy = data.draw(st.sampled_from(POLICIES))
    body = {
        "hospital_code": "H510402001",
        "bill_no": "ZYBOUND",
        "patient": {"id_number": ID_NUMBER},
        "admission_date": "2018-06-01",
        "discharge_date": "2018-06-12",
        "items": data.draw(lines()),
    }
    try:
        parsed = SettlementIn.model_validate(body)
        service._check_body(service.spec_of(parsed, ""))
    except ValidationError as exc:
        assert {e["type"] for e in exc.errors()} == {"amount_out_of_range"}
        return
    except Unprocessable as exc:
        assert exc.code == "amount_out_of_range"
        return
    claim = Claim(
        lines=[
            BillLine(
                seq=item.seq,
                code=item.code,
                unit_price_e6=item.unit_price * 100,  # /v1's 1e-4 yuan → the engine's 1e-6
                quantity_e4=item.quantity * 10,  # 1e-3 → 1e-4
                amount_fen=item.amount,
                hospital_borne=item.hospital_borne,
                grade=data.draw(st.sampled_from("ABC")),
                self_pay_ratio_bp=data.draw(st.sampled_from([0, 1000, 2000])),
                price_cap_e6=data.draw(st.sampled_from([None, item.unit_price * 100, 1])),
            )
            for item in parsed.items
        ],
        level=data.draw(st.sampled_from(["primary", "secondary", "tertiary"])),
        in_county=data.draw(st.booleans()),
        referral=data.draw(st.booleans()),
        categories=frozenset(data.draw(st.sets(st.sampled_from(["registered_poor", "dibao"])))),
    )
    before = data.draw(accumulators(policy))
    computed = settle(claim, policy, before)
    try:
        deltas = service._deltas(computed, before, 2018)
    except Unprocessable as exc:  # past the person-year bound: refused, nothing stored
        assert exc.code == "amount_out_of_range"
        assert before[PERSON_YEAR_TOTAL_KEY] + computed.totals.total_fen > PERSON_YEAR_MAX_FEN
        return
    total = computed.totals.total_fen
    assert total <= BILL_MAX_FEN
    t = computed.totals
    stored = [
        t.total_fen,
        t.hospital_borne_fen,
        t.full_self_pay_fen,
        t.over_limit_fen,
        t.pre_self_pay_fen,
        t.in_policy_fen,
        computed.fund_paid_fen,
        computed.self_pay_fen,
        computed.in_policy_self_pay_fen,
        *(v for line in computed.layers for v in (line.base_fen, line.paid_fen, line.left_fen)),
    ]
    assert all(0 <= v <= BILL_MAX_FEN for v in stored)
    assert all(0 <= v <= total for v in deltas.values())
    for key, delta in deltas.items():
        after = before.get(key, 0) + delta
        assert after <= before[PERSON_YEAR_TOTAL_KEY] + total <= PERSON_YEAR_MAX_FEN < BIGINT_MAX


def test_the_bounds_leave_room_for_a_range_of_largest_bills() -> None:
    """The arithmetic app/bounds.py states: 5 × 10^8 largest bills fit in BIGINT even summed
    as BIGINT (reports sum in numeric anyway), and a person-year's bound is ten largest bills."""
    assert 500_000_000 * BILL_MAX_FEN < BIGINT_MAX  # 5e8 × 1e10 = 5e18 < 9.22e18
    assert 10 * BILL_MAX_FEN <= PERSON_YEAR_MAX_FEN < 11 * BILL_MAX_FEN
    assert 10 * LINE_MAX_FEN <= BILL_MAX_FEN < 11 * LINE_MAX_FEN
