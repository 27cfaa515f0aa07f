from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.run_out import RunOut
from ...types import Response


def _get_kwargs(
    run_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/proxy-payments/runs/{run_id}/confirm".format(
            run_id=quote(str(run_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RunOut | None:
    if response.status_code == 200:
        response_200 = RunOut.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | RunOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | RunOut]:
    """确认代缴名单 Confirm a run: record the enrolments

     Record the run's enrolments (medical: ``person_enrolments`` with the run's id, an admin's
    own enrolment of the person adopted by the run; pension: ``pension_enrolments`` with the tier
    and subsidy). Confirming a confirmed run answers the same and records nothing more. 409
    ``run_already_confirmed``: another run of the scheme, year and county is confirmed; 409
    ``run_stale``: the roster or the rules changed what the run computes (compute a new run).

    Args:
        run_id (UUID): The run's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunOut]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | RunOut | None:
    """确认代缴名单 Confirm a run: record the enrolments

     Record the run's enrolments (medical: ``person_enrolments`` with the run's id, an admin's
    own enrolment of the person adopted by the run; pension: ``pension_enrolments`` with the tier
    and subsidy). Confirming a confirmed run answers the same and records nothing more. 409
    ``run_already_confirmed``: another run of the scheme, year and county is confirmed; 409
    ``run_stale``: the roster or the rules changed what the run computes (compute a new run).

    Args:
        run_id (UUID): The run's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunOut
    """

    return sync_detailed(
        run_id=run_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | RunOut]:
    """确认代缴名单 Confirm a run: record the enrolments

     Record the run's enrolments (medical: ``person_enrolments`` with the run's id, an admin's
    own enrolment of the person adopted by the run; pension: ``pension_enrolments`` with the tier
    and subsidy). Confirming a confirmed run answers the same and records nothing more. 409
    ``run_already_confirmed``: another run of the scheme, year and county is confirmed; 409
    ``run_stale``: the roster or the rules changed what the run computes (compute a new run).

    Args:
        run_id (UUID): The run's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RunOut]
    """

    kwargs = _get_kwargs(
        run_id=run_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    run_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | RunOut | None:
    """确认代缴名单 Confirm a run: record the enrolments

     Record the run's enrolments (medical: ``person_enrolments`` with the run's id, an admin's
    own enrolment of the person adopted by the run; pension: ``pension_enrolments`` with the tier
    and subsidy). Confirming a confirmed run answers the same and records nothing more. 409
    ``run_already_confirmed``: another run of the scheme, year and county is confirmed; 409
    ``run_stale``: the roster or the rules changed what the run computes (compute a new run).

    Args:
        run_id (UUID): The run's id

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RunOut
    """

    return (
        await asyncio_detailed(
            run_id=run_id,
            client=client,
        )
    ).parsed
