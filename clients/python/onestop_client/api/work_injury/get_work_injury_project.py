from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.project_out import ProjectOut
from ...types import Response


def _get_kwargs(
    project_no: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/work-injury/projects/{project_no}".format(
            project_no=quote(str(project_no), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ProjectOut | None:
    if response.status_code == 200:
        response_200 = ProjectOut.from_dict(response.json())

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
) -> Response[Problem | ProjectOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_no: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ProjectOut]:
    """查询建设项目 Read a project

    Args:
        project_no (str): The record's number

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectOut]
    """

    kwargs = _get_kwargs(
        project_no=project_no,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_no: str,
    *,
    client: AuthenticatedClient,
) -> Problem | ProjectOut | None:
    """查询建设项目 Read a project

    Args:
        project_no (str): The record's number

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectOut
    """

    return sync_detailed(
        project_no=project_no,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_no: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | ProjectOut]:
    """查询建设项目 Read a project

    Args:
        project_no (str): The record's number

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectOut]
    """

    kwargs = _get_kwargs(
        project_no=project_no,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_no: str,
    *,
    client: AuthenticatedClient,
) -> Problem | ProjectOut | None:
    """查询建设项目 Read a project

    Args:
        project_no (str): The record's number

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectOut
    """

    return (
        await asyncio_detailed(
            project_no=project_no,
            client=client,
        )
    ).parsed
