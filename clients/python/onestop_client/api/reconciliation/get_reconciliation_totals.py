import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reconciliation_totals import ReconciliationTotals
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    hospital_code: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    json_hospital_code: None | str | Unset
    if isinstance(hospital_code, Unset):
        json_hospital_code = UNSET
    else:
        json_hospital_code = hospital_code
    params["hospital_code"] = json_hospital_code

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reconciliation/totals",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReconciliationTotals | None:
    if response.status_code == 200:
        response_200 = ReconciliationTotals.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReconciliationTotals]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    hospital_code: None | str | Unset = UNSET,
) -> Response[Problem | ReconciliationTotals]:
    """对总账 Reconciliation totals per fund

     对总账: per fund code the net count and amount paid; overall count, total, hospital-borne,
    in-policy, fund-paid and self-pay. Reversals are netted into the top-level figures and also
    shown on their own (negative amounts). The figures equal the sum of
    `GET /v1/reconciliation/settlements` over the same range to the fen.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReconciliationTotals]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        hospital_code=hospital_code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    hospital_code: None | str | Unset = UNSET,
) -> Problem | ReconciliationTotals | None:
    """对总账 Reconciliation totals per fund

     对总账: per fund code the net count and amount paid; overall count, total, hospital-borne,
    in-policy, fund-paid and self-pay. Reversals are netted into the top-level figures and also
    shown on their own (negative amounts). The figures equal the sum of
    `GET /v1/reconciliation/settlements` over the same range to the fen.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReconciliationTotals
    """

    return sync_detailed(
        client=client,
        date_from=date_from,
        date_to=date_to,
        hospital_code=hospital_code,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    hospital_code: None | str | Unset = UNSET,
) -> Response[Problem | ReconciliationTotals]:
    """对总账 Reconciliation totals per fund

     对总账: per fund code the net count and amount paid; overall count, total, hospital-borne,
    in-policy, fund-paid and self-pay. Reversals are netted into the top-level figures and also
    shown on their own (negative amounts). The figures equal the sum of
    `GET /v1/reconciliation/settlements` over the same range to the fen.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReconciliationTotals]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        hospital_code=hospital_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    hospital_code: None | str | Unset = UNSET,
) -> Problem | ReconciliationTotals | None:
    """对总账 Reconciliation totals per fund

     对总账: per fund code the net count and amount paid; overall count, total, hospital-borne,
    in-policy, fund-paid and self-pay. Reversals are netted into the top-level figures and also
    shown on their own (negative amounts). The figures equal the sum of
    `GET /v1/reconciliation/settlements` over the same range to the fen.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReconciliationTotals
    """

    return (
        await asyncio_detailed(
            client=client,
            date_from=date_from,
            date_to=date_to,
            hospital_code=hospital_code,
        )
    ).parsed
