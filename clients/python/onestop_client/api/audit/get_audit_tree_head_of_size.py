from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.tree_head_out import TreeHeadOut
from ...types import Response


def _get_kwargs(
    tree_size: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/heads/{tree_size}".format(
            tree_size=quote(str(tree_size), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TreeHeadOut | None:
    if response.status_code == 200:
        response_200 = TreeHeadOut.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TreeHeadOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tree_size: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TreeHeadOut]:
    """指定大小的签名树头 Signed tree head of a size

    Args:
        tree_size (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TreeHeadOut]
    """

    kwargs = _get_kwargs(
        tree_size=tree_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tree_size: int,
    *,
    client: AuthenticatedClient,
) -> Problem | TreeHeadOut | None:
    """指定大小的签名树头 Signed tree head of a size

    Args:
        tree_size (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TreeHeadOut
    """

    return sync_detailed(
        tree_size=tree_size,
        client=client,
    ).parsed


async def asyncio_detailed(
    tree_size: int,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TreeHeadOut]:
    """指定大小的签名树头 Signed tree head of a size

    Args:
        tree_size (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TreeHeadOut]
    """

    kwargs = _get_kwargs(
        tree_size=tree_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tree_size: int,
    *,
    client: AuthenticatedClient,
) -> Problem | TreeHeadOut | None:
    """指定大小的签名树头 Signed tree head of a size

    Args:
        tree_size (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TreeHeadOut
    """

    return (
        await asyncio_detailed(
            tree_size=tree_size,
            client=client,
        )
    ).parsed
