"""9001 签到 and 1101 人员信息获取; app/nhsa/identity.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from api.conftest import new_person
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app import clock
from app.nhsa import codes, identity
from app.types import id_check_digit

from .fsi import HOSPITAL, call, envelope, failed, ok

pytestmark = pytest.mark.usefixtures("demo")


def an_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_identity_helpers() -> None:
    man = an_id("51040219500101001")  # 17th digit 1: odd, 男
    woman = an_id("51040220000229002")  # 17th digit 2: even, 女; born on 29 February
    assert identity.gender(man) == "1" and identity.gender(woman) == "2"
    assert identity.birth_date(man) == dt.date(1950, 1, 1)
    # 2018-06-12 − 1950-01-01: 68 birthdays had passed
    assert identity.age_on(man, dt.date(2018, 6, 12)) == 68
    assert identity.age_on(man, dt.date(2017, 12, 31)) == 67  # 2017 − 1950, 1 January passed
    june = an_id("51040219500615003")
    # born 1950-06-15: the day before the 68th birthday 67, on it 68
    assert identity.age_on(june, dt.date(2018, 6, 14)) == 67
    assert identity.age_on(june, dt.date(2018, 6, 15)) == 68
    # 2000-02-29: on 2001-02-28 not yet one, on 2001-03-01 one
    assert identity.age_on(woman, dt.date(2001, 2, 28)) == 0
    assert identity.age_on(woman, dt.date(2001, 3, 1)) == 1
    assert identity.baseinfo(man, "张三", "P000000000001", dt.date(2018, 6, 12)) == {
        "psn_no": "P000000000001",
        "psn_cert_type": "01",
        "certno": man[:4] + "**********" + man[-4:],
        "psn_name": "张三",
        "gend": "1",
        "brdy": "1950-01-01",
        "age": 68,
        "naty": "",
    }


def test_codes_file_is_loaded_and_tagged() -> None:
    loaded = codes.load_codes()
    assert loaded == codes.CODES
    assert loaded.insutype == "390"
    assert set(loaded.psn_idet_type) == {"registered_poor", "dibao", "tekun"}


async def test_9001_sign_in(client: AsyncClient, engine: AsyncEngine) -> None:
    body = envelope(
        "9001",
        {"signIn": {"opter_no": "1099", "mac": "70-B5-E8-3F-1C-34", "ip": "168.168.210.100"}},
    )
    out = ok(await call(client, body))
    sign = out["signinoutb"]
    assert re.fullmatch(r"[0-9]{12}", sign["sign_no"])
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", sign["sign_time"])
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM nhsa_signins WHERE sign_no = :s"), {"s": sign["sign_no"]}
                )
            )
            .mappings()
            .one()
        )
    assert (row["hospital_code"], row["msgid"], row["opter_no"], row["ip"]) == (
        HOSPITAL,
        body["msgid"],
        "1099",
        "168.168.210.100",
    )
    # a later envelope may carry the sign_no; it is not required (9001 itself sent "")
    body2 = envelope(
        "9001", {"signIn": {"opter_no": "1099", "ip": "1.1.1.1"}}, sign_no=sign["sign_no"]
    )
    assert ok(await call(client, body2))["signinoutb"]["sign_no"] != sign["sign_no"]
    assert (
        failed(await call(client, envelope("9001", {"signIn": {"opter_no": "1099"}})))
        == "FSI-签到信息[signIn].ip：不能为空"
    )
    assert failed(await call(client, envelope("9001", {}))) == "FSI-签到信息[signIn]：不能为空"


def lookup(id_number: str, **data: str) -> dict[str, object]:
    return envelope(
        "1101",
        {
            "data": {
                "mdtrt_cert_type": "02",
                "mdtrt_cert_no": id_number,
                "psn_cert_type": "01",
                "certno": id_number,
                "psn_name": "测试",
                **data,
            }
        },
    )


async def test_1101_found_with_enrolments_and_categories(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 1))
    id_number = await new_person(
        client,
        categories=[
            {"category": "registered_poor", "valid_from": "2018-01-01", "valid_to": None},
            {"category": "dibao", "valid_from": "2019-03-01", "valid_to": "2019-12-31"},
        ],
        years=(2018, 2019),
        county="510402",
    )
    out = ok(await call(client, lookup(id_number)))
    base = out["baseinfo"]
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    assert re.fullmatch(r"P[0-9]{12}", base["psn_no"])
    assert base["certno"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert id_number not in str(out)  # never the whole number
    assert base["brdy"] == born.isoformat()
    assert base["gend"] == ("1" if int(id_number[16]) % 2 == 1 else "2")
    # age on 2026-12-01: a birthday after 1 December has not come yet this year
    assert base["age"] == 2026 - born.year - (1 if (born.month, born.day) > (12, 1) else 0)
    assert (base["psn_name"], base["psn_cert_type"]) == ("测试", "01")
    assert out["insuinfo"] == [
        {
            "balc": 0,
            "insutype": "390",
            "psn_type": codes.CODES.psn_type,
            "psn_insu_stas": "1",
            "psn_insu_date": f"{year}-01-01",
            "cvlserv_flag": "0",
            "insuplc_admdvs": "510402",
            "emp_name": "",
        }
        for year in (2018, 2019)
    ]
    assert out["idetinfo"] == [
        {
            "psn_idet_type": codes.CODES.psn_idet_type["registered_poor"],
            "psn_type_lv": "",
            "memo": "建档立卡贫困人口",
            "begntime": "2018-01-01 00:00:00",
            "endtime": None,
        },
        {
            "psn_idet_type": codes.CODES.psn_idet_type["dibao"],
            "psn_type_lv": "",
            "memo": "低保对象",
            "begntime": "2019-03-01 00:00:00",
            "endtime": "2019-12-31 23:59:59",
        },
    ]


async def test_1101_balc_is_written_with_two_decimals(client: AsyncClient) -> None:
    id_number = await new_person(client, years=(2019,))
    response = await call(client, lookup(id_number))
    assert b'"balc":0.00,' in response.content


async def test_1101_by_mdtrt_cert_no_alone(client: AsyncClient) -> None:
    id_number = await new_person(client)
    body = lookup(id_number)
    data = body["input"]["data"]  # type: ignore[index]
    del data["certno"], data["psn_cert_type"], data["psn_name"]
    assert ok(await call(client, body))["baseinfo"]["certno"].endswith(id_number[-4:])


async def test_1101_errors(client: AsyncClient) -> None:
    unknown = an_id("51040219700101123")
    assert failed(await call(client, lookup(unknown))) == "FSI-输入[data].certno：查无此人"
    body = lookup(unknown)
    data = body["input"]["data"]  # type: ignore[index]
    del data["certno"]
    assert failed(await call(client, body)) == "FSI-输入[data].mdtrt_cert_no：查无此人"
    id_number = await new_person(client)
    assert (
        failed(await call(client, lookup(id_number, psn_name="别人")))
        == "FSI-输入[data].psn_name：姓名与证件号码不符"
    )
    assert (
        failed(await call(client, lookup(id_number, mdtrt_cert_type="04")))
        == "FSI-输入[data].mdtrt_cert_type：取值04无效，应为01/02/03"
    )
    assert (
        failed(await call(client, lookup(id_number[:-1] + ("0" if id_number[-1] != "0" else "1"))))
        == "FSI-输入[data].certno：不是有效的18位居民身份证号码"
    )
    voucher = lookup(id_number, mdtrt_cert_type="01", mdtrt_cert_no="token")
    del voucher["input"]["data"]["certno"]  # type: ignore[index]
    assert failed(await call(client, voucher)).startswith(
        "FSI-输入[data].certno：就诊凭证类型01须同时传"
    )
