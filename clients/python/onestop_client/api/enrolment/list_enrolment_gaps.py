from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gaps_page_out import GapsPageOut
from ...models.list_enrolment_gaps_reason_type_0 import ListEnrolmentGapsReasonType0
from ...models.list_enrolment_gaps_scheme import ListEnrolmentGapsScheme
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: ListEnrolmentGapsScheme | Unset = ListEnrolmentGapsScheme.MEDICAL,
    reason: ListEnrolmentGapsReasonType0 | None | Unset = UNSET,
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

    json_scheme: str | Unset = UNSET
    if not isinstance(scheme, Unset):
        json_scheme = scheme.value

    params["scheme"] = json_scheme

    json_reason: None | str | Unset
    if isinstance(reason, Unset):
        json_reason = UNSET
    elif isinstance(reason, ListEnrolmentGapsReasonType0):
        json_reason = reason.value
    else:
        json_reason = reason
    params["reason"] = json_reason

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
        "url": "/v1/enrolment/gaps",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> GapsPageOut | Problem | None:
    if response.status_code == 200:
        response_200 = GapsPageOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GapsPageOut | Problem]:
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
    scheme: ListEnrolmentGapsScheme | Unset = ListEnrolmentGapsScheme.MEDICAL,
    reason: ListEnrolmentGapsReasonType0 | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[GapsPageOut | Problem]:
    """未参保名单 Who on the roster is not enrolled, and why

     未参保名单 (agency, admin): the persons counted as not enrolled by `getEnrolmentCoverage`
    (exactly: the roster eligible for the scheme minus the enrolled), one row per person, in
    (county, registry id) order, with the reason: `deceased` (死亡日期 on or before 31 December),
    else `enrolled_elsewhere` (区外参保 for the scheme and year), else `no_record`. ID numbers
    are in clear for admin keys, masked for agency keys. As a file: `exportEnrolmentGaps`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ListEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ListEnrolmentGapsScheme.MEDICAL.
        reason (ListEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason; omit
            for every reason
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GapsPageOut | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        scheme=scheme,
        reason=reason,
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
    scheme: ListEnrolmentGapsScheme | Unset = ListEnrolmentGapsScheme.MEDICAL,
    reason: ListEnrolmentGapsReasonType0 | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> GapsPageOut | Problem | None:
    """未参保名单 Who on the roster is not enrolled, and why

     未参保名单 (agency, admin): the persons counted as not enrolled by `getEnrolmentCoverage`
    (exactly: the roster eligible for the scheme minus the enrolled), one row per person, in
    (county, registry id) order, with the reason: `deceased` (死亡日期 on or before 31 December),
    else `enrolled_elsewhere` (区外参保 for the scheme and year), else `no_record`. ID numbers
    are in clear for admin keys, masked for agency keys. As a file: `exportEnrolmentGaps`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ListEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ListEnrolmentGapsScheme.MEDICAL.
        reason (ListEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason; omit
            for every reason
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GapsPageOut | Problem
    """

    return sync_detailed(
        client=client,
        year=year,
        county_code=county_code,
        scheme=scheme,
        reason=reason,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: ListEnrolmentGapsScheme | Unset = ListEnrolmentGapsScheme.MEDICAL,
    reason: ListEnrolmentGapsReasonType0 | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[GapsPageOut | Problem]:
    """未参保名单 Who on the roster is not enrolled, and why

     未参保名单 (agency, admin): the persons counted as not enrolled by `getEnrolmentCoverage`
    (exactly: the roster eligible for the scheme minus the enrolled), one row per person, in
    (county, registry id) order, with the reason: `deceased` (死亡日期 on or before 31 December),
    else `enrolled_elsewhere` (区外参保 for the scheme and year), else `no_record`. ID numbers
    are in clear for admin keys, masked for agency keys. As a file: `exportEnrolmentGaps`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ListEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ListEnrolmentGapsScheme.MEDICAL.
        reason (ListEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason; omit
            for every reason
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GapsPageOut | Problem]
    """

    kwargs = _get_kwargs(
        year=year,
        county_code=county_code,
        scheme=scheme,
        reason=reason,
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
    scheme: ListEnrolmentGapsScheme | Unset = ListEnrolmentGapsScheme.MEDICAL,
    reason: ListEnrolmentGapsReasonType0 | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> GapsPageOut | Problem | None:
    """未参保名单 Who on the roster is not enrolled, and why

     未参保名单 (agency, admin): the persons counted as not enrolled by `getEnrolmentCoverage`
    (exactly: the roster eligible for the scheme minus the enrolled), one row per person, in
    (county, registry id) order, with the reason: `deceased` (死亡日期 on or before 31 December),
    else `enrolled_elsewhere` (区外参保 for the scheme and year), else `no_record`. ID numbers
    are in clear for admin keys, masked for agency keys. As a file: `exportEnrolmentGaps`.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (ListEnrolmentGapsScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: ListEnrolmentGapsScheme.MEDICAL.
        reason (ListEnrolmentGapsReasonType0 | None | Unset): Only the gaps with this reason; omit
            for every reason
        cursor (None | str | Unset): `next_cursor` of the previous page; omit to start
        limit (int | Unset): Page size Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GapsPageOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            year=year,
            county_code=county_code,
            scheme=scheme,
            reason=reason,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
