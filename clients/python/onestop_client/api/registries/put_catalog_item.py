from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_item_in import CatalogItemIn
from ...models.catalog_item_out import CatalogItemOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    code: str,
    *,
    body: CatalogItemIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/catalog/{code}".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CatalogItemOut | Problem | None:
    if response.status_code == 200:
        response_200 = CatalogItemOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CatalogItemOut.from_dict(response.json())

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
) -> Response[CatalogItemOut | Problem]:
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
    body: CatalogItemIn,
) -> Response[CatalogItemOut | Problem]:
    """登记医保目录 Create or replace a catalogue entry

     Create or replace a catalogue entry (医保目录): grade, 乙类 ratio, price cap, validity.

    Args:
        code (str): Catalogue code (医保目录编码)
        body (CatalogItemIn): A catalogue entry (医保目录条目): drug, service or material.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogItemOut | Problem]
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
    body: CatalogItemIn,
) -> CatalogItemOut | Problem | None:
    """登记医保目录 Create or replace a catalogue entry

     Create or replace a catalogue entry (医保目录): grade, 乙类 ratio, price cap, validity.

    Args:
        code (str): Catalogue code (医保目录编码)
        body (CatalogItemIn): A catalogue entry (医保目录条目): drug, service or material.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogItemOut | Problem
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
    body: CatalogItemIn,
) -> Response[CatalogItemOut | Problem]:
    """登记医保目录 Create or replace a catalogue entry

     Create or replace a catalogue entry (医保目录): grade, 乙类 ratio, price cap, validity.

    Args:
        code (str): Catalogue code (医保目录编码)
        body (CatalogItemIn): A catalogue entry (医保目录条目): drug, service or material.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogItemOut | Problem]
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
    body: CatalogItemIn,
) -> CatalogItemOut | Problem | None:
    """登记医保目录 Create or replace a catalogue entry

     Create or replace a catalogue entry (医保目录): grade, 乙类 ratio, price cap, validity.

    Args:
        code (str): Catalogue code (医保目录编码)
        body (CatalogItemIn): A catalogue entry (医保目录条目): drug, service or material.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogItemOut | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
        )
    ).parsed
