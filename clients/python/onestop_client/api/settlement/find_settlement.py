from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.settlement_out import SettlementOut
from ...types import UNSET, Response


def _get_kwargs(
    *,
    hospital_code: str,
    bill_no: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["hospital_code"] = hospital_code

    params["bill_no"] = bill_no

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/settlements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

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
    hospital_code: str,
    bill_no: str,
) -> Response[Problem | SettlementOut]:
    """按单号查结算 Find the active settlement of a bill

     The active (not reversed) settlement of a bill, for a HIS that lost the answer to its
    settlement request: 404 ``settlement_not_found`` means it did not land (or was reversed), so
    settling again is safe.

    Args:
        hospital_code (str): 医疗机构编码 (hospital code)
        bill_no (str): 住院号/结算单号 (bill number)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        hospital_code=hospital_code,
        bill_no=bill_no,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    hospital_code: str,
    bill_no: str,
) -> Problem | SettlementOut | None:
    """按单号查结算 Find the active settlement of a bill

     The active (not reversed) settlement of a bill, for a HIS that lost the answer to its
    settlement request: 404 ``settlement_not_found`` means it did not land (or was reversed), so
    settling again is safe.

    Args:
        hospital_code (str): 医疗机构编码 (hospital code)
        bill_no (str): 住院号/结算单号 (bill number)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return sync_detailed(
        client=client,
        hospital_code=hospital_code,
        bill_no=bill_no,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    hospital_code: str,
    bill_no: str,
) -> Response[Problem | SettlementOut]:
    """按单号查结算 Find the active settlement of a bill

     The active (not reversed) settlement of a bill, for a HIS that lost the answer to its
    settlement request: 404 ``settlement_not_found`` means it did not land (or was reversed), so
    settling again is safe.

    Args:
        hospital_code (str): 医疗机构编码 (hospital code)
        bill_no (str): 住院号/结算单号 (bill number)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SettlementOut]
    """

    kwargs = _get_kwargs(
        hospital_code=hospital_code,
        bill_no=bill_no,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    hospital_code: str,
    bill_no: str,
) -> Problem | SettlementOut | None:
    """按单号查结算 Find the active settlement of a bill

     The active (not reversed) settlement of a bill, for a HIS that lost the answer to its
    settlement request: 404 ``settlement_not_found`` means it did not land (or was reversed), so
    settling again is safe.

    Args:
        hospital_code (str): 医疗机构编码 (hospital code)
        bill_no (str): 住院号/结算单号 (bill number)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SettlementOut
    """

    return (
        await asyncio_detailed(
            client=client,
            hospital_code=hospital_code,
            bill_no=bill_no,
        )
    ).parsed
