from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_row_out import CaseRowOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    county_code: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_county_code: None | str | Unset
    if isinstance(county_code, Unset):
        json_county_code = UNSET
    else:
        json_county_code = county_code
    params["county_code"] = json_county_code

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/work-injury/cases",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[CaseRowOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = CaseRowOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | list[CaseRowOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    county_code: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[CaseRowOut]]:
    """工伤案件列表 List injury cases

     The newest cases with their money as of today (advanced, recovered, written off,
    outstanding, overdue), at most ``limit``.

    Args:
        county_code (None | str | Unset): Only this county (县级区划代码)
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[CaseRowOut]]
    """

    kwargs = _get_kwargs(
        county_code=county_code,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    county_code: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[CaseRowOut] | None:
    """工伤案件列表 List injury cases

     The newest cases with their money as of today (advanced, recovered, written off,
    outstanding, overdue), at most ``limit``.

    Args:
        county_code (None | str | Unset): Only this county (县级区划代码)
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[CaseRowOut]
    """

    return sync_detailed(
        client=client,
        county_code=county_code,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    county_code: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[CaseRowOut]]:
    """工伤案件列表 List injury cases

     The newest cases with their money as of today (advanced, recovered, written off,
    outstanding, overdue), at most ``limit``.

    Args:
        county_code (None | str | Unset): Only this county (县级区划代码)
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[CaseRowOut]]
    """

    kwargs = _get_kwargs(
        county_code=county_code,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    county_code: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[CaseRowOut] | None:
    """工伤案件列表 List injury cases

     The newest cases with their money as of today (advanced, recovered, written off,
    outstanding, overdue), at most ``limit``.

    Args:
        county_code (None | str | Unset): Only this county (县级区划代码)
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[CaseRowOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            county_code=county_code,
            limit=limit,
        )
    ).parsed
