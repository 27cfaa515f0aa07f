"""POST /v1/roster/imports (docs/roster.md): headers in Chinese and English, UTF-8 (with a BOM)
and GBK CSV, XLSX; each bad row rejected alone with its row and column; the same file again is
the same import; a later full import ends what it no longer lists; file-level problems store
nothing; the settlement sees a roster category.

Every test has a database of its own (``own_client``): a full import ends the periods of its
source that it does not list, whoever put them there, so two tests sharing a database would end
each other's rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.conftest import ADMIN, AGENCY, assert_problem, headers, hospital_key, make_bill, settle
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import id_number

from .helpers import EN, ZH, csv_bytes, d, periods, person, upload, xlsx_bytes

PO, CA = "poverty_office", "civil_affairs"


async def _count(engine: AsyncEngine, sql: str, **params: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(sql), params) or 0)


# --- formats ---------------------------------------------------------------------------------


async def test_chinese_headers_utf8_csv_creates_persons_and_periods(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a, b = id_number("510402"), id_number("510421")
    rows = [
        [a, "张三", "510402", "建档立卡", "2018-01-01", "", "1", "2017"],
        [a, "张三", "510402", "低保", "2018-03-01", "2018-12-31", "0", ""],
        [b, "李四", "510421", "特困人员", "2018-01-01", "", "", ""],
    ]
    response = await upload(own_client, csv_bytes(ZH, rows), source=PO, as_of="2018-06-01")
    assert response.status_code == 201, response.text
    out = response.json()
    # 3 data rows, all good, nothing there before: 3 new periods, nothing to end.
    assert {k: out[k] for k in ("rows", "new", "changed", "ended", "unchanged", "rejected")} == {
        "rows": 3,
        "new": 3,
        "changed": 0,
        "ended": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert out["errors"] == []
    assert (out["source"], out["as_of"], out["file_format"], out["encoding"]) == (
        PO,
        "2018-06-01",
        "csv",
        "utf-8",
    )
    assert await person(engine, a) == ("张三", "510402", None)
    assert await person(engine, b) == ("李四", "510421", None)
    assert await periods(engine, a) == [
        ("dibao", d("2018-03-01"), d("2018-12-31"), PO, False, None, False),
        ("registered_poor", d("2018-01-01"), None, PO, True, 2017, False),
    ]
    assert await periods(engine, b) == [("tekun", d("2018-01-01"), None, PO, False, None, False)]
    # GET /v1/persons shows each period's source, import and 脱贫 mark.
    got = (await own_client.get(f"/v1/persons/{a}", headers=headers(ADMIN))).json()
    assert got["death_date"] is None
    assert sorted(got["categories"], key=lambda c: c["category"]) == [
        {
            "category": "dibao",
            "valid_from": "2018-03-01",
            "valid_to": "2018-12-31",
            "exited": False,
            "exit_year": None,
            "source": PO,
            "import_id": out["import_id"],
        },
        {
            "category": "registered_poor",
            "valid_from": "2018-01-01",
            "valid_to": None,
            "exited": True,
            "exit_year": 2017,
            "source": PO,
            "import_id": out["import_id"],
        },
    ]
    # GET by id and the list show the same import (agency reads too).
    for key in (ADMIN, AGENCY):
        one = await own_client.get(f"/v1/roster/imports/{out['import_id']}", headers=headers(key))
        assert one.status_code == 200 and one.json() == out
        listed = await own_client.get(
            "/v1/roster/imports", params={"source": PO}, headers=headers(key)
        )
        assert [i["import_id"] for i in listed.json()["imports"]] == [out["import_id"]]
        assert "errors" not in listed.json()["imports"][0]
    other = await own_client.get(
        "/v1/roster/imports", params={"source": CA}, headers=headers(ADMIN)
    )
    assert other.json() == {"imports": []}


async def test_english_headers_xlsx_with_date_and_number_cells(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a = id_number("510411")
    rows: list[list[Any]] = [
        # a date cell, a datetime cell at midnight, the county and the mark as number cells
        [
            a,
            "王五",
            510411,
            "registered_poor",
            dt.date(2018, 1, 1),
            dt.datetime(2018, 12, 31),
            1,
            2018,
        ],
        # the ID as a number cell loses digits in Excel: rejected, column as written
        [
            int(id_number("510411")[:17] + "0"),
            "赵六",
            "510411",
            "dibao",
            "2018-01-01",
            None,
            0,
            None,
        ],
    ]
    response = await upload(
        own_client, xlsx_bytes(EN, rows), source=CA, as_of="2018-06-01", name="roster.xlsx"
    )
    assert response.status_code == 201, response.text
    out = response.json()
    assert (out["file_format"], out["encoding"]) == ("xlsx", None)
    # 2 rows: 1 new, 1 rejected (row 3: the second data row, the header being row 1).
    assert (out["rows"], out["new"], out["rejected"]) == (2, 1, 1)
    assert out["errors"] == [
        {
            "row": 3,
            "column": "id_number",
            "msg": "须为文本单元格（数字单元格会丢失位数），请将该列设为文本格式",
        }
    ]
    assert await periods(engine, a) == [
        ("registered_poor", d("2018-01-01"), d("2018-12-31"), CA, True, 2018, False)
    ]


async def test_utf8_with_bom_and_gbk_csv(own_client: AsyncClient, own_app: FastAPI) -> None:
    engine = own_app.state.engine
    a, b = id_number("510402"), id_number("510403")
    bom = b"\xef\xbb\xbf" + csv_bytes(
        ZH, [[a, "陈一", "510402", "低保", "2018-01-01", "", "0", ""]]
    )
    gbk = csv_bytes(ZH, [[b, "黄二", "510403", "特困", "2018-01-01", "", "0", ""]], "gbk")
    with_bom = await upload(own_client, bom, source=CA, as_of="2018-06-01")
    assert with_bom.status_code == 201, with_bom.text
    assert (with_bom.json()["encoding"], with_bom.json()["new"]) == ("utf-8-sig", 1)
    # the header's first cell was read without the BOM: 身份证号, not "\ufeff身份证号"
    assert await person(engine, a) == ("陈一", "510402", None)
    in_gbk = await upload(own_client, gbk, source=PO, as_of="2018-06-01")
    assert in_gbk.status_code == 201, in_gbk.text
    assert (in_gbk.json()["encoding"], in_gbk.json()["new"]) == ("gb18030", 1)
    assert await person(engine, b) == ("黄二", "510403", None)


# --- bad rows --------------------------------------------------------------------------------


async def test_each_bad_row_is_rejected_alone_with_row_and_column(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    good = id_number("510402")
    ids = [id_number("510402") for _ in range(10)]
    wrong_check = ids[0][:17] + ("0" if ids[0][17] != "0" else "1")
    rows = [
        [good, "好人", "510402", "低保", "2018-01-01", "", "0", ""],  # row 2: good
        [wrong_check, "甲", "510402", "低保", "2018-01-01", "", "0", ""],  # 3: checksum
        [ids[1], "乙", "510499", "低保", "2018-01-01", "", "0", ""],  # 4: not our county
        [ids[2], "丙", "510402", "富人", "2018-01-01", "", "0", ""],  # 5: no such category
        [ids[3], "丁", "510402", "低保", "2018-05-01", "2018-04-30", "0", ""],  # 6: to < from
        [ids[4], "", "510402", "低保", "2018-01-01", "", "0", ""],  # 7: name missing
        [ids[5], "己", "510402", "低保", "2018-01-01", "", "0", "2018"],  # 8: year, not exited
        [good, "好人", "510402", "低保", "2018-01-01", "", "0", ""],  # 9: repeats row 2
        [ids[6], "庚", "510402", "低保", "2018/01/01", "", "0", ""],  # 10: not YYYY-MM-DD
        [ids[7], "辛", "510402", "低保", "2018-01-01", "", "2", ""],  # 11: mark not 0/1
        [ids[8], "壬", "５１０４０２", "低保", "2018-01-01", "", "0", ""],  # 12: fullwidth digits
        [ids[9], "癸", "510402", "低保", "2018-02-30", "", "0", ""],  # 13: no such day
    ]
    response = await upload(own_client, csv_bytes(ZH, rows), source=CA, as_of="2018-06-01")
    assert response.status_code == 201, response.text
    out = response.json()
    # 12 data rows: row 2 applies (new 1), the 11 others are rejected, one error each.
    assert (out["rows"], out["new"], out["changed"], out["unchanged"], out["rejected"]) == (
        12,
        1,
        0,
        0,
        11,
    )
    assert out["errors"] == [
        {"row": 3, "column": "身份证号", "msg": "校验位不符（GB 11643）"},
        {"row": 4, "column": "县区代码", "msg": "510499 不是本统筹区的县（区）"},
        {
            "row": 5,
            "column": "类别",
            "msg": "须为 建档立卡、低保、特困 之一（或 registered_poor、dibao、tekun）",
        },
        {"row": 6, "column": "终止日期", "msg": "终止日期早于起始日期"},
        {"row": 7, "column": "姓名", "msg": "必填，不能为空"},
        {"row": 8, "column": "脱贫年度", "msg": "填写了脱贫年度，但脱贫标识不是 1"},
        {"row": 9, "column": "身份证号", "msg": "与第 2 行重复（同一身份证号、类别和起始日期）"},
        {
            "row": 10,
            "column": "起始日期",
            "msg": "须为真实存在的日期，格式 YYYY-MM-DD（如 2018-01-01）",
        },
        {"row": 11, "column": "脱贫标识", "msg": "须为 0 或 1"},
        {"row": 12, "column": "县区代码", "msg": "须为 6 位数字的县级行政区划代码"},
        {
            "row": 13,
            "column": "起始日期",
            "msg": "须为真实存在的日期，格式 YYYY-MM-DD（如 2018-01-01）",
        },
    ]
    assert await periods(engine, good) == [("dibao", d("2018-01-01"), None, CA, False, None, False)]
    # No rejected row created its person.
    for rejected in [wrong_check, *ids]:
        assert await person(engine, rejected) is None
    # The stored import keeps the errors.
    stored = await own_client.get(f"/v1/roster/imports/{out['import_id']}", headers=headers(ADMIN))
    assert stored.json()["errors"] == out["errors"]


async def test_a_person_named_differently_in_two_rows(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    a = id_number("510402")
    rows = [
        [a, "张三", "510402", "低保", "2018-01-01", "", "0", ""],
        [a, "张叁", "510421", "特困", "2018-01-01", "", "0", ""],  # same person, other name/county
    ]
    out = (await upload(own_client, csv_bytes(ZH, rows), source=CA, as_of="2018-06-01")).json()
    assert (out["new"], out["rejected"]) == (1, 1)
    assert out["errors"] == [
        {"row": 3, "column": "姓名", "msg": "与第 2 行的姓名不一致"},
        {"row": 3, "column": "县区代码", "msg": "与第 2 行的县区代码不一致"},
    ]


# --- the same file again, a later file -------------------------------------------------------


async def test_the_same_file_again_is_the_same_import(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a = id_number("510402")
    data = csv_bytes(ZH, [[a, "张三", "510402", "建档立卡", "2018-01-01", "", "0", ""]])
    first = await upload(own_client, data, source=PO, as_of="2018-06-01")
    assert first.status_code == 201
    before = await periods(engine, a)
    imports = "SELECT count(*) FROM roster_imports"
    audits = "SELECT count(*) FROM audit_log WHERE action = 'roster.import'"
    counted = (await _count(engine, imports), await _count(engine, audits))
    # Again, even with a later as_of: 200, the stored import (its own as_of), nothing written.
    for as_of in ("2018-06-01", "2018-09-01"):
        again = await upload(own_client, data, source=PO, as_of=as_of, name="other-name.csv")
        assert again.status_code == 200, again.text
        assert again.json() == first.json()
    assert await periods(engine, a) == before
    assert (await _count(engine, imports), await _count(engine, audits)) == counted
    # The same bytes from another source are that source's own import.
    assert (await upload(own_client, data, source=CA, as_of="2018-06-01")).status_code == 201


async def test_a_later_full_import_ends_what_it_no_longer_lists(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    p1, p2, p3, p4, p5, p6, p7 = (id_number("510402") for _ in range(7))
    # p6 also holds a manual (admin PUT) period and a civil_affairs one: never touched here.
    put = await own_client.put(
        f"/v1/persons/{p6}",
        headers=headers(ADMIN),
        json={
            "name": "六",
            "county_code": "510402",
            "enrolments": [{"year": 2018}],
            "categories": [{"category": "tekun", "valid_from": "2018-01-01", "valid_to": None}],
        },
    )
    assert put.status_code == 201, put.text
    ca = csv_bytes(ZH, [[p6, "六", "510402", "低保", "2018-01-01", "", "0", ""]])
    assert (await upload(own_client, ca, source=CA, as_of="2018-06-01")).status_code == 201
    first = [
        [p1, "一", "510402", "建档立卡", "2018-01-01", "", "0", ""],
        [p2, "二", "510402", "建档立卡", "2018-01-01", "", "0", ""],
        [p3, "三", "510402", "建档立卡", "2018-01-01", "2019-12-31", "0", ""],
        [p4, "四", "510402", "建档立卡", "2019-03-01", "", "0", ""],  # starts after as_of 2
        [p6, "六", "510402", "建档立卡", "2018-01-01", "", "0", ""],
        [p7, "七", "510402", "建档立卡", "2018-01-01", "", "0", ""],
    ]
    one = await upload(own_client, csv_bytes(ZH, first), source=PO, as_of="2018-06-01")
    assert one.status_code == 201 and one.json()["new"] == 6
    second = [
        [p1, "一", "510402", "建档立卡", "2018-01-01", "", "0", ""],  # the same: unchanged
        [p3, "三", "510402", "建档立卡", "2018-01-01", "2018-10-31", "1", "2018"],  # changed
        [p5, "五", "510402", "建档立卡", "2018-07-01", "", "0", ""],  # new
        [p7, "七", "510499", "建档立卡", "2018-01-01", "", "0", ""],  # rejected: held as is
    ]
    # p2 and p6 are absent: their open poverty_office periods end at as_of 2018-12-31; p4's
    # starts 2019-03-01, after as_of: withdrawn (it cannot end before it starts).
    response = await upload(own_client, csv_bytes(ZH, second), source=PO, as_of="2018-12-31")
    assert response.status_code == 201, response.text
    out = response.json()
    # rows 4 = new 1 (p5) + changed 1 (p3) + unchanged 1 (p1) + rejected 1 (p7);
    # ended 3 = p2 and p6 ended + p4 withdrawn.
    assert {k: out[k] for k in ("rows", "new", "changed", "ended", "unchanged", "rejected")} == {
        "rows": 4,
        "new": 1,
        "changed": 1,
        "ended": 3,
        "unchanged": 1,
        "rejected": 1,
    }
    end = d("2018-12-31")
    assert await periods(engine, p1) == [
        ("registered_poor", d("2018-01-01"), None, PO, False, None, False)
    ]
    assert await periods(engine, p2) == [
        ("registered_poor", d("2018-01-01"), end, PO, False, None, True)
    ]
    assert await periods(engine, p3) == [
        ("registered_poor", d("2018-01-01"), d("2018-10-31"), PO, True, 2018, False)
    ]
    assert await periods(engine, p4) == []
    assert await periods(engine, p5) == [
        ("registered_poor", d("2018-07-01"), None, PO, False, None, False)
    ]
    assert await periods(engine, p6) == [
        ("dibao", d("2018-01-01"), None, CA, False, None, False),
        ("tekun", d("2018-01-01"), None, "manual", False, None, False),
        ("registered_poor", d("2018-01-01"), end, PO, False, None, True),
    ]
    assert await periods(engine, p7) == [
        ("registered_poor", d("2018-01-01"), None, PO, False, None, False)
    ]
    # The ended period names the import that ended it; the changed one the import that wrote it.
    async with engine.connect() as conn:
        ended_by, written_by = (
            await conn.execute(
                text(
                    "SELECT (SELECT ended_import_id FROM person_categories c JOIN persons p"
                    " ON p.id = c.person_id WHERE p.id_number = :p2),"
                    " (SELECT import_id FROM person_categories c JOIN persons p"
                    " ON p.id = c.person_id WHERE p.id_number = :p3)"
                ),
                {"p2": p2, "p3": p3},
            )
        ).one()
    assert str(ended_by) == str(written_by) == out["import_id"]
    # Listed again later (p2 back, open): the ended period is revived, "changed".
    third = [*second[:3], [p2, "二", "510402", "建档立卡", "2018-01-01", "", "0", ""]]
    out3 = (await upload(own_client, csv_bytes(ZH, third), source=PO, as_of="2019-01-31")).json()
    # p1, p5 unchanged; p3 unchanged (same end and mark); p2 changed; p7 (absent now) ended.
    assert (out3["new"], out3["changed"], out3["unchanged"], out3["ended"]) == (0, 1, 3, 1)
    assert await periods(engine, p2) == [
        ("registered_poor", d("2018-01-01"), None, PO, False, None, False)
    ]


async def test_a_roster_changes_name_county_and_death_date_counted_as_changed(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a = id_number("510402")
    header = [*ZH, "死亡日期"]
    row = [a, "张三", "510402", "低保", "2018-01-01", "", "0", "", ""]
    await upload(own_client, csv_bytes(header, [row]), source=CA, as_of="2018-06-01")
    moved = [a, "张三丰", "510421", "低保", "2018-01-01", "", "0", "", "2018-11-02"]
    out = (
        await upload(own_client, csv_bytes(header, [moved]), source=CA, as_of="2018-12-01")
    ).json()
    # The period is the same, its person is not: changed 1.
    assert (out["new"], out["changed"], out["unchanged"], out["ended"]) == (0, 1, 0, 0)
    assert await person(engine, a) == ("张三丰", "510421", d("2018-11-02"))
    got = (await own_client.get(f"/v1/persons/{a}", headers=headers(ADMIN))).json()
    assert got["death_date"] == "2018-11-02"
    # A blank death date later leaves it as it is.
    out = (
        await upload(
            own_client, csv_bytes(header, [[*moved[:8], ""]]), source=CA, as_of="2018-12-02"
        )
    ).json()
    assert (out["changed"], out["unchanged"]) == (0, 1)
    assert await person(engine, a) == ("张三丰", "510421", d("2018-11-02"))


async def test_elsewhere_columns_record_external_enrolments(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    engine = own_app.state.engine
    a, b = id_number("510402"), id_number("510402")
    header = [*ZH, "区外参保地", "区外参保险种"]
    rows = [
        [a, "甲", "510402", "低保", "2018-01-01", "", "0", "", "510106", ""],  # medical default
        [b, "乙", "510402", "低保", "2018-01-01", "", "0", "", "510106", "养老"],
        [b, "乙", "510402", "特困", "2018-01-01", "", "0", "", "", "pension"],  # scheme, no region
    ]
    out = (await upload(own_client, csv_bytes(header, rows), source=CA, as_of="2018-06-01")).json()
    assert (out["new"], out["rejected"]) == (2, 1)
    assert out["errors"] == [
        {"row": 4, "column": "区外参保险种", "msg": "填写了区外参保险种，但未填区外参保地"}
    ]
    query = (
        "SELECT p.id_number, e.scheme, e.year, e.region_code FROM external_enrolments e"
        " JOIN persons p ON p.id = e.person_id ORDER BY 1, 2"
    )
    async with engine.connect() as conn:
        found = [tuple(r) for r in await conn.execute(text(query))]
    assert sorted(found) == sorted([(a, "medical", 2018, "510106"), (b, "pension", 2018, "510106")])
    # The next import of the source without a's statement takes it back (b's row is held: its
    # person has a rejected row, so what the source said of b stays).
    rows2 = [
        [a, "甲", "510402", "低保", "2018-01-01", "", "0", "", "", ""],
        [b, "乙", "510402", "低保", "2018-01-01", "", "0", "", "5101", ""],
    ]
    await upload(own_client, csv_bytes(header, rows2), source=CA, as_of="2018-07-01")
    async with engine.connect() as conn:
        found = [tuple(r) for r in await conn.execute(text(query))]
    assert found == [(b, "pension", 2018, "510106")]


async def test_as_of_before_the_latest_import_is_409(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    a = id_number("510402")
    first = csv_bytes(ZH, [[a, "甲", "510402", "低保", "2018-01-01", "", "0", ""]])
    assert (await upload(own_client, first, source=CA, as_of="2018-06-01")).status_code == 201
    later = csv_bytes(ZH, [[a, "甲", "510402", "低保", "2018-01-01", "2018-05-31", "0", ""]])
    body = assert_problem(
        await upload(own_client, later, source=CA, as_of="2018-05-31"),
        409,
        "roster_as_of_before_latest",
    )
    assert "2018-06-01" in body["detail"]
    # Another source has its own order; the same date again is fine.
    assert (await upload(own_client, later, source=PO, as_of="2018-05-31")).status_code == 201
    assert (await upload(own_client, later, source=CA, as_of="2018-06-01")).status_code == 201


# --- file-level problems: 422, nothing stored -----------------------------------------------


async def test_file_level_problems_store_nothing(
    own_client: AsyncClient, own_app: FastAPI, monkeypatch: Any
) -> None:
    engine = own_app.state.engine
    a = id_number("510402")
    good_row = [a, "甲", "510402", "低保", "2018-01-01", "", "0", ""]
    cases: list[tuple[bytes, str]] = [
        (b"", "roster_no_header"),
        (b"\r\n\r\n", "roster_no_header"),
        (csv_bytes(ZH, []), "roster_no_rows"),
        (
            csv_bytes(["身份证号", "姓名", "类别", "起始日期"], [[a, "甲", "低保", "2018-01-01"]]),
            "roster_missing_columns",
        ),
        (csv_bytes([*ZH, "id_number"], [[*good_row, a]]), "roster_duplicate_column"),
        (b"\xff\xfe\xff\xfe\x80\x80", "roster_unreadable"),  # neither UTF-8 nor GB18030
        (csv_bytes(ZH, [good_row]).replace(b"\xe7\x94\xb2", b"\x00"), "roster_unreadable"),
        (b"PK\x03\x04 not really a zip", "roster_unreadable"),
        (csv_bytes(ZH, [good_row])[:-2] + b',"unclosed\r\n', "roster_unreadable"),
    ]
    for data, code in cases:
        body = assert_problem(
            await upload(own_client, data, source=CA, as_of="2018-06-01"), 422, code
        )
        assert body["errors"][0]["loc"] == ["body", "file"], body
    missing = assert_problem(
        await upload(own_client, cases[3][0], source=CA, as_of="2018-06-01", key=ADMIN),
        422,
        "roster_missing_columns",
    )
    assert missing["detail"].endswith("county_code.")
    # Too many rows and too many bytes: the bounds, made small here.
    monkeypatch.setattr("app.roster.parse.MAX_ROWS", 1)
    two = csv_bytes(ZH, [good_row, [id_number("510402"), *good_row[1:]]])
    assert_problem(
        await upload(own_client, two, source=CA, as_of="2018-06-01"), 422, "roster_too_many_rows"
    )
    monkeypatch.setattr("app.roster.endpoints.MAX_FILE_BYTES", 10)
    assert_problem(
        await upload(own_client, two, source=CA, as_of="2018-06-01"), 422, "roster_too_big"
    )
    assert await _count(engine, "SELECT count(*) FROM roster_imports") == 0
    assert await person(engine, a) is None
    monkeypatch.undo()
    # Form fields: an unknown source, a date that is no date, a day after today.
    ok = csv_bytes(ZH, [good_row])
    assert_problem(
        await upload(own_client, ok, source="bank", as_of="2018-06-01"),
        422,
        "validation_error",
        [["body", "source"]],
    )
    assert_problem(
        await upload(own_client, ok, source=CA, as_of="2018-6-1"),
        422,
        "validation_error",
        [["body", "as_of"]],
    )
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert_problem(
        await upload(own_client, ok, source=CA, as_of=tomorrow),
        422,
        "validation_error",
        [["body", "as_of"]],
    )
    assert await _count(engine, "SELECT count(*) FROM roster_imports") == 0


async def test_only_admin_imports_and_hospitals_do_not_read(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    data = csv_bytes(ZH, [[id_number("510402"), "甲", "510402", "低保", "2018-01-01", "", "0", ""]])
    assert_problem(
        await upload(own_client, data, source=CA, as_of="2018-06-01", key=AGENCY), 403, "forbidden"
    )
    hospital = headers(hospital_key("H510402001"))
    assert_problem(await own_client.get("/v1/roster/imports", headers=hospital), 403, "forbidden")
    assert_problem(
        await own_client.get(
            "/v1/roster/imports/00000000-0000-4000-8000-000000000000", headers=headers(AGENCY)
        ),
        404,
        "roster_import_not_found",
    )


# --- the settlement sees the roster ----------------------------------------------------------


async def test_a_roster_category_opens_the_tilted_layer(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    from api.test_settlements import EXAMPLE_1, assert_engine_answer

    # Enrolled by the admin with no category; the poverty office's roster says registered_poor.
    poor, plain = id_number("510402"), id_number("510402")
    for someone in (poor, plain):
        put = await own_client.put(
            f"/v1/persons/{someone}",
            headers=headers(ADMIN),
            json={"name": "测试", "county_code": "510402", "enrolments": [{"year": 2018}]},
        )
        assert put.status_code == 201, put.text
    roster = csv_bytes(ZH, [[poor, "测试", "510402", "建档立卡", "2018-01-01", "", "0", ""]])
    assert (await upload(own_client, roster, source=PO, as_of="2018-06-01")).status_code == 201
    # Discharged 2018-06-12, within the period: docs/rules.md §7 example 1, the registered-poor
    # person's first admission, to the fen (the engine's own answer for that case).
    settled = await settle(own_client, make_bill("RS0001", poor))
    assert settled.status_code == 201, settled.text
    out = settled.json()
    assert out["patient"]["categories"] == ["registered_poor"]
    assert_engine_answer(out, EXAMPLE_1)
    assert any(line["params"].get("target_ratio") for line in out["layers"])  # the tilted layer
    # The same bill for a person the roster does not list: no tilted target applies.
    other = (await settle(own_client, make_bill("RS0002", plain))).json()
    assert other["patient"]["categories"] == []
    assert not any(line["params"].get("target_ratio") for line in other["layers"])
    # A roster that ends the period before the discharge date takes the category away.
    ended = csv_bytes(
        ZH, [[poor, "测试", "510402", "建档立卡", "2018-01-01", "2018-06-11", "0", ""]]
    )
    assert (await upload(own_client, ended, source=PO, as_of="2018-06-30")).status_code == 201
    again = (await settle(own_client, make_bill("RS0003", poor))).json()
    assert again["patient"]["categories"] == []


async def test_the_audit_entry_counts_and_names_no_id_number(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    a, b = id_number("510402"), id_number("510402")
    rows = [
        [a, "甲", "510402", "低保", "2018-01-01", "", "0", ""],
        [b, "乙", "510499", "低保", "2018-01-01", "", "0", ""],  # rejected
    ]
    out = (await upload(own_client, csv_bytes(ZH, rows), source=CA, as_of="2018-06-01")).json()
    async with own_app.state.engine.connect() as conn:
        entity, details, raw = (
            await conn.execute(
                text(
                    "SELECT entity_id, details, details::text FROM audit_log"
                    " WHERE action = 'roster.import'"
                )
            )
        ).one()
    assert entity == out["import_id"]
    assert {k: details[k] for k in ("source", "as_of", "rows", "new", "rejected", "encoding")} == {
        "source": CA,
        "as_of": "2018-06-01",
        "rows": 2,
        "new": 1,
        "rejected": 1,
        "encoding": "utf-8",
    }
    assert details["sha256"] == out["sha256"] and details["persons_created"] == 1
    assert a not in raw and b not in raw  # the errors are not in the audit entry either


async def test_the_admin_put_keeps_roster_periods_and_the_death_date(
    own_client: AsyncClient, own_app: FastAPI
) -> None:
    a = id_number("510402")
    header = [*ZH, "死亡日期"]
    roster = csv_bytes(
        header, [[a, "甲", "510402", "低保", "2018-01-01", "", "0", "", "2018-09-01"]]
    )
    imported = (await upload(own_client, roster, source=CA, as_of="2018-06-01")).json()
    body = {
        "name": "甲",
        "county_code": "510402",
        "enrolments": [{"year": 2018}],
        "categories": [
            {
                "category": "registered_poor",
                "valid_from": "2018-01-01",
                "valid_to": None,
                "exited": True,
                "exit_year": 2018,
            }
        ],
    }
    put = await own_client.put(f"/v1/persons/{a}", headers=headers(ADMIN), json=body)
    assert put.status_code == 200, put.text
    # Both periods: the roster's (source, import) and the admin's (manual, with its 脱贫 mark);
    # the death date the roster gave stays (the body does not name it).
    assert put.json()["death_date"] == "2018-09-01"
    assert sorted(put.json()["categories"], key=lambda c: c["source"]) == [
        {
            "category": "dibao",
            "valid_from": "2018-01-01",
            "valid_to": None,
            "exited": False,
            "exit_year": None,
            "source": CA,
            "import_id": imported["import_id"],
        },
        {
            "category": "registered_poor",
            "valid_from": "2018-01-01",
            "valid_to": None,
            "exited": True,
            "exit_year": 2018,
            "source": "manual",
            "import_id": None,
        },
    ]
    # Sending death_date null clears it; exit_year without exited is refused.
    cleared = await own_client.put(
        f"/v1/persons/{a}", headers=headers(ADMIN), json={**body, "death_date": None}
    )
    assert cleared.json()["death_date"] is None
    bad = {**body, "categories": [{**body["categories"][0], "exited": False}]}
    assert_problem(
        await own_client.put(f"/v1/persons/{a}", headers=headers(ADMIN), json=bad),
        422,
        "validation_error",
        [["body", "categories", 0, "exit_year"]],
    )
