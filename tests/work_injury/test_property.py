"""Hypothesis: under any sequence of operations on a recovery (repayments of any amount, on any
day, retried or with a reused number; write-offs), ``recovered + outstanding + written off =
advanced``, no amount goes negative, a retry never adds money, and a refused operation changes
nothing."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.work_injury.domain import Recovery, Refused

ORDERED = dt.date(2018, 6, 11)

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("repay"),
            st.sampled_from(["R1", "R2", "R3", "R4", "R5"]),
            st.integers(min_value=-5, max_value=40),  # day offset from the order
            st.integers(min_value=-100, max_value=5_000_000),
        ),
        st.tuples(st.just("write_off"), st.just(""), st.integers(-5, 400), st.just(0)),
    ),
    max_size=30,
)


@given(advanced=st.integers(min_value=1, max_value=999_999_999), ops=operations)
def test_money_is_never_lost_or_duplicated(
    advanced: int, ops: list[tuple[str, str, int, int]]
) -> None:
    state = Recovery(advanced, ORDERED, ORDERED + dt.timedelta(days=10))
    seen: dict[str, tuple[dt.date, int]] = {}
    for kind, key, offset, amount in ops:
        day = ORDERED + dt.timedelta(days=offset)
        before = state
        try:
            if kind == "repay":
                state, created = state.repay(key, day, amount)
                if not created:  # a retry: the very same repayment, nothing added
                    assert state is before and seen[key] == (day, amount)
                else:
                    assert key not in seen
                    seen[key] = (day, amount)
            else:
                state, _ = state.write_off(day)
        except Refused:
            assert state is before  # a refusal changes nothing
        assert state.repaid_fen + state.outstanding_fen + state.written_off_fen == advanced
        assert min(state.repaid_fen, state.outstanding_fen, state.written_off_fen) >= 0
        assert state.repaid_fen == sum(a for _, a in seen.values())
        assert state.status == (
            "written_off"
            if state.written_off_fen
            else "repaid"
            if state.outstanding_fen == 0
            else "open"
        )
