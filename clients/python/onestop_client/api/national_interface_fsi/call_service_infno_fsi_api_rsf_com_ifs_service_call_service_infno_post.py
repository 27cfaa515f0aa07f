from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_service_infno_fsi_api_rsf_com_ifs_service_call_service_infno_post_body import (
    CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
)
from ...models.call_service_infno_fsi_api_rsf_com_ifs_service_call_service_infno_post_response_200 import (
    CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200,
)
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    infno: str,
    *,
    body: CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/fsi/api/rsfComIfsService/callService/{infno}".format(
            infno=quote(str(infno), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    infno: str,
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
) -> Response[CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem]:
    """医保接口 National interface (fsi), the transaction code in the path

     See docs/nhsa.md. The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        infno (str):
        body (CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        infno=infno,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    infno: str,
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
) -> CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem | None:
    """医保接口 National interface (fsi), the transaction code in the path

     See docs/nhsa.md. The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        infno (str):
        body (CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem
    """

    return sync_detailed(
        infno=infno,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    infno: str,
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
) -> Response[CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem]:
    """医保接口 National interface (fsi), the transaction code in the path

     See docs/nhsa.md. The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        infno (str):
        body (CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        infno=infno,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    infno: str,
    *,
    client: AuthenticatedClient | Client,
    body: CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody,
) -> CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem | None:
    """医保接口 National interface (fsi), the transaction code in the path

     See docs/nhsa.md. The body is a JSON envelope, sent as application/json or as text/plain (as some
    HIS do; the same JSON); the answer is an envelope with `infcode` 0 or -1 (HTTP 200), or for 9102 the
    raw file. 401 problem+json when no credential verifies.

    Args:
        infno (str):
        body (CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallServiceInfnoFsiApiRsfComIfsServiceCallServiceInfnoPostResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            infno=infno,
            client=client,
            body=body,
        )
    ).parsed
