from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_out import ApplicationOut
from ...models.decision_in import DecisionIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    application_id: int,
    *,
    body: DecisionIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/work-injury/applications/{application_id}/decision".format(
            application_id=quote(str(application_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApplicationOut | Problem | None:
    if response.status_code == 200:
        response_200 = ApplicationOut.from_dict(response.json())

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
) -> Response[ApplicationOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    application_id: int,
    *,
    client: AuthenticatedClient,
    body: DecisionIn,
) -> Response[ApplicationOut | Problem]:
    """先行支付决定 Pay or refuse

     Pay (only fund-payable items, 社会保险法 art. 38; never the employer's items of art. 39;
    only after the employer's deadline has passed unpaid when a reminder was needed) or refuse
    with a reason. A pay decision is the payment: it is made on ``decided_on``.

    Args:
        application_id (int): The record's id
        body (DecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationOut | Problem]
    """

    kwargs = _get_kwargs(
        application_id=application_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    application_id: int,
    *,
    client: AuthenticatedClient,
    body: DecisionIn,
) -> ApplicationOut | Problem | None:
    """先行支付决定 Pay or refuse

     Pay (only fund-payable items, 社会保险法 art. 38; never the employer's items of art. 39;
    only after the employer's deadline has passed unpaid when a reminder was needed) or refuse
    with a reason. A pay decision is the payment: it is made on ``decided_on``.

    Args:
        application_id (int): The record's id
        body (DecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationOut | Problem
    """

    return sync_detailed(
        application_id=application_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    application_id: int,
    *,
    client: AuthenticatedClient,
    body: DecisionIn,
) -> Response[ApplicationOut | Problem]:
    """先行支付决定 Pay or refuse

     Pay (only fund-payable items, 社会保险法 art. 38; never the employer's items of art. 39;
    only after the employer's deadline has passed unpaid when a reminder was needed) or refuse
    with a reason. A pay decision is the payment: it is made on ``decided_on``.

    Args:
        application_id (int): The record's id
        body (DecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationOut | Problem]
    """

    kwargs = _get_kwargs(
        application_id=application_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    application_id: int,
    *,
    client: AuthenticatedClient,
    body: DecisionIn,
) -> ApplicationOut | Problem | None:
    """先行支付决定 Pay or refuse

     Pay (only fund-payable items, 社会保险法 art. 38; never the employer's items of art. 39;
    only after the employer's deadline has passed unpaid when a reminder was needed) or refuse
    with a reason. A pay decision is the payment: it is made on ``decided_on``.

    Args:
        application_id (int): The record's id
        body (DecisionIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationOut | Problem
    """

    return (
        await asyncio_detailed(
            application_id=application_id,
            client=client,
            body=body,
        )
    ).parsed
