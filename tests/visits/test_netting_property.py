"""Property: whatever is uploaded and partly refunded, the netted lines conserve every fen and
every unit, and none is negative.

Each example is a visit of its own: random positive lines (prices ≤ 4 decimals, counts ≤ 3, so
exact at the engine's scale either way), then rounds of refunds of random parts of what each line
has left (the last of a line taking exactly what is left), some in the same call as new lines.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.visits import service
from app.visits.models import Visit
from app.visits.service import FeeLineIn

from .conftest import admit, line, make_world, run

SM = async_sessionmaker[AsyncSession]

prices = st.integers(0, 2_000_000).map(lambda p: p * 100)  # up to 200.0000 yuan, 4 decimals
counts = st.integers(1, 5_000).map(lambda q: q * 10)  # up to 50.000 units, 3 decimals


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_net_lines_conserve_amounts_and_quantities(
    visits_db: SM, data: st.DataObject
) -> None:
    w = await make_world(visits_db)
    m = await admit(visits_db, w)
    codes = [w.a, w.b, w.c, w.cap]
    left: dict[str, tuple[str, int, int, int]] = {}  # sn → (code, price, qty left, fen left)
    uploaded_fen = uploaded_e4 = 0
    serial = 0
    for _ in range(data.draw(st.integers(1, 3), label="calls")):
        batch: list[FeeLineIn] = []
        for _ in range(data.draw(st.integers(0, 4), label="new lines")):
            serial += 1
            sn = f"L{serial}"
            code = data.draw(st.sampled_from(codes))
            price, qty = data.draw(prices), data.draw(counts)
            item = line(w, m, sn, code, price, qty, borne=data.draw(st.booleans()))
            batch.append(item)
            left[sn] = (code, price, qty, item.amount_fen)
        for sn in sorted(left):
            code, price, qty_left, fen_left = left[sn]
            if qty_left == 0 or not data.draw(st.booleans(), label=f"refund {sn}"):
                continue
            back = data.draw(st.integers(1, qty_left // 10)) * 10
            fen = -fen_left if back == qty_left else service.expected_amount_fen(price, -back)
            if fen_left + fen < 0:  # the per-line rounding would take more than is left
                continue
            serial += 1
            batch.append(line(w, m, f"R{serial}", code, price, -back, init=sn, amount_fen=fen))
            left[sn] = (code, price, qty_left - back, fen_left + fen)
        if not batch:
            continue
        results = await run(visits_db, lambda s, b=batch: service.upload_lines(s, w.hospital, b))
        for got, sent in zip(results, batch, strict=True):
            assert got.amount_fen == sent.amount_fen
            classes = got.full_self_pay_fen + got.over_limit_fen + got.pre_self_pay_fen
            assert classes + got.in_policy_fen == sent.amount_fen  # four classes add up
        uploaded_fen += sum(item.amount_fen for item in batch)
        uploaded_e4 += sum(item.quantity_e4 for item in batch)

    async with visits_db() as s:
        visit = await s.scalar(select(Visit).where(Visit.mdtrt_id == m))
        assert visit is not None
        netted = await service.net_lines(s, visit)
    assert sum(n.amount_fen for n in netted) == uploaded_fen
    assert sum(n.quantity_e4 for n in netted) == uploaded_e4
    assert all(n.amount_fen >= 0 and n.quantity_e4 > 0 for n in netted)
    assert [n.seq for n in netted] == list(range(1, len(netted) + 1))
    expected = [(sn, q, f) for sn, (_, _, q, f) in left.items() if q > 0]
    assert [(n.quantity_e4, n.amount_fen) for n in netted] == [(q, f) for _, q, f in expected]
