"""A query parameter the operation does not have is 422 ``validation_error`` naming it, not
silently ignored (``format=xlsx`` on the poverty ledger answered JSON; ``fromat=`` too)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from .conftest import ADMIN, AGENCY, assert_problem, headers

pytestmark = pytest.mark.usefixtures("demo")

DATES = {"date_from": "2018-06-01", "date_to": "2018-06-30"}


async def test_format_on_the_json_poverty_ledger_is_422(client: AsyncClient) -> None:
    response = await client.get(
        "/v1/reconciliation/poverty-ledger",
        params={**DATES, "format": "xlsx"},
        headers=headers(AGENCY),
    )
    problem = assert_problem(response, 422, "validation_error", [["query", "format"]])
    assert problem["errors"][0]["msg"] == (
        "unknown query parameter (this operation takes: county_code, date_from, date_to)"
    )
    ok = await client.get(
        "/v1/reconciliation/poverty-ledger", params=DATES, headers=headers(AGENCY)
    )
    assert ok.status_code == 200, ok.text


async def test_a_misspelt_parameter_is_named(client: AsyncClient) -> None:
    response = await client.get(
        "/v1/reconciliation/settlements/export",
        params={**DATES, "fromat": "xlsx", "limit": "5"},
        headers=headers(AGENCY),
    )
    assert_problem(response, 422, "validation_error", [["query", "fromat"], ["query", "limit"]])


async def test_operations_without_query_parameters_take_none(client: AsyncClient) -> None:
    response = await client.get("/v1/api-keys", params={"role": "admin"}, headers=headers(ADMIN))
    problem = assert_problem(response, 422, "validation_error", [["query", "role"]])
    assert problem["errors"][0]["msg"].endswith("(this operation takes: none)")
    assert (await client.get("/v1/api-keys", headers=headers(ADMIN))).status_code == 200
    # A body-only write with a query string is refused before anything is looked at.
    response = await client.post("/v1/settlements/preview?dry_run=1", json={})
    assert_problem(response, 422, "validation_error", [["query", "dry_run"]])


async def test_probes_and_metrics_ignore_a_query_string(client: AsyncClient) -> None:
    """Outside /v1 (a prober or scraper may add its own parameters)."""
    assert (await client.get("/healthz", params={"probe": "1"})).status_code == 200
    assert (await client.get("/metrics", params={"name[]": "x"})).status_code == 200
