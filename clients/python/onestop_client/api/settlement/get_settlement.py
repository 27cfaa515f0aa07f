from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.settlement_out import SettlementOut
from ...types import Response


def _get_kwargs(
    settlement_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/settlements/{settlement_id}".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

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
) -> Response[Problem | SettlementOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SettlementOut]:
    """查询结算 Read a settlement

     A settlement by id, settled or reversed. Another hospital's settlement is 404.

    Args:
        settlement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SettlementOut | None:
    """查询结算 Read a settlement

     A settlement by id, settled or reversed. Another hospital's settlement is 404.

    Args:
        settlement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SettlementOut]:
    """查询结算 Read a settlement

     A settlement by id, settled or reversed. Another hospital's settlement is 404.

    Args:
        settlement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SettlementOut | None:
    """查询结算 Read a settlement

     A settlement by id, settled or reversed. Another hospital's settlement is 404.

    Args:
        settlement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
        )
    ).parsed
