"""Fee-line upload (2301), cancellation (2302) and netting, through the service.

Prices are written in 1e-6 yuan and counts in 1e-4 units (the national interface's precision);
the values used are exact at the engine's former 1e-4 / 1e-3 too. Every expected figure is
worked out by hand in a comment.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import AppError, Conflict, NotFound, Unprocessable
from app.visits import service
from app.visits.models import FeeLine, Visit
from app.visits.service import FeeLineIn, LineRef, LineResult, NetLine

from .conftest import SH, World, admit, line, reverse_fake, run, settle_fake

SM = async_sessionmaker[AsyncSession]


def only_error(exc: AppError) -> tuple[list[str | int], str]:
    (item,) = exc.errors
    return list(item["loc"]), str(item["msg"])


async def upload(sm: SM, w: World, lines: list[FeeLineIn]) -> list[LineResult]:
    return await run(sm, lambda s: service.upload_lines(s, w.hospital, lines))


async def cancel(sm: SM, w: World, mdtrt_id: str, *sns: str) -> list[str]:
    refs = [LineRef(sn, ("data", i, "feedetl_sn")) for i, sn in enumerate(sns)]
    return await run(sm, lambda s: service.cancel_lines(s, w.hospital, mdtrt_id, w.psn_no, refs))


async def net(sm: SM, mdtrt_id: str) -> list[NetLine]:
    async with sm() as s:
        visit = await s.scalar(select(Visit).where(Visit.mdtrt_id == mdtrt_id))
        assert visit is not None
        return await service.net_lines(s, visit)


async def stored(sm: SM, mdtrt_id: str) -> int:
    async with sm() as s:
        return int(
            await s.scalar(
                select(func.count())
                .select_from(FeeLine)
                .join(Visit, Visit.id == FeeLine.visit_id)
                .where(Visit.mdtrt_id == mdtrt_id)
            )
            or 0
        )


def result(
    sn: str,
    amount: int,
    qty: int,
    price: int,
    *,
    cap: int | None = None,
    ratio: int = 0,
    grade: str = "A",
    full: int = 0,
    over: int = 0,
    pre: int = 0,
    inscp: int = 0,
    borne: bool = False,
) -> LineResult:
    return LineResult(
        sn,
        amount,
        qty,
        price,
        price if cap is None else cap,
        ratio,
        grade,
        full,
        over,
        pre,
        inscp,
        borne,
    )


async def test_upload_classifies_each_line(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    results = await upload(
        visits_db,
        w,
        [
            line(w, m, "1", w.a, 12_500_000, 20_000),  # 甲 12.50 × 2 = 25.00
            line(w, m, "2", w.b, 4_520_000, 10_000),  # 乙 0.05: 4.52 × 1
            line(w, m, "3", w.c, 1_500_000, 10_000),  # 丙 1.50 × 1
            line(w, m, "4", w.cap, 120_000_000, 30_000),  # 甲 cap 100.00: 120.00 × 3
            line(w, m, "5", w.a, 10_000_000, 10_000, borne=True),  # 10.00, hospital-borne
        ],
    )
    assert results == [
        # 甲: all of 25.00 in policy; no cap, so pric_uplmt_amt = pric; selfpay_prop 0.
        result("1", 2500, 20_000, 12_500_000, inscp=2500),
        # 乙: pre-self-pay round(4.52 × 0.05 = 0.226) = 0.23 half-up; in policy 4.52 − 0.23 = 4.29
        # (the platform's own sample line).
        result("2", 452, 10_000, 4_520_000, ratio=500, grade="B", pre=23, inscp=429),
        # 丙: all 1.50 full self-pay, selfpay_prop 1.
        result("3", 150, 10_000, 1_500_000, ratio=10_000, grade="C", full=150),
        # Over the cap: (120.00 − 100.00) × 3 = 60.00 over-limit; 360.00 − 60.00 = 300.00 in.
        result("4", 36000, 30_000, 120_000_000, cap=100_000_000, over=6000, inscp=30000),
        # Hospital-borne: the platform's 全自费 includes it: 10.00; nothing in policy.
        result("5", 1000, 10_000, 10_000_000, full=1000, borne=True),
    ]
    assert [
        (n.seq, n.code, n.quantity_e4, n.amount_fen, n.hospital_borne)
        for n in await net(visits_db, m)
    ] == [
        (1, w.a, 20_000, 2500, False),
        (2, w.b, 10_000, 452, False),
        (3, w.c, 10_000, 150, False),
        (4, w.cap, 30_000, 36000, False),
        (5, w.a, 10_000, 1000, True),
    ]
    assert (await net(visits_db, m))[0].name == f"项目{w.a}"  # the catalogue's, none sent


async def test_unknown_code_stores_nothing(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    with pytest.raises(Unprocessable) as caught:
        await upload(
            visits_db,
            w,
            [line(w, m, "1", w.a, 1_000_000, 10_000), line(w, m, "2", "XNOPE", 1_000_000, 10_000)],
        )
    assert only_error(caught.value) == (
        ["feedetail", 1, "med_list_codg"],
        "目录编码XNOPE不存在（费用明细流水号2）",
    )
    assert await stored(visits_db, m) == 0  # all or nothing: the good line 1 is not kept


async def test_code_valid_on_fee_ocur_time_in_shanghai(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    with pytest.raises(Unprocessable) as caught:
        await upload(visits_db, w, [line(w, m, "1", w.late, 1_000_000, 10_000)])
    assert only_error(caught.value) == (
        ["feedetail", 0, "med_list_codg"],
        f"目录编码{w.late}在2018-06-02不在有效期内（费用明细流水号1）",
    )
    # 2018-06-30 16:10 UTC is 2018-07-01 00:10 in Shanghai: the item's first valid day.
    when = dt.datetime(2018, 6, 30, 16, 10, tzinfo=dt.UTC)
    await upload(visits_db, w, [line(w, m, "1", w.late, 1_000_000, 10_000, when=when)])


async def test_amount_must_be_price_times_count_half_up(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    with pytest.raises(Unprocessable) as caught:
        await upload(visits_db, w, [line(w, m, "1", w.a, 12_500_000, 20_000, amount_fen=2501)])
    assert only_error(caught.value) == (
        ["feedetail", 0, "det_item_fee_sumamt"],
        "明细项目费用总额25.01不等于单价×数量25.00",
    )
    # 0.3350 × 3 = 1.005 → 1.01 half up; 1.00 is refused.
    with pytest.raises(Unprocessable):
        await upload(visits_db, w, [line(w, m, "1", w.a, 335_000, 30_000, amount_fen=100)])
    await upload(visits_db, w, [line(w, m, "1", w.a, 335_000, 30_000, amount_fen=101)])


async def test_duplicate_sn_in_a_call_and_across_calls(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    with pytest.raises(Conflict) as caught:
        await upload(
            visits_db,
            w,
            [line(w, m, "7", w.a, 1_000_000, 10_000), line(w, m, "7", w.b, 1_000_000, 10_000)],
        )
    assert only_error(caught.value) == (["feedetail", 1, "feedetl_sn"], "费用明细流水号7重复")
    await upload(visits_db, w, [line(w, m, "7", w.a, 1_000_000, 10_000)])
    with pytest.raises(Conflict) as caught:
        await upload(
            visits_db,
            w,
            [line(w, m, "8", w.a, 1_000_000, 10_000), line(w, m, "7", w.a, 1_000_000, 10_000)],
        )
    assert only_error(caught.value) == (["feedetail", 1, "feedetl_sn"], "费用明细流水号7重复")
    # A cancelled number is free again (2302, then the corrected line under the same number).
    await cancel(visits_db, w, m, "7")
    await upload(visits_db, w, [line(w, m, "7", w.a, 2_000_000, 10_000)])
    assert [n.amount_fen for n in await net(visits_db, m)] == [200]


async def test_visit_and_person_must_match(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    other = await admit(visits_db, w)
    with pytest.raises(Unprocessable) as caught:
        await upload(
            visits_db,
            w,
            [line(w, m, "1", w.a, 1_000_000, 10_000), line(w, other, "2", w.a, 1_000_000, 10_000)],
        )
    assert only_error(caught.value)[0] == ["feedetail", 1, "mdtrt_id"]
    with pytest.raises(Unprocessable) as caught:
        await upload(
            visits_db, w, [line(w, m, "1", w.a, 1_000_000, 10_000, psn_no=w.unenrolled_psn_no)]
        )
    assert only_error(caught.value)[0] == ["feedetail", 0, "psn_no"]
    with pytest.raises(NotFound) as caught:
        await upload(visits_db, w, [line(w, "M999999999999999", "1", w.a, 1_000_000, 10_000)])
    assert only_error(caught.value) == (["feedetail", 0, "mdtrt_id"], "就诊信息不存在")


async def test_refund_partial_then_full(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    await upload(
        visits_db,
        w,
        [
            line(w, m, "1", w.a, 12_500_000, 20_000),  # 12.50 × 2 = 25.00
            line(w, m, "2", w.b, 4_520_000, 30_000),  # 4.52 × 3 = 13.56
            line(w, m, "3", w.cap, 120_000_000, 30_000),  # 120.00 × 3 = 360.00
        ],
    )
    results = await upload(
        visits_db,
        w,
        [
            line(w, m, "R1", w.a, 12_500_000, -10_000, init="1"),  # −12.50
            line(w, m, "R2", w.b, 4_520_000, -10_000, init="2"),  # −4.52
            line(w, m, "R3", w.cap, 120_000_000, -10_000, init="3"),  # −120.00
        ],
    )
    assert results == [
        # 甲: 25.00 in policy → 12.50: −12.50.
        result("R1", -1250, -10_000, 12_500_000, inscp=-1250),
        # 乙 before: 13.56, pre round(0.678) = 0.68, in 12.88; after 9.04, pre round(0.452) =
        # 0.45, in 8.59: the refund moves pre −0.23 and in −4.29.
        result("R2", -452, -10_000, 4_520_000, ratio=500, grade="B", pre=-23, inscp=-429),
        # Capped: before over 60.00, in 300.00; after 2 × 120: over 40.00, in 200.00.
        result("R3", -12000, -10_000, 120_000_000, cap=100_000_000, over=-2000, inscp=-10000),
    ]
    assert [(n.seq, n.code, n.quantity_e4, n.amount_fen) for n in await net(visits_db, m)] == [
        (1, w.a, 10_000, 1250),
        (2, w.b, 20_000, 904),
        (3, w.cap, 20_000, 24000),
    ]
    # The rest of line 1: it drops out, and what follows is numbered again from 1.
    await upload(visits_db, w, [line(w, m, "R4", w.a, 12_500_000, -10_000, init="1")])
    assert [(n.seq, n.code, n.amount_fen) for n in await net(visits_db, m)] == [
        (1, w.b, 904),
        (2, w.cap, 24000),
    ]


async def test_refund_in_the_same_call_as_its_original(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    results = await upload(
        visits_db,
        w,
        [
            line(w, m, "1", w.c, 1_500_000, 40_000),  # 丙 1.50 × 4 = 6.00
            line(w, m, "R1", w.c, 1_500_000, -10_000, init="1"),  # −1.50, all full self-pay
        ],
    )
    assert results[1] == result("R1", -150, -10_000, 1_500_000, ratio=10_000, grade="C", full=-150)
    assert [(n.quantity_e4, n.amount_fen) for n in await net(visits_db, m)] == [(30_000, 450)]


async def test_last_refund_takes_what_is_left_to_the_fen(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    # 0.3350 × 3 = 1.005 → 1.01; each refund of one: −0.335 → −0.34 (half away from zero).
    await upload(visits_db, w, [line(w, m, "1", w.a, 335_000, 30_000)])
    await upload(
        visits_db,
        w,
        [
            line(w, m, "R1", w.a, 335_000, -10_000, init="1"),
            line(w, m, "R2", w.a, 335_000, -10_000, init="1"),
        ],
    )
    # Left: 1 unit and 1.01 − 0.68 = 0.33; the last refund must take exactly 0.33, not 0.34.
    with pytest.raises(Unprocessable) as caught:
        await upload(visits_db, w, [line(w, m, "R3", w.a, 335_000, -10_000, init="1")])
    assert only_error(caught.value) == (
        ["feedetail", 0, "det_item_fee_sumamt"],
        "退费金额-0.34应为-0.33",
    )
    await upload(visits_db, w, [line(w, m, "R3", w.a, 335_000, -10_000, init="1", amount_fen=-33)])
    assert await net(visits_db, m) == []


async def test_refund_refusals(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    await upload(visits_db, w, [line(w, m, "1", w.a, 12_500_000, 20_000)])
    cases = [
        # more than is left: 3 of 2
        (
            line(w, m, "R", w.a, 12_500_000, -30_000, init="1"),
            (["feedetail", 0, "cnt"], "退费数量超过原明细1的剩余数量2"),
        ),
        (
            line(w, m, "R", w.a, 12_500_000, -10_000, init="NOPE"),
            (["feedetail", 0, "init_feedetl_sn"], "原费用明细流水号NOPE不存在"),
        ),
        (
            line(w, m, "R", w.a, 12_500_000, -10_000),
            (["feedetail", 0, "init_feedetl_sn"], "退费明细须填写原费用明细流水号"),
        ),
        (
            line(w, m, "R", w.a, 12_000_000, -10_000, init="1"),
            (["feedetail", 0, "pric"], "退费单价须与原明细1的单价相同"),
        ),
        (
            line(w, m, "R", w.b, 12_500_000, -10_000, init="1"),
            (["feedetail", 0, "med_list_codg"], "退费项目须与原明细1的目录编码相同"),
        ),
        (line(w, m, "R", w.a, 12_500_000, 0), (["feedetail", 0, "cnt"], "数量不能为0")),
    ]
    for bad, expected in cases:
        with pytest.raises(Unprocessable) as caught:
            await upload(visits_db, w, [bad])
        assert only_error(caught.value) == expected
    # A refund of a refund: only positive lines can be refunded.
    await upload(visits_db, w, [line(w, m, "R1", w.a, 12_500_000, -10_000, init="1")])
    with pytest.raises(Unprocessable) as caught:
        await upload(visits_db, w, [line(w, m, "R2", w.a, 12_500_000, -10_000, init="R1")])
    assert only_error(caught.value)[1] == "原费用明细流水号R1不存在"
    # Now 1 is left: a refund of 2 exceeds it.
    with pytest.raises(Unprocessable) as caught:
        await upload(visits_db, w, [line(w, m, "R2", w.a, 12_500_000, -20_000, init="1")])
    assert only_error(caught.value) == (["feedetail", 0, "cnt"], "退费数量超过原明细1的剩余数量1")


async def test_settled_visit_lines_are_frozen(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    await upload(visits_db, w, [line(w, m, "1", w.a, 1_000_000, 10_000)])
    settlement = await settle_fake(visits_db, w, m)
    with pytest.raises(Conflict) as caught:
        await upload(visits_db, w, [line(w, m, "2", w.a, 1_000_000, 10_000)])
    assert caught.value.detail == "该就诊已结算，费用明细不可变更"
    with pytest.raises(Conflict) as caught:
        await cancel(visits_db, w, m, "0000")
    assert caught.value.detail == "该就诊已结算，费用明细不可变更"
    await reverse_fake(visits_db, settlement)  # after 2305 the lines can change again
    await upload(visits_db, w, [line(w, m, "2", w.a, 1_000_000, 10_000)])
    assert await cancel(visits_db, w, m, "1") == ["1"]


async def test_cancel_lines(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    await upload(
        visits_db,
        w,
        [
            line(w, m, "1", w.a, 1_000_000, 20_000),  # 1.00 × 2
            line(w, m, "2", w.a, 2_000_000, 10_000),
            line(w, m, "3", w.a, 3_000_000, 10_000),
            line(w, m, "4", w.a, 4_000_000, 10_000),
            line(w, m, "R1", w.a, 1_000_000, -10_000, init="1"),
        ],
    )
    assert await cancel(visits_db, w, m, "2") == ["2"]
    # Cancelling an original takes its refunds with it.
    assert await cancel(visits_db, w, m, "1", "3") == ["1", "3", "R1"]
    with pytest.raises(NotFound) as caught:
        await cancel(visits_db, w, m, "4", "2")  # 2 is gone already
    assert only_error(caught.value) == (["data", 1, "feedetl_sn"], "费用明细流水号2不存在")
    assert [n.amount_fen for n in await net(visits_db, m)] == [400]  # 4 is still there
    assert await cancel(visits_db, w, m, "0000") == ["4"]
    assert await net(visits_db, m) == []
    with pytest.raises(NotFound) as caught:
        await cancel(visits_db, w, m, "0000")
    # The text N7 reads as "nothing to delete, go on".
    assert caught.value.detail == "根据传来的参数在费用明细表中未查询到任何有效相关的记录"


async def test_six_decimal_price_and_four_decimal_count(visits_db: SM, world: World) -> None:
    w = world
    m = await admit(visits_db, w)
    # 乙 0.05: 0.123456 × 3.5001 = 0.43210834… → 0.43; pre round(0.0215) = 0.02; in 0.41.
    results = await upload(visits_db, w, [line(w, m, "1", w.b, 123_456, 35_001)])
    assert results == [result("1", 43, 35_001, 123_456, ratio=500, grade="B", pre=2, inscp=41)]
    refund = await upload(visits_db, w, [line(w, m, "R", w.b, 123_456, -5_001, init="1")])
    # Left 3 × 0.123456 = 0.370368 → amount 0.43 − round(0.0617403…)=0.06 → 0.37;
    # pre round(0.0185) = 0.02, in 0.35: the refund moves pre 0, in −0.06.
    assert refund == [result("R", -6, -5_001, 123_456, ratio=500, grade="B", inscp=-6)]


async def test_shanghai_moment(world: World) -> None:
    assert dt.datetime(2018, 6, 2, 9, 30, tzinfo=SH).utcoffset() == dt.timedelta(hours=8)
