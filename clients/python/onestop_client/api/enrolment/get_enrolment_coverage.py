from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.coverage_out import CoverageOut
from ...models.get_enrolment_coverage_scheme import GetEnrolmentCoverageScheme
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: GetEnrolmentCoverageScheme | Unset = GetEnrolmentCoverageScheme.MEDICAL,
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/enrolment/coverage",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CoverageOut | Problem | None:
    if response.status_code == 200:
        response_200 = CoverageOut.from_dict(response.json())

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
) -> Response[CoverageOut | Problem]:
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
    scheme: GetEnrolmentCoverageScheme | Unset = GetEnrolmentCoverageScheme.MEDICAL,
) -> Response[CoverageOut | Problem]:
    """参保覆盖 Coverage of the roster per county and category

     不漏一人 (agency, admin): per county × category, the persons on the roster in the year
    (any category period overlapping it, from any source) who are eligible for the scheme
    (medical: every age; pension: the rules' age band), how many are enrolled (medical: a
    `person_enrolments` row for the year; pension: a `pension_enrolments` row), how many not,
    and the ratio (4 decimals, half up; null when nobody is on the roster). Each county also
    has an `all` line counting distinct persons, and `total` adds up every county.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (GetEnrolmentCoverageScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: GetEnrolmentCoverageScheme.MEDICAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CoverageOut | Problem]
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
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: GetEnrolmentCoverageScheme | Unset = GetEnrolmentCoverageScheme.MEDICAL,
) -> CoverageOut | Problem | None:
    """参保覆盖 Coverage of the roster per county and category

     不漏一人 (agency, admin): per county × category, the persons on the roster in the year
    (any category period overlapping it, from any source) who are eligible for the scheme
    (medical: every age; pension: the rules' age band), how many are enrolled (medical: a
    `person_enrolments` row for the year; pension: a `pension_enrolments` row), how many not,
    and the ratio (4 decimals, half up; null when nobody is on the roster). Each county also
    has an `all` line counting distinct persons, and `total` adds up every county.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (GetEnrolmentCoverageScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: GetEnrolmentCoverageScheme.MEDICAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CoverageOut | Problem
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
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: GetEnrolmentCoverageScheme | Unset = GetEnrolmentCoverageScheme.MEDICAL,
) -> Response[CoverageOut | Problem]:
    """参保覆盖 Coverage of the roster per county and category

     不漏一人 (agency, admin): per county × category, the persons on the roster in the year
    (any category period overlapping it, from any source) who are eligible for the scheme
    (medical: every age; pension: the rules' age band), how many are enrolled (medical: a
    `person_enrolments` row for the year; pension: a `pension_enrolments` row), how many not,
    and the ratio (4 decimals, half up; null when nobody is on the roster). Each county also
    has an `all` line counting distinct persons, and `total` adds up every county.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (GetEnrolmentCoverageScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: GetEnrolmentCoverageScheme.MEDICAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CoverageOut | Problem]
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
    year: int,
    county_code: None | str | Unset = UNSET,
    scheme: GetEnrolmentCoverageScheme | Unset = GetEnrolmentCoverageScheme.MEDICAL,
) -> CoverageOut | Problem | None:
    """参保覆盖 Coverage of the roster per county and category

     不漏一人 (agency, admin): per county × category, the persons on the roster in the year
    (any category period overlapping it, from any source) who are eligible for the scheme
    (medical: every age; pension: the rules' age band), how many are enrolled (medical: a
    `person_enrolments` row for the year; pension: a `pension_enrolments` row), how many not,
    and the ratio (4 decimals, half up; null when nobody is on the roster). Each county also
    has an `all` line counting distinct persons, and `total` adds up every county.

    Args:
        year (int): Year (年度)
        county_code (None | str | Unset): One county of the region (县区代码); omit for every county.
            A county that is not the region's: 422 unknown_county
        scheme (GetEnrolmentCoverageScheme | Unset): medical 城乡居民基本医疗保险 (the default), pension
            城乡居民基本养老保险 Default: GetEnrolmentCoverageScheme.MEDICAL.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CoverageOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            year=year,
            county_code=county_code,
            scheme=scheme,
        )
    ).parsed
