from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ledger_page_out import LedgerPageOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    year: int,
    county_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["year"] = year

    json_county_code: None | str | Unset
    if isinstance(county_code, Unset):
        json_county_code = UNSET
    else:
        json_county_code = county_code
    params["county_code"] = json_county_code

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roster/ledger",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LedgerPageOut | Problem | None:
    if response.status_code == 200:
        response_200 = LedgerPageOut.from_dict(response.json())

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
) -> Response[LedgerPageOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    year: int,
    county_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[LedgerPageOut | Problem]:
    """管理台帐 The roster ledger, one row per person

     管理台帐 (agency, admin): one row per person on the roster in the year (any category
    period overlapping it, every age), in (county, registry id) order: the periods with their
    sources and 脱贫 marks, per scheme the enrolment and who paid (the confirmed proxy-payment
    run's shares; 本人/未记录 for an enrolment no run recorded), and the year's standing
    settlements (the poverty ledger's definitions: count, total, fund paid, self-pay, and in
    county the in-policy total, self-pay, their ratio and the count above the tilted target).
    As a file: `exportRosterLedger`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerPageOut | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    year: int,
    county_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> LedgerPageOut | Problem | None:
    """管理台帐 The roster ledger, one row per person

     管理台帐 (agency, admin): one row per person on the roster in the year (any category
    period overlapping it, every age), in (county, registry id) order: the periods with their
    sources and 脱贫 marks, per scheme the enrolment and who paid (the confirmed proxy-payment
    run's shares; 本人/未记录 for an enrolment no run recorded), and the year's standing
    settlements (the poverty ledger's definitions: count, total, fund paid, self-pay, and in
    county the in-policy total, self-pay, their ratio and the count above the tilted target).
    As a file: `exportRosterLedger`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerPageOut | Problem
    """

    return sync_detailed(
        client=client,
        year=year,
        county_code=county_code,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    year: int,
    county_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[LedgerPageOut | Problem]:
    """管理台帐 The roster ledger, one row per person

     管理台帐 (agency, admin): one row per person on the roster in the year (any category
    period overlapping it, every age), in (county, registry id) order: the periods with their
    sources and 脱贫 marks, per scheme the enrolment and who paid (the confirmed proxy-payment
    run's shares; 本人/未记录 for an enrolment no run recorded), and the year's standing
    settlements (the poverty ledger's definitions: count, total, fund paid, self-pay, and in
    county the in-policy total, self-pay, their ratio and the count above the tilted target).
    As a file: `exportRosterLedger`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LedgerPageOut | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    year: int,
    county_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> LedgerPageOut | Problem | None:
    """管理台帐 The roster ledger, one row per person

     管理台帐 (agency, admin): one row per person on the roster in the year (any category
    period overlapping it, every age), in (county, registry id) order: the periods with their
    sources and 脱贫 marks, per scheme the enrolment and who paid (the confirmed proxy-payment
    run's shares; 本人/未记录 for an enrolment no run recorded), and the year's standing
    settlements (the poverty ledger's definitions: count, total, fund paid, self-pay, and in
    county the in-policy total, self-pay, their ratio and the count above the tilted target).
    As a file: `exportRosterLedger`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LedgerPageOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            year=year,
            county_code=county_code,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
