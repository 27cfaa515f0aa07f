"""``net_lines`` nets in one SQL statement (``_NET_LINES``); 2301 nets the same rows in Python
(``_originals`` over ``_standing_lines``, what ``net_lines`` itself did before). Both must give
the same lines, and so must ``settle_state``, which 2303/2304 read.

The visit (price 1e-6 yuan, quantity 1e-4, amount fen)::

    L1 a  10.000000 × 3     = 30.00, refunded 1 (-10.00)  → 2 left, 20.00
    L2 b   3.333300 × 3     =  9.9999 → 10.00, refunded all 3 (-10.00, the rest) → dropped
    L3 c   1.000000 × 1     =  1.00, sent name ""        → the catalogue's, 项目<code>
    L4 a   2.000000 × 5     = 10.00, sent name "自定义"   → "自定义", hospital-borne
    L5 cap 1.000000 × 2     =  2.00, cancelled (2302)     → not there
    L6 b   0.000000 × 1     =  0.00                       → kept (a quantity is left)
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.visits import service
from app.visits.models import Visit
from app.visits.service import LineRef, NetLine

from .conftest import admit, line, make_world, reverse_fake, run, settle_fake


async def _python_netting(s: AsyncSession, visit: Visit) -> list[NetLine]:
    originals = service._originals(await service._standing_lines(s, visit))
    out: list[NetLine] = []
    for orig in originals.values():
        if orig.left_e4 == 0:
            continue
        assert orig.row is not None
        name = orig.row.name or f"项目{orig.code}"  # conftest._item names each item so
        out.append(
            NetLine(
                len(out) + 1,
                orig.code,
                name,
                orig.unit_price_e6,
                orig.left_e4,
                orig.left_fen,
                orig.hospital_borne,
            )
        )
    return out


async def test_sql_netting_equals_the_python_netting(
    visits_db: async_sessionmaker[AsyncSession],
) -> None:
    w = await make_world(visits_db)
    m = await admit(visits_db, w)
    first = [
        line(w, m, "L1", w.a, 10_000_000, 30_000),
        line(w, m, "L2", w.b, 3_333_300, 30_000),
        dataclasses.replace(line(w, m, "L3", w.c, 1_000_000, 10_000), name=""),
        dataclasses.replace(line(w, m, "L4", w.a, 2_000_000, 50_000, borne=True), name="自定义"),
        line(w, m, "L5", w.cap, 1_000_000, 20_000),
        line(w, m, "L6", w.b, 0, 10_000),
    ]
    await run(visits_db, lambda s: service.upload_lines(s, w.hospital, first))
    refunds = [
        line(w, m, "R1", w.a, 10_000_000, -10_000, init="L1"),
        line(w, m, "R2", w.b, 3_333_300, -30_000, init="L2", amount_fen=-1000),
    ]
    await run(visits_db, lambda s: service.upload_lines(s, w.hospital, refunds))
    await run(
        visits_db,
        lambda s: service.cancel_lines(s, w.hospital, m, w.psn_no, [LineRef("L5")]),
    )
    async with visits_db() as s:
        visit = await s.scalar(select(Visit).where(Visit.mdtrt_id == m))
        assert visit is not None
        sql = await service.net_lines(s, visit)
        state = await service.settle_state(s, w.hospital, visit)
        python = await _python_netting(s, visit)
    assert sql == python == state.lines
    assert [(n.code, n.name, n.quantity_e4, n.amount_fen, n.hospital_borne) for n in sql] == [
        (w.a, f"项目{w.a}", 20_000, 2000, False),
        (w.c, f"项目{w.c}", 10_000, 100, False),
        (w.a, "自定义", 50_000, 1000, True),
        (w.b, f"项目{w.b}", 10_000, 0, False),
    ]
    assert not state.settled and state.reversed_last_id is None

    # a settlement stands, then is reversed: settled, then the one to replace
    sid = await settle_fake(visits_db, w, m)
    async with visits_db() as s:
        state = await service.settle_state(s, w.hospital, visit)
    assert state.settled and state.reversed_last_id is None
    await reverse_fake(visits_db, sid)
    async with visits_db() as s:
        state = await service.settle_state(s, w.hospital, visit)
    assert not state.settled and state.reversed_last_id == sid
