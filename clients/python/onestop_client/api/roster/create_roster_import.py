from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_create_roster_import import BodyCreateRosterImport
from ...models.import_out import ImportOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: BodyCreateRosterImport,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/roster/imports",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportOut | Problem | None:
    if response.status_code == 200:
        response_200 = ImportOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = ImportOut.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ImportOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BodyCreateRosterImport,
) -> Response[ImportOut | Problem]:
    """导入名单 Import a roster file

     Import a source's full roster as of a date: each good row is a category period of that
    source (persons created or updated), every period of the source the file no longer lists
    is ended at ``as_of``; bad rows are rejected alone (``errors``, row and column). 201 with
    the counts; the same file of the same source again: 200 with the stored import.

    Args:
        body (BodyCreateRosterImport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportOut | Problem]
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
    body: BodyCreateRosterImport,
) -> ImportOut | Problem | None:
    """导入名单 Import a roster file

     Import a source's full roster as of a date: each good row is a category period of that
    source (persons created or updated), every period of the source the file no longer lists
    is ended at ``as_of``; bad rows are rejected alone (``errors``, row and column). 201 with
    the counts; the same file of the same source again: 200 with the stored import.

    Args:
        body (BodyCreateRosterImport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BodyCreateRosterImport,
) -> Response[ImportOut | Problem]:
    """导入名单 Import a roster file

     Import a source's full roster as of a date: each good row is a category period of that
    source (persons created or updated), every period of the source the file no longer lists
    is ended at ``as_of``; bad rows are rejected alone (``errors``, row and column). 201 with
    the counts; the same file of the same source again: 200 with the stored import.

    Args:
        body (BodyCreateRosterImport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BodyCreateRosterImport,
) -> ImportOut | Problem | None:
    """导入名单 Import a roster file

     Import a source's full roster as of a date: each good row is a category period of that
    source (persons created or updated), every period of the source the file no longer lists
    is ended at ``as_of``; bad rows are rejected alone (``errors``, row and column). 201 with
    the counts; the same file of the same source again: 200 with the stored import.

    Args:
        body (BodyCreateRosterImport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
