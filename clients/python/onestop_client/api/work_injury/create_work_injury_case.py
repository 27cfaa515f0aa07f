from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_in import CaseIn
from ...models.case_out import CaseOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: CaseIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/work-injury/cases",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CaseOut | Problem | None:
    if response.status_code == 200:
        response_200 = CaseOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CaseOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CaseOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CaseIn,
) -> Response[CaseOut | Problem]:
    """登记工伤案件 Register an injury case

     An injury case with its 工伤认定 decision. The poor-worker mark is taken from the person
    registry's categories valid on the injury date (the rules say which count). With
    ``project_no`` the employer counts as insured when the project covered the day and the
    worker was on its roster.

    Args:
        body (CaseIn): An injury case with its 工伤认定 decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseOut | Problem]
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
    body: CaseIn,
) -> CaseOut | Problem | None:
    """登记工伤案件 Register an injury case

     An injury case with its 工伤认定 decision. The poor-worker mark is taken from the person
    registry's categories valid on the injury date (the rules say which count). With
    ``project_no`` the employer counts as insured when the project covered the day and the
    worker was on its roster.

    Args:
        body (CaseIn): An injury case with its 工伤认定 decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CaseIn,
) -> Response[CaseOut | Problem]:
    """登记工伤案件 Register an injury case

     An injury case with its 工伤认定 decision. The poor-worker mark is taken from the person
    registry's categories valid on the injury date (the rules say which count). With
    ``project_no`` the employer counts as insured when the project covered the day and the
    worker was on its roster.

    Args:
        body (CaseIn): An injury case with its 工伤认定 decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CaseIn,
) -> CaseOut | Problem | None:
    """登记工伤案件 Register an injury case

     An injury case with its 工伤认定 decision. The poor-worker mark is taken from the person
    registry's categories valid on the injury date (the rules say which count). With
    ``project_no`` the employer counts as insured when the project covered the day and the
    worker was on its roster.

    Args:
        body (CaseIn): An injury case with its 工伤认定 decision.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
