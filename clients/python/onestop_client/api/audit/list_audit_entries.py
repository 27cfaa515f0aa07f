from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    action: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    after_id: int | Unset = 0,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_entity_type: None | str | Unset
    if isinstance(entity_type, Unset):
        json_entity_type = UNSET
    else:
        json_entity_type = entity_type
    params["entity_type"] = json_entity_type

    json_entity_id: None | str | Unset
    if isinstance(entity_id, Unset):
        json_entity_id = UNSET
    else:
        json_entity_id = entity_id
    params["entity_id"] = json_entity_id

    params["after_id"] = after_id

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    after_id: int | Unset = 0,
    limit: int | Unset = 100,
) -> Response[AuditPage | Problem]:
    """审计记录 List audit entries

     Entries in chain order (by id), filtered; page with ``after_id``.

    Args:
        action (None | str | Unset):
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        after_id (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        after_id=after_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    after_id: int | Unset = 0,
    limit: int | Unset = 100,
) -> AuditPage | Problem | None:
    """审计记录 List audit entries

     Entries in chain order (by id), filtered; page with ``after_id``.

    Args:
        action (None | str | Unset):
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        after_id (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        after_id=after_id,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    after_id: int | Unset = 0,
    limit: int | Unset = 100,
) -> Response[AuditPage | Problem]:
    """审计记录 List audit entries

     Entries in chain order (by id), filtered; page with ``after_id``.

    Args:
        action (None | str | Unset):
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        after_id (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        after_id=after_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    after_id: int | Unset = 0,
    limit: int | Unset = 100,
) -> AuditPage | Problem | None:
    """审计记录 List audit entries

     Entries in chain order (by id), filtered; page with ``after_id``.

    Args:
        action (None | str | Unset):
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        after_id (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            after_id=after_id,
            limit=limit,
        )
    ).parsed
