import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_out import LedgerOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    county_code: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    json_county_code: None | str | Unset
    if isinstance(county_code, Unset):
        json_county_code = UNSET
    else:
        json_county_code = county_code
    params["county_code"] = json_county_code

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reconciliation/poverty-ledger",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LedgerOut | Problem | None:
    if response.status_code == 200:
        response_200 = LedgerOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LedgerOut | Problem]:
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
    county_code: None | str | Unset = UNSET,
) -> Response[LedgerOut | Problem]:
    """管理台帐 Poverty ledger per county and month

     管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai. As an Excel file: `exportPovertyLedger`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        county_code (None | str | Unset): The person's county (参保地)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerOut | Problem]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        county_code=county_code,
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
    county_code: None | str | Unset = UNSET,
) -> LedgerOut | Problem | None:
    """管理台帐 Poverty ledger per county and month

     管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai. As an Excel file: `exportPovertyLedger`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        county_code (None | str | Unset): The person's county (参保地)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerOut | Problem
    """

    return sync_detailed(
        client=client,
        date_from=date_from,
        date_to=date_to,
        county_code=county_code,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    county_code: None | str | Unset = UNSET,
) -> Response[LedgerOut | Problem]:
    """管理台帐 Poverty ledger per county and month

     管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai. As an Excel file: `exportPovertyLedger`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        county_code (None | str | Unset): The person's county (参保地)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerOut | Problem]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        county_code=county_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    county_code: None | str | Unset = UNSET,
) -> LedgerOut | Problem | None:
    """管理台帐 Poverty ledger per county and month

     管理台帐 (agency, admin): registered-poor inpatient settlements that stand (not reversed),
    per person's county and month of settlement: count, in-policy total, self-pay, the in-county
    in-policy self-pay ratio (the notice's 10% target) with the count above the target, and what
    each fund paid. Months and days are Asia/Shanghai. As an Excel file: `exportPovertyLedger`.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        county_code (None | str | Unset): The person's county (参保地)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            date_from=date_from,
            date_to=date_to,
            county_code=county_code,
        )
    ).parsed
