from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.inclusion_proof_out import InclusionProofOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    settlement_id: UUID,
    *,
    tree_size: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_tree_size: int | None | Unset
    if isinstance(tree_size, Unset):
        json_tree_size = UNSET
    else:
        json_tree_size = tree_size
    params["tree_size"] = json_tree_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/settlements/{settlement_id}/proof".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InclusionProofOut | Problem | None:
    if response.status_code == 200:
        response_200 = InclusionProofOut.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[InclusionProofOut | Problem]:
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
    tree_size: int | None | Unset = UNSET,
) -> Response[InclusionProofOut | Problem]:
    """结算审计记录包含证明 Inclusion proof of a settlement's entry

     Inclusion proof of the settlement's ``settlement.create`` entry (its amounts and layer
    lines are in ``leaf_data``).

    Args:
        settlement_id (UUID):
        tree_size (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InclusionProofOut | Problem]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        tree_size=tree_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
    tree_size: int | None | Unset = UNSET,
) -> InclusionProofOut | Problem | None:
    """结算审计记录包含证明 Inclusion proof of a settlement's entry

     Inclusion proof of the settlement's ``settlement.create`` entry (its amounts and layer
    lines are in ``leaf_data``).

    Args:
        settlement_id (UUID):
        tree_size (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InclusionProofOut | Problem
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
        tree_size=tree_size,
    ).parsed


async def asyncio_detailed(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
    tree_size: int | None | Unset = UNSET,
) -> Response[InclusionProofOut | Problem]:
    """结算审计记录包含证明 Inclusion proof of a settlement's entry

     Inclusion proof of the settlement's ``settlement.create`` entry (its amounts and layer
    lines are in ``leaf_data``).

    Args:
        settlement_id (UUID):
        tree_size (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InclusionProofOut | Problem]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        tree_size=tree_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: UUID,
    *,
    client: AuthenticatedClient,
    tree_size: int | None | Unset = UNSET,
) -> InclusionProofOut | Problem | None:
    """结算审计记录包含证明 Inclusion proof of a settlement's entry

     Inclusion proof of the settlement's ``settlement.create`` entry (its amounts and layer
    lines are in ``leaf_data``).

    Args:
        settlement_id (UUID):
        tree_size (int | None | Unset): A stored head's size; omit for the latest head

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InclusionProofOut | Problem
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
            tree_size=tree_size,
        )
    ).parsed
