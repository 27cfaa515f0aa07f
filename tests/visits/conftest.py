"""Visit-domain tests: the service against real PostgreSQL, on a database of this folder.

A migrated database of its own (made once per session): these tests insert a policy version
and fake settlements, which tests elsewhere must never see. Each test then isolates itself by
its data: its own hospital, person and catalogue codes (``support.unique``).

Every service call runs in a transaction of its own that commits on success and rolls back on
an error (:func:`run`), as the adapter's dispatcher does with a message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from conftest import create_database, drop_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from support import id_number, unique

from app.config import Settings
from app.db.migrate import upgrade_to_head
from app.db.session import make_engine, make_sessionmaker
from app.visits import service
from app.visits.service import AdmissionIn, FeeLineIn

T = TypeVar("T")
SH = ZoneInfo("Asia/Shanghai")
ADMITTED = dt.datetime(2018, 6, 1, 8, 0, tzinfo=SH)
ON = dt.datetime(2018, 6, 2, 9, 30, tzinfo=SH)
POLICY_ID = "visits-test-policy"


@pytest.fixture(scope="session")
async def visits_db(pg_server_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = await create_database(pg_server_url)
    await upgrade_to_head(url)
    engine = make_engine(url, Settings())
    sm = make_sessionmaker(engine)
    async with sm.begin() as s:
        await s.execute(
            text(
                "INSERT INTO policy_versions (id, region_code, effective_from, content_hash,"
                " document) VALUES (:id, '999999', '1900-01-01', :h, '{}')"
            ),
            {"id": POLICY_ID, "h": "0" * 64},
        )
    yield sm
    await engine.dispose()
    await drop_database(pg_server_url, url)


async def run(
    sm: async_sessionmaker[AsyncSession], fn: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    async with sm.begin() as session:
        return await fn(session)


@dataclass(frozen=True)
class World:
    hospital: str
    other_hospital: str
    psn_no: str
    person_id: int
    unenrolled_psn_no: str
    a: str  # 甲类, no cap
    b: str  # 乙类, self-pay ratio 0.05
    c: str  # 丙类
    cap: str  # 甲类, price cap 100.00
    late: str  # 甲类, valid only from 2018-07-01


async def _hospital(s: AsyncSession) -> str:
    code = unique("HV")
    await s.execute(
        text(
            "INSERT INTO hospitals (code, name, level, county_code, designated)"
            " VALUES (:c, '测试医院', 'secondary', '510402', true)"
        ),
        {"c": code},
    )
    return code


async def _person(s: AsyncSession, years: list[int]) -> tuple[int, str]:
    row = (
        await s.execute(
            text(
                "INSERT INTO persons (id_number, name, county_code) VALUES (:i, '张三', '510402')"
                " RETURNING id, psn_no"
            ),
            {"i": id_number()},
        )
    ).one()
    for year in years:
        await s.execute(
            text("INSERT INTO person_enrolments (person_id, year) VALUES (:p, :y)"),
            {"p": row.id, "y": year},
        )
    return int(row.id), str(row.psn_no)


async def _item(
    s: AsyncSession,
    grade: str,
    ratio_bp: int = 0,
    cap_e4: int | None = None,
    valid_from: dt.date = dt.date(2018, 1, 1),
) -> str:
    code = unique("XT")
    await s.execute(
        text(
            "INSERT INTO catalog_items (code, name, grade, self_pay_ratio_bp, price_cap_e4,"
            " valid_from, valid_to) VALUES (:c, :n, :g, :r, :cap, :vf, NULL)"
        ),
        {"c": code, "n": f"项目{code}", "g": grade, "r": ratio_bp, "cap": cap_e4, "vf": valid_from},
    )
    return code


@pytest.fixture
async def world(visits_db: async_sessionmaker[AsyncSession]) -> World:
    return await make_world(visits_db)


async def make_world(sm: async_sessionmaker[AsyncSession]) -> World:
    async with sm.begin() as s:
        hospital = await _hospital(s)
        other = await _hospital(s)
        person_id, psn_no = await _person(s, [2018])
        _, unenrolled = await _person(s, [2017])
        return World(
            hospital=hospital,
            other_hospital=other,
            psn_no=psn_no,
            person_id=person_id,
            unenrolled_psn_no=unenrolled,
            a=await _item(s, "A"),
            b=await _item(s, "B", ratio_bp=500),
            c=await _item(s, "C"),
            cap=await _item(s, "A", cap_e4=100_0000),
            late=await _item(s, "A", valid_from=dt.date(2018, 7, 1)),
        )


def admission(
    w: World, *, psn_no: str | None = None, ipt_no: str | None = None, **kw: Any
) -> AdmissionIn:
    values: dict[str, Any] = {
        "psn_no": psn_no or w.psn_no,
        "insutype": "390",
        "med_type": "21",
        "ipt_no": ipt_no or unique("ZY"),
        "admitted_at": ADMITTED,
        "record": {"mdtrtinfo": {"ipt_no": "x"}},
    }
    values.update(kw)
    return AdmissionIn(**values)


async def admit(sm: async_sessionmaker[AsyncSession], w: World) -> str:
    return await run(sm, lambda s: service.admit(s, w.hospital, admission(w)))


def line(
    w: World,
    mdtrt_id: str,
    sn: str,
    code: str,
    price_e6: int,
    qty_e4: int,
    *,
    amount_fen: int | None = None,
    init: str | None = None,
    borne: bool = False,
    when: dt.datetime = ON,
    psn_no: str | None = None,
) -> FeeLineIn:
    if amount_fen is None:
        amount_fen = service.expected_amount_fen(price_e6, qty_e4)
    return FeeLineIn(
        feedetl_sn=sn,
        init_feedetl_sn=init,
        mdtrt_id=mdtrt_id,
        psn_no=psn_no or w.psn_no,
        occurred_at=when,
        code=code,
        unit_price_e6=price_e6,
        quantity_e4=qty_e4,
        amount_fen=amount_fen,
        hospital_borne=borne,
        raw={"feedetl_sn": sn},
    )


async def settle_fake(sm: async_sessionmaker[AsyncSession], w: World, mdtrt_id: str) -> uuid.UUID:
    """A settlement row naming the visit (the settle core is another engineer's; only its
    standing matters here): all amounts 0, so every table constraint holds."""
    sid = uuid.uuid4()
    async with sm.begin() as s:
        await s.execute(
            text(
                "INSERT INTO settlements (id, hospital_code, bill_no, generation, person_id,"
                " request_hash, policy_version, policy_hash, admission_date, discharge_date,"
                " accumulator_year, referral, in_county, hospital_level, hospital_county_code,"
                " person_county_code, categories, total_fen, hospital_borne_fen,"
                " full_self_pay_fen, over_limit_fen, pre_self_pay_fen, in_policy_fen,"
                " fund_paid_fen, self_pay_fen, in_policy_self_pay_fen,"
                " in_policy_self_pay_ratio_bp, accumulator_deltas, mdtrt_id)"
                " VALUES (:id, :h, :b, (SELECT count(*) + 1 FROM settlements WHERE bill_no = :b2),"
                " :p, :rh, :pv, :ph, '2018-06-01', '2018-06-10', 2018, false, true, 'secondary',"
                " '510402', '510402', '{}', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}', :m)"
            ),
            {
                "id": sid,
                "h": w.hospital,
                "m": mdtrt_id,
                "b": mdtrt_id,
                "b2": mdtrt_id,
                "p": w.person_id,
                "rh": "0" * 64,
                "pv": POLICY_ID,
                "ph": "0" * 64,
            },
        )
    return sid


async def reverse_fake(sm: async_sessionmaker[AsyncSession], settlement_id: uuid.UUID) -> None:
    async with sm.begin() as s:
        await s.execute(
            text("INSERT INTO reversals (id, settlement_id) VALUES (:id, :s)"),
            {"id": uuid.uuid4(), "s": settlement_id},
        )
