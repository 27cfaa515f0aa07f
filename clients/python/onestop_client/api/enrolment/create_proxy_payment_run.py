from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.run_in import RunIn
from ...models.run_out import RunOut
from ...types import Response


def _get_kwargs(
    *,
    body: RunIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/proxy-payments/runs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RunOut | None:
    if response.status_code == 201:
        response_201 = RunOut.from_dict(response.json())

        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RunOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RunIn,
) -> Response[Problem | RunOut]:
    """计算代缴名单 Compute a proxy-payment run

     Compute the proxy-payment list (代缴/资助参保) of a scheme, year and county from the
    roster, the age band and the rules (policies/enrolment), with the pension top-ups; store it
    (status ``computed``). Another run of the same scheme, year and county may be computed at
    any time (each is a snapshot); only one can be confirmed.

    Args:
        body (RunIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunOut]
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
    body: RunIn,
) -> Problem | RunOut | None:
    """计算代缴名单 Compute a proxy-payment run

     Compute the proxy-payment list (代缴/资助参保) of a scheme, year and county from the
    roster, the age band and the rules (policies/enrolment), with the pension top-ups; store it
    (status ``computed``). Another run of the same scheme, year and county may be computed at
    any time (each is a snapshot); only one can be confirmed.

    Args:
        body (RunIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RunIn,
) -> Response[Problem | RunOut]:
    """计算代缴名单 Compute a proxy-payment run

     Compute the proxy-payment list (代缴/资助参保) of a scheme, year and county from the
    roster, the age band and the rules (policies/enrolment), with the pension top-ups; store it
    (status ``computed``). Another run of the same scheme, year and county may be computed at
    any time (each is a snapshot); only one can be confirmed.

    Args:
        body (RunIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RunIn,
) -> Problem | RunOut | None:
    """计算代缴名单 Compute a proxy-payment run

     Compute the proxy-payment list (代缴/资助参保) of a scheme, year and county from the
    roster, the age band and the rules (policies/enrolment), with the pension top-ups; store it
    (status ``computed``). Another run of the same scheme, year and county may be computed at
    any time (each is a snapshot); only one can be confirmed.

    Args:
        body (RunIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
