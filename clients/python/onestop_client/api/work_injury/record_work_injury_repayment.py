from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recovery_out import RecoveryOut
from ...models.repayment_in import RepaymentIn
from ...types import Response


def _get_kwargs(
    recovery_id: int,
    *,
    body: RepaymentIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/work-injury/recoveries/{recovery_id}/repayments".format(
            recovery_id=quote(str(recovery_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RecoveryOut | None:
    if response.status_code == 200:
        response_200 = RecoveryOut.from_dict(response.json())

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
) -> Response[Problem | RecoveryOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    recovery_id: int,
    *,
    client: AuthenticatedClient,
    body: RepaymentIn,
) -> Response[Problem | RecoveryOut]:
    """记录还款 Record a repayment

     A repayment keyed by ``repayment_no``: the same number with the same day and amount is a
    retry (200, nothing added); with another day or amount, 409.

    Args:
        recovery_id (int): The record's id
        body (RepaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryOut]
    """

    kwargs = _get_kwargs(
        recovery_id=recovery_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    recovery_id: int,
    *,
    client: AuthenticatedClient,
    body: RepaymentIn,
) -> Problem | RecoveryOut | None:
    """记录还款 Record a repayment

     A repayment keyed by ``repayment_no``: the same number with the same day and amount is a
    retry (200, nothing added); with another day or amount, 409.

    Args:
        recovery_id (int): The record's id
        body (RepaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryOut
    """

    return sync_detailed(
        recovery_id=recovery_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    recovery_id: int,
    *,
    client: AuthenticatedClient,
    body: RepaymentIn,
) -> Response[Problem | RecoveryOut]:
    """记录还款 Record a repayment

     A repayment keyed by ``repayment_no``: the same number with the same day and amount is a
    retry (200, nothing added); with another day or amount, 409.

    Args:
        recovery_id (int): The record's id
        body (RepaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryOut]
    """

    kwargs = _get_kwargs(
        recovery_id=recovery_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    recovery_id: int,
    *,
    client: AuthenticatedClient,
    body: RepaymentIn,
) -> Problem | RecoveryOut | None:
    """记录还款 Record a repayment

     A repayment keyed by ``repayment_no``: the same number with the same day and amount is a
    retry (200, nothing added); with another day or amount, 409.

    Args:
        recovery_id (int): The record's id
        body (RepaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryOut
    """

    return (
        await asyncio_detailed(
            recovery_id=recovery_id,
            client=client,
            body=body,
        )
    ).parsed
