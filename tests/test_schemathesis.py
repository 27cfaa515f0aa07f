"""Schemathesis against the app's own OpenAPI document, on a real migrated database with the demo
registry: no 5xx, and every response is one the document promises (status code documented,
content type, headers, body schema).

- :func:`test_api_conforms_to_its_openapi_document`: generated requests (valid and invalid) for
  every operation; settlement and reconciliation operations are called with a demo hospital
  key, everything else with the demo admin key.
- :func:`test_valid_bills_conform`: generated *valid* bills (random lines from the demo
  catalogue, prices, quantities, persons, hospitals), which random strings would never produce:
  preview, settle, replay.
- :func:`test_discharge_flow_conforms`: the documented flow end to end, each answer validated.

Examples are bounded and derandomized, so CI runs the same cases every time. To explore more
locally: ``SCHEMATHESIS_MAX_EXAMPLES=200 SCHEMATHESIS_RANDOM=1 pytest tests/test_schemathesis.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from api.conftest import new_id_number, person_body
from conftest import create_database, drop_database
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support import unique

from app.bounds import LINE_MAX_FEN
from app.config import Settings
from app.demo import CATALOG, DEMO_PERSONS, HOSPITALS
from app.engine import expected_amount_fen
from app.main import create_app

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
ADMIN_KEY = "demo-admin"
AGENCY_KEY = "demo-agency"
HOSPITAL = "H510402001"
HOSPITAL_KEY = f"demo-{HOSPITAL}"
HOSPITAL_PATHS = ("/v1/settlements", "/v1/reconciliation")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    derandomize="SCHEMATHESIS_RANDOM" not in os.environ,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# The document the app serves at /openapi.json (building it touches no database).
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@pytest.fixture(scope="module")
async def fuzz_database(pg_server_url: str, template_database_url: str) -> AsyncIterator[str]:
    """Migrated, with the demo registry, for generated requests: they write whatever the schema
    allows (a demo hospital may end up not designated), so nothing else uses this database."""
    url = await create_database(pg_server_url, template=template_database_url)
    yield url
    await drop_database(pg_server_url, url)


@pytest.fixture(scope="module")
async def demo_database(pg_server_url: str, template_database_url: str) -> AsyncIterator[str]:
    """Migrated, with the demo registry as shipped, for valid bills and the discharge flow."""
    url = await create_database(pg_server_url, template=template_database_url)
    yield url
    await drop_database(pg_server_url, url)


# A new app per test: schemathesis's ASGI client runs its lifespan (on an event loop of its own)
# from the first request and ends it when the test ends, and an app that has shut down stays
# shut (it answers 503 shutting_down).


@pytest.fixture
def fuzz_app(fuzz_database: str) -> FastAPI:
    return create_app(Settings(), database_url=fuzz_database)


@pytest.fixture
def live_app(demo_database: str) -> FastAPI:
    return create_app(Settings(), database_url=demo_database)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@BOUNDED
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, fuzz_app: FastAPI) -> None:
    key = HOSPITAL_KEY if case.operation.path.startswith(HOSPITAL_PATHS) else ADMIN_KEY
    case.call_and_validate(app=fuzz_app, headers=bearer(key), checks=CHECKS)


def call(
    app: FastAPI,
    method: str,
    path: str,
    key: str,
    expected: int,
    *,
    body: Any = None,
    **parts: Any,
) -> Any:
    """One documented operation with these parts, validated like a generated case."""
    operation = schema[path][method]
    if body is not None:
        parts |= {"body": body, "media_type": "application/json"}
    response = operation.Case(**parts).call_and_validate(
        app=app, headers=bearer(key), checks=CHECKS
    )
    assert response.status_code == expected, response.text
    return response.json()


def _yuan(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


@st.composite
def bill_lines(draw: st.DrawFn) -> list[dict[str, Any]]:
    lines = []
    for seq in range(1, draw(st.integers(1, 12)) + 1):
        code = draw(st.sampled_from(sorted(CATALOG)))
        price_e4 = draw(st.integers(1, 5_000_000_000))  # up to 500,000.0000 yuan
        # up to 100.000, and the line within app.bounds: price × quantity ≤ LINE_MAX_FEN
        quantity_e3 = draw(st.integers(1, min(100_000, LINE_MAX_FEN * 100_000 // price_e4)))
        amount_fen = expected_amount_fen(price_e4 * 100, quantity_e3 * 10)  # the engine's scale
        lines.append(
            {
                "seq": seq,
                "code": code,
                "name": CATALOG[code][0],
                "unit_price": _yuan(Decimal(price_e4).scaleb(-4), 4),
                "quantity": _yuan(Decimal(quantity_e3).scaleb(-3), 3),
                "amount": _yuan(Decimal(amount_fen).scaleb(-2), 2),
                "hospital_borne": draw(st.booleans()),
            }
        )
    return lines


@st.composite
def discharges(draw: st.DrawFn) -> tuple[str, dt.date]:
    """A demo person and a discharge day in a year they are enrolled for."""
    person = draw(st.sampled_from(sorted(DEMO_PERSONS)))
    year = draw(st.sampled_from(DEMO_PERSONS[person][2]))
    return person, draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)))


DESIGNATED = sorted(code for code, (*_, designated) in HOSPITALS.items() if designated)


@given(
    lines=bill_lines(),
    patient=discharges(),
    hospital=st.sampled_from(DESIGNATED),
    stay_days=st.integers(0, 60),
    referral=st.booleans(),
)
@BOUNDED
def test_valid_bills_conform(
    live_app: FastAPI,
    lines: list[dict[str, Any]],
    patient: tuple[str, dt.date],
    hospital: str,
    stay_days: int,
    referral: bool,
) -> None:
    person, discharge = patient
    bill = {
        "hospital_code": hospital,
        "bill_no": unique("ST"),
        "patient": {"id_number": person, "name": DEMO_PERSONS[person][0]},
        "admission_date": (discharge - dt.timedelta(days=stay_days)).isoformat(),
        "discharge_date": discharge.isoformat(),
        "referral": referral,
        "items": lines,
    }
    key = f"demo-{hospital}"
    preview = call(live_app, "POST", "/v1/settlements/preview", key, 200, body=bill)
    settled = call(live_app, "POST", "/v1/settlements", key, 201, body=bill)
    assert settled["totals"] == preview["totals"]
    replay = call(live_app, "POST", "/v1/settlements", key, 200, body=bill)
    assert replay["settlement_id"] == settled["settlement_id"]


def test_discharge_flow_conforms(live_app: FastAPI) -> None:
    app = live_app
    id_number = new_id_number()
    call(
        app,
        "PUT",
        "/v1/persons/{id_number}",
        ADMIN_KEY,
        201,
        path_parameters={"id_number": id_number},
        body=person_body(["registered_poor"]),
    )
    bill = {
        "hospital_code": HOSPITAL,
        "bill_no": unique("ST"),
        "patient": {"id_number": id_number, "name": "测试"},
        "admission_date": "2018-06-01",
        "discharge_date": "2018-06-12",
        "items": [
            {"seq": 1, "code": "XC01", "unit_price": "1000.00", "quantity": "1", "amount": "1000"},
            {"seq": 2, "code": "XB01", "unit_price": "50", "quantity": "100", "amount": "5000.00"},
            {"seq": 3, "code": "XA05", "unit_price": "1300", "quantity": "1", "amount": "1300"},
        ],
    }
    call(app, "POST", "/v1/settlements/preview", HOSPITAL_KEY, 200, body=bill)
    settled = call(app, "POST", "/v1/settlements", HOSPITAL_KEY, 201, body=bill)
    sid = {"settlement_id": settled["settlement_id"]}
    call(app, "POST", "/v1/settlements", HOSPITAL_KEY, 200, body=bill)
    changed = {**bill, "referral": True}
    call(app, "POST", "/v1/settlements", HOSPITAL_KEY, 409, body=changed)
    found = {"hospital_code": HOSPITAL, "bill_no": bill["bill_no"]}
    call(app, "GET", "/v1/settlements", HOSPITAL_KEY, 200, query=found)
    call(app, "GET", "/v1/settlements/{settlement_id}", HOSPITAL_KEY, 200, path_parameters=sid)
    call(app, "GET", "/v1/settlements/{settlement_id}", AGENCY_KEY, 200, path_parameters=sid)
    call(app, "GET", "/v1/settlements/{settlement_id}", "demo-H510403001", 404, path_parameters=sid)
    reversal = {"reason": "费用录入错误，重新结算"}
    for _ in range(2):  # repeating a reversal is a no-op answering the same
        call(
            app,
            "POST",
            "/v1/settlements/{settlement_id}/reversal",
            HOSPITAL_KEY,
            200,
            path_parameters=sid,
            body=reversal,
        )
    call(app, "GET", "/v1/settlements", HOSPITAL_KEY, 404, query=found)
    # a late retry of the reversed bill is refused; settling again names the reversed settlement
    call(app, "POST", "/v1/settlements", HOSPITAL_KEY, 409, body=bill)
    call(
        app,
        "POST",
        "/v1/settlements",
        HOSPITAL_KEY,
        201,
        body={**changed, "replaces": settled["settlement_id"]},
    )

    today = dt.datetime.now(dt.UTC).date()
    days = {
        "date_from": (today - dt.timedelta(days=1)).isoformat(),  # settled_at is today
        "date_to": (today + dt.timedelta(days=1)).isoformat(),
    }
    for key in (HOSPITAL_KEY, AGENCY_KEY):
        call(app, "GET", "/v1/reconciliation/totals", key, 200, query=days)
        call(app, "GET", "/v1/reconciliation/settlements", key, 200, query=days)
    call(app, "GET", "/v1/reconciliation/poverty-ledger", AGENCY_KEY, 200, query=days)
    books = {"hospital_code": HOSPITAL, **days, "funds": []}
    call(app, "POST", "/v1/reconciliation/check", HOSPITAL_KEY, 200, body=books)

    call(app, "GET", "/v1/audit", ADMIN_KEY, 200, query={"limit": 5})
    assert call(app, "GET", "/v1/audit/verify", ADMIN_KEY, 200)["ok"] is True
    created = call(
        app, "POST", "/v1/api-keys", ADMIN_KEY, 201, body={"role": "agency", "label": "st"}
    )
    call(app, "GET", "/v1/api-keys", ADMIN_KEY, 200)
    key_id = {"key_id": created["id"]}
    call(app, "DELETE", "/v1/api-keys/{key_id}", ADMIN_KEY, 200, path_parameters=key_id)
