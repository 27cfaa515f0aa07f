"""3201 对总账, 3202 对明细账, 9101 文件上传 and 9102 文件下载 as service calls
(``app.nhsa.reconcile``), on real PostgreSQL, over settlements made through the /v1 API.

Each test registers its own hospital (so its figures are its own), settles four bills through
``/v1`` and reverses one, then puts each record on a chosen instant of the Asia/Shanghai day
``DAY`` (test setup only, as tests/api/test_reconciliation.py does). The figures, worked out by
hand from docs/rules.md (demo policy 2018, secondary hospital in county 510402, persons with no
category):

- s1, the example bill of docs/rules.md §7 example 2: total 20000.00, fund 13575.00
  ((18500 − 400) × 0.75), self-pay 6425.00 (1000 + 500 + 4925); at DAY 00:00:00 (the first
  instant of the day, 16:00 UTC the day before);
- s2, one A-grade line of 1280.00: fund (1280 − 400) × 0.75 = 660.00, self-pay 620.00; settled
  DAY 11:00, reversed DAY 15:00 (the reversal record: −1280.00, −660.00, −620.00);
- s3, the same line for a person of county 510403 (out of county, no referral, ratio 0.75 −
  0.10): fund (1280 − 400) × 0.65 = 572.00, self-pay 708.00; DAY 12:00;
- s4, the same line as s2 for another person of 510402: 1280.00, 660.00, 620.00, at the first
  instant of the next day (DAY + 1 00:00:00), so outside ``DAY..DAY``.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import uuid
import zipfile
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api.conftest import (  # noqa: F401 - demo: a fixture, used by name
    ADMIN,
    demo,
    headers,
    item,
    make_bill,
    new_person,
    reverse,
    settle,
)
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.errors import Unprocessable
from app.nhsa import reconcile
from app.nhsa.errors import NhsaFailure

pytestmark = pytest.mark.usefixtures("demo")

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(1997, 3, 10)
NOW = dt.datetime(2026, 12, 2, 10, 0, 0, tzinfo=SHANGHAI)
SMALL = [item(1, "XA06", "1280.00", "1", "1280.00")]


@dataclass(frozen=True, slots=True)
class Scenario:
    hospital: str
    s1: str  # setl_id of each record
    s2: str
    s2_reversal: str
    s3: str
    s4: str
    p1: str  # psn_no of each settlement's person
    p2: str
    p3: str


async def _new_hospital(client: AsyncClient) -> tuple[str, str]:
    code = f"NQ{uuid.uuid4().hex[:12].upper()}"
    response = await client.put(
        f"/v1/hospitals/{code}",
        headers=headers(ADMIN),
        json={
            "name": "对账测试医院",
            "level": "secondary",
            "county_code": "510402",
            "designated": True,
        },
    )
    assert response.status_code == 201, response.text
    response = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital", "hospital_code": code}
    )
    assert response.status_code == 201, response.text
    return code, response.json()["key"]


def _at(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
async def scenario(client: AsyncClient, engine: AsyncEngine) -> Scenario:
    hospital, key = await _new_hospital(client)
    people = [
        await new_person(client),
        await new_person(client),
        await new_person(client, county="510403"),
        await new_person(client),
    ]
    bills = [
        make_bill(f"RC{uuid.uuid4().hex[:10]}", people[0], hospital=hospital),
        make_bill(f"RC{uuid.uuid4().hex[:10]}", people[1], hospital=hospital, items=SMALL),
        make_bill(f"RC{uuid.uuid4().hex[:10]}", people[2], hospital=hospital, items=SMALL),
        make_bill(f"RC{uuid.uuid4().hex[:10]}", people[3], hospital=hospital, items=SMALL),
    ]
    settled = []
    for body in bills:
        response = await settle(client, body, key=key)
        assert response.status_code == 201, response.text
        settled.append(response.json())
    # The hand-worked figures of the docstring are what /v1 settled.
    assert [(s["totals"]["total"], s["fund_paid"], s["self_pay"]) for s in settled] == [
        ("20000.00", "13575.00", "6425.00"),
        ("1280.00", "660.00", "620.00"),
        ("1280.00", "572.00", "708.00"),
        ("1280.00", "660.00", "620.00"),
    ]
    response = await reverse(client, settled[1], key=key)
    assert response.status_code == 200, response.text
    places = [_at(DAY), _at(DAY, 11), _at(DAY, 12), _at(DAY + dt.timedelta(days=1))]
    async with engine.begin() as conn:
        for s, at in zip(settled, places, strict=True):
            await conn.execute(
                text("UPDATE settlements SET settled_at = :at WHERE id = :id"),
                {"at": at, "id": uuid.UUID(s["settlement_id"])},
            )
        await conn.execute(
            text("UPDATE reversals SET reversed_at = :at WHERE settlement_id = :id"),
            {"at": _at(DAY, 15), "id": uuid.UUID(settled[1]["settlement_id"])},
        )
        setl_ids = [
            (
                await conn.execute(
                    text("SELECT setl_id FROM settlements WHERE id = :id"),
                    {"id": uuid.UUID(s["settlement_id"])},
                )
            ).scalar_one()
            for s in settled
        ]
        reversal = (
            await conn.execute(
                text("SELECT setl_id FROM reversals WHERE settlement_id = :id"),
                {"id": uuid.UUID(settled[1]["settlement_id"])},
            )
        ).scalar_one()
        psn_nos = [
            (
                await conn.execute(
                    text("SELECT psn_no FROM persons WHERE id_number = :n"), {"n": person}
                )
            ).scalar_one()
            for person in people[:3]
        ]
    return Scenario(
        hospital=hospital,
        s1=setl_ids[0],
        s2=setl_ids[1],
        s2_reversal=reversal,
        s3=setl_ids[2],
        s4=setl_ids[3],
        p1=psn_nos[0],
        p2=psn_nos[1],
        p3=psn_nos[2],
    )


@pytest.fixture
async def session(app: FastAPI) -> Any:
    async with app.state.sessionmaker() as s:
        yield s


def totals_query(**changes: Any) -> reconcile.TotalsQuery:
    """DAY..DAY, every agency, refunds in: 4 records (s1, s2, s2's reversal, s3),
    20000.00 + 1280.00 − 1280.00 + 1280.00 = 21280.00, fund 13575.00 + 660.00 − 660.00 + 572.00
    = 14147.00, account 0.00: the hospital's figures agree."""
    query = reconcile.TotalsQuery(
        insutype="390",
        clr_type="21",
        setl_optins=None,
        begin=DAY,
        end=DAY,
        medfee_sumamt=21280_00,
        fund_pay_sumamt=14147_00,
        acct_pay=0,
        fixmedins_setl_cnt=4,
        include_refunds=True,
    )
    return replace(query, **changes)


# -- 3201 -----------------------------------------------------------------------------------------


async def test_3201_match(scenario: Scenario, session: AsyncSession) -> None:
    info = await reconcile.reconcile_totals(session, scenario.hospital, totals_query())
    assert info == reconcile.StmtInfo(setl_optins=None, stmt_rslt="0", stmt_rslt_dscr="对平")


@pytest.mark.parametrize(
    ("changes", "dscr"),
    [
        ({"medfee_sumamt": 21280_01}, "医疗费总额不符：医药机构21280.01，中心21280.00"),
        ({"fund_pay_sumamt": 14146_99}, "基金支付总额不符：医药机构14146.99，中心14147.00"),
        ({"acct_pay": 1_00}, "个人账户支付金额不符：医药机构1.00，中心0.00"),
        ({"fixmedins_setl_cnt": 3}, "结算笔数不符：医药机构3，中心4"),
        (
            {
                "medfee_sumamt": 0,
                "fund_pay_sumamt": -5_00,
                "acct_pay": 2_50,
                "fixmedins_setl_cnt": 0,
            },
            "医疗费总额不符：医药机构0.00，中心21280.00；基金支付总额不符：医药机构-5.00，中心14147.00；"
            "个人账户支付金额不符：医药机构2.50，中心0.00；结算笔数不符：医药机构0，中心4",
        ),
    ],
)
async def test_3201_mismatch_names_each_figure(
    scenario: Scenario, session: AsyncSession, changes: dict[str, int], dscr: str
) -> None:
    info = await reconcile.reconcile_totals(session, scenario.hospital, totals_query(**changes))
    assert (info.stmt_rslt, info.stmt_rslt_dscr) == ("1", dscr)


async def test_3201_refund_flag(scenario: Scenario, session: AsyncSession) -> None:
    # Flag "0": the reversal record is left out, its settlement s2 stays: 3 records,
    # 20000.00 + 1280.00 + 1280.00 = 22560.00, fund 13575.00 + 660.00 + 572.00 = 14807.00.
    without = totals_query(
        include_refunds=False,
        medfee_sumamt=22560_00,
        fund_pay_sumamt=14807_00,
        fixmedins_setl_cnt=3,
    )
    assert (await reconcile.reconcile_totals(session, scenario.hospital, without)).stmt_rslt == "0"
    # The same figures with the flag "1" (refunds in) differ by the reversal record.
    info = await reconcile.reconcile_totals(
        session, scenario.hospital, replace(without, include_refunds=True)
    )
    assert info.stmt_rslt_dscr == (
        "医疗费总额不符：医药机构22560.00，中心21280.00；基金支付总额不符：医药机构14807.00，中心14147.00；"
        "结算笔数不符：医药机构3，中心4"
    )


async def test_3201_setl_optins_narrows_to_the_agency(
    scenario: Scenario, session: AsyncSession
) -> None:
    # 510402: s1, s2 and its reversal: 3 records, 20000.00 + 1280.00 − 1280.00, 13575.00.
    query = totals_query(
        setl_optins="510402", medfee_sumamt=20000_00, fund_pay_sumamt=13575_00, fixmedins_setl_cnt=3
    )
    info = await reconcile.reconcile_totals(session, scenario.hospital, query)
    assert info == reconcile.StmtInfo("510402", "0", "对平")
    # 510403: s3 alone.
    query = totals_query(
        setl_optins="510403", medfee_sumamt=1280_00, fund_pay_sumamt=572_00, fixmedins_setl_cnt=1
    )
    assert (await reconcile.reconcile_totals(session, scenario.hospital, query)).stmt_rslt == "0"


async def test_3201_days_are_asia_shanghai_both_ends_inclusive(
    scenario: Scenario, session: AsyncSession
) -> None:
    # s4 sits at DAY + 1 00:00:00 +08:00: outside DAY..DAY (checked by test_3201_match), inside
    # DAY..DAY + 1: 5 records, 21280.00 + 1280.00 = 22560.00, 14147.00 + 660.00 = 14807.00.
    nxt = DAY + dt.timedelta(days=1)
    query = totals_query(
        end=nxt, medfee_sumamt=22560_00, fund_pay_sumamt=14807_00, fixmedins_setl_cnt=5
    )
    assert (await reconcile.reconcile_totals(session, scenario.hospital, query)).stmt_rslt == "0"
    # The next day alone: s4 only. The day before: s1 sits at DAY 00:00 +08:00, which is
    # 16:00 UTC of the day before, and still does not count there.
    query = totals_query(
        begin=nxt, end=nxt, medfee_sumamt=1280_00, fund_pay_sumamt=660_00, fixmedins_setl_cnt=1
    )
    assert (await reconcile.reconcile_totals(session, scenario.hospital, query)).stmt_rslt == "0"
    before = DAY - dt.timedelta(days=1)
    query = totals_query(
        begin=before, end=before, medfee_sumamt=0, fund_pay_sumamt=0, fixmedins_setl_cnt=0
    )
    assert (await reconcile.reconcile_totals(session, scenario.hospital, query)).stmt_rslt == "0"


@pytest.mark.parametrize(
    ("changes", "loc", "msg"),
    [
        (
            {"insutype": "310"},
            ["data", "insutype"],
            "险种类型310不支持，只支持390（城乡居民基本医疗保险）",
        ),
        ({"clr_type": "11"}, ["data", "clr_type"], "清算类别11不支持，只支持21（住院）"),
        (
            {"end": DAY - dt.timedelta(days=1)},
            ["data", "stmt_enddate"],
            "对账结束日期1997-03-09早于开始日期1997-03-10",
        ),
    ],
)
async def test_3201_refuses_other_insurance_clearing_types_and_reversed_days(
    scenario: Scenario, session: AsyncSession, changes: dict[str, Any], loc: list[str], msg: str
) -> None:
    with pytest.raises(Unprocessable) as raised:
        await reconcile.reconcile_totals(session, scenario.hospital, totals_query(**changes))
    assert raised.value.errors == [{"loc": loc, "msg": msg}]


# -- 9101 -----------------------------------------------------------------------------------------

ZIP = b"PK\x03\x04 not really a zip, any bytes \xff\x80\x00\x7f"


async def test_9101_base64_and_signed_bytes_store_the_same_file(
    scenario: Scenario, session: AsyncSession
) -> None:
    as_base64 = base64.b64encode(ZIP).decode()
    signed = [b - 256 if b > 127 else b for b in ZIP]
    assert signed[-4:] == [-1, -128, 0, 127]
    for value in (as_base64, signed):
        content = reconcile.decode_upload(value, ["fsUploadIn", "in"])
        assert content == ZIP
        info = await reconcile.upload(session, scenario.hospital, "mx.zip", content, NOW)
        assert info.filename == "mx.zip"
        assert len(info.file_qury_no) == 16 and info.file_qury_no.startswith("F")
        assert info.dld_endtime == "2026-12-03 10:00:00"  # NOW + 24 h, Asia/Shanghai
        stored = await session.scalar(
            text("SELECT bytes FROM nhsa_files WHERE file_qury_no = :n"), {"n": info.file_qury_no}
        )
        assert stored == ZIP
    # MIME base64 (line breaks every 76 characters) is the same file.
    mime = base64.encodebytes(ZIP * 10).decode()
    assert "\n" in mime
    assert reconcile.decode_upload(mime, ["fsUploadIn", "in"]) == ZIP * 10


@pytest.mark.parametrize(
    ("value", "loc", "msg"),
    [
        ("not base64!", ["fsUploadIn", "in"], "文件数据不是有效的base64字符串"),
        ([1, 2, 128], ["fsUploadIn", "in", "2"], "第3个字节128不是-128至127的整数"),
        ([1, True], ["fsUploadIn", "in", "1"], "第2个字节True不是-128至127的整数"),
        ([], ["fsUploadIn", "in"], "文件为空"),
        ({"a": 1}, ["fsUploadIn", "in"], "文件数据应为base64字符串或字节数组"),
        (
            base64.b64encode(bytes(2 * 1024 * 1024 + 1)).decode(),
            ["fsUploadIn", "in"],
            "文件超过2097152字节",
        ),
    ],
)
def test_9101_refuses_bad_data(value: Any, loc: list[str], msg: str) -> None:
    with pytest.raises(Unprocessable) as raised:
        reconcile.decode_upload(value, ["fsUploadIn", "in"])
    assert raised.value.errors == [{"loc": loc, "msg": msg}]


# -- 3202 and 9102 --------------------------------------------------------------------------------


def zipped(name: str, body: bytes, *more: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, body)
        for other, data in more:
            archive.writestr(other, data)
    return out.getvalue()


def detail_query(file_qury_no: str, **changes: Any) -> reconcile.DetailQuery:
    query = reconcile.DetailQuery(
        setl_optins=None,
        file_qury_no=file_qury_no,
        begin=DAY,
        end=DAY,
        medfee_sumamt=21280_00,
        fund_pay_sumamt=14147_00,
        cash_payamt=7133_00,
        fixmedins_setl_cnt=4,
        clr_type="21",
        include_refunds=True,
    )
    return replace(query, **changes)


def unzip_result(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["result.txt"]
        return archive.read("result.txt").decode("utf-8")


async def test_3202_every_result_kind_and_9102_download(
    scenario: Scenario, session: AsyncSession
) -> None:
    sc = scenario
    # A header row, CRLF line ends, a trailing TAB on one row (N6): all accepted. s1 agrees;
    # s2's total is 0.01 too much; S999999999999999 is not ours; s2's reversal record agrees;
    # s3 is not listed.
    rows = [
        "setl_id\tmdtrt_id\tpsn_no\tmedfee_sumamt\tfund_pay_sumamt\tacct_pay\trefd_setl_flag",
        f"{sc.s1}\tnull\t{sc.p1}\t20000.00\t13575.00\t0.00\t0",
        f"{sc.s2}\t\t{sc.p2}\t1280.01\t660.00\t0\t0\t",
        "S999999999999999\tM0001\tP000000000999\t100.00\t50.00\t0.00\t0",
        f"{sc.s2_reversal}\tnull\t{sc.p2}\t-1280.00\t-660.00\t0.00\t1",
    ]
    upload = zipped("20250310.txt", ("\r\n".join(rows) + "\r\n").encode())
    up = await reconcile.upload(session, sc.hospital, "mx.zip", upload, NOW)
    info = await reconcile.reconcile_details(
        session, sc.hospital, detail_query(up.file_qury_no), NOW
    )
    assert info.filename == "result.zip"
    assert info.file_qury_no != up.file_qury_no
    assert info.dld_endtime == "2026-12-03 10:00:00"
    expected = (
        f"{sc.p1}\tnull\t{sc.s1}\tnull\t0\t0\tnull\t20000.00\t13575.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2}\tnull\t3\t0\t医疗费总额不符：医药机构1280.01，中心1280.00"
        "\t1280.00\t660.00\t0.00\n"
        "P000000000999\tM0001\tS999999999999999\tnull\t2\t0\t中心无此结算记录\t100.00\t50.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2_reversal}\tnull\t0\t1\tnull\t-1280.00\t-660.00\t0.00\n"
        f"{sc.p3}\tnull\t{sc.s3}\tnull\t1\t0\t医药机构无此结算记录\t1280.00\t572.00\t0.00\n"
    )
    content = await reconcile.download(session, sc.hospital, info.file_qury_no, NOW)
    assert unzip_result(content) == expected
    # An upload is not a result: 9102 hands out only 3202's files.
    with pytest.raises(Unprocessable):
        await reconcile.download(session, sc.hospital, up.file_qury_no, NOW)


async def test_3202_differences_of_every_field_and_the_refund_flag(
    scenario: Scenario, session: AsyncSession
) -> None:
    sc = scenario
    # s1 listed as a reversal record, with another visit, person and every amount; flag "0"
    # (refunds need not be listed): s2's reversal record, not listed, is left out.
    rows = [
        f"{sc.s1}\tM9\tP9\t1.00\t2.00\t3.00\t1",
        f"{sc.s2}\tnull\t{sc.p2}\t1280.00\t660.00\t0.00\t0",
        f"{sc.s3}\tnull\t{sc.p3}\t1280.00\t572.00\t0.00\t0",
    ]
    up = await reconcile.upload(
        session, sc.hospital, "mx.zip", zipped("a.txt", "\n".join(rows).encode()), NOW
    )
    info = await reconcile.reconcile_details(
        session, sc.hospital, detail_query(up.file_qury_no, include_refunds=False), NOW
    )
    memo = (
        "就诊ID不符：医药机构M9，中心null；人员编号不符：医药机构P9，中心" + sc.p1 + "；"
        "退费结算标志不符：医药机构1，中心0；医疗费总额不符：医药机构1.00，中心20000.00；"
        "基金支付总额不符：医药机构2.00，中心13575.00；个人账户支付金额不符：医药机构3.00，中心0.00"
    )
    expected = (
        f"{sc.p1}\tnull\t{sc.s1}\tnull\t3\t0\t{memo}\t20000.00\t13575.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2}\tnull\t0\t0\tnull\t1280.00\t660.00\t0.00\n"
        f"{sc.p3}\tnull\t{sc.s3}\tnull\t0\t0\tnull\t1280.00\t572.00\t0.00\n"
    )
    content = await reconcile.download(session, sc.hospital, info.file_qury_no, NOW)
    assert unzip_result(content) == expected


MALFORMED = [
    (b"not a zip at all", "FSI-对账明细文件：不是有效的zip文件"),
    (zipped("a.csv", b"x"), "FSI-对账明细文件：zip中应只有一个txt文件，实有：a.csv"),
    (
        zipped("a.txt", b"x", ("b.txt", b"y")),
        "FSI-对账明细文件：zip中应只有一个txt文件，实有：a.txt、b.txt",
    ),
    (zipped("a.txt", b"S1\tnull\tP1\t1.00\t1.00\t0.00"), "FSI-对账明细文件：第1行应有7列，实有6列"),
    (
        zipped(
            "a.txt", b"S1\tnull\tP1\t1.00\t1.00\t0.00\t0\nS2\tnull\tP1\t12.345\t1.00\t0.00\t0\n"
        ),
        "FSI-对账明细文件第2行第4列medfee_sumamt：金额格式不正确：12.345",
    ),
    (
        zipped("a.txt", b"S1\tnull\tP1\t1.00\t1e2\t0.00\t0"),
        "FSI-对账明细文件第1行第5列fund_pay_sumamt：金额格式不正确：1e2",
    ),
    (
        zipped("a.txt", b"S1\tnull\tP1\t1.00\t1.00\t0.00\t2"),
        "FSI-对账明细文件第1行第7列refd_setl_flag：应为0或1：2",
    ),
    (
        zipped("a.txt", b"null\tnull\tP1\t1.00\t1.00\t0.00\t0"),
        "FSI-对账明细文件第1行第1列setl_id：不能为空",
    ),
    (
        zipped("a.txt", b"S1\tnull\tP1\t1.00\t1.00\t0.00\t0\n\nS1\tnull\tP1\t1.00\t1.00\t0.00\t0"),
        "FSI-对账明细文件第3行第1列setl_id：结算IDS1与第1行重复",
    ),
    (zipped("a.txt", "S1\t\xff".encode("latin-1")), "FSI-对账明细文件：第1行不是UTF-8编码"),
]


@pytest.mark.parametrize(("upload", "err_msg"), MALFORMED)
async def test_3202_malformed_file(
    scenario: Scenario, session: AsyncSession, upload: bytes, err_msg: str
) -> None:
    up = await reconcile.upload(session, scenario.hospital, "mx.zip", upload, NOW)
    with pytest.raises(NhsaFailure) as raised:
        await reconcile.reconcile_details(
            session, scenario.hospital, detail_query(up.file_qury_no), NOW
        )
    assert raised.value.err_msg == err_msg
    count = await session.scalar(
        text("SELECT count(*) FROM nhsa_files WHERE hospital_code = :h AND kind = 'result'"),
        {"h": scenario.hospital},
    )
    assert count == 0  # no result stored


async def test_files_expire_and_belong_to_their_hospital(
    scenario: Scenario, session: AsyncSession, client: AsyncClient
) -> None:
    sc = scenario
    body = f"{sc.s1}\tnull\t{sc.p1}\t20000.00\t13575.00\t0.00\t0\n".encode()
    up = await reconcile.upload(session, sc.hospital, "mx.zip", zipped("a.txt", body), NOW)
    later = NOW + dt.timedelta(hours=24)  # dld_endtime itself: expired
    unknown = {"loc": ["data", "file_qury_no"], "msg": f"文件查询号{up.file_qury_no}不存在或已过期"}
    with pytest.raises(Unprocessable) as raised:
        await reconcile.reconcile_details(
            session, sc.hospital, detail_query(up.file_qury_no), later
        )
    assert raised.value.errors == [unknown]
    other, _ = await _new_hospital(client)
    with pytest.raises(Unprocessable) as raised:
        await reconcile.reconcile_details(session, other, detail_query(up.file_qury_no), NOW)
    assert raised.value.errors == [unknown]
    # A second before the end it still answers, and its result expires the same way.
    almost = later - dt.timedelta(seconds=1)
    info = await reconcile.reconcile_details(
        session, sc.hospital, detail_query(up.file_qury_no), almost
    )
    assert info.dld_endtime == "2026-12-04 09:59:59"
    await reconcile.download(session, sc.hospital, info.file_qury_no, almost)
    with pytest.raises(Unprocessable) as raised:
        await reconcile.download(session, other, info.file_qury_no, almost)
    assert raised.value.errors == [
        {
            "loc": ["fsDownloadIn", "file_qury_no"],
            "msg": f"文件查询号{info.file_qury_no}不存在或已过期",
        }
    ]
    with pytest.raises(Unprocessable):
        await reconcile.download(
            session, sc.hospital, info.file_qury_no, almost + dt.timedelta(hours=24)
        )


# -- the handlers (app/nhsa/tx_reconcile.py), called directly until the dispatcher merges ---------


def _call(session: AsyncSession, hospital: str, infno: str) -> Any:
    from app.auth.service import Caller
    from app.nhsa.dispatch import Call

    caller = Caller(key_id=uuid.uuid4(), role="hospital", hospital_code=hospital)
    return Call(session, caller, hospital, f"M{infno}", infno, {}, None, NOW)  # type: ignore[arg-type]


async def test_handlers_parse_the_wire(scenario: Scenario, session: AsyncSession) -> None:
    from decimal import Decimal

    from app.nhsa.dispatch import HANDLERS

    sc = scenario
    raw = {
        "data": {
            "insutype": "390",
            "clr_type": "21",
            "setl_optins": "",
            "stmt_begndate": "1997-03-10 00:00:00",  # Guangdong sends datetimes
            "stmt_enddate": "1997-03-10 23:59:59",
            "medfee_sumamt": Decimal("22560.00"),
            "fund_pay_sumamt": "14807.00",
            "acct_pay": 0,
            "fixmedins_setl_cnt": 3,
            "REFD_SETL_FLAG": "0",  # upper case (N5, N7): reversal records left out
        }
    }
    done = await HANDLERS["3201"](_call(session, sc.hospital, "3201"), raw)
    assert done.output == {
        "stmtinfo": {"setl_optins": None, "stmt_rslt": "0", "stmt_rslt_dscr": "对平"}
    }
    with pytest.raises(Unprocessable) as raised:
        await HANDLERS["3201"](
            _call(session, sc.hospital, "3201"),
            {"data": {**raw["data"], "medfee_sumamt": "1.001"}},
        )
    assert raised.value.errors[0]["loc"] == ["data", "medfee_sumamt"]

    body = f"{sc.s1}\tnull\t{sc.p1}\t20000.00\t13575.00\t0.00\t0\n".encode()
    signed = [b - 256 if b > 127 else b for b in zipped("a.txt", body)]
    done = await HANDLERS["9101"](
        _call(session, sc.hospital, "9101"),
        {"fsUploadIn": {"in": signed, "filename": "mx.zip", "fixmedins_code": "plc"}},
    )
    assert set(done.output) == {"file_qury_no", "filename", "dld_endtime"}
    done = await HANDLERS["3202"](
        _call(session, sc.hospital, "3202"),
        {
            "data": {
                "setl_optins": "510402",
                "file_qury_no": done.output["file_qury_no"],
                "stmt_begndate": "1997-03-10",
                "stmt_enddate": "1997-03-10",
                "medfee_sumamt": "20000.00",
                "fund_pay_sumamt": "13575.00",
                "cash_payamt": "6425.00",
                "fixmedins_setl_cnt": "1",
                "clr_type": "21",
                "REFD_SETL_FLAG": "0",
            }
        },
    )
    fileinfo = done.output["fileinfo"]
    done = await HANDLERS["9102"](
        _call(session, sc.hospital, "9102"),
        {"fsDownloadIn": {"file_qury_no": fileinfo["file_qury_no"], "filename": "result.zip"}},
    )
    assert done.output == {}
    assert done.file is not None
    # 510402 only, reversal records not required: s1 agrees; s2 is ours only (s3 is 510403).
    assert unzip_result(done.file) == (
        f"{sc.p1}\tnull\t{sc.s1}\tnull\t0\t0\tnull\t20000.00\t13575.00\t0.00\n"
        f"{sc.p2}\tnull\t{sc.s2}\tnull\t1\t0\t医药机构无此结算记录\t1280.00\t660.00\t0.00\n"
    )
