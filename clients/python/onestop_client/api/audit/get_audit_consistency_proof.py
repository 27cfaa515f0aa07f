from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consistency_proof_out import ConsistencyProofOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    first: int,
    second: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["first"] = first

    json_second: int | None | Unset
    if isinstance(second, Unset):
        json_second = UNSET
    else:
        json_second = second
    params["second"] = json_second

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/consistency",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsistencyProofOut | Problem | None:
    if response.status_code == 200:
        response_200 = ConsistencyProofOut.from_dict(response.json())

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
) -> Response[ConsistencyProofOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    first: int,
    second: int | None | Unset = UNSET,
) -> Response[ConsistencyProofOut | Problem]:
    """树头一致性证明 Consistency proof between two heads

     RFC 9162 proof that the head of ``first`` leaves is a prefix of the head of ``second``
    (or the latest): an anchored head stays valid as the log grows.

    Args:
        first (int):
        second (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsistencyProofOut | Problem]
    """

    kwargs = _get_kwargs(
        first=first,
        second=second,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    first: int,
    second: int | None | Unset = UNSET,
) -> ConsistencyProofOut | Problem | None:
    """树头一致性证明 Consistency proof between two heads

     RFC 9162 proof that the head of ``first`` leaves is a prefix of the head of ``second``
    (or the latest): an anchored head stays valid as the log grows.

    Args:
        first (int):
        second (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsistencyProofOut | Problem
    """

    return sync_detailed(
        client=client,
        first=first,
        second=second,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    first: int,
    second: int | None | Unset = UNSET,
) -> Response[ConsistencyProofOut | Problem]:
    """树头一致性证明 Consistency proof between two heads

     RFC 9162 proof that the head of ``first`` leaves is a prefix of the head of ``second``
    (or the latest): an anchored head stays valid as the log grows.

    Args:
        first (int):
        second (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsistencyProofOut | Problem]
    """

    kwargs = _get_kwargs(
        first=first,
        second=second,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    first: int,
    second: int | None | Unset = UNSET,
) -> ConsistencyProofOut | Problem | None:
    """树头一致性证明 Consistency proof between two heads

     RFC 9162 proof that the head of ``first`` leaves is a prefix of the head of ``second``
    (or the latest): an anchored head stays valid as the log grows.

    Args:
        first (int):
        second (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsistencyProofOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            first=first,
            second=second,
        )
    ).parsed
