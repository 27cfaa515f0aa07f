from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.check_in import CheckIn
from ...models.check_out import CheckOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CheckIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/reconciliation/check",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CheckOut | Problem | None:
    if response.status_code == 200:
        response_200 = CheckOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CheckOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CheckIn,
) -> Response[CheckOut | Problem]:
    """对账 Check a hospital's figures against the records

     对账: a hospital's own net count and amount per fund for a range in; `match`, or
    `mismatch` with each differing fund's submitted and recorded figures, out. With
    `settlement_ids` (settlements made in the range) and/or `reversed_settlement_ids`
    (settlements reversed in the range), the ids missing on either side are listed too.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        body (CheckIn): A hospital's own books for a range (对账申请).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckOut | Problem]
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
    body: CheckIn,
) -> CheckOut | Problem | None:
    """对账 Check a hospital's figures against the records

     对账: a hospital's own net count and amount per fund for a range in; `match`, or
    `mismatch` with each differing fund's submitted and recorded figures, out. With
    `settlement_ids` (settlements made in the range) and/or `reversed_settlement_ids`
    (settlements reversed in the range), the ids missing on either side are listed too.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        body (CheckIn): A hospital's own books for a range (对账申请).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CheckIn,
) -> Response[CheckOut | Problem]:
    """对账 Check a hospital's figures against the records

     对账: a hospital's own net count and amount per fund for a range in; `match`, or
    `mismatch` with each differing fund's submitted and recorded figures, out. With
    `settlement_ids` (settlements made in the range) and/or `reversed_settlement_ids`
    (settlements reversed in the range), the ids missing on either side are listed too.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        body (CheckIn): A hospital's own books for a range (对账申请).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CheckOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CheckIn,
) -> CheckOut | Problem | None:
    """对账 Check a hospital's figures against the records

     对账: a hospital's own net count and amount per fund for a range in; `match`, or
    `mismatch` with each differing fund's submitted and recorded figures, out. With
    `settlement_ids` (settlements made in the range) and/or `reversed_settlement_ids`
    (settlements reversed in the range), the ids missing on either side are listed too.

    Days are calendar days in **Asia/Shanghai** (UTC+8), both ends inclusive: a settlement counts
    on the day of its `settled_at`, a reversal as a negative event on the day of its
    `reversed_at`.

    Args:
        body (CheckIn): A hospital's own books for a range (对账申请).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CheckOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
