"""Coverage and gaps through the API, on one county's hand-made roster (figures worked by hand).

County 510403 (西区) of a database of this test only. The demo already has 孙八 there
(registered_poor since 2018-01-01, enrolled in medical 2018, born 1958-12-30: 60 on 31 December
2018, so outside the pension band 16–59). The test adds, through ``PUT /v1/persons`` (manual
categories and medical enrolments) and SQL (death dates, enrolments elsewhere, a pension
enrolment):

=====  ==========  ===========================  =========  ==============================
who    born        categories in 2018           medical    also
=====  ==========  ===========================  =========  ==============================
A      1980-05-01  registered_poor, dibao       2018       pension 2018 (tier 100.00)
B      2005-03-01  dibao                        —          (13: not of pension age)
C      1950-07-01  tekun                        —          died 2018-06-01; elsewhere med.
D      1990-01-01  registered_poor              —          enrolled elsewhere (medical)
G      1970-02-01  registered_poor              —          died 2019-03-01 (after the year)
E      1985-01-01  registered_poor 2017 only    —          not on the 2018 roster
F      1985-01-02  dibao from 2019-01-01        —          not on the 2018 roster
=====  ==========  ===========================  =========  ==============================
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from api.conftest import ADMIN, AGENCY, assert_problem, headers, hospital_key, masked
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import text

from .coverage_data import id_number_born

COUNTY = "510403"
SUN_BA = "510403195812300062"  # the demo's 孙八 (app.demo: 51040319581230006 + check digit)


async def put(
    client: AsyncClient, born: dt.date, categories: list[dict[str, Any]], years: list[int]
) -> str:
    number = id_number_born(COUNTY, born)
    r = await client.put(
        f"/v1/persons/{number}",
        headers=headers(ADMIN),
        json={
            "name": "测试",
            "county_code": COUNTY,
            "enrolments": [{"year": y} for y in years],
            "categories": categories,
        },
    )
    assert r.status_code == 201, r.text
    return number


def cat(
    category: str, valid_from: str = "2018-01-01", valid_to: str | None = None
) -> dict[str, Any]:
    return {"category": category, "valid_from": valid_from, "valid_to": valid_to}


@pytest.fixture
async def roster(own_app: FastAPI, own_client: AsyncClient) -> dict[str, str]:
    c = own_client
    people = {
        "A": await put(c, dt.date(1980, 5, 1), [cat("registered_poor"), cat("dibao")], [2018]),
        "B": await put(c, dt.date(2005, 3, 1), [cat("dibao")], []),
        "C": await put(c, dt.date(1950, 7, 1), [cat("tekun")], []),
        "D": await put(c, dt.date(1990, 1, 1), [cat("registered_poor")], []),
        "G": await put(c, dt.date(1970, 2, 1), [cat("registered_poor")], []),
        "E": await put(
            c, dt.date(1985, 1, 1), [cat("registered_poor", "2017-01-01", "2017-12-31")], []
        ),
        "F": await put(c, dt.date(1985, 1, 2), [cat("dibao", "2019-01-01")], []),
    }
    async with own_app.state.sessionmaker() as session, session.begin():

        async def person_id(who: str) -> int:
            pid: int = await session.scalar(
                text("SELECT id FROM persons WHERE id_number = :n"), {"n": people[who]}
            )
            return pid

        await session.execute(
            text("UPDATE persons SET death_date = :d WHERE id_number = :n"),
            [
                {"d": dt.date(2018, 6, 1), "n": people["C"]},
                {"d": dt.date(2019, 3, 1), "n": people["G"]},
            ],
        )
        await session.execute(
            text(
                "INSERT INTO external_enrolments (person_id, scheme, year, region_code)"
                " VALUES (:p, 'medical', 2018, '530102')"
            ),
            [{"p": await person_id("C")}, {"p": await person_id("D")}],
        )
        await session.execute(
            text(
                "INSERT INTO pension_enrolments (person_id, year, tier_fen, subsidy_fen)"
                " VALUES (:p, 2018, 10000, 3000)"
            ),
            {"p": await person_id("A")},
        )
    return people


def cells(county: dict[str, Any]) -> dict[str, tuple[int, int, int, str | None]]:
    out = {
        c["category"]: (c["on_roster"], c["enrolled"], c["not_enrolled"], c["ratio"])
        for c in county["categories"]
    }
    a = county["all"]
    out["all"] = (a["on_roster"], a["enrolled"], a["not_enrolled"], a["ratio"])
    return out


async def test_medical_coverage_of_a_county(
    roster: dict[str, str], own_client: AsyncClient
) -> None:
    r = await own_client.get(
        "/v1/enrolment/coverage",
        params={"year": 2018, "county_code": COUNTY},
        headers=headers(AGENCY),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["year"], body["scheme"], body["county_code"]) == (2018, "medical", COUNTY)
    [county] = body["counties"]
    assert (county["county_code"], county["county_name"]) == (COUNTY, "西区")
    assert cells(county) == {
        # 孙八 (enrolled), A (enrolled), D, G: 2 of 4 = 0.5000
        "registered_poor": (4, 2, 2, "0.5000"),
        # A (enrolled), B: 1 of 2
        "dibao": (2, 1, 1, "0.5000"),
        # C: 0 of 1
        "tekun": (1, 0, 1, "0.0000"),
        # distinct persons 孙八, A, B, C, D, G (A once): 2 of 6 = 0.33333… → 0.3333
        "all": (6, 2, 4, "0.3333"),
    }
    assert cells(body["total"]) == cells(county)
    assert body["total"]["county_code"] is None
    assert [c["category_name"] for c in county["categories"]] == [
        "建档立卡贫困人员",
        "低保对象",
        "特困人员",
    ]


async def test_pension_coverage_counts_the_age_band(
    roster: dict[str, str], own_client: AsyncClient
) -> None:
    r = await own_client.get(
        "/v1/enrolment/coverage",
        params={"year": 2018, "county_code": COUNTY, "scheme": "pension"},
        headers=headers(AGENCY),
    )
    assert r.status_code == 200, r.text
    [county] = r.json()["counties"]
    # 16–59 on 31 Dec 2018: A (38), D (28), G (48); not 孙八 (60), B (13), C (68)
    assert cells(county) == {
        "registered_poor": (3, 1, 2, "0.3333"),  # A (pension 2018), D, G: 1/3
        "dibao": (1, 1, 0, "1.0000"),  # A
        "tekun": (0, 0, 0, None),  # C is 68: nobody, no ratio
        "all": (3, 1, 2, "0.3333"),
    }


async def test_every_county_listed_with_a_grand_total(
    roster: dict[str, str], own_client: AsyncClient
) -> None:
    r = await own_client.get(
        "/v1/enrolment/coverage", params={"year": 2018}, headers=headers(ADMIN)
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["county_code"] for c in body["counties"]] == [
        "510402",
        "510403",
        "510411",
        "510421",
        "510422",
    ]
    by = {c["county_code"]: cells(c) for c in body["counties"]}
    # the demo elsewhere: 张三 registered_poor 510402, 钱七 registered_poor 510411 (to 2018-12-31),
    # 王五 dibao 510421, 赵六 tekun 510422; all enrolled in 2018 (李四 holds no category)
    assert by["510402"]["all"] == (1, 1, 0, "1.0000")
    assert by["510421"]["dibao"] == (1, 1, 0, "1.0000")
    assert by["510422"]["tekun"] == (1, 1, 0, "1.0000")
    total = cells(body["total"])
    # registered_poor: 张三, 钱七 + 西区's 4 = 6, enrolled 2 + 2 = 4 → 0.6667
    assert total["registered_poor"] == (6, 4, 2, "0.6667")
    assert total["dibao"] == (3, 2, 1, "0.6667")  # 王五 + A, B
    assert total["tekun"] == (2, 1, 1, "0.5000")  # 赵六 + C
    assert total["all"] == (10, 6, 4, "0.6000")  # 4 demo + 西区's 6


async def gaps(client: AsyncClient, key: str = AGENCY, **params: Any) -> dict[str, Any]:
    r = await client.get(
        "/v1/enrolment/gaps",
        params={"year": 2018, "county_code": COUNTY, **params},
        headers=headers(key),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_gaps_with_reasons_masked_for_agency(
    roster: dict[str, str], own_client: AsyncClient
) -> None:
    body = await gaps(own_client)
    got = {g["id_number"]: (g["reason"], g["reason_name"], g["categories"]) for g in body["items"]}
    assert got == {
        masked(roster["B"]): ("no_record", "无参保记录", ["dibao"]),
        # C died 2018-06-01 and is enrolled elsewhere too: deceased comes first
        masked(roster["C"]): ("deceased", "已死亡", ["tekun"]),
        masked(roster["D"]): ("enrolled_elsewhere", "区外参保", ["registered_poor"]),
        # G died in 2019: not deceased in 2018
        masked(roster["G"]): ("no_record", "无参保记录", ["registered_poor"]),
    }
    assert body["next_cursor"] is None and body["has_more"] is False
    c = next(g for g in body["items"] if g["reason"] == "deceased")
    assert (c["death_date"], c["elsewhere_region"], c["county_name"]) == (
        "2018-06-01",
        "530102",
        "西区",
    )
    admin = await gaps(own_client, ADMIN)
    assert {g["id_number"] for g in admin["items"]} == {roster[w] for w in "BCDG"}
    only = await gaps(own_client, reason="no_record")
    assert {g["id_number"] for g in only["items"]} == {masked(roster["B"]), masked(roster["G"])}
    pension = await gaps(own_client, ADMIN, scheme="pension")
    # D's enrolment elsewhere is medical: for pension, D and G have no record (A is enrolled)
    assert {(g["id_number"], g["reason"]) for g in pension["items"]} == {
        (roster["D"], "no_record"),
        (roster["G"], "no_record"),
    }


async def test_gaps_page_by_page(roster: dict[str, str], own_client: AsyncClient) -> None:
    whole = (await gaps(own_client, ADMIN))["items"]
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(10):
        page = await gaps(own_client, ADMIN, limit=1, **({"cursor": cursor} if cursor else {}))
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == whole and len(seen) == 4
    first = await gaps(own_client, ADMIN, limit=1)
    r = await own_client.get(
        "/v1/enrolment/gaps",
        params={
            "year": 2018,
            "county_code": COUNTY,
            "scheme": "pension",
            "cursor": first["next_cursor"],
        },
        headers=headers(ADMIN),
    )
    body = assert_problem(r, 422, "invalid_cursor", [["query", "cursor"]])
    assert "other query" in body["errors"][0]["msg"]
    r = await own_client.get(
        "/v1/enrolment/gaps",
        params={"year": 2018, "cursor": "bm90IGEgY3Vyc29y"},
        headers=headers(ADMIN),
    )
    assert_problem(r, 422, "invalid_cursor", [["query", "cursor"]])


async def test_downloads_parse_back_to_the_json(
    roster: dict[str, str], own_client: AsyncClient
) -> None:
    items = (await gaps(own_client))["items"]
    expected = [
        [
            g["county_code"],
            g["county_name"],
            g["id_number"],
            g["psn_no"],
            g["name"],
            "、".join(g["category_names"]),
            "是" if g["exited"] else "否",
            g["death_date"] or "",
            g["reason"],
            g["reason_name"],
            g["elsewhere_region"] or "",
        ]
        for g in items
    ]
    params = {"year": 2018, "county_code": COUNTY}
    r = await own_client.get(
        "/v1/enrolment/gaps/export", params={**params, "format": "csv"}, headers=headers(AGENCY)
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == (
        'attachment; filename="enrolment-gaps-medical-2018-510403.csv"'
    )
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["县区代码", "县区名称", "身份证号"] and rows[0][8:10] == [
        "未参保原因代码",
        "未参保原因",
    ]
    assert rows[1:] == expected
    r = await own_client.get(
        "/v1/enrolment/gaps/export", params={**params, "format": "xlsx"}, headers=headers(AGENCY)
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True)["未参保名单"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == rows[0]
    as_text = [
        [
            "" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v)
            # a read-only sheet leaves out a row's empty cells at its end
            for v in [*row, *[None] * (len(values[0]) - len(row))]
        ]
        for row in values[1:]
    ]
    assert as_text == expected


async def test_refusals(own_client: AsyncClient) -> None:
    for path in ("/v1/enrolment/coverage", "/v1/enrolment/gaps"):
        r = await own_client.get(
            path, params={"year": 2018}, headers=headers(hospital_key("H510402001"))
        )
        assert_problem(r, 403, "forbidden")
        r = await own_client.get(path, params={"year": 2018})
        assert_problem(r, 401, "unauthorized")
        r = await own_client.get(
            path, params={"year": 2018, "county_code": "510499"}, headers=headers(AGENCY)
        )
        body = assert_problem(r, 422, "unknown_county", [["query", "county_code"]])
        assert "510499" in body["detail"]
        r = await own_client.get(path, params={"year": 2019}, headers=headers(AGENCY))
        assert_problem(r, 404, "no_enrolment_rules")
        r = await own_client.get(
            path, params={"year": 2018, "scheme": "work_injury"}, headers=headers(AGENCY)
        )
        assert_problem(r, 422, "validation_error", [["query", "scheme"]])
        r = await own_client.get(path, params={"year": "2018.0"}, headers=headers(AGENCY))
        assert_problem(r, 422, "validation_error", [["query", "year"]])
    r = await own_client.get(
        "/v1/enrolment/gaps/export",
        params={"year": 2018, "format": "csv"},
        headers=headers(hospital_key("H510402001")),
    )
    assert_problem(r, 403, "forbidden")
    r = await own_client.get(
        "/v1/enrolment/gaps/export", params={"year": 2018, "format": "pdf"}, headers=headers(AGENCY)
    )
    assert_problem(r, 422, "validation_error", [["query", "format"]])
    r = await own_client.get(
        "/v1/enrolment/gaps/export",
        params={"year": 2018, "format": "csv", "county_code": "510499"},
        headers=headers(AGENCY),
    )
    assert_problem(r, 422, "unknown_county")
    r = await own_client.get(
        "/v1/enrolment/coverage", params={"year": 2018, "limit": 5}, headers=headers(AGENCY)
    )
    assert_problem(r, 422, "validation_error", [["query", "limit"]])


async def test_chinese_problem(own_client: AsyncClient) -> None:
    r = await own_client.get(
        "/v1/enrolment/coverage",
        params={"year": 2018, "county_code": "510499"},
        headers={**headers(AGENCY), "Accept-Language": "zh-CN"},
    )
    body = assert_problem(r, 422, "unknown_county")
    assert body["detail"] == "510499 不是本统筹区的县（区）。"
    assert body["errors"][0]["msg"] == "不是本统筹区的县（区）"
