from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.what_if_created import WhatIfCreated
from ...models.what_if_in import WhatIfIn
from ...types import Response


def _get_kwargs(
    *,
    body: WhatIfIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/what-if",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WhatIfCreated | None:
    if response.status_code == 202:
        response_202 = WhatIfCreated.from_dict(response.json())

        return response_202

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
) -> Response[Problem | WhatIfCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WhatIfIn,
) -> Response[Problem | WhatIfCreated]:
    """政策测算 Replay a period's settlements under a draft policy

     Checks the draft as `policies/` documents are checked (each problem names its field
    under `["body", "policy", ...]`), stores a queued job and answers 202 with its id; the
    replay runs off the request path. One queued or running job per key (409 `what_if_busy`).
    Nothing stored is changed by the replay: it reads one read-only snapshot.

    Args:
        body (WhatIfIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WhatIfCreated]
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
    body: WhatIfIn,
) -> Problem | WhatIfCreated | None:
    """政策测算 Replay a period's settlements under a draft policy

     Checks the draft as `policies/` documents are checked (each problem names its field
    under `["body", "policy", ...]`), stores a queued job and answers 202 with its id; the
    replay runs off the request path. One queued or running job per key (409 `what_if_busy`).
    Nothing stored is changed by the replay: it reads one read-only snapshot.

    Args:
        body (WhatIfIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WhatIfCreated
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WhatIfIn,
) -> Response[Problem | WhatIfCreated]:
    """政策测算 Replay a period's settlements under a draft policy

     Checks the draft as `policies/` documents are checked (each problem names its field
    under `["body", "policy", ...]`), stores a queued job and answers 202 with its id; the
    replay runs off the request path. One queued or running job per key (409 `what_if_busy`).
    Nothing stored is changed by the replay: it reads one read-only snapshot.

    Args:
        body (WhatIfIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WhatIfCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WhatIfIn,
) -> Problem | WhatIfCreated | None:
    """政策测算 Replay a period's settlements under a draft policy

     Checks the draft as `policies/` documents are checked (each problem names its field
    under `["body", "policy", ...]`), stores a queued job and answers 202 with its id; the
    replay runs off the request path. One queued or running job per key (409 `what_if_busy`).
    Nothing stored is changed by the replay: it reads one read-only snapshot.

    Args:
        body (WhatIfIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WhatIfCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
