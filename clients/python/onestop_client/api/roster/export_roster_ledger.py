from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_roster_ledger_format import ExportRosterLedgerFormat
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    year: int,
    format_: ExportRosterLedgerFormat,
    county_code: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["year"] = year

    json_format_ = format_.value
    params["format"] = json_format_

    json_county_code: None | str | Unset
    if isinstance(county_code, Unset):
        json_county_code = UNSET
    else:
        json_county_code = county_code
    params["county_code"] = json_county_code

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roster/ledger/export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
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
    format_: ExportRosterLedgerFormat,
    county_code: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """导出管理台帐 Download the roster ledger (XLSX, CSV)

     导出管理台帐 (agency, admin): every row of `getRosterLedger` (in its order) as an XLSX or
    CSV file with Chinese column headers, one column per figure, streamed as it is read.

    Args:
        year (int): Year (年度)
        format_ (ExportRosterLedgerFormat): `xlsx`, or `csv` (UTF-8 with a BOM, for Excel)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        format_=format_,
        county_code=county_code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportRosterLedgerFormat,
    county_code: None | str | Unset = UNSET,
) -> File | Problem | None:
    """导出管理台帐 Download the roster ledger (XLSX, CSV)

     导出管理台帐 (agency, admin): every row of `getRosterLedger` (in its order) as an XLSX or
    CSV file with Chinese column headers, one column per figure, streamed as it is read.

    Args:
        year (int): Year (年度)
        format_ (ExportRosterLedgerFormat): `xlsx`, or `csv` (UTF-8 with a BOM, for Excel)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        client=client,
        year=year,
        format_=format_,
        county_code=county_code,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportRosterLedgerFormat,
    county_code: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """导出管理台帐 Download the roster ledger (XLSX, CSV)

     导出管理台帐 (agency, admin): every row of `getRosterLedger` (in its order) as an XLSX or
    CSV file with Chinese column headers, one column per figure, streamed as it is read.

    Args:
        year (int): Year (年度)
        format_ (ExportRosterLedgerFormat): `xlsx`, or `csv` (UTF-8 with a BOM, for Excel)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        format_=format_,
        county_code=county_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportRosterLedgerFormat,
    county_code: None | str | Unset = UNSET,
) -> File | Problem | None:
    """导出管理台帐 Download the roster ledger (XLSX, CSV)

     导出管理台帐 (agency, admin): every row of `getRosterLedger` (in its order) as an XLSX or
    CSV file with Chinese column headers, one column per figure, streamed as it is read.

    Args:
        year (int): Year (年度)
        format_ (ExportRosterLedgerFormat): `xlsx`, or `csv` (UTF-8 with a BOM, for Excel)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            year=year,
            format_=format_,
            county_code=county_code,
        )
    ).parsed
