from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_service_body import CallServiceBody
from ...models.call_service_response_200 import CallServiceResponse200
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CallServiceBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/fsi/api/rsfComIfsService/callService",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallServiceResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = CallServiceResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallServiceResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceBody,
) -> Response[CallServiceResponse200 | Problem]:
    """医保接口 National interface (fsi), every transaction

     See docs/nhsa.md. Also served as `…/callService/{infno}` (some HIS append the code; it must agree
    with the body's). The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        body (CallServiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallServiceResponse200 | Problem]
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
    client: AuthenticatedClient | Client,
    body: CallServiceBody,
) -> CallServiceResponse200 | Problem | None:
    """医保接口 National interface (fsi), every transaction

     See docs/nhsa.md. Also served as `…/callService/{infno}` (some HIS append the code; it must agree
    with the body's). The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        body (CallServiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallServiceResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceBody,
) -> Response[CallServiceResponse200 | Problem]:
    """医保接口 National interface (fsi), every transaction

     See docs/nhsa.md. Also served as `…/callService/{infno}` (some HIS append the code; it must agree
    with the body's). The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        body (CallServiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallServiceResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceBody,
) -> CallServiceResponse200 | Problem | None:
    """医保接口 National interface (fsi), every transaction

     See docs/nhsa.md. Also served as `…/callService/{infno}` (some HIS append the code; it must agree
    with the body's). The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        body (CallServiceBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallServiceResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
