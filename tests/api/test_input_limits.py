"""Values that pass the schema but that PostgreSQL or the clock cannot represent are 422, never 500
(found by schemathesis)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from support import unique

from .conftest import (
    ADMIN,
    assert_problem,
    bill_no,
    headers,
    hospital_key,
    make_bill,
    new_id_number,
    new_person,
    person_body,
    preview,
)

pytestmark = pytest.mark.usefixtures("demo")


async def test_nul_character_in_text_is_422(client: AsyncClient) -> None:
    item = {"name": "a\u0000b", "grade": "C", "self_pay_ratio": "0", "valid_from": "2018-01-01"}
    response = await client.put("/v1/catalog/NUL1", headers=headers(ADMIN), json=item)
    assert_problem(response, 422, "invalid_character", [["body", "name"]])
    response = await client.get("/v1/audit", headers=headers(ADMIN), params={"action": "\u0000"})
    assert_problem(response, 422, "invalid_character", [["query", "action"]])
    assert (await client.get("/v1/catalog/NUL1", headers=headers(ADMIN))).status_code == 404


async def test_nul_in_any_text_field_is_refused_at_validation_naming_it(
    client: AsyncClient,
) -> None:
    # Issue 11 item 8: U+0000 reached PostgreSQL, which refused it (422 invalid_character with
    # empty errors), or, in patient.name (never stored), was accepted with 201. Now every text
    # field refuses it first: invalid_character, the field in errors[].loc, nothing stored.
    nul = "a\u0000b"
    admin, hospital = headers(ADMIN), headers(hospital_key("H510402001"))
    person = await new_person(client)

    for loc, change in (
        (["body", "patient", "name"], lambda b: b["patient"].update(name=nul)),
        (["body", "items", 2, "name"], lambda b: b["items"][2].update(name=nul)),
    ):
        bill = make_bill(bill_no(), person)
        change(bill)
        response = await client.post("/v1/settlements", headers=hospital, json=bill)
        assert_problem(response, 422, "invalid_character", [loc])
        found = await client.get(
            "/v1/settlements",
            headers=hospital,
            params={"hospital_code": "H510402001", "bill_no": bill["bill_no"]},
        )
        assert_problem(found, 404, "settlement_not_found")

    id_number = new_id_number()
    response = await client.put(
        f"/v1/persons/{id_number}", headers=admin, json=person_body(name=nul)
    )
    assert_problem(response, 422, "invalid_character", [["body", "name"]])
    assert_problem(
        await client.get(f"/v1/persons/{id_number}", headers=admin), 404, "person_not_found"
    )

    code = unique("HN")
    hospital_body = {"name": nul, "level": "primary", "county_code": "510402", "designated": True}
    response = await client.put(f"/v1/hospitals/{code}", headers=admin, json=hospital_body)
    assert_problem(response, 422, "invalid_character", [["body", "name"]])
    assert_problem(
        await client.get(f"/v1/hospitals/{code}", headers=admin), 404, "hospital_not_found"
    )

    keys_before = (await client.get("/v1/api-keys", headers=admin)).json()
    response = await client.post(
        "/v1/api-keys", headers=admin, json={"role": "agency", "label": nul}
    )
    assert_problem(response, 422, "invalid_character", [["body", "label"]])
    assert (await client.get("/v1/api-keys", headers=admin)).json() == keys_before

    settled = await client.post(
        "/v1/settlements", headers=hospital, json=make_bill(bill_no(), person)
    )
    assert settled.status_code == 201, settled.text
    url = f"/v1/settlements/{settled.json()['settlement_id']}"
    response = await client.post(f"{url}/reversal", headers=hospital, json={"reason": nul})
    assert_problem(response, 422, "invalid_character", [["body", "reason"]])
    assert (await client.get(url, headers=hospital)).json()["status"] == "settled"

    for name in ("action", "entity_type", "entity_id"):
        response = await client.get("/v1/audit", headers=admin, params={name: nul})
        assert_problem(response, 422, "invalid_character", [["query", name]])

    # With another fault beside it, the request is a plain validation_error listing both.
    bill = make_bill(bill_no(), person)
    bill["items"][0].update(name=nul, amount="1.234")
    response = await client.post("/v1/settlements", headers=hospital, json=bill)
    assert_problem(
        response,
        422,
        "validation_error",
        [["body", "items", 0, "name"], ["body", "items", 0, "amount"]],
    )


async def test_body_that_is_not_utf8_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/v1/settlements/preview",
        headers={**headers(hospital_key("H510402001")), "content-type": "application/json"},
        content=b'{"bill_no": "\xff\xfe"}',
    )
    assert_problem(response, 422, "validation_error", locs=[["body"]])


@pytest.mark.parametrize(
    ("date_from", "date_to", "loc"),
    [
        ("0001-01-01", "2018-01-01", "date_from"),  # its Asia/Shanghai midnight is in year 0
        ("2018-01-01", "9999-12-31", "date_to"),  # the day after does not exist
    ],
)
async def test_reconciliation_dates_out_of_range_are_422(
    client: AsyncClient, date_from: str, date_to: str, loc: str
) -> None:
    days = {"date_from": date_from, "date_to": date_to}
    key = headers("demo-agency")
    for path in ("totals", "settlements", "poverty-ledger"):
        response = await client.get(f"/v1/reconciliation/{path}", headers=key, params=days)
        assert_problem(response, 422, "validation_error", locs=[["query", loc]])
    books = {"hospital_code": "H510402001", **days, "funds": []}
    response = await client.post("/v1/reconciliation/check", headers=key, json=books)
    assert_problem(response, 422, "validation_error", locs=[["body", loc]])


async def test_audit_after_id_beyond_bigint_is_422(client: AsyncClient) -> None:
    response = await client.get("/v1/audit", headers=headers(ADMIN), params={"after_id": 2**63})
    assert_problem(response, 422, "validation_error", locs=[["query", "after_id"]])


@pytest.mark.parametrize("written", ["1_0", " 10", "10 ", "+10", "10.0", "１０"])
async def test_an_integer_query_parameter_is_ascii_digits_only(
    client: AsyncClient, written: str
) -> None:
    """pydantic's lax int read "1_0", " 10", "+10" and "10.0" as 10 (the brief: parse strictly,
    no silent coercion); the same pages asked for with "10" answer."""
    q = {"date_from": "2018-06-01", "date_to": "2018-06-30"}
    for path, params, name in (
        ("/v1/reconciliation/settlements", {**q, "limit": written}, "limit"),
        ("/v1/audit", {"limit": written}, "limit"),
        ("/v1/audit", {"after_id": written}, "after_id"),
    ):
        response = await client.get(path, headers=headers(ADMIN), params=params)
        assert_problem(response, 422, "validation_error", locs=[["query", name]])
        plain = {k: ("10" if v == written else v) for k, v in params.items()}
        assert (await client.get(path, headers=headers(ADMIN), params=plain)).status_code == 200


# Issue 11 item 4: pydantic's lax date took 0 as 1970-01-01 (Unix time) and a datetime at
# midnight as its day; a date is a string YYYY-MM-DD in ASCII digits naming a real day, nowhere
# anything else (body or query).
NOT_DATES = [
    0,
    1527811200,
    "2018-06-01T00:00:00",
    "20180601",
    "2018-6-1",
    "２０18-06-01",
    "2018-02-30",
]


@pytest.mark.parametrize("not_a_date", NOT_DATES)
async def test_a_date_is_a_yyyy_mm_dd_string_everywhere(
    client: AsyncClient, not_a_date: object
) -> None:
    person = await new_person(client)
    for field in ("admission_date", "discharge_date"):
        bill = make_bill(bill_no(), person) | {field: not_a_date}
        assert_problem(await preview(client, bill), 422, "validation_error", [["body", field]])

    id_number = new_id_number()
    category = {"category": "dibao", "valid_from": not_a_date, "valid_to": None}
    response = await client.put(
        f"/v1/persons/{id_number}", headers=headers(ADMIN), json=person_body([category])
    )
    assert_problem(response, 422, "validation_error", [["body", "categories", 0, "valid_from"]])
    got = await client.get(f"/v1/persons/{id_number}", headers=headers(ADMIN))
    assert_problem(got, 404, "person_not_found")  # nothing stored
    entry = {"name": "x", "grade": "A", "valid_from": "2018-01-01", "valid_to": not_a_date}
    response = await client.put("/v1/catalog/DATE1", headers=headers(ADMIN), json=entry)
    assert_problem(response, 422, "validation_error", [["body", "valid_to"]])

    key = headers("demo-agency")
    for name in ("date_from", "date_to"):
        days = {"date_from": "2018-01-01", "date_to": "2018-12-31", name: str(not_a_date)}
        for path in ("totals", "settlements", "poverty-ledger"):
            response = await client.get(f"/v1/reconciliation/{path}", headers=key, params=days)
            assert_problem(response, 422, "validation_error", [["query", name]])
        books = {"hospital_code": "H510402001", **days, name: not_a_date, "funds": []}
        response = await client.post("/v1/reconciliation/check", headers=key, json=books)
        assert_problem(response, 422, "validation_error", [["body", name]])


async def test_max_length_counts_the_text_as_sent(client: AsyncClient) -> None:
    # Issue 11 item 10: the models strip surrounding whitespace, and pydantic measured the length
    # after stripping, so 200 characters and a space (201 sent) passed a documented maxLength of
    # 200. The length is of what was sent; stripping still happens after.
    admin, hospital = headers(ADMIN), headers(hospital_key("H510402001"))
    code = unique("HL")
    body = {
        "name": "医" * 200 + " ",
        "level": "primary",
        "county_code": "510402",
        "designated": True,
    }
    response = await client.put(f"/v1/hospitals/{code}", headers=admin, json=body)
    assert_problem(response, 422, "validation_error", [["body", "name"]])
    assert_problem(
        await client.get(f"/v1/hospitals/{code}", headers=admin), 404, "hospital_not_found"
    )
    body["name"] = " " + "医" * 199  # 200 sent: taken, stored stripped (199)
    response = await client.put(f"/v1/hospitals/{code}", headers=admin, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "医" * 199

    response = await client.put(
        f"/v1/persons/{new_id_number()}", headers=admin, json=person_body(name=" " + "张" * 100)
    )
    assert_problem(response, 422, "validation_error", [["body", "name"]])
    entry = {"name": "项" * 200 + "\n", "grade": "A", "valid_from": "2018-01-01"}
    response = await client.put("/v1/catalog/LEN1", headers=admin, json=entry)
    assert_problem(response, 422, "validation_error", [["body", "name"]])
    response = await client.post(
        "/v1/api-keys", headers=admin, json={"role": "agency", "label": "k" * 200 + " "}
    )
    assert_problem(response, 422, "validation_error", [["body", "label"]])

    person = await new_person(client)
    bill = make_bill(bill_no(), person)
    bill["patient"]["name"] = "患" * 100 + " "
    bill["items"][0]["name"] = " " + "药" * 200
    response = await client.post("/v1/settlements", headers=hospital, json=bill)
    assert_problem(
        response,
        422,
        "validation_error",
        [["body", "patient", "name"], ["body", "items", 0, "name"]],
    )
    assert_problem(
        await client.get(
            "/v1/settlements",
            headers=hospital,
            params={"hospital_code": "H510402001", "bill_no": bill["bill_no"]},
        ),
        404,
        "settlement_not_found",
    )
