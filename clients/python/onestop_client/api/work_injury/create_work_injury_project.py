from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.project_in import ProjectIn
from ...models.project_out import ProjectOut
from ...types import Response


def _get_kwargs(
    *,
    body: ProjectIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/work-injury/projects",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProjectOut | None:
    if response.status_code == 200:
        response_200 = ProjectOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ProjectOut.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ProjectOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ProjectIn,
) -> Response[Problem | ProjectOut]:
    """登记建设项目 Register a project insured by project

     A construction project insured by project (按项目参保): the premium is the contract
    price × the rate of the dated rules for the county's city on the work-start day, rounded
    half up to the fen; it must be paid before work starts. 201 created; 200 the same request
    again; 409 ``key_reused`` the same ``project_no`` with another body.

    Args:
        body (ProjectIn): A construction project insured by project (按项目参保).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectOut]
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
    body: ProjectIn,
) -> Problem | ProjectOut | None:
    """登记建设项目 Register a project insured by project

     A construction project insured by project (按项目参保): the premium is the contract
    price × the rate of the dated rules for the county's city on the work-start day, rounded
    half up to the fen; it must be paid before work starts. 201 created; 200 the same request
    again; 409 ``key_reused`` the same ``project_no`` with another body.

    Args:
        body (ProjectIn): A construction project insured by project (按项目参保).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ProjectIn,
) -> Response[Problem | ProjectOut]:
    """登记建设项目 Register a project insured by project

     A construction project insured by project (按项目参保): the premium is the contract
    price × the rate of the dated rules for the county's city on the work-start day, rounded
    half up to the fen; it must be paid before work starts. 201 created; 200 the same request
    again; 409 ``key_reused`` the same ``project_no`` with another body.

    Args:
        body (ProjectIn): A construction project insured by project (按项目参保).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ProjectIn,
) -> Problem | ProjectOut | None:
    """登记建设项目 Register a project insured by project

     A construction project insured by project (按项目参保): the premium is the contract
    price × the rate of the dated rules for the county's city on the work-start day, rounded
    half up to the fen; it must be paid before work starts. 201 created; 200 the same request
    again; 409 ``key_reused`` the same ``project_no`` with another body.

    Args:
        body (ProjectIn): A construction project insured by project (按项目参保).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
