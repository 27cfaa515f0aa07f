import datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_reconciliation_events_format import ExportReconciliationEventsFormat
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    format_: ExportReconciliationEventsFormat,
    hospital_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_date_from = date_from.isoformat()
    params["date_from"] = json_date_from

    json_date_to = date_to.isoformat()
    params["date_to"] = json_date_to

    json_format_ = format_.value
    params["format"] = json_format_

    json_hospital_code: None | str | Unset
    if isinstance(hospital_code, Unset):
        json_hospital_code = UNSET
    else:
        json_hospital_code = hospital_code
    params["hospital_code"] = json_hospital_code

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reconciliation/settlements/export",
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
    date_from: datetime.date,
    date_to: datetime.date,
    format_: ExportReconciliationEventsFormat,
    hospital_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """导出明细账 Download reconciliation events (CSV, XLSX)

     导出明细账: the rows of `listReconciliationEvents` after `cursor` (all of them, at most
    100,000) as a CSV or XLSX download with Chinese column headers and one column per fund.
    Amounts keep their sign; times are Beijing time. `X-Next-Cursor` continues after the file.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        format_ (ExportReconciliationEventsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        format_=format_,
        hospital_code=hospital_code,
        cursor=cursor,
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
    format_: ExportReconciliationEventsFormat,
    hospital_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> File | Problem | None:
    """导出明细账 Download reconciliation events (CSV, XLSX)

     导出明细账: the rows of `listReconciliationEvents` after `cursor` (all of them, at most
    100,000) as a CSV or XLSX download with Chinese column headers and one column per fund.
    Amounts keep their sign; times are Beijing time. `X-Next-Cursor` continues after the file.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        format_ (ExportReconciliationEventsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        client=client,
        date_from=date_from,
        date_to=date_to,
        format_=format_,
        hospital_code=hospital_code,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    format_: ExportReconciliationEventsFormat,
    hospital_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """导出明细账 Download reconciliation events (CSV, XLSX)

     导出明细账: the rows of `listReconciliationEvents` after `cursor` (all of them, at most
    100,000) as a CSV or XLSX download with Chinese column headers and one column per fund.
    Amounts keep their sign; times are Beijing time. `X-Next-Cursor` continues after the file.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        format_ (ExportReconciliationEventsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        date_from=date_from,
        date_to=date_to,
        format_=format_,
        hospital_code=hospital_code,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    date_from: datetime.date,
    date_to: datetime.date,
    format_: ExportReconciliationEventsFormat,
    hospital_code: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> File | Problem | None:
    """导出明细账 Download reconciliation events (CSV, XLSX)

     导出明细账: the rows of `listReconciliationEvents` after `cursor` (all of them, at most
    100,000) as a CSV or XLSX download with Chinese column headers and one column per fund.
    Amounts keep their sign; times are Beijing time. `X-Next-Cursor` continues after the file.

    Args:
        date_from (datetime.date): First day (Asia/Shanghai), inclusive
        date_to (datetime.date): Last day (Asia/Shanghai), inclusive
        format_ (ExportReconciliationEventsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        hospital_code (None | str | Unset): Agency/admin: one hospital (omit for all). Hospital
            keys: defaults to the key's own hospital; another hospital is 403.
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            date_from=date_from,
            date_to=date_to,
            format_=format_,
            hospital_code=hospital_code,
            cursor=cursor,
        )
    ).parsed
