from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_proxy_payment_runs_scheme_type_0 import ListProxyPaymentRunsSchemeType0
from ...models.problem import Problem
from ...models.run_list import RunList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    year: int | None | Unset = UNSET,
    county_code: None | str | Unset = UNSET,
    scheme: ListProxyPaymentRunsSchemeType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_year: int | None | Unset
    if isinstance(year, Unset):
        json_year = UNSET
    else:
        json_year = year
    params["year"] = json_year

    json_county_code: None | str | Unset
    if isinstance(county_code, Unset):
        json_county_code = UNSET
    else:
        json_county_code = county_code
    params["county_code"] = json_county_code

    json_scheme: None | str | Unset
    if isinstance(scheme, Unset):
        json_scheme = UNSET
    elif isinstance(scheme, ListProxyPaymentRunsSchemeType0):
        json_scheme = scheme.value
    else:
        json_scheme = scheme
    params["scheme"] = json_scheme

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/proxy-payments/runs",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RunList | None:
    if response.status_code == 200:
        response_200 = RunList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RunList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
    county_code: None | str | Unset = UNSET,
    scheme: ListProxyPaymentRunsSchemeType0 | None | Unset = UNSET,
) -> Response[Problem | RunList]:
    """代缴批次列表 List proxy-payment runs

     The newest 200 runs (optionally of one year, county and scheme), without their lines.

    Args:
        year (int | None | Unset): Contribution year
        county_code (None | str | Unset):
        scheme (ListProxyPaymentRunsSchemeType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunList]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        scheme=scheme,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
    county_code: None | str | Unset = UNSET,
    scheme: ListProxyPaymentRunsSchemeType0 | None | Unset = UNSET,
) -> Problem | RunList | None:
    """代缴批次列表 List proxy-payment runs

     The newest 200 runs (optionally of one year, county and scheme), without their lines.

    Args:
        year (int | None | Unset): Contribution year
        county_code (None | str | Unset):
        scheme (ListProxyPaymentRunsSchemeType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunList
    """

    return sync_detailed(
        client=client,
        year=year,
        county_code=county_code,
        scheme=scheme,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
    county_code: None | str | Unset = UNSET,
    scheme: ListProxyPaymentRunsSchemeType0 | None | Unset = UNSET,
) -> Response[Problem | RunList]:
    """代缴批次列表 List proxy-payment runs

     The newest 200 runs (optionally of one year, county and scheme), without their lines.

    Args:
        year (int | None | Unset): Contribution year
        county_code (None | str | Unset):
        scheme (ListProxyPaymentRunsSchemeType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunList]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        scheme=scheme,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
    county_code: None | str | Unset = UNSET,
    scheme: ListProxyPaymentRunsSchemeType0 | None | Unset = UNSET,
) -> Problem | RunList | None:
    """代缴批次列表 List proxy-payment runs

     The newest 200 runs (optionally of one year, county and scheme), without their lines.

    Args:
        year (int | None | Unset): Contribution year
        county_code (None | str | Unset):
        scheme (ListProxyPaymentRunsSchemeType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunList
    """

    return (
        await asyncio_detailed(
            client=client,
            year=year,
            county_code=county_code,
            scheme=scheme,
        )
    ).parsed
