"""Signing in and out of the web pages: sessions, cookies, expiry, revocation, redirects."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.ui.deps import SESSION_COOKIE, safe_next
from app.ui.sessions import token_hash

from .conftest import (
    ADMIN,
    AGENCY,
    HOSPITAL,
    csrf_of,
    headers,
    hospital_key,
    new_hospital_key,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("demo")


async def _session_rows(engine: AsyncEngine, token: str) -> int:
    async with engine.connect() as conn:
        return int(
            await conn.scalar(
                text("SELECT count(*) FROM ui_sessions WHERE id = :id"), {"id": token_hash(token)}
            )
        )


async def test_the_sign_in_page_is_a_chinese_form(client: AsyncClient) -> None:
    page = await client.get("/ui/login")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text
    assert '<label for="key">密钥</label>' in page.text
    assert 'name="csrf_token"' in page.text
    assert "onestop_login_csrf" in page.headers["set-cookie"]


async def test_a_good_key_signs_in_and_the_session_is_stored_as_a_hash(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    response = await sign_in(client, hospital_key(HOSPITAL))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/ui/"
    token = client.cookies[SESSION_COOKIE]
    assert await _session_rows(engine, token) == 1
    async with engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT count(*) FROM ui_sessions WHERE id = :t"), {"t": token}
        )
    assert stored == 0  # never the token itself
    home = await client.get("/ui/")
    assert home.status_code == 200
    assert "医院窗口" in home.text and HOSPITAL in home.text
    assert '<button type="submit">退出</button>' in home.text


async def test_a_bad_key_shows_a_chinese_error_and_makes_no_session(client: AsyncClient) -> None:
    response = await sign_in(client, "os_not-a-key")
    assert response.status_code == 401
    assert "密钥无效或已吊销" in response.text
    assert SESSION_COOKIE not in response.cookies
    assert SESSION_COOKIE not in client.cookies
    assert (await client.get("/ui/")).status_code == 303


async def test_an_empty_key_is_asked_for_again(client: AsyncClient) -> None:
    response = await sign_in(client, "  ")
    assert response.status_code == 422
    assert "请输入密钥" in response.text
    assert SESSION_COOKIE not in client.cookies


async def test_cookie_flags_over_https(https_client: AsyncClient) -> None:
    response = await sign_in(https_client, AGENCY)
    assert response.status_code == 303
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui", "secure"} <= flags, cookie
    assert (await https_client.get("/ui/")).status_code == 200


async def test_over_plain_http_the_cookie_is_not_secure(client: AsyncClient) -> None:
    """``make run`` serves http on localhost: a Secure cookie would never come back."""
    response = await sign_in(client, AGENCY)
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui"} <= flags
    assert "secure" not in flags


async def test_sign_out_ends_the_session(client: AsyncClient, engine: AsyncEngine) -> None:
    await sign_in(client, AGENCY)
    token = client.cookies[SESSION_COOKIE]
    home = await client.get("/ui/")
    out = await client.post("/ui/logout", data={"csrf_token": csrf_of(home.text)})
    assert out.status_code == 303
    assert out.headers["location"] == "/ui/login"
    assert await _session_rows(engine, token) == 0
    # The old cookie, sent again (as a copy of it would be), no longer works.
    client.cookies.set(SESSION_COOKIE, token, domain="test", path="/ui")
    again = await client.get("/ui/")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/ui/login?next=")


async def test_an_expired_session_redirects_to_sign_in(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    await sign_in(client, AGENCY)
    token = client.cookies[SESSION_COOKIE]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE ui_sessions SET created_at = now() - interval '9 hours',"
                " expires_at = now() - interval '1 hour' WHERE id = :id"
            ),
            {"id": token_hash(token)},
        )
    response = await client.get("/ui/", params={"county": "510402"})
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/ui/login"
    assert parse_qs(location.query)["next"] == ["/ui/?county=510402"]


async def test_a_revoked_key_ends_its_sessions(client: AsyncClient) -> None:
    _, secret, key_id = await new_hospital_key(client)
    assert (await sign_in(client, secret)).status_code == 303
    assert (await client.get("/ui/")).status_code == 200
    revoked = await client.delete(f"/v1/api-keys/{key_id}", headers=headers(ADMIN))
    assert revoked.status_code == 200, revoked.text
    response = await client.get("/ui/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/login")
    # And it cannot sign in again.
    assert (await sign_in(client, secret)).status_code == 401


async def test_an_unknown_session_cookie_redirects(client: AsyncClient) -> None:
    client.cookies.set(SESSION_COOKIE, "made-up", domain="test", path="/ui")
    response = await client.get("/ui/")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login?next=/ui/"


async def test_after_sign_in_the_browser_goes_where_it_was_going(client: AsyncClient) -> None:
    response = await sign_in(client, AGENCY, next_path="/ui/console/?month=2018-06")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/console/?month=2018-06"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/ui/",
        "//evil.example/ui/",
        "/\\evil.example",
        "/ui//evil.example",
        "/ui/\\\\evil.example",
        "javascript:alert(1)",
        "/v1/api-keys",
        "/ui/\r\nSet-Cookie: x=1",
        "",
    ],
)
async def test_an_open_redirect_is_refused(client: AsyncClient, target: str) -> None:
    response = await sign_in(client, AGENCY, next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/"


def test_safe_next_keeps_only_paths_under_ui() -> None:
    assert safe_next("/ui") == "/ui"
    assert safe_next("/ui/window/?bill=ZY1") == "/ui/window/?bill=ZY1"
    assert safe_next("/uix") == "/ui/"
    assert safe_next(None) == "/ui/"


async def test_a_bearer_header_opens_pages_without_a_cookie(client: AsyncClient) -> None:
    response = await client.get("/ui/", headers=headers(AGENCY))
    assert response.status_code == 200
    assert "经办机构" in response.text
    assert "以密钥访问" in response.text
    assert "set-cookie" not in response.headers
    assert not client.cookies


@pytest.mark.parametrize(
    ("authorization", "shown"),
    [("Bearer os_nonsense", "无效或已吊销"), ("Basic YTpi", "只接受 Bearer")],
)
async def test_a_bad_authorization_header_is_a_chinese_401(
    client: AsyncClient, authorization: str, shown: str
) -> None:
    response = await client.get("/ui/", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert shown in response.text


async def test_signing_in_again_replaces_the_session(
    client: AsyncClient, engine: AsyncEngine
) -> None:
    await sign_in(client, AGENCY)
    first = client.cookies[SESSION_COOKIE]
    await sign_in(client, ADMIN)
    assert client.cookies[SESSION_COOKIE] != first
    assert await _session_rows(engine, first) == 0
    assert "系统管理员" in (await client.get("/ui/")).text


async def test_the_sign_in_token_is_kept_while_its_cookie_lives(client: AsyncClient) -> None:
    first = csrf_of((await client.get("/ui/login")).text)
    assert csrf_of((await client.get("/ui/login")).text) == first
    client.cookies.set("onestop_login_csrf", "x;y", domain="test", path="/ui/login")
    assert csrf_of((await client.get("/ui/login")).text) != "x;y"
