"""CSRF: a cookie-authenticated form post without the session's token, or with another, is
refused with a Chinese 403 page and changes nothing; so is a sign-in without its token."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from app.ui.deps import SESSION_COOKIE
from app.ui.endpoints import LOGIN_CSRF_COOKIE

from .conftest import AGENCY, csrf_of, headers, sign_in

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("sent", [None, "", "wrong-token"])
async def test_a_form_post_without_the_right_token_is_refused(
    client: AsyncClient, sent: str | None
) -> None:
    await sign_in(client, AGENCY)
    data = {} if sent is None else {"csrf_token": sent}
    response = await client.post("/ui/logout", data=data)
    assert response.status_code == 403
    assert "防伪令牌" in response.text
    assert '<html lang="zh-CN">' in response.text
    # Nothing changed: the session still works.
    assert (await client.get("/ui/")).status_code == 200


async def test_another_sessions_token_does_not_do(client: AsyncClient, app: object) -> None:
    await sign_in(client, AGENCY)
    other = (await client.get("/ui/")).text
    token_a = csrf_of(other)
    client.cookies.clear()
    await sign_in(client, AGENCY)
    response = await client.post("/ui/logout", data={"csrf_token": token_a})
    assert response.status_code == 403


async def test_a_post_from_another_origin_is_refused_even_with_the_token(
    client: AsyncClient,
) -> None:
    await sign_in(client, AGENCY)
    token = csrf_of((await client.get("/ui/")).text)
    response = await client.post(
        "/ui/logout", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "其他网站" in response.text
    assert (await client.get("/ui/")).status_code == 200


async def test_the_same_origin_with_the_token_is_accepted(client: AsyncClient) -> None:
    await sign_in(client, AGENCY)
    token = csrf_of((await client.get("/ui/")).text)
    response = await client.post(
        "/ui/logout", data={"csrf_token": token}, headers={"Origin": "http://test"}
    )
    assert response.status_code == 303


async def test_a_bearer_post_needs_no_token(client: AsyncClient) -> None:
    response = await client.post("/ui/logout", headers=headers(AGENCY))
    assert response.status_code == 303


@pytest.mark.parametrize("case", ["no field", "no cookie", "mismatch"])
async def test_sign_in_without_its_token_is_refused(client: AsyncClient, case: str) -> None:
    form = await client.get("/ui/login")
    token = csrf_of(form.text)
    data = {"key": AGENCY, "next": "/ui/"}
    if case != "no field":
        data["csrf_token"] = token if case == "no cookie" else token[::-1]
    if case == "no cookie":
        client.cookies.delete(LOGIN_CSRF_COOKIE)
    response = await client.post("/ui/login", data=data)
    assert response.status_code == 403
    assert "防伪令牌" in response.text
    assert SESSION_COOKIE not in client.cookies
