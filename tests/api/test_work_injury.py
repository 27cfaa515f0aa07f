"""/v1/work-injury against the real PostgreSQL: roles, every transition and the refused ones,
deadlines from the calendar, amounts per item, retries that never record money twice, the audit
trail, the ledger and its XLSX. The figures are worked out by hand in the comments (the calendar
arithmetic day by day in tests/work_injury/test_rules.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient, Response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import unique

from app.engine.money import format_fen
from app.work_injury.domain import Recovery, Refused

from .conftest import ADMIN, AGENCY, assert_problem, headers, hospital_key, new_person

pytestmark = pytest.mark.usefixtures("demo")

WI = "demo-work-injury"
BASE = "/v1/work-injury"
CONTRACTOR = "91510400MA6200001X"
EMPLOYER = "91510421MA6200002Y"


def poor_from(day: str = "2018-01-01") -> dict[str, Any]:
    return {"category": "registered_poor", "valid_from": day, "valid_to": None}


async def post(client: AsyncClient, path: str, body: dict[str, Any], key: str = WI) -> Response:
    return await client.post(BASE + path, json=body, headers=headers(key))


def case_body(id_number: str, **changes: Any) -> dict[str, Any]:
    return {
        "case_no": unique("GS"),
        "id_number": id_number,
        "county_code": "510421",
        "employer_name": "米易县某建筑劳务公司",
        "employer_code": EMPLOYER,
        "injury_date": "2018-03-05",
        "recognition_no": "米人社工认〔2018〕12号",
        "recognition_date": "2018-04-02",
        "third_party_liable": False,
        "employer_insured": False,
        **changes,
    }


def employer_claims() -> list[dict[str, Any]]:
    # 8,000.00 + 450.00 + 6,000.00 + 27,000.00 = 41,450.00 claimed.
    return [
        {"item_code": "medical", "amount": "8000.00"},
        {"item_code": "hospital_food", "amount": "450.00"},
        {"item_code": "wages_during_treatment", "amount": "6000.00"},
        {"item_code": "one_off_disability", "amount": "27000.00"},
    ]


PAY_ITEMS = [
    {"item_code": "medical", "amount": "8000.00"},
    {"item_code": "hospital_food", "amount": "450.00"},
    {"item_code": "one_off_disability", "amount": "27000.00"},
]


async def employer_application(
    client: AsyncClient,
    categories: list[dict[str, Any]] | None = None,
    applied_on: str = "2018-04-26",
) -> tuple[str, dict[str, Any]]:
    person = await new_person(client, categories or [])
    case = await post(client, "/cases", case_body(person))
    assert case.status_code == 201, case.text
    case_no = case.json()["case_no"]
    body = {
        "path": "employer_unpaid",
        "trigger": "refuses",
        "applicant": "worker",
        "applied_on": applied_on,
        "claims": employer_claims(),
    }
    application = await post(client, f"/cases/{case_no}/applications", body)
    assert application.status_code == 201, application.text
    return case_no, application.json()


async def paid_application(client: AsyncClient, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    case_no, application = await employer_application(client, **kwargs)
    a = f"/applications/{application['id']}"
    assert (await post(client, f"{a}/reminder", {"sent_on": "2018-04-27"})).status_code == 201
    decided = await post(
        client, f"{a}/decision", {"decision": "pay", "decided_on": "2018-05-08", "items": PAY_ITEMS}
    )
    assert decided.status_code == 201, decided.text
    return case_no, decided.json()


def fen(text: str) -> int:
    """``"35450.00"`` → ``3545000`` (the wire always has 2 decimals)."""
    return int(text.replace(".", ""))


async def audit_actions(engine: AsyncEngine, entity_type: str, entity_id: str) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT action FROM audit_log WHERE entity_type = :t AND entity_id = :i ORDER BY id"
            ),
            {"t": entity_type, "i": entity_id},
        )
        return [r[0] for r in rows]


# -- roles ---------------------------------------------------------------------------------------


async def test_roles(client: AsyncClient) -> None:
    person = await new_person(client)
    body = case_body(person)
    # agency is read-only; a hospital key has no business here; no key is 401.
    assert_problem(await post(client, "/cases", body, AGENCY), 403, "forbidden")
    assert_problem(await post(client, "/cases", body, hospital_key("H510402001")), 403, "forbidden")
    response = await client.post(BASE + "/cases", json=body)
    assert_problem(response, 401, "unauthorized")
    assert_problem(
        await client.get(BASE + "/ledger", headers=headers(hospital_key("H510402001"))),
        403,
        "forbidden",
    )
    # work_injury writes; agency, admin and work_injury read.
    assert (await post(client, "/cases", body, WI)).status_code == 201
    for key in (AGENCY, ADMIN, WI):
        got = await client.get(f"{BASE}/cases/{body['case_no']}", headers=headers(key))
        assert got.status_code == 200, (key, got.text)
    # admin writes too.
    assert (await post(client, "/cases", case_body(person), ADMIN)).status_code == 201
    # The work_injury role reaches nothing else: not the person registry (admin only).
    got = await client.get(f"/v1/persons/{person}", headers=headers(WI))
    assert_problem(got, 403, "forbidden")


async def test_admin_creates_a_work_injury_key(client: AsyncClient) -> None:
    created = await client.post(
        "/v1/api-keys", json={"role": "work_injury", "label": "工伤科"}, headers=headers(ADMIN)
    )
    assert created.status_code == 201, created.text
    secret = created.json()["key"]
    assert created.json()["role"] == "work_injury"
    ledger = await client.get(BASE + "/ledger", headers=headers(secret))
    assert ledger.status_code == 200
    bound = await client.post(
        "/v1/api-keys",
        json={"role": "work_injury", "hospital_code": "H510402001"},
        headers=headers(ADMIN),
    )
    assert_problem(bound, 422, "validation_error")
    revoked = await client.delete(f"/v1/api-keys/{created.json()['id']}", headers=headers(ADMIN))
    assert revoked.status_code == 200


# -- projects ------------------------------------------------------------------------------------


def project_body(workers: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    return {
        "project_no": unique("XM"),
        "name": "米易县安置房一期",
        "county_code": "510421",
        "contractor_name": "攀枝花某建设集团",
        "contractor_code": CONTRACTOR,
        "contract_price": "12345678.90",
        "premium_paid_on": "2018-02-26",
        "work_start_on": "2018-03-01",
        "cover_from": "2018-03-01",
        "cover_to": "2019-02-28",
        "workers": workers,
        **changes,
    }


async def test_project_premium_retry_and_refusals(client: AsyncClient, engine: AsyncEngine) -> None:
    worker = await new_person(client, [poor_from()], county="510421")
    body = project_body([{"id_number": worker, "on_from": "2018-03-01"}])
    created = await post(client, "/projects", body)
    assert created.status_code == 201, created.text
    project = created.json()
    # 12,345,678.90 yuan × 0.00066 = 1,234,567,890 fen × 660 / 1,000,000 = 814,814.8074 fen
    # → 814,815 fen (half up) = 8,148.15 yuan.
    assert (project["contract_price"], project["premium"], project["rate"]) == (
        "12345678.90",
        "8148.15",
        "0.00066",
    )
    assert project["workers"][0]["id_number"] == worker[:4] + "*" * 10 + worker[-4:]
    # The same request again: 200, the stored record; another body under the number: 409.
    again = await post(client, "/projects", body)
    assert again.status_code == 200 and again.json() == project
    assert_problem(await post(client, "/projects", {**body, "name": "别的项目"}), 409, "key_reused")
    assert await audit_actions(engine, "wi_project", body["project_no"]) == [
        "work_injury.project.create"
    ]
    # 先参保、再开工: paid after work starts is refused.
    late = project_body([], premium_paid_on="2018-03-02")
    assert_problem(
        await post(client, "/projects", late),
        422,
        "premium_after_start",
        [["body", "premium_paid_on"]],
    )
    # Strict amounts: an exponent, three decimals, a float-looking JSON number with 3 places.
    for price in ("1e6", "100.001", "１００.00", "-1.00"):
        bad = await post(client, "/projects", project_body([], contract_price=price))
        assert_problem(bad, 422, "validation_error", [["body", "contract_price"]])
    unknown = project_body([{"id_number": "510421199001010013", "on_from": "2018-03-01"}])
    assert_problem(await post(client, "/projects", unknown), 422, "unknown_person")
    # No rate before 2018 (the rules' first rate): no guess.
    early = project_body([], premium_paid_on="2017-06-01", work_start_on="2017-06-01")
    assert_problem(await post(client, "/projects", early), 422, "no_rule")


# -- the employer path (社会保险法 art. 41; 15号令 arts. 6-8, 13) -----------------------------


async def test_employer_path_every_step(client: AsyncClient, engine: AsyncEngine) -> None:
    case_no, application = await employer_application(client, [poor_from()])
    a = f"/applications/{application['id']}"
    # Applied Thu 2018-04-26: the reminder is due the 3rd working day, Wed 05-02 (Sat 04-28 is
    # worked, 04-29..05-01 are 劳动节).
    assert application["status"] == "applied" and application["reminder_needed"]
    assert application["reminder_due_on"] == "2018-05-02"
    assert application["claimed"] == "41450.00"
    # No decision before the reminder; no employer payment before it either.
    pay = {"decision": "pay", "decided_on": "2018-05-08", "items": PAY_ITEMS}
    assert_problem(await post(client, f"{a}/decision", pay), 409, "reminder_required")
    assert_problem(
        await post(client, f"{a}/employer-payment", {"paid_on": "2018-05-03", "amount": "1.00"}),
        409,
        "invalid_transition",
    )
    assert_problem(
        await post(
            client,
            f"{a}/recovery",
            {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-05-09"},
        ),
        409,
        "recovery_needs_payment",
    )
    # Reminder Fri 04-27: the employer has until the 5th working day, Mon 05-07.
    reminded = await post(client, f"{a}/reminder", {"sent_on": "2018-04-27"})
    assert reminded.status_code == 201, reminded.text
    reminder = reminded.json()["reminder"]
    assert (reminder["employer_due_on"], reminder["late"]) == ("2018-05-07", False)
    assert (await post(client, f"{a}/reminder", {"sent_on": "2018-04-27"})).status_code == 200
    assert_problem(
        await post(client, f"{a}/reminder", {"sent_on": "2018-04-28"}), 409, "key_reused"
    )
    # The employer pays 1,000.00 of 41,450.00: still reminded. Its total cannot go down.
    part = await post(
        client, f"{a}/employer-payment", {"paid_on": "2018-05-03", "amount": "1000.00"}
    )
    assert part.status_code == 201 and part.json()["status"] == "reminded"
    assert_problem(
        await post(client, f"{a}/employer-payment", {"paid_on": "2018-05-04", "amount": "999.00"}),
        422,
        "employer_payment_invalid",
    )
    # On the last day (05-07) the deadline is still open.
    on_due = {**pay, "decided_on": "2018-05-07"}
    assert_problem(await post(client, f"{a}/decision", on_due), 409, "employer_deadline_open")
    # The employer's own item (停工留薪, 社会保险法 art. 39) is never advanced.
    with_wages = {
        **pay,
        "items": [*PAY_ITEMS, {"item_code": "wages_during_treatment", "amount": "6000.00"}],
    }
    assert_problem(
        await post(client, f"{a}/decision", with_wages),
        422,
        "item_not_fund_payable",
        [["body", "items", "wages_during_treatment"]],
    )
    # Tue 05-08: 8,000.00 + 450.00 + 27,000.00 = 35,450.00 ≤ 41,450.00 − 1,000.00.
    decided = await post(client, f"{a}/decision", pay)
    assert decided.status_code == 201, decided.text
    decision = decided.json()["decision"]
    assert decided.json()["status"] == "paid"
    assert [(i["item_code"], i["amount"]) for i in decision["items"]] == [
        ("hospital_food", "450.00"),
        ("medical", "8000.00"),
        ("one_off_disability", "27000.00"),
    ]
    assert (decision["total"], decision["yb_refund"], decision["to_worker"]) == (
        "35450.00",
        "0.00",
        "35450.00",
    )
    # A retried decision is the same decision (200); another one is refused; so is a refusal.
    assert (await post(client, f"{a}/decision", pay)).json() == decided.json()
    refuse = {"decision": "refuse", "decided_on": "2018-05-08", "reason": "不符合条件"}
    assert_problem(await post(client, f"{a}/decision", refuse), 409, "key_reused")
    # Recovery: ordered Fri 09-21, + 10 days = Mon 10-01 (国庆节) → Mon 10-08.
    order = {
        "debtor": "employer",
        "debtor_name": "米易县某建筑劳务公司",
        "ordered_on": "2018-09-21",
    }
    assert_problem(
        await post(client, f"{a}/recovery", {**order, "debtor": "third_party"}),
        422,
        "debtor_not_liable",
    )
    assert_problem(
        await post(client, f"{a}/recovery", {**order, "ordered_on": "2018-05-07"}),
        422,
        "date_before_decision",
    )
    ordered = await post(client, f"{a}/recovery", order)
    assert ordered.status_code == 201, ordered.text
    recovery = ordered.json()["recovery"]
    assert (recovery["due_on"], recovery["amount"], recovery["status"]) == (
        "2018-10-08",
        "35450.00",
        "overdue",  # as of today, long after 2018-10-08
    )
    assert (await post(client, f"{a}/recovery", order)).status_code == 200
    r = f"/recoveries/{recovery['id']}"
    first = {"repayment_no": "R1", "paid_on": "2018-10-08", "amount": "10000.00"}
    assert (await post(client, f"{r}/repayments", first)).status_code == 201
    retried = await post(client, f"{r}/repayments", first)
    assert retried.status_code == 200 and retried.json()["repaid"] == "10000.00"
    assert_problem(
        await post(client, f"{r}/repayments", {**first, "amount": "10000.01"}),
        409,
        "repayment_key_reused",
    )
    second = {"repayment_no": "R2", "paid_on": "2018-11-01", "amount": "5000.50"}
    after = (await post(client, f"{r}/repayments", second)).json()
    # 35,450.00 − 10,000.00 − 5,000.50 = 20,449.50 outstanding.
    assert (after["repaid"], after["outstanding"]) == ("15000.50", "20449.50")
    too_much = {"repayment_no": "R3", "paid_on": "2018-11-02", "amount": "20449.51"}
    assert_problem(await post(client, f"{r}/repayments", too_much), 422, "amount_above_outstanding")
    early = {"repayment_no": "R3", "paid_on": "2018-09-20", "amount": "1.00"}
    assert_problem(await post(client, f"{r}/repayments", early), 422, "date_before_order")
    off = {"written_off_on": "2019-06-28", "approval_ref": "米财〔2019〕8号"}
    written = await post(client, f"{r}/write-off", off)
    assert written.status_code == 201, written.text
    assert (written.json()["written_off"], written.json()["status"]) == ("20449.50", "written_off")
    assert (await post(client, f"{r}/write-off", off)).status_code == 200
    assert_problem(
        await post(client, f"{r}/write-off", {**off, "approval_ref": "别的"}), 409, "key_reused"
    )
    assert_problem(
        await post(client, f"{r}/repayments", {**too_much, "amount": "1.00"}),
        409,
        "invalid_transition",
    )
    # The case: 15,000.50 recovered + 0.00 outstanding + 20,449.50 written off = 35,450.00.
    case = (await client.get(f"{BASE}/cases/{case_no}", headers=headers(AGENCY))).json()
    assert (case["advanced"], case["recovered"], case["written_off"], case["outstanding"]) == (
        "35450.00",
        "15000.50",
        "20449.50",
        "0.00",
    )
    assert case["poor_worker"] and case["poor_category"] == "registered_poor"
    assert not case["open"]
    # One audit entry per state change, none for the retries and refusals.
    assert await audit_actions(engine, "wi_application", str(application["id"])) == [
        "work_injury.application.create",
        "work_injury.application.remind",
        "work_injury.application.employer_payment",
        "work_injury.application.pay",
    ]
    assert await audit_actions(engine, "wi_recovery", str(recovery["id"])) == [
        "work_injury.recovery.create",
        "work_injury.recovery.repay",
        "work_injury.recovery.repay",
        "work_injury.recovery.write_off",
    ]


async def test_employer_pays_in_full_and_other_refusals(client: AsyncClient) -> None:
    person = await new_person(client)
    case = (await post(client, "/cases", case_body(person))).json()
    apps = f"/cases/{case['case_no']}/applications"
    body = {
        "path": "employer_unpaid",
        "trigger": "licence_revoked",
        "applicant": "relative",
        "applied_on": "2018-04-02",
        "claims": [{"item_code": "medical", "amount": "500.00"}],
    }
    assert_problem(
        await post(client, apps, {**body, "applied_on": "2018-04-01"}),
        422,
        "applied_before_recognition",
    )
    assert_problem(
        await post(client, apps, {**body, "trigger": None}),
        422,
        "path_not_open",
        [["body", "trigger"]],
    )
    assert_problem(
        await post(client, apps, {**body, "path": "third_party_unpaid", "trigger": None}),
        422,
        "path_not_open",
        [["body", "path"]],
    )
    assert_problem(
        await post(client, apps, {**body, "claims": [{"item_code": "nope", "amount": "1.00"}]}),
        422,
        "unknown_item",
    )
    application = (await post(client, apps, body)).json()
    assert_problem(await post(client, apps, {**body, "applicant": "worker"}), 409, "key_reused")
    a = f"/applications/{application['id']}"
    assert (await post(client, f"{a}/reminder", {"sent_on": "2018-04-03"})).status_code == 201
    paid = await post(
        client, f"{a}/employer-payment", {"paid_on": "2018-04-09", "amount": "500.00"}
    )
    assert paid.json()["status"] == "employer_paid"
    pay = {
        "decision": "pay",
        "decided_on": "2018-05-08",
        "items": [{"item_code": "medical", "amount": "500.00"}],
    }
    assert_problem(await post(client, f"{a}/decision", pay), 409, "invalid_transition")
    refuse = {"decision": "refuse", "decided_on": "2018-05-08", "reason": "已支付"}
    assert_problem(await post(client, f"{a}/decision", refuse), 409, "invalid_transition")
    # Unknown records.
    assert_problem(
        await post(client, "/applications/999999999/reminder", {"sent_on": "2018-04-03"}),
        404,
        "application_not_found",
    )
    assert_problem(
        await post(
            client,
            "/recoveries/999999999/write-off",
            {"written_off_on": "2018-04-03", "approval_ref": "x"},
        ),
        404,
        "recovery_not_found",
    )
    got = await client.get(f"{BASE}/cases/NO-SUCH-CASE", headers=headers(WI))
    assert_problem(got, 404, "case_not_found")


async def test_refusal_then_nothing_more(client: AsyncClient) -> None:
    _, application = await employer_application(client)
    a = f"/applications/{application['id']}"
    refuse = {"decision": "refuse", "decided_on": "2018-04-27", "reason": "用人单位已支付部分待遇"}
    refused = await post(client, f"{a}/decision", refuse)
    assert refused.status_code == 201 and refused.json()["status"] == "refused"
    assert refused.json()["decision"]["total"] == "0.00"
    assert_problem(
        await post(client, f"{a}/reminder", {"sent_on": "2018-04-27"}), 409, "invalid_transition"
    )
    order = {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-05-09"}
    assert_problem(await post(client, f"{a}/recovery", order), 409, "recovery_needs_payment")
    # A refusal needs a reason; a pay decision its items (strict bodies).
    bad = await post(client, f"{a}/decision", {"decision": "refuse", "decided_on": "2018-04-27"})
    assert_problem(bad, 422, "validation_error")


async def test_a_deadline_past_the_calendar_is_refused(client: AsyncClient) -> None:
    person = await new_person(client)
    case = (await post(client, "/cases", case_body(person))).json()
    body = {
        "path": "employer_unpaid",
        "trigger": "other",
        "applicant": "worker",
        "applied_on": "2019-12-30",
        "claims": [{"item_code": "medical", "amount": "1.00"}],
    }
    # Mon 2019-12-30 + 3 working days needs 2020-01-01.., beyond the calendar's 2019-12-31.
    got = await post(client, f"/cases/{case['case_no']}/applications", body)
    assert_problem(got, 422, "calendar_not_covered")


# -- a third-party path with an insured (project-enrolled) employer ------------------------------


async def test_third_party_path_on_an_insured_project(client: AsyncClient) -> None:
    worker = await new_person(client, [poor_from("2019-01-01")], county="510421")
    project = project_body([{"id_number": worker, "on_from": "2018-03-01", "on_to": "2018-12-31"}])
    assert (await post(client, "/projects", project)).status_code == 201
    # Injured 2018-06-20, on the roster and within cover: insured. Poor only from 2019: not poor.
    body = case_body(
        worker,
        project_no=project["project_no"],
        employer_insured=None,
        third_party_liable=True,
        injury_date="2018-06-20",
        recognition_date="2018-07-10",
    )
    case = (await post(client, "/cases", body)).json()
    assert case["employer_insured"] and not case["poor_worker"]
    # employer_insured is derived with a project: giving it is refused.
    assert_problem(
        await post(client, "/cases", {**body, "employer_insured": True}), 422, "validation_error"
    )
    apps = f"/cases/{case['case_no']}/applications"
    application = await post(
        client,
        apps,
        {
            "path": "third_party_unpaid",
            "applicant": "worker",
            "applied_on": "2018-07-11",
            "claims": [
                {"item_code": "medical", "amount": "12000.00"},
                {"item_code": "hospital_food", "amount": "600.00"},
            ],
            "yb_advance": "3000.00",
        },
    )
    assert application.status_code == 201, application.text
    assert not application.json()["reminder_needed"]
    a = f"/applications/{application.json()['id']}"
    # Insured: the fund pays at once (15号令 art. 5 (一)(二)); there is nobody to remind.
    assert_problem(
        await post(client, f"{a}/reminder", {"sent_on": "2018-07-12"}), 409, "reminder_not_needed"
    )
    food = {
        "decision": "pay",
        "decided_on": "2018-07-12",
        "items": [{"item_code": "hospital_food", "amount": "600.00"}],
    }
    assert_problem(await post(client, f"{a}/decision", food), 422, "item_not_on_path")
    pay = {
        "decision": "pay",
        "decided_on": "2018-07-12",
        "items": [{"item_code": "medical", "amount": "12000.00"}],
    }
    decision = (await post(client, f"{a}/decision", pay)).json()["decision"]
    # 12,000.00 advanced; 3,000.00 of it refunds the 医保 advance; 9,000.00 to the worker.
    assert (decision["total"], decision["yb_refund"], decision["to_worker"]) == (
        "12000.00",
        "3000.00",
        "9000.00",
    )
    order = {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-07-13"}
    assert_problem(await post(client, f"{a}/recovery", order), 422, "debtor_not_liable")
    # Order Wed 2018-06-06 style: Fri 07-13 + 10 = Mon 07-23, a working day.
    third = {"debtor": "third_party", "debtor_name": "肇事司机", "ordered_on": "2018-07-13"}
    recovery = (await post(client, f"{a}/recovery", third)).json()["recovery"]
    assert recovery["due_on"] == "2018-07-23"


# -- retries at once -----------------------------------------------------------------------------


async def test_the_same_repayment_sent_twice_at_once_is_recorded_once(client: AsyncClient) -> None:
    _, application = await paid_application(client)
    a = f"/applications/{application['id']}"
    order = {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-05-09"}
    recovery = (await post(client, f"{a}/recovery", order)).json()["recovery"]
    body = {"repayment_no": "SAME", "paid_on": "2018-05-10", "amount": "100.00"}
    answers = await asyncio.gather(
        *(post(client, f"/recoveries/{recovery['id']}/repayments", body) for _ in range(4))
    )
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201]
    assert {r.json()["repaid"] for r in answers} == {"100.00"}


# -- the property against the database -----------------------------------------------------------

ops = st.lists(
    st.tuples(
        st.sampled_from(["repay", "repay", "retry", "write_off"]),
        st.integers(0, 40),
        st.integers(1, 2_000_000),
    ),
    max_size=8,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=ops)
async def test_recovered_outstanding_written_off_add_up_for_every_case(
    client: AsyncClient, plan: list[tuple[str, int, int]]
) -> None:
    case_no, application = await paid_application(client)
    a = f"/applications/{application['id']}"
    ordered = dt.date(2018, 5, 9)
    order = {"debtor": "employer", "debtor_name": "x", "ordered_on": ordered.isoformat()}
    recovery = (await post(client, f"{a}/recovery", order)).json()["recovery"]
    r = f"/recoveries/{recovery['id']}"
    model = Recovery(3_545_000, ordered, dt.date(2018, 5, 21))
    last: dict[str, Any] | None = None
    for n, (kind, offset, amount) in enumerate(plan):
        day = ordered + dt.timedelta(days=offset)
        if kind == "write_off":
            got = await post(
                client, f"{r}/write-off", {"written_off_on": day.isoformat(), "approval_ref": "A"}
            )
            try:
                model, _ = model.write_off(day)
            except Refused:
                assert got.status_code in (409, 422)
            continue
        if kind == "retry" and last is not None:
            body = last
        else:
            body = {
                "repayment_no": f"N{n}",
                "paid_on": day.isoformat(),
                "amount": format_fen(amount),
            }
        got = await post(client, f"{r}/repayments", body)
        paid_on = dt.date.fromisoformat(body["paid_on"])
        try:
            model, created = model.repay(body["repayment_no"], paid_on, fen(body["amount"]))
            assert got.status_code == (201 if created else 200), got.text
            last = body
        except Refused:
            assert got.status_code in (409, 422), got.text
    case = (await client.get(f"{BASE}/cases/{case_no}", headers=headers(WI))).json()
    assert fen(case["recovered"]) + fen(case["outstanding"]) + fen(case["written_off"]) == fen(
        case["advanced"]
    )
    assert (fen(case["recovered"]), fen(case["written_off"]), fen(case["outstanding"])) == (
        model.repaid_fen,
        model.written_off_fen,
        model.outstanding_fen,
    )


# -- the ledger ----------------------------------------------------------------------------------


async def test_ledger_per_county_and_xlsx(own_client: AsyncClient) -> None:
    client = own_client
    # County 510421: a poor worker's case advanced 35,450.00 (employer path), ordered
    # 2018-09-21 due 10-08, repaid 10,000.00 on 10-08; a second, non-poor case advanced
    # 35,450.00 and not yet ordered. County 510402: one case applied, undecided.
    case_a, app_a = await paid_application(client, categories=[poor_from()])
    order = {"debtor": "employer", "debtor_name": "x", "ordered_on": "2018-09-21"}
    recovery = (await post(client, f"/applications/{app_a['id']}/recovery", order)).json()[
        "recovery"
    ]
    repay = {"repayment_no": "L1", "paid_on": "2018-10-08", "amount": "10000.00"}
    assert (
        await post(client, f"/recoveries/{recovery['id']}/repayments", repay)
    ).status_code == 201
    await paid_application(client)
    person = await new_person(client)
    other = (await post(client, "/cases", case_body(person, county_code="510402"))).json()
    await post(
        client,
        f"/cases/{other['case_no']}/applications",
        {
            "path": "employer_unpaid",
            "trigger": "refuses",
            "applicant": "worker",
            "applied_on": "2018-04-26",
            "claims": [{"item_code": "medical", "amount": "100.00"}],
        },
    )
    ledger = (await client.get(BASE + "/ledger?as_of=2018-10-09", headers=headers(AGENCY))).json()
    rows = {row["county_code"]: row for row in ledger["rows"]}
    mi = rows["510421"]
    # Advanced 35,450.00 × 2 = 70,900.00; recovered 10,000.00; outstanding 60,900.00; the
    # recovery past its due day (10-08 < 10-09) with 25,450.00 left is overdue; the poor
    # share 35,450.00 / 70,900.00 = 0.5000.
    assert (mi["cases"], mi["open_cases"], mi["poor_cases"]) == (2, 2, 1)
    assert (mi["advanced"], mi["recovered"], mi["outstanding"], mi["overdue"]) == (
        "70900.00",
        "10000.00",
        "60900.00",
        "25450.00",
    )
    assert (mi["written_off"], mi["poor_advanced"], mi["poor_share"]) == (
        "0.00",
        "35450.00",
        "0.5000",
    )
    east = rows["510402"]
    assert (east["cases"], east["open_cases"], east["advanced"], east["poor_share"]) == (
        1,
        1,
        "0.00",
        None,
    )
    assert ledger["total"]["advanced"] == "70900.00" and ledger["total"]["cases"] == 3
    # As of 2018-10-08 (the due day itself) nothing is overdue yet; as of 2018-05-07 nothing
    # was advanced (the decisions are of 05-08).
    on_due = (
        await client.get(BASE + "/ledger?as_of=2018-10-08&county_code=510421", headers=headers(WI))
    ).json()
    assert on_due["rows"][0]["overdue"] == "0.00"
    before = (await client.get(BASE + "/ledger?as_of=2018-05-07", headers=headers(WI))).json()
    assert before["total"]["advanced"] == "0.00"
    # Strict query parameters.
    bad = await client.get(BASE + "/ledger?as_of=20181009", headers=headers(WI))
    assert_problem(bad, 422, "validation_error")
    # The XLSX: Chinese headers, the same figures as numbers.
    got = await client.get(BASE + "/ledger.xlsx?as_of=2018-10-09", headers=headers(AGENCY))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(got.content), read_only=True).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[1][:5] == ("县（区）", "案件数", "未结案件数", "贫困劳动力案件数", "先行支付金额")
    by_county = {row[0]: row for row in table[2:]}
    assert by_county["510421"][4] == Decimal("70900") and by_county["510421"][10] == Decimal("0.5")
    assert by_county["合计"][1] == 3
    # The list of cases.
    cases = (await client.get(BASE + "/cases?county_code=510421", headers=headers(AGENCY))).json()
    assert {c["case_no"] for c in cases} >= {case_a}
    assert len(cases) == 2
