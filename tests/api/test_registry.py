"""Registries (docs/api.md "Registries"): PUT creates (201) or replaces (200), GET returns what was
put; bad input is a 422 naming the field; only admin keys write; API keys."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support import unique

from .conftest import (
    ADMIN,
    AGENCY,
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


def _code(prefix: str) -> str:
    return unique(prefix)


def _hospital(**changes: Any) -> dict[str, Any]:
    return {
        "name": "测试医院",
        "level": "secondary",
        "county_code": "510411",
        "designated": True,
        **changes,
    }


def _catalog(**changes: Any) -> dict[str, Any]:
    return {
        "name": "测试项目",
        "grade": "B",
        "self_pay_ratio": "0.10",
        "price_cap": None,
        "valid_from": "2018-01-01",
        "valid_to": None,
        **changes,
    }


# --- hospitals ------------------------------------------------------------------------------


async def test_hospital_put_creates_then_replaces(client: AsyncClient) -> None:
    code = _code("HT")
    created = await client.put(f"/v1/hospitals/{code}", headers=headers(ADMIN), json=_hospital())
    assert created.status_code == 201, created.text
    assert created.json() == {"code": code, **_hospital()}
    got = await client.get(f"/v1/hospitals/{code}", headers=headers(ADMIN))
    assert got.status_code == 200
    assert got.json() == {"code": code, **_hospital()}

    changed = _hospital(name="改名医院", level="tertiary", county_code="510422", designated=False)
    replaced = await client.put(f"/v1/hospitals/{code}", headers=headers(ADMIN), json=changed)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == {"code": code, **changed}
    # any authenticated role reads hospitals
    for key in (ADMIN, AGENCY, hospital_key("H510402001")):
        got = await client.get(f"/v1/hospitals/{code}", headers=headers(key))
        assert got.status_code == 200
        assert got.json() == {"code": code, **changed}


@pytest.mark.parametrize(
    ("field", "value"),
    [("level", "quaternary"), ("county_code", "51040"), ("designated", "maybe"), ("name", "")],
)
async def test_hospital_bad_field_is_named(client: AsyncClient, field: str, value: Any) -> None:
    code = _code("HT")
    response = await client.put(
        f"/v1/hospitals/{code}", headers=headers(ADMIN), json=_hospital(**{field: value})
    )
    assert_problem(response, 422, "validation_error", [["body", field]])
    assert_problem(
        await client.get(f"/v1/hospitals/{code}", headers=headers(ADMIN)), 404, "hospital_not_found"
    )


async def test_hospital_missing_and_extra_fields(client: AsyncClient) -> None:
    code = _code("HT")
    body = _hospital()
    del body["level"]
    response = await client.put(f"/v1/hospitals/{code}", headers=headers(ADMIN), json=body)
    assert_problem(response, 422, "validation_error", [["body", "level"]])
    response = await client.put(
        f"/v1/hospitals/{code}", headers=headers(ADMIN), json=_hospital(beds=100)
    )
    assert_problem(response, 422, "validation_error", [["body", "beds"]])


# --- persons --------------------------------------------------------------------------------


def _as_stored(id_number: str, body: dict[str, Any]) -> dict[str, Any]:
    """What PUT and GET answer for ``body``: each category as stored (``source`` manual, no
    import, not exited) and the person's death date (none)."""
    extra = {"exited": False, "exit_year": None, "source": "manual", "import_id": None}
    return {
        "id_number": id_number,
        **body,
        "categories": [{**c, **extra} for c in body["categories"]],
        "death_date": None,
    }


async def test_person_put_creates_then_replaces(client: AsyncClient) -> None:
    id_number = new_id_number("510421")
    body = person_body(["registered_poor"], county="510421", years=(2018,))
    created = await client.put(f"/v1/persons/{id_number}", headers=headers(ADMIN), json=body)
    assert created.status_code == 201, created.text
    assert created.json() == _as_stored(id_number, body)
    got = await client.get(f"/v1/persons/{id_number}", headers=headers(ADMIN))
    assert got.status_code == 200
    assert got.json() == _as_stored(id_number, body)

    changed = person_body(
        [
            {"category": "dibao", "valid_from": "2018-03-01", "valid_to": "2018-12-31"},
            {"category": "tekun", "valid_from": "2019-01-01", "valid_to": None},
        ],
        county="510422",
        years=(2018, 2019),
    )
    changed["name"] = "改名"
    replaced = await client.put(f"/v1/persons/{id_number}", headers=headers(ADMIN), json=changed)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json() == _as_stored(id_number, changed)
    got = await client.get(f"/v1/persons/{id_number}", headers=headers(ADMIN))
    assert got.json() == _as_stored(id_number, changed)

    # replacing with no categories and no enrolments really removes them
    bare = person_body([], county="510422", years=())
    assert (
        await client.put(f"/v1/persons/{id_number}", headers=headers(ADMIN), json=bare)
    ).status_code == 200
    assert (
        await client.get(f"/v1/persons/{id_number}", headers=headers(ADMIN))
    ).json() == _as_stored(id_number, bare)


async def test_person_invalid_checksum(client: AsyncClient) -> None:
    valid = new_id_number()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    response = await client.put(f"/v1/persons/{wrong}", headers=headers(ADMIN), json=person_body())
    body = assert_problem(response, 422, "invalid_id_number", [["path", "id_number"]])
    assert "checksum" in body["errors"][0]["msg"]
    assert_problem(
        await client.get(f"/v1/persons/{wrong}", headers=headers(ADMIN)), 404, "person_not_found"
    )


async def test_person_id_of_wrong_shape(client: AsyncClient) -> None:
    response = await client.put(
        "/v1/persons/51040219500101001", headers=headers(ADMIN), json=person_body()
    )
    assert_problem(response, 422, "validation_error", [["path", "id_number"]])


def _in_other_digits(id_number: str, zero: str) -> str:
    """The same ID with its 17 leading digits written in another script (``zero`` is that
    script's 0), the check character kept: ``５１０４…4`` for fullwidth."""
    return "".join(chr(ord(zero) + int(d)) for d in id_number[:17]) + id_number[17]


async def test_person_id_in_other_digits_is_refused_and_nothing_is_stored(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    # Issue 11 item 1: the fullwidth twin of a registered ID passed \d{17} and, since int()
    # reads "５" as 5, the checksum too: 201, a second person with fresh caps for the same ID.
    # Only ASCII 0-9 (and X last) are ID digits, so each twin is 422 at the path.
    id_number = await new_person(client)
    twins = [
        _in_other_digits(id_number, "\uff10"),  # fullwidth ０
        _in_other_digits(id_number, "\u0660"),  # Arabic-Indic ٠
        id_number[:17] + "\uff38" if id_number[17] == "X" else id_number[:17] + "\uff14",
    ]
    for twin in twins:
        assert twin != id_number and len(twin) == 18
        url = f"/v1/persons/{twin}"
        response = await client.put(url, headers=headers(ADMIN), json=person_body())
        assert_problem(response, 422, "validation_error", [["path", "id_number"]])
        response = await client.get(url, headers=headers(ADMIN))
        assert_problem(response, 422, "validation_error", [["path", "id_number"]])
        # nor can a bill name the person that way
        bill = make_bill(bill_no(), twin)
        assert_problem(
            await preview(client, bill), 422, "validation_error", [["body", "patient", "id_number"]]
        )
    async with engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM persons WHERE id_number = ANY(:twins)"), {"twins": twins}
        )
    assert stored == 0


async def test_person_bad_fields_are_named(client: AsyncClient) -> None:
    id_number = new_id_number()
    url = f"/v1/persons/{id_number}"
    bad_category = person_body([{"category": "rich", "valid_from": "2018-01-01", "valid_to": None}])
    response = await client.put(url, headers=headers(ADMIN), json=bad_category)
    assert_problem(response, 422, "validation_error", [["body", "categories", 0, "category"]])

    bad_year = person_body(years=(2018,))
    bad_year["enrolments"] = [{"year": "twenty"}]
    response = await client.put(url, headers=headers(ADMIN), json=bad_year)
    assert_problem(response, 422, "validation_error", [["body", "enrolments", 0, "year"]])

    backwards = person_body(
        [{"category": "dibao", "valid_from": "2018-06-01", "valid_to": "2018-05-31"}]
    )
    response = await client.put(url, headers=headers(ADMIN), json=backwards)
    body = assert_problem(response, 422, "validation_error")
    (error,) = body["errors"]
    assert error["loc"][:3] == ["body", "categories", 0]
    assert error["loc"][-1] == "valid_to"

    twice = person_body(years=(2018,))
    twice["enrolments"] = [{"year": 2018}, {"year": 2018}]
    response = await client.put(url, headers=headers(ADMIN), json=twice)
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "enrolments"]

    assert_problem(await client.get(url, headers=headers(ADMIN)), 404, "person_not_found")


# --- catalogue ------------------------------------------------------------------------------


async def test_catalog_put_creates_then_replaces(client: AsyncClient) -> None:
    code = _code("XT")
    put = _catalog(price_cap="800.00")
    created = await client.put(f"/v1/catalog/{code}", headers=headers(ADMIN), json=put)
    assert created.status_code == 201, created.text
    got = await client.get(f"/v1/catalog/{code}", headers=headers(hospital_key("H510402001")))
    assert got.status_code == 200
    for response in (created, got):
        out = response.json()
        assert out["code"] == code
        assert {k: out[k] for k in ("name", "grade", "valid_from", "valid_to")} == {
            k: put[k] for k in ("name", "grade", "valid_from", "valid_to")
        }
        # decimals come back as decimal strings; their value is what was put
        assert Decimal(out["self_pay_ratio"]) == Decimal("0.10")
        assert Decimal(out["price_cap"]) == Decimal("800.00")

    changed = _catalog(
        name="换名",
        grade="A",
        self_pay_ratio="0",
        price_cap=None,
        valid_from="2018-01-01",
        valid_to="2018-12-31",
    )
    replaced = await client.put(f"/v1/catalog/{code}", headers=headers(ADMIN), json=changed)
    assert replaced.status_code == 200, replaced.text
    got = (await client.get(f"/v1/catalog/{code}", headers=headers(AGENCY))).json()
    assert got["grade"] == "A"
    assert got["name"] == "换名"
    assert Decimal(got["self_pay_ratio"]) == 0
    assert got["price_cap"] is None
    assert got["valid_to"] == "2018-12-31"


async def test_catalog_numbers_are_read_by_their_text(client: AsyncClient) -> None:
    # Issue 11 item 3 beyond bills: a JSON number keeps its text on every route, so 8e2 (800.0
    # as a float) is refused as not a plain decimal, while 800.50 and 0.1 are taken as written.
    url = f"/v1/catalog/{_code('XT')}"
    raw_headers = {**headers(ADMIN), "content-type": "application/json"}
    template = json.dumps(_catalog(price_cap="__CAP__", self_pay_ratio="__RATIO__"))
    for cap, ratio, loc in (("8e2", "0.1", "price_cap"), ("800.50", "1e-1", "self_pay_ratio")):
        raw = template.replace('"__CAP__"', cap).replace('"__RATIO__"', ratio)
        response = await client.put(url, content=raw, headers=raw_headers)
        assert_problem(response, 422, "validation_error", [["body", loc]])
    assert_problem(await client.get(url, headers=headers(ADMIN)), 404, "catalog_item_not_found")
    raw = template.replace('"__CAP__"', "800.50").replace('"__RATIO__"', "0.1")
    created = await client.put(url, content=raw, headers=raw_headers)
    assert created.status_code == 201, created.text
    assert (created.json()["price_cap"], created.json()["self_pay_ratio"]) == ("800.50", "0.10")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("self_pay_ratio", "1.5"),  # above 1
        ("self_pay_ratio", "0.12345"),  # 5 decimals: at most 4
        ("self_pay_ratio", 0.12345),
        ("self_pay_ratio", "-0.1"),
        ("self_pay_ratio", True),
        ("grade", "D"),
        ("price_cap", "12.34567"),  # prices: at most 4 decimals
        ("valid_from", "2018-02-30"),
    ],
)
async def test_catalog_bad_field_is_named(client: AsyncClient, field: str, value: Any) -> None:
    code = _code("XT")
    response = await client.put(
        f"/v1/catalog/{code}", headers=headers(ADMIN), json=_catalog(**{field: value})
    )
    assert_problem(response, 422, "validation_error", [["body", field]])
    assert_problem(
        await client.get(f"/v1/catalog/{code}", headers=headers(ADMIN)),
        404,
        "catalog_item_not_found",
    )


async def test_catalog_valid_to_before_valid_from(client: AsyncClient) -> None:
    code = _code("XT")
    response = await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json=_catalog(valid_from="2018-06-01", valid_to="2018-05-31"),
    )
    body = assert_problem(response, 422, "validation_error")
    (error,) = body["errors"]
    assert error["loc"][0] == "body"
    assert error["loc"][-1] == "valid_to"


async def test_catalog_ratio_only_for_grade_b(client: AsyncClient) -> None:
    code = _code("XT")
    response = await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json=_catalog(grade="A", self_pay_ratio="0.10"),
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "self_pay_ratio"]


async def test_catalog_change_is_used_by_settlement(client: AsyncClient) -> None:
    """Grade and ratio come from the catalogue held by the service, not from the bill (§3)."""
    code = _code("XT")
    await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json=_catalog(grade="B", self_pay_ratio="0.20"),
    )
    person = await new_person(client)
    bill = make_bill(
        "ZYCAT1",
        person,
        items=[
            {"seq": 1, "code": code, "unit_price": "1000.00", "quantity": "1", "amount": "1000.00"}
        ],
    )
    # B at 0.20: pre-self-pay round(1000 × 0.20) = 200.00, in_policy 800.00
    totals = (await preview(client, bill)).json()["totals"]
    assert (totals["pre_self_pay"], totals["in_policy"]) == ("200.00", "800.00")
    await client.put(
        f"/v1/catalog/{code}", headers=headers(ADMIN), json=_catalog(grade="C", self_pay_ratio="0")
    )
    # C: the whole 1000.00 is full self-pay
    totals = (await preview(client, bill)).json()["totals"]
    assert (totals["full_self_pay"], totals["in_policy"]) == ("1000.00", "0.00")


# --- auth -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [AGENCY, hospital_key("H510402001")])
async def test_registry_writes_need_admin(client: AsyncClient, key: str) -> None:
    code, id_number = _code("HT"), new_id_number()
    for response in (
        await client.put(f"/v1/hospitals/{code}", headers=headers(key), json=_hospital()),
        await client.put(f"/v1/persons/{id_number}", headers=headers(key), json=person_body()),
        await client.put(f"/v1/catalog/{code}", headers=headers(key), json=_catalog()),
        await client.get(f"/v1/persons/{id_number}", headers=headers(key)),  # persons: admin only
        await client.post("/v1/api-keys", headers=headers(key), json={"role": "agency"}),
    ):
        assert_problem(response, 403, "forbidden")
    assert_problem(
        await client.get(f"/v1/hospitals/{code}", headers=headers(ADMIN)), 404, "hospital_not_found"
    )
    assert_problem(
        await client.get(f"/v1/persons/{id_number}", headers=headers(ADMIN)),
        404,
        "person_not_found",
    )


@pytest.mark.parametrize("auth", [None, "Bearer not-a-key", "Basic ZGVtby1hZG1pbjo=", "Bearer "])
async def test_registry_needs_a_key(client: AsyncClient, auth: str | None) -> None:
    h = {} if auth is None else {"Authorization": auth}
    code = _code("HT")
    for response in (
        await client.put(f"/v1/hospitals/{code}", headers=h, json=_hospital()),
        await client.get("/v1/hospitals/H510402001", headers=h),
        await client.get("/v1/catalog/XA01", headers=h),
        await client.post("/v1/api-keys", headers=h, json={"role": "agency"}),
    ):
        assert_problem(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


async def test_get_unknown_is_404(client: AsyncClient) -> None:
    assert_problem(
        await client.get(f"/v1/hospitals/{_code('HT')}", headers=headers(ADMIN)),
        404,
        "hospital_not_found",
    )
    assert_problem(
        await client.get(f"/v1/persons/{new_id_number()}", headers=headers(ADMIN)),
        404,
        "person_not_found",
    )
    assert_problem(
        await client.get(f"/v1/catalog/{_code('XT')}", headers=headers(ADMIN)),
        404,
        "catalog_item_not_found",
    )


# --- API keys -------------------------------------------------------------------------------


async def test_admin_creates_a_hospital_key_that_works(client: AsyncClient) -> None:
    response = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": "H510402002", "label": "HIS"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["role"] == "hospital"
    assert created["hospital_code"] == "H510402002"
    assert created["label"] == "HIS"
    secret = created["key"]
    assert len(secret) >= 32
    # the new key acts for its hospital ...
    person = await new_person(client)
    ok = await preview(client, make_bill("ZYKEY1", person, hospital="H510402002"), key=secret)
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "preview"
    # ... and only for it
    other = await preview(client, make_bill("ZYKEY1", person, hospital="H510402001"), key=secret)
    assert_problem(other, 403, "forbidden", [["body", "hospital_code"]])
    # a hospital key is no admin key
    assert_problem(
        await client.put(f"/v1/hospitals/{_code('HT')}", headers=headers(secret), json=_hospital()),
        403,
        "forbidden",
    )
    # every key is different
    again = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": "H510402002"},
    )
    assert again.json()["key"] != secret


async def test_admin_creates_an_agency_key(client: AsyncClient) -> None:
    response = await client.post("/v1/api-keys", headers=headers(ADMIN), json={"role": "agency"})
    assert response.status_code == 201, response.text
    secret = response.json()["key"]
    assert (
        await client.get("/v1/hospitals/H510402001", headers=headers(secret))
    ).status_code == 200
    assert_problem(
        await client.put(f"/v1/catalog/{_code('XT')}", headers=headers(secret), json=_catalog()),
        403,
        "forbidden",
    )


async def test_hospital_key_needs_hospital_code(client: AsyncClient) -> None:
    response = await client.post("/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital"})
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "hospital_code"]
    response = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "agency", "hospital_code": "H510402001"},
    )
    assert_problem(response, 422, "validation_error")
    response = await client.post("/v1/api-keys", headers=headers(ADMIN), json={"role": "root"})
    assert_problem(response, 422, "validation_error", [["body", "role"]])


async def test_hospital_key_for_unknown_hospital(client: AsyncClient) -> None:
    response = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": _code("HT")},
    )
    assert_problem(response, 422, "unknown_hospital", [["body", "hospital_code"]])
