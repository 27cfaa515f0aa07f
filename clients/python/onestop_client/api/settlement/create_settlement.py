from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.settlement_in import SettlementIn
from ...models.settlement_out import SettlementOut
from ...types import Response


def _get_kwargs(
    *,
    body: SettlementIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlements",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = SettlementOut.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SettlementOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Response[Problem | SettlementOut]:
    """结算 Settle a bill

     结算 (settlement): stores the settlement and adds it to the person's annual accumulators.

    ``(hospital_code, bill_no)`` is the idempotency key: 201 for a new settlement; the same body
    again returns the same settlement with 200 (accumulators touched once); another body for an
    active bill is 409 ``bill_conflict`` (reverse it first). Once the bill's settlement is
    reversed, settling it again is explicit: the body carries ``"replaces": "<the reversed
    settlement_id>"`` and gets a new settlement (201); without it the bill answers 409
    ``bill_reversed`` naming the reversed settlement (a late retry never settles a reversed bill
    again), and a ``replaces`` that is not the bill's latest reversed settlement is 409
    ``replaces_mismatch``. After a lost answer, look the bill up with ``findSettlement`` or send
    the same body again.

    An amount past its bound (see ``items``, and a person's standing bills of one accumulator
    year) is 422 ``amount_out_of_range``, naming the field; nothing is stored.

    503 ``commit_failed`` or ``database_unavailable``: the outcome may be unknown (the connection
    can drop during the commit); send the same body again, which is safe. 503
    ``commit_unconfirmed``: committed on the database primary but not confirmed replicated to a
    standby; the same body again answers (200, the same settlement) once it is. 503 ``overloaded``
    (with ``Retry-After``): the instance is at capacity and did not look at the request; retry
    after the delay.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
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
    body: SettlementIn,
) -> Problem | SettlementOut | None:
    """结算 Settle a bill

     结算 (settlement): stores the settlement and adds it to the person's annual accumulators.

    ``(hospital_code, bill_no)`` is the idempotency key: 201 for a new settlement; the same body
    again returns the same settlement with 200 (accumulators touched once); another body for an
    active bill is 409 ``bill_conflict`` (reverse it first). Once the bill's settlement is
    reversed, settling it again is explicit: the body carries ``"replaces": "<the reversed
    settlement_id>"`` and gets a new settlement (201); without it the bill answers 409
    ``bill_reversed`` naming the reversed settlement (a late retry never settles a reversed bill
    again), and a ``replaces`` that is not the bill's latest reversed settlement is 409
    ``replaces_mismatch``. After a lost answer, look the bill up with ``findSettlement`` or send
    the same body again.

    An amount past its bound (see ``items``, and a person's standing bills of one accumulator
    year) is 422 ``amount_out_of_range``, naming the field; nothing is stored.

    503 ``commit_failed`` or ``database_unavailable``: the outcome may be unknown (the connection
    can drop during the commit); send the same body again, which is safe. 503
    ``commit_unconfirmed``: committed on the database primary but not confirmed replicated to a
    standby; the same body again answers (200, the same settlement) once it is. 503 ``overloaded``
    (with ``Retry-After``): the instance is at capacity and did not look at the request; retry
    after the delay.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Response[Problem | SettlementOut]:
    """结算 Settle a bill

     结算 (settlement): stores the settlement and adds it to the person's annual accumulators.

    ``(hospital_code, bill_no)`` is the idempotency key: 201 for a new settlement; the same body
    again returns the same settlement with 200 (accumulators touched once); another body for an
    active bill is 409 ``bill_conflict`` (reverse it first). Once the bill's settlement is
    reversed, settling it again is explicit: the body carries ``"replaces": "<the reversed
    settlement_id>"`` and gets a new settlement (201); without it the bill answers 409
    ``bill_reversed`` naming the reversed settlement (a late retry never settles a reversed bill
    again), and a ``replaces`` that is not the bill's latest reversed settlement is 409
    ``replaces_mismatch``. After a lost answer, look the bill up with ``findSettlement`` or send
    the same body again.

    An amount past its bound (see ``items``, and a person's standing bills of one accumulator
    year) is 422 ``amount_out_of_range``, naming the field; nothing is stored.

    503 ``commit_failed`` or ``database_unavailable``: the outcome may be unknown (the connection
    can drop during the commit); send the same body again, which is safe. 503
    ``commit_unconfirmed``: committed on the database primary but not confirmed replicated to a
    standby; the same body again answers (200, the same settlement) once it is. 503 ``overloaded``
    (with ``Retry-After``): the instance is at capacity and did not look at the request; retry
    after the delay.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SettlementIn,
) -> Problem | SettlementOut | None:
    """结算 Settle a bill

     结算 (settlement): stores the settlement and adds it to the person's annual accumulators.

    ``(hospital_code, bill_no)`` is the idempotency key: 201 for a new settlement; the same body
    again returns the same settlement with 200 (accumulators touched once); another body for an
    active bill is 409 ``bill_conflict`` (reverse it first). Once the bill's settlement is
    reversed, settling it again is explicit: the body carries ``"replaces": "<the reversed
    settlement_id>"`` and gets a new settlement (201); without it the bill answers 409
    ``bill_reversed`` naming the reversed settlement (a late retry never settles a reversed bill
    again), and a ``replaces`` that is not the bill's latest reversed settlement is 409
    ``replaces_mismatch``. After a lost answer, look the bill up with ``findSettlement`` or send
    the same body again.

    An amount past its bound (see ``items``, and a person's standing bills of one accumulator
    year) is 422 ``amount_out_of_range``, naming the field; nothing is stored.

    503 ``commit_failed`` or ``database_unavailable``: the outcome may be unknown (the connection
    can drop during the commit); send the same body again, which is safe. 503
    ``commit_unconfirmed``: committed on the database primary but not confirmed replicated to a
    standby; the same body again answers (200, the same settlement) once it is. 503 ``overloaded``
    (with ``Retry-After``): the instance is at capacity and did not look at the request; retry
    after the delay.

    Args:
        body (SettlementIn): An inpatient bill at discharge (出院结算单), for preview and settlement.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
