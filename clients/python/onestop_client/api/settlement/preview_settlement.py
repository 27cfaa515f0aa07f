from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.settlement_in import SettlementIn
from ...models.settlement_out import SettlementOut
from ...types import Response


def _get_kwargs(
    *,
    body: SettlementIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlements/preview",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
) -> Response[Problem | SettlementOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Response[Problem | SettlementOut]:
    """预结算 Preview a settlement (nothing stored)

     预结算 (pre-settlement): computes the settlement on the person's current accumulators
    (年度累计) and stores nothing; ``settlement_id`` and ``settled_at`` are null. A hospital key
    previews its own hospital's bills only.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Problem | SettlementOut | None:
    """预结算 Preview a settlement (nothing stored)

     预结算 (pre-settlement): computes the settlement on the person's current accumulators
    (年度累计) and stores nothing; ``settlement_id`` and ``settled_at`` are null. A hospital key
    previews its own hospital's bills only.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Response[Problem | SettlementOut]:
    """预结算 Preview a settlement (nothing stored)

     预结算 (pre-settlement): computes the settlement on the person's current accumulators
    (年度累计) and stores nothing; ``settlement_id`` and ``settled_at`` are null. A hospital key
    previews its own hospital's bills only.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Problem | SettlementOut | None:
    """预结算 Preview a settlement (nothing stored)

     预结算 (pre-settlement): computes the settlement on the person's current accumulators
    (年度累计) and stores nothing; ``settlement_id`` and ``settled_at`` are null. A hospital key
    previews its own hospital's bills only.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
