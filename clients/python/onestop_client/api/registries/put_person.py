from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.person_in import PersonIn
from ...models.person_out import PersonOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id_number: str,
    *,
    body: PersonIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/persons/{id_number}".format(
            id_number=quote(str(id_number), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PersonOut | Problem | None:
    if response.status_code == 200:
        response_200 = PersonOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = PersonOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[PersonOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id_number: str,
    *,
    client: AuthenticatedClient,
    body: PersonIn,
) -> Response[PersonOut | Problem]:
    """登记参保人 Create or replace an insured person

     Create or replace a person (参保人) with enrolment years (参保年度) and dated assistance
    categories (建档立卡/低保/特困). 201 when created, 200 when replaced. 422
    ``invalid_id_number`` when the ID number's checksum digit does not match.

    Args:
        id_number (str): 18-digit resident ID number (公民身份号码, GB 11643), checksum verified
        body (PersonIn): An insured person (参保人).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonOut | Problem]
    """

    kwargs = _get_kwargs(
        id_number=id_number,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id_number: str,
    *,
    client: AuthenticatedClient,
    body: PersonIn,
) -> PersonOut | Problem | None:
    """登记参保人 Create or replace an insured person

     Create or replace a person (参保人) with enrolment years (参保年度) and dated assistance
    categories (建档立卡/低保/特困). 201 when created, 200 when replaced. 422
    ``invalid_id_number`` when the ID number's checksum digit does not match.

    Args:
        id_number (str): 18-digit resident ID number (公民身份号码, GB 11643), checksum verified
        body (PersonIn): An insured person (参保人).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonOut | Problem
    """

    return sync_detailed(
        id_number=id_number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id_number: str,
    *,
    client: AuthenticatedClient,
    body: PersonIn,
) -> Response[PersonOut | Problem]:
    """登记参保人 Create or replace an insured person

     Create or replace a person (参保人) with enrolment years (参保年度) and dated assistance
    categories (建档立卡/低保/特困). 201 when created, 200 when replaced. 422
    ``invalid_id_number`` when the ID number's checksum digit does not match.

    Args:
        id_number (str): 18-digit resident ID number (公民身份号码, GB 11643), checksum verified
        body (PersonIn): An insured person (参保人).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PersonOut | Problem]
    """

    kwargs = _get_kwargs(
        id_number=id_number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id_number: str,
    *,
    client: AuthenticatedClient,
    body: PersonIn,
) -> PersonOut | Problem | None:
    """登记参保人 Create or replace an insured person

     Create or replace a person (参保人) with enrolment years (参保年度) and dated assistance
    categories (建档立卡/低保/特困). 201 when created, 200 when replaced. 422
    ``invalid_id_number`` when the ID number's checksum digit does not match.

    Args:
        id_number (str): 18-digit resident ID number (公民身份号码, GB 11643), checksum verified
        body (PersonIn): An insured person (参保人).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PersonOut | Problem
    """

    return (
        await asyncio_detailed(
            id_number=id_number,
            client=client,
            body=body,
        )
    ).parsed
