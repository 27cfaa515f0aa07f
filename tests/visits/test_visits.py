"""Admission, discharge and their cancellations (2401 2402 2404 2405), through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.errors import AppError, Conflict, NotFound, Unprocessable
from app.visits import service
from app.visits.models import Visit
from app.visits.service import DischargeIn

from .conftest import (
    ADMITTED,
    SH,
    World,
    admission,
    admit,
    line,
    reverse_fake,
    run,
    settle_fake,
)

SM = async_sessionmaker[AsyncSession]


def only_error(exc: AppError) -> tuple[list[str | int], str]:
    (item,) = exc.errors
    return list(item["loc"]), str(item["msg"])


async def visit_of(sm: SM, mdtrt_id: str) -> Visit:
    async with sm() as s:
        visit = await s.scalar(select(Visit).where(Visit.mdtrt_id == mdtrt_id))
        assert visit is not None
        return visit


def dscg(w: World, mdtrt_id: str, when: dt.datetime | None = None) -> DischargeIn:
    return DischargeIn(
        mdtrt_id=mdtrt_id,
        psn_no=w.psn_no,
        insutype="390",
        discharged_at=when or dt.datetime(2018, 6, 10, 10, 0, tzinfo=SH),
        record={"dscginfo": {"mdtrt_id": mdtrt_id}},
    )


async def test_admit_opens_a_visit(visits_db: SM, world: World) -> None:
    mdtrt_id = await admit(visits_db, world)
    assert len(mdtrt_id) == 16 and mdtrt_id.startswith("M") and mdtrt_id[1:].isdigit()
    visit = await visit_of(visits_db, mdtrt_id)
    assert (visit.status, visit.hospital_code, visit.person_id) == (
        "open",
        world.hospital,
        world.person_id,
    )
    assert visit.admission_date == dt.date(2018, 6, 1)
    assert visit.admitted_at == ADMITTED
    assert visit.discharged_at is None and visit.admission == {"mdtrtinfo": {"ipt_no": "x"}}


async def test_admission_date_is_shanghai_local(visits_db: SM, world: World) -> None:
    # 2017-12-31 16:30 UTC is 2018-01-01 00:30 in Shanghai: enrolled for 2018, so admitted.
    late = dt.datetime(2017, 12, 31, 16, 30, tzinfo=dt.UTC)
    mdtrt_id = await run(
        visits_db, lambda s: service.admit(s, world.hospital, admission(world, admitted_at=late))
    )
    assert (await visit_of(visits_db, mdtrt_id)).admission_date == dt.date(2018, 1, 1)


async def test_unknown_psn_no(visits_db: SM, world: World) -> None:
    with pytest.raises(NotFound) as caught:
        await run(
            visits_db,
            lambda s: service.admit(s, world.hospital, admission(world, psn_no="P999999999999")),
        )
    assert only_error(caught.value) == (["mdtrtinfo", "psn_no"], "人员编号P999999999999不存在")


async def test_not_enrolled_for_the_admission_year(visits_db: SM, world: World) -> None:
    with pytest.raises(Unprocessable) as caught:
        await run(
            visits_db,
            lambda s: service.admit(
                s, world.hospital, admission(world, psn_no=world.unenrolled_psn_no)
            ),
        )
    assert caught.value.code == "not_enrolled"
    assert only_error(caught.value) == (
        ["mdtrtinfo", "psn_no"],
        "该参保人2018年度未参加城乡居民基本医疗保险",
    )


@pytest.mark.parametrize(
    ("field", "value", "msg"),
    [
        ("insutype", "310", "险种类型310不支持，仅支持390城乡居民基本医疗保险"),
        ("med_type", "22", "医疗类别22不支持，仅支持21普通住院"),
    ],
)
async def test_wrong_insutype_or_med_type(
    visits_db: SM, world: World, field: str, value: str, msg: str
) -> None:
    with pytest.raises(Unprocessable) as caught:
        await run(
            visits_db,
            lambda s: service.admit(s, world.hospital, admission(world, **{field: value})),
        )
    assert only_error(caught.value) == (["mdtrtinfo", field], msg)


async def test_second_open_visit_for_one_ipt_no(visits_db: SM, world: World) -> None:
    first = await run(
        visits_db, lambda s: service.admit(s, world.hospital, admission(world, ipt_no="ZYDUP1"))
    )
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.admit(s, world.hospital, admission(world, ipt_no="ZYDUP1")),
        )
    assert only_error(caught.value) == (
        ["mdtrtinfo", "ipt_no"],
        f"住院号ZYDUP1已有未撤销的就诊{first}",
    )
    # Another hospital's ipt_no is its own.
    await run(
        visits_db,
        lambda s: service.admit(s, world.other_hospital, admission(world, ipt_no="ZYDUP1")),
    )
    # Once the first is cancelled, the ipt_no is free again.
    await run(visits_db, lambda s: service.cancel_admission(s, world.hospital, first, world.psn_no))
    again = await run(
        visits_db, lambda s: service.admit(s, world.hospital, admission(world, ipt_no="ZYDUP1"))
    )
    assert again != first


async def test_lock_visit_of_another_hospital_or_unknown(visits_db: SM, world: World) -> None:
    mdtrt_id = await admit(visits_db, world)
    for hospital, mid in ((world.other_hospital, mdtrt_id), (world.hospital, "M999999999999999")):
        with pytest.raises(NotFound) as caught:
            await run(visits_db, lambda s, h=hospital, m=mid: service.lock_visit(s, h, m))
        assert only_error(caught.value) == (["data", "mdtrt_id"], "就诊信息不存在")


async def test_discharge_and_its_cancellation(visits_db: SM, world: World) -> None:
    mdtrt_id = await admit(visits_db, world)
    await run(visits_db, lambda s: service.discharge(s, world.hospital, dscg(world, mdtrt_id)))
    visit = await visit_of(visits_db, mdtrt_id)
    assert visit.discharge_date == dt.date(2018, 6, 10)
    assert visit.discharge == {"dscginfo": {"mdtrt_id": mdtrt_id}}
    # A second discharge must wait for 2405.
    with pytest.raises(Conflict) as caught:
        await run(visits_db, lambda s: service.discharge(s, world.hospital, dscg(world, mdtrt_id)))
    assert only_error(caught.value)[1] == "该就诊已办理出院，请先撤销出院"
    await run(
        visits_db,
        lambda s: service.cancel_discharge(s, world.hospital, mdtrt_id, world.psn_no),
    )
    visit = await visit_of(visits_db, mdtrt_id)
    assert (visit.discharged_at, visit.discharge_date, visit.discharge) == (None, None, None)
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.cancel_discharge(s, world.hospital, mdtrt_id, world.psn_no),
        )
    assert only_error(caught.value) == (["data", "mdtrt_id"], "该就诊未办理出院")


async def test_discharge_refusals(visits_db: SM, world: World) -> None:
    mdtrt_id = await admit(visits_db, world)
    before = dscg(world, mdtrt_id, dt.datetime(2018, 5, 31, 23, 0, tzinfo=SH))
    with pytest.raises(Unprocessable) as caught:
        await run(visits_db, lambda s: service.discharge(s, world.hospital, before))
    assert only_error(caught.value) == (["dscginfo", "endtime"], "出院时间不能早于入院时间")
    wrong = DischargeIn(mdtrt_id, world.unenrolled_psn_no, "390", ADMITTED, {})
    with pytest.raises(Unprocessable) as caught:
        await run(visits_db, lambda s: service.discharge(s, world.hospital, wrong))
    assert only_error(caught.value)[0] == ["dscginfo", "psn_no"]
    with pytest.raises(NotFound):
        await run(
            visits_db,
            lambda s: service.discharge(s, world.other_hospital, dscg(world, mdtrt_id)),
        )


async def test_cancel_admission_refused_while_lines_stand(visits_db: SM, world: World) -> None:
    mdtrt_id = await admit(visits_db, world)
    await run(
        visits_db,
        lambda s: service.upload_lines(
            s, world.hospital, [line(world, mdtrt_id, "1", world.a, 1_000_000, 10_000)]
        ),
    )
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.cancel_admission(s, world.hospital, mdtrt_id, world.psn_no),
        )
    assert caught.value.detail == "该就诊存在费用明细，请先撤销费用明细"
    await run(
        visits_db,
        lambda s: service.cancel_lines(
            s, world.hospital, mdtrt_id, world.psn_no, [service.LineRef("0000")]
        ),
    )
    await run(
        visits_db, lambda s: service.cancel_admission(s, world.hospital, mdtrt_id, world.psn_no)
    )
    visit = await visit_of(visits_db, mdtrt_id)
    assert visit.status == "cancelled" and visit.cancelled_at is not None
    # A cancelled visit takes nothing more.
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.cancel_admission(s, world.hospital, mdtrt_id, world.psn_no),
        )
    assert only_error(caught.value) == (["data", "mdtrt_id"], "该就诊已撤销")


async def test_settled_visit_refuses_both_cancellations_until_reversed(
    visits_db: SM, world: World
) -> None:
    mdtrt_id = await admit(visits_db, world)
    await run(visits_db, lambda s: service.discharge(s, world.hospital, dscg(world, mdtrt_id)))
    settlement = await settle_fake(visits_db, world, mdtrt_id)
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.cancel_discharge(s, world.hospital, mdtrt_id, world.psn_no),
        )
    assert caught.value.detail == "该就诊已结算，请先撤销结算"
    with pytest.raises(Conflict) as caught:
        await run(
            visits_db,
            lambda s: service.cancel_admission(s, world.hospital, mdtrt_id, world.psn_no),
        )
    assert caught.value.detail == "该就诊已结算，不能撤销入院"
    await reverse_fake(visits_db, settlement)
    await run(
        visits_db,
        lambda s: service.cancel_discharge(s, world.hospital, mdtrt_id, world.psn_no),
    )
    await run(
        visits_db, lambda s: service.cancel_admission(s, world.hospital, mdtrt_id, world.psn_no)
    )
