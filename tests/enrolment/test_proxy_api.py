"""Proxy-payment runs through the API, on a database of each test's own (``own_client``): the
county 西区 (510403) with its demo person's categories removed, then exactly the people each
test adds. Figures from the shipped 2018 rules (see test_proxy_lines.py's docstring)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from api.conftest import ADMIN, AGENCY, assert_problem, demo, headers, masked
from fastapi import FastAPI
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.registry.models import PensionEnrolment, Person, PersonEnrolment

from .conftest import COUNTY, add_person, clear_county

__all__ = ["demo"]  # the API tests' fixture: the demo keys on the shared database

RUNS = "/v1/proxy-payments/runs"
ADULT = dt.date(1980, 5, 1)  # 38 at the end of 2018


async def _create(client: AsyncClient, body: dict[str, Any], key: str = ADMIN) -> Any:
    return await client.post(RUNS, json=body, headers=headers(key))


def _by_id(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["id_number"]: line for line in run["lines"]}


def _shares(line: dict[str, Any]) -> dict[str, str]:
    return {s["payer"]: s["amount"] for s in line["shares"]}


def _num(value: Any) -> Decimal:
    """A spreadsheet number as the exact decimal it was written from (0.00 format)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _totals(run: dict[str, Any]) -> dict[str, str]:
    return {t["payer"]: t["amount"] for t in run["totals"]}


async def _count(app: FastAPI, query: Any) -> int:
    async with app.state.sessionmaker() as session:
        return int(await session.scalar(query) or 0)


async def test_medical_run_figures_and_confirm(own_app: FastAPI, own_client: AsyncClient) -> None:
    await clear_county(own_app)
    tekun = await add_person(own_app, ADULT, {"tekun": False})
    dibao = await add_person(own_app, ADULT, {"dibao": False})
    both = await add_person(own_app, ADULT, {"dibao": False, "registered_poor": False})
    manual = await add_person(own_app, ADULT, {"registered_poor": False}, manual_years=(2018,))
    await add_person(own_app, ADULT, {"dibao": False}, death=dt.date(2018, 5, 1))
    await add_person(own_app, ADULT, {"tekun": False}, elsewhere=("medical",))
    await add_person(own_app, ADULT, {})  # no category: not on the roster at all

    response = await _create(own_client, {"scheme": "medical", "year": 2018, "county_code": COUNTY})
    assert response.status_code == 201, response.text
    run = response.json()
    lines = _by_id(run)
    # 特困 full 180.00 (民政); 低保 150.00 (民政) + 30.00 self; 低保+建档立卡 → 建档立卡
    # (priority 2) full 180.00 (扶贫); the admin-enrolled 建档立卡 person is on the list too
    # (180.00, 扶贫).
    assert set(lines) == {masked(n) for n in (tekun, dibao, both, manual)}
    assert _shares(lines[masked(tekun)]) == {"civil_affairs": "180.00"}
    assert _shares(lines[masked(dibao)]) == {"civil_affairs": "150.00", "self": "30.00"}
    assert lines[masked(both)]["category"] == "registered_poor"
    assert _shares(lines[masked(both)]) == {"poverty_office": "180.00"}
    assert _shares(lines[masked(manual)]) == {"poverty_office": "180.00"}
    # Totals: 民政 180 + 150 = 330; 扶贫 180 + 180 = 360; self 30; Σ = 720 = 4 × 180.
    assert _totals(run) == {"civil_affairs": "330.00", "poverty_office": "360.00", "self": "30.00"}
    assert (run["persons"], run["contribution"], run["status"]) == (4, "720.00", "computed")
    assert run["skipped"] == {
        "deceased": 1,
        "not_eligible": 0,
        "enrolled_elsewhere": 1,
        "already_enrolled": 0,
        "not_covered": 0,
    }
    assert [t["payer_name"] for t in run["totals"]] == ["民政（医疗救助）", "扶贫", "个人"]

    # The agency reads it; the list shows it.
    got = await own_client.get(f"{RUNS}/{run['id']}", headers=headers(AGENCY))
    assert got.status_code == 200 and got.json() == run
    listed = await own_client.get(
        RUNS,
        params={"year": 2018, "county_code": COUNTY, "scheme": "medical"},
        headers=headers(AGENCY),
    )
    assert [r["id"] for r in listed.json()["runs"]] == [run["id"]]

    confirmed = await own_client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(ADMIN))
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["status"] == "confirmed" and body["confirmed_at"] is not None
    assert body["lines"] == run["lines"] and body["totals"] == run["totals"]
    # Four enrolments carry the run: three new, the admin's own row adopted (still one row).
    by_run = (
        select(func.count()).select_from(PersonEnrolment).where(PersonEnrolment.run_id == run["id"])
    )
    assert await _count(own_app, by_run) == 4
    manual_rows = (
        select(func.count())
        .select_from(PersonEnrolment)
        .join(Person, Person.id == PersonEnrolment.person_id)
        .where(Person.id_number == manual, PersonEnrolment.year == 2018)
    )
    assert await _count(own_app, manual_rows) == 1

    # Confirming again: the same answer, nothing doubled.
    again = await own_client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(ADMIN))
    assert again.status_code == 200 and again.json() == body
    assert await _count(own_app, by_run) == 4

    # The audit trail has the create and one confirm.
    actions = select(AuditEntry.action).where(AuditEntry.entity_id == run["id"])
    async with own_app.state.sessionmaker() as session:
        assert sorted((await session.scalars(actions)).all()) == [
            "proxy_run.confirm",
            "proxy_run.create",
        ]

    # A re-run skips everyone the confirmed run enrolled, and cannot be confirmed.
    rerun = (
        await _create(own_client, {"scheme": "medical", "year": 2018, "county_code": COUNTY})
    ).json()
    assert (rerun["persons"], rerun["skipped"]["already_enrolled"]) == (0, 4)
    refused = await own_client.post(f"{RUNS}/{rerun['id']}/confirm", headers=headers(ADMIN))
    assert_problem(refused, 409, "run_already_confirmed")


async def test_pension_run_with_top_ups(own_app: FastAPI, own_client: AsyncClient) -> None:
    await clear_county(own_app)
    plain = await add_person(own_app, ADULT, {"dibao": False})
    topped = await add_person(own_app, ADULT, {"tekun": False})
    funded = await add_person(own_app, ADULT, {"registered_poor": False})
    exited = await add_person(own_app, ADULT, {"registered_poor": True})
    await add_person(own_app, dt.date(1950, 3, 1), {"dibao": False})  # 68: draws a pension
    await add_person(own_app, dt.date(2003, 6, 1), {"dibao": False})  # 15 at the end of 2018
    await add_person(own_app, ADULT, {"dibao": False}, elsewhere=("pension",))
    body = {
        "scheme": "pension",
        "year": 2018,
        "county_code": COUNTY,
        "top_ups": [
            {"id_number": topped, "self": "200.00"},
            {"id_number": funded, "third_party": "2500.00", "third_party_name": "某慈善基金会"},
        ],
    }
    response = await _create(own_client, body)
    assert response.status_code == 201, response.text
    run = response.json()
    lines = _by_id(run)
    # plain: 100 代缴, tier 100, subsidy 30.
    assert (lines[masked(plain)]["tier"], lines[masked(plain)]["subsidy"]) == ("100.00", "30.00")
    assert _shares(lines[masked(plain)]) == {"county_finance": "100.00"}
    # topped: 100 + 200 self = 300 → the 300 tier's 40.00.
    assert (lines[masked(topped)]["contribution"], lines[masked(topped)]["subsidy"]) == (
        "300.00",
        "40.00",
    )
    assert _shares(lines[masked(topped)]) == {"county_finance": "100.00", "self": "200.00"}
    # funded: 100 + 2500 asked; 1900 taken (highest tier 2000), 600 refused with the notice.
    f = lines[masked(funded)]
    assert (f["contribution"], f["tier"], f["subsidy"], f["refused"]) == (
        "2000.00",
        "2000.00",
        "60.00",
        "600.00",
    )
    assert _shares(f) == {"county_finance": "100.00", "third_party": "1900.00"}
    assert f["third_party_name"] == "某慈善基金会" and "城镇职工基本养老保险" in f["notice"]
    # exited (脱贫) 建档立卡: include_tuopin_in_daijiao is true → 100 like anyone.
    assert _shares(lines[masked(exited)]) == {"county_finance": "100.00"}
    # Totals: county 4 × 100 = 400; self 200; third party 1900; Σ = 2500 = 100+300+2000+100.
    assert _totals(run) == {"county_finance": "400.00", "self": "200.00", "third_party": "1900.00"}
    assert (run["contribution"], run["subsidy"]) == ("2500.00", "160.00")  # 30+40+60+30
    assert run["subsidy_payer"] == "finance"
    assert run["skipped"]["not_eligible"] == 2 and run["skipped"]["enrolled_elsewhere"] == 1

    confirmed = await own_client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(ADMIN))
    assert confirmed.status_code == 200, confirmed.text
    async with own_app.state.sessionmaker() as session:
        rows = (
            await session.execute(
                select(Person.id_number, PensionEnrolment.tier_fen, PensionEnrolment.subsidy_fen)
                .join(Person, Person.id == PensionEnrolment.person_id)
                .where(PensionEnrolment.run_id == run["id"])
            )
        ).all()
    assert sorted(rows) == sorted(
        [(plain, 10000, 3000), (topped, 30000, 4000), (funded, 200000, 6000), (exited, 10000, 3000)]
    )


async def test_a_stale_run_is_refused(own_app: FastAPI, own_client: AsyncClient) -> None:
    await clear_county(own_app)
    await add_person(own_app, ADULT, {"dibao": False})
    run = (
        await _create(own_client, {"scheme": "pension", "year": 2018, "county_code": COUNTY})
    ).json()
    assert run["persons"] == 1
    # The roster changes: a newcomer. The run no longer says what the roster says.
    await add_person(own_app, ADULT, {"tekun": False})
    stale = await own_client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(ADMIN))
    assert_problem(stale, 409, "run_stale")
    assert await _count(own_app, select(func.count()).select_from(PensionEnrolment)) == 0
    # A fresh run has both and confirms.
    fresh = (
        await _create(own_client, {"scheme": "pension", "year": 2018, "county_code": COUNTY})
    ).json()
    assert fresh["persons"] == 2
    done = await own_client.post(f"{RUNS}/{fresh['id']}/confirm", headers=headers(ADMIN))
    assert done.status_code == 200, done.text
    # The old run now conflicts with the confirmed one first.
    late = await own_client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(ADMIN))
    assert_problem(late, 409, "run_already_confirmed")


async def test_top_up_errors_store_nothing(own_app: FastAPI, own_client: AsyncClient) -> None:
    await clear_county(own_app)
    person = await add_person(own_app, ADULT, {"dibao": False})
    old = await add_person(own_app, dt.date(1950, 1, 1), {"dibao": False})
    body = {
        "scheme": "pension",
        "year": 2018,
        "county_code": COUNTY,
        "top_ups": [
            {"id_number": person, "self": "150.00"},  # 100 + 150 = 250: not a tier
            {"id_number": old, "self": "100.00"},  # not eligible: not in the run
            {"id_number": person, "self": "200.00"},  # twice
        ],
    }
    problem = assert_problem(
        await _create(own_client, body),
        422,
        "invalid_top_ups",
        [
            ["body", "top_ups", 0, "self"],
            ["body", "top_ups", 1, "id_number"],
            ["body", "top_ups", 2, "id_number"],
        ],
    )
    assert "250.00" in problem["errors"][0]["msg"]
    chinese = await own_client.post(
        RUNS, json=body, headers={**headers(ADMIN), "Accept-Language": "zh-CN"}
    )
    zh = assert_problem(chinese, 422, "invalid_top_ups")
    assert zh["detail"].startswith("个人或第三方加缴有误")
    assert zh["errors"][0]["msg"].startswith("叠加后的金额 250.00 元不是缴费档次")
    assert zh["errors"][2]["msg"] == "与 top_ups[0] 是同一人"
    medical = {**body, "scheme": "medical", "top_ups": [{"id_number": person, "self": "10.00"}]}
    assert_problem(
        await _create(own_client, medical), 422, "invalid_top_ups", [["body", "top_ups"]]
    )
    listed = await own_client.get(RUNS, headers=headers(ADMIN))
    assert listed.json()["runs"] == []


async def test_county_and_year_are_checked(client: AsyncClient, demo: None) -> None:
    unknown = await _create(client, {"scheme": "medical", "year": 2018, "county_code": "510499"})
    assert_problem(unknown, 422, "unknown_county", [["body", "county_code"]])
    no_rules = await _create(client, {"scheme": "medical", "year": 2025, "county_code": COUNTY})
    assert_problem(no_rules, 404, "no_enrolment_rules")
    missing = await client.get(
        f"{RUNS}/00000000-0000-4000-8000-000000000000", headers=headers(ADMIN)
    )
    assert_problem(missing, 404, "proxy_run_not_found")


async def test_roles(client: AsyncClient, demo: None) -> None:
    body = {"scheme": "medical", "year": 2018, "county_code": "510422"}
    assert_problem(await _create(client, body, AGENCY), 403, "forbidden")
    assert_problem(await _create(client, body, "demo-H510402001"), 403, "forbidden")
    run = (await _create(client, body)).json()
    for key in (AGENCY, ADMIN):
        assert (await client.get(f"{RUNS}/{run['id']}", headers=headers(key))).status_code == 200
        assert (await client.get(RUNS, headers=headers(key))).status_code == 200
        export = await client.get(f"{RUNS}/{run['id']}/export.xlsx", headers=headers(key))
        assert export.status_code == 200
    hospital = await client.get(f"{RUNS}/{run['id']}", headers=headers("demo-H510402001"))
    assert_problem(hospital, 403, "forbidden")
    agency_confirm = await client.post(f"{RUNS}/{run['id']}/confirm", headers=headers(AGENCY))
    assert_problem(agency_confirm, 403, "forbidden")
    assert_problem(await client.get(RUNS), 401, "unauthorized")


async def test_xlsx_export(own_app: FastAPI, own_client: AsyncClient) -> None:
    await clear_county(own_app)
    topped = await add_person(own_app, ADULT, {"tekun": False}, name="甲")
    plain = await add_person(own_app, ADULT, {"dibao": False}, name="乙")
    body = {
        "scheme": "pension",
        "year": 2018,
        "county_code": COUNTY,
        "top_ups": [{"id_number": topped, "self": "400.00"}],
    }
    run = (await _create(own_client, body)).json()
    response = await own_client.get(f"{RUNS}/{run['id']}/export.xlsx", headers=headers(AGENCY))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[1]
    assert header[:6] == ["身份证号(脱敏)", "姓名", "县区", "类别", "缴费标准", "代缴金额"]
    assert header[-1] == "合计" and "个人缴费" in header and "代缴:县（区）财政" in header
    data = {r[0]: dict(zip(header, r, strict=True)) for r in rows[2:-1]}
    assert set(data) == {masked(topped), masked(plain)}
    # topped: 100 代缴 + 400 self = 500 → the 500 tier, subsidy 60.
    t = data[masked(topped)]
    assert (t["姓名"], t["县区"], t["类别"]) == ("甲", "西区", "特困人员")
    assert (_num(t["缴费标准"]), _num(t["代缴金额"]), _num(t["个人缴费"])) == (500, 100, 400)
    assert (_num(t["政府缴费补贴"]), _num(t["合计"])) == (60, 500)
    # The 合计 row: 代缴 100 + 100 = 200; self 400; subsidy 60 + 30 = 90; total 600.
    total = dict(zip(header, rows[-1], strict=True))
    assert total["身份证号(脱敏)"] == "合计" and total["姓名"] == "2人"
    assert (_num(total["代缴金额"]), _num(total["个人缴费"])) == (200, 400)
    assert (_num(total["政府缴费补贴"]), _num(total["合计"])) == (90, 600)


async def test_concurrent_confirms(own_app: FastAPI, own_client: AsyncClient) -> None:
    # The same run confirmed twice at once and another run of the same county beside them:
    # whichever takes the scheme-year lock first wins; its two confirms both answer 200, the
    # other run's is 409; the one line is recorded once.
    await clear_county(own_app)
    await add_person(own_app, ADULT, {"dibao": False})
    body = {"scheme": "pension", "year": 2018, "county_code": COUNTY}
    first = (await _create(own_client, body)).json()
    second = (await _create(own_client, body)).json()
    answers = await asyncio.gather(
        own_client.post(f"{RUNS}/{first['id']}/confirm", headers=headers(ADMIN)),
        own_client.post(f"{RUNS}/{first['id']}/confirm", headers=headers(ADMIN)),
        own_client.post(f"{RUNS}/{second['id']}/confirm", headers=headers(ADMIN)),
    )
    statuses = [a.status_code for a in answers]
    assert statuses in ([200, 200, 409], [409, 409, 200]), [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json()["code"] == "run_already_confirmed"
    assert await _count(own_app, select(func.count()).select_from(PensionEnrolment)) == 1
