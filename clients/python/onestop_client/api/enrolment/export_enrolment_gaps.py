from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_enrolment_gaps_format import ExportEnrolmentGapsFormat
from ...models.export_enrolment_gaps_reason_type_0 import ExportEnrolmentGapsReasonType0
from ...models.export_enrolment_gaps_scheme import ExportEnrolmentGapsScheme
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    year: int,
    format_: ExportEnrolmentGapsFormat,
    county_code: None | str | Unset = UNSET,
    scheme: ExportEnrolmentGapsScheme | Unset = ExportEnrolmentGapsScheme.MEDICAL,
    reason: ExportEnrolmentGapsReasonType0 | None | Unset = UNSET,
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

    json_scheme: str | Unset = UNSET
    if not isinstance(scheme, Unset):
        json_scheme = scheme.value

    params["scheme"] = json_scheme

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    elif isinstance(reason, ExportEnrolmentGapsReasonType0):
        json_reason = reason.value
    else:
        json_reason = reason
    params["reason"] = json_reason

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/enrolment/gaps/export",
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
    format_: ExportEnrolmentGapsFormat,
    county_code: None | str | Unset = UNSET,
    scheme: ExportEnrolmentGapsScheme | Unset = ExportEnrolmentGapsScheme.MEDICAL,
    reason: ExportEnrolmentGapsReasonType0 | None | Unset = UNSET,
) -> Response[File | Problem]:
    """导出未参保名单 Download the gaps (CSV, XLSX)

     导出未参保名单 (agency, admin): every row of `listEnrolmentGaps` (in its order, ID numbers
    shown as there) as a CSV or XLSX file with Chinese column headers, streamed as it is read:
    any county's list, however long.

    Args:
        year (int): Year (年度)
        format_ (ExportEnrolmentGapsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ExportEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ExportEnrolmentGapsScheme.MEDICAL.
        reason (ExportEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason;
            omit for every reason

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
        scheme=scheme,
        reason=reason,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportEnrolmentGapsFormat,
    county_code: None | str | Unset = UNSET,
    scheme: ExportEnrolmentGapsScheme | Unset = ExportEnrolmentGapsScheme.MEDICAL,
    reason: ExportEnrolmentGapsReasonType0 | None | Unset = UNSET,
) -> File | Problem | None:
    """导出未参保名单 Download the gaps (CSV, XLSX)

     导出未参保名单 (agency, admin): every row of `listEnrolmentGaps` (in its order, ID numbers
    shown as there) as a CSV or XLSX file with Chinese column headers, streamed as it is read:
    any county's list, however long.

    Args:
        year (int): Year (年度)
        format_ (ExportEnrolmentGapsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ExportEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ExportEnrolmentGapsScheme.MEDICAL.
        reason (ExportEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason;
            omit for every reason

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
        scheme=scheme,
        reason=reason,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportEnrolmentGapsFormat,
    county_code: None | str | Unset = UNSET,
    scheme: ExportEnrolmentGapsScheme | Unset = ExportEnrolmentGapsScheme.MEDICAL,
    reason: ExportEnrolmentGapsReasonType0 | None | Unset = UNSET,
) -> Response[File | Problem]:
    """导出未参保名单 Download the gaps (CSV, XLSX)

     导出未参保名单 (agency, admin): every row of `listEnrolmentGaps` (in its order, ID numbers
    shown as there) as a CSV or XLSX file with Chinese column headers, streamed as it is read:
    any county's list, however long.

    Args:
        year (int): Year (年度)
        format_ (ExportEnrolmentGapsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ExportEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ExportEnrolmentGapsScheme.MEDICAL.
        reason (ExportEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason;
            omit for every reason

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
        scheme=scheme,
        reason=reason,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    year: int,
    format_: ExportEnrolmentGapsFormat,
    county_code: None | str | Unset = UNSET,
    scheme: ExportEnrolmentGapsScheme | Unset = ExportEnrolmentGapsScheme.MEDICAL,
    reason: ExportEnrolmentGapsReasonType0 | None | Unset = UNSET,
) -> File | Problem | None:
    """导出未参保名单 Download the gaps (CSV, XLSX)

     导出未参保名单 (agency, admin): every row of `listEnrolmentGaps` (in its order, ID numbers
    shown as there) as a CSV or XLSX file with Chinese column headers, streamed as it is read:
    any county's list, however long.

    Args:
        year (int): Year (年度)
        format_ (ExportEnrolmentGapsFormat): `csv` (UTF-8 with a BOM, for Excel) or `xlsx`
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ExportEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ExportEnrolmentGapsScheme.MEDICAL.
        reason (ExportEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason;
            omit for every reason

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
            scheme=scheme,
            reason=reason,
        )
    ).parsed
