from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.hospital_in import HospitalIn
from ...models.hospital_out import HospitalOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    code: str,
    *,
    body: HospitalIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/hospitals/{code}".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> HospitalOut | Problem | None:
    if response.status_code == 200:
        response_200 = HospitalOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = HospitalOut.from_dict(response.json())

        return response_201

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
) -> Response[HospitalOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: HospitalIn,
) -> Response[HospitalOut | Problem]:
    """登记医疗机构 Create or replace a hospital

     Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced.

    Args:
        code (str): Hospital code (定点医疗机构编码)
        body (HospitalIn): A hospital (医疗机构).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HospitalOut | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    body: HospitalIn,
) -> HospitalOut | Problem | None:
    """登记医疗机构 Create or replace a hospital

     Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced.

    Args:
        code (str): Hospital code (定点医疗机构编码)
        body (HospitalIn): A hospital (医疗机构).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HospitalOut | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: HospitalIn,
) -> Response[HospitalOut | Problem]:
    """登记医疗机构 Create or replace a hospital

     Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced.

    Args:
        code (str): Hospital code (定点医疗机构编码)
        body (HospitalIn): A hospital (医疗机构).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HospitalOut | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    body: HospitalIn,
) -> HospitalOut | Problem | None:
    """登记医疗机构 Create or replace a hospital

     Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced.

    Args:
        code (str): Hospital code (定点医疗机构编码)
        body (HospitalIn): A hospital (医疗机构).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HospitalOut | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
        )
    ).parsed
