"""API test helpers: demo data once per database, fresh persons, bills, keys.

The database is shared by the whole test session (see ``tests/conftest.py`` for why), so every
test isolates itself with a person nobody else uses (:func:`new_person`), bill numbers nobody
else uses (:func:`bill_no`) and, where it reads figures over every hospital or county, a
database of its own (:func:`own_app`). Those numbers come from ``tests/support.py``: a counter
and a seeded generator, never the system's randomness.

The default bill of :func:`make_bill` is docs/rules.md §7 example 1 written with the demo catalogue
(as ``examples/demo-bill.json``)::

    XC01 丙类            1000.00 × 1   = 1000.00  → full self-pay 1000.00
    XB01 乙类 ratio 0.10   50.00 × 100 = 5000.00  → pre-self-pay 500.00, in-policy 4500.00
    XA05 甲类, cap 1200  1200.00 × 1   = 1200.00  → at (not above) its cap: in-policy
    XA06 甲类            1280.00 × 10  = 12800.00 → in-policy
    total 20000.00, in_policy 4500 + 1200 + 12800 = 18500.00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from support import id_number, unique

from app.bootstrap import startup
from app.config import Settings

ADMIN = "demo-admin"
AGENCY = "demo-agency"

_bootstrapped: set[str] = set()


@pytest.fixture
async def demo(app: FastAPI, settings: Settings, database_url: str) -> None:
    """Policies published and demo data loaded, once per database (``startup`` is idempotent,
    but reloading the demo on every test would be slow)."""
    if database_url not in _bootstrapped:
        await startup(app.state.sessionmaker, settings, demo=True)
        _bootstrapped.add(database_url)


def headers(key: str | None) -> dict[str, str]:
    return {} if key is None else {"Authorization": f"Bearer {key}"}


def hospital_key(hospital: str) -> str:
    return f"demo-{hospital}"


def new_id_number(county: str = "510402") -> str:
    """A valid 18-digit ID (GB 11643) nobody else in this test session has."""
    return id_number(county)


def bill_no(prefix: str = "ZY") -> str:
    """A bill number nobody else in this test session has."""
    return unique(prefix)


def person_body(
    categories: Iterable[str | dict[str, Any]] = (),
    county: str = "510402",
    years: Iterable[int] = (2018, 2019),
    name: str = "测试",
) -> dict[str, Any]:
    cats = [
        c if isinstance(c, dict) else {"category": c, "valid_from": "2018-01-01", "valid_to": None}
        for c in categories
    ]
    return {
        "name": name,
        "county_code": county,
        "enrolments": [{"year": y} for y in years],
        "categories": cats,
    }


async def new_person(
    client: AsyncClient,
    categories: Iterable[str | dict[str, Any]] = (),
    county: str = "510402",
    years: Iterable[int] = (2018, 2019),
) -> str:
    """Register a fresh person through the admin API; returns the ID number."""
    id_number = new_id_number(county)
    response = await client.put(
        f"/v1/persons/{id_number}",
        headers=headers(ADMIN),
        json=person_body(categories, county, years),
    )
    assert response.status_code == 201, response.text
    return id_number


def item(
    seq: int, code: str, unit_price: Any, quantity: Any, amount: Any, **extra: Any
) -> dict[str, Any]:
    return {
        "seq": seq,
        "code": code,
        "name": f"line {seq}",
        "unit_price": unit_price,
        "quantity": quantity,
        "amount": amount,
        **extra,
    }


EXAMPLE_ITEMS: list[dict[str, Any]] = [
    item(1, "XC01", "1000.00", "1", "1000.00"),
    item(2, "XB01", "50.00", "100", "5000.00"),
    item(3, "XA05", "1200.00", "1", "1200.00"),
    item(4, "XA06", "1280.00", "10", "12800.00"),
]


def make_bill(
    bill: str,
    id_number: str,
    hospital: str = "H510402001",
    discharge: str = "2018-06-12",
    items: Sequence[dict[str, Any]] | None = None,
    *,
    admission: str | None = None,
    referral: bool = False,
) -> dict[str, Any]:
    discharge_day = dt.date.fromisoformat(discharge)
    return {
        "hospital_code": hospital,
        "bill_no": bill,
        "patient": {"id_number": id_number, "name": "测试"},
        "admission_date": admission or (discharge_day - dt.timedelta(days=11)).isoformat(),
        "discharge_date": discharge,
        "referral": referral,
        "items": [dict(i) for i in (EXAMPLE_ITEMS if items is None else items)],
    }


async def settle(client: AsyncClient, body: dict[str, Any], key: str | None = None) -> Response:
    return await client.post(
        "/v1/settlements", json=body, headers=headers(key or hospital_key(body["hospital_code"]))
    )


async def preview(client: AsyncClient, body: dict[str, Any], key: str | None = None) -> Response:
    return await client.post(
        "/v1/settlements/preview",
        json=body,
        headers=headers(key or hospital_key(body["hospital_code"])),
    )


async def reverse(
    client: AsyncClient, settlement: dict[str, Any], key: str | None = None
) -> Response:
    return await client.post(
        f"/v1/settlements/{settlement['settlement_id']}/reversal",
        headers=headers(key or hospital_key(settlement["hospital_code"])),
    )


async def find(client: AsyncClient, hospital: str, bill: str, key: str | None = None) -> Response:
    return await client.get(
        "/v1/settlements",
        params={"hospital_code": hospital, "bill_no": bill},
        headers=headers(key or hospital_key(hospital)),
    )


def layers(settlement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["layer"]: line for line in settlement["layers"]}


def figures(settlement: dict[str, Any]) -> dict[str, Any]:
    """What a settlement says about money: (paid, left) per layer and the result lines."""
    return {
        "totals": settlement["totals"],
        "layers": [
            (line["layer"], line["base"], line["paid"], line["left"])
            for line in settlement["layers"]
        ],
        "fund_paid": settlement["fund_paid"],
        "self_pay": settlement["self_pay"],
        "in_policy_self_pay": settlement["in_policy_self_pay"],
        "in_policy_self_pay_ratio": settlement["in_policy_self_pay_ratio"],
    }


def masked(id_number: str) -> str:
    return id_number[:4] + "*" * 10 + id_number[-4:]


def assert_problem(
    response: Response, status: int, code: str, locs: Sequence[Sequence[str | int]] | None = None
) -> dict[str, Any]:
    """A problem+json with this status and code; ``locs`` (if given) are exactly its locs."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["type"].endswith("/" + code)
    if locs is not None:
        assert [e["loc"] for e in body["errors"]] == [list(loc) for loc in locs], body["errors"]
    return body
