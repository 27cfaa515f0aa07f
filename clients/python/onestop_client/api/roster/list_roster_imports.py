from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_list import ImportList
from ...models.list_roster_imports_source_type_0 import ListRosterImportsSourceType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    source: ListRosterImportsSourceType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_source: None | str | Unset
    if isinstance(source, Unset):
        json_source = UNSET
    elif isinstance(source, ListRosterImportsSourceType0):
        json_source = source.value
    else:
        json_source = source
    params["source"] = json_source

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/roster/imports",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportList | Problem | None:
    if response.status_code == 200:
        response_200 = ImportList.from_dict(response.json())

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
) -> Response[ImportList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    source: ListRosterImportsSourceType0 | None | Unset = UNSET,
) -> Response[ImportList | Problem]:
    """名单导入记录 List roster imports

     The imports, newest first (at most 200), with their counts (not their row errors).

    Args:
        source (ListRosterImportsSourceType0 | None | Unset): Only this source's imports

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportList | Problem]
    """

    kwargs = _get_kwargs(
        source=source,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    source: ListRosterImportsSourceType0 | None | Unset = UNSET,
) -> ImportList | Problem | None:
    """名单导入记录 List roster imports

     The imports, newest first (at most 200), with their counts (not their row errors).

    Args:
        source (ListRosterImportsSourceType0 | None | Unset): Only this source's imports

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportList | Problem
    """

    return sync_detailed(
        client=client,
        source=source,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    source: ListRosterImportsSourceType0 | None | Unset = UNSET,
) -> Response[ImportList | Problem]:
    """名单导入记录 List roster imports

     The imports, newest first (at most 200), with their counts (not their row errors).

    Args:
        source (ListRosterImportsSourceType0 | None | Unset): Only this source's imports

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportList | Problem]
    """

    kwargs = _get_kwargs(
        source=source,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    source: ListRosterImportsSourceType0 | None | Unset = UNSET,
) -> ImportList | Problem | None:
    """名单导入记录 List roster imports

     The imports, newest first (at most 200), with their counts (not their row errors).

    Args:
        source (ListRosterImportsSourceType0 | None | Unset): Only this source's imports

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            source=source,
        )
    ).parsed
