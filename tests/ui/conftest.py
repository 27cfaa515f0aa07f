"""Fixtures and helpers of the web-page tests: the API tests' ``demo`` data and keys, and a
browser-like sign-in (fetch the form, post it back with its CSRF token)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import pytest
from api.conftest import ADMIN, AGENCY, demo, headers, hospital_key
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from support import unique

__all__ = [
    "ADMIN",
    "AGENCY",
    "csrf_of",
    "demo",
    "headers",
    "hospital_key",
    "https_client",
    "new_hospital_key",
    "sign_in",
]

HOSPITAL = "H510402001"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, html
    return found.group(1)


async def sign_in(client: AsyncClient, key: str, next_path: str = "/ui/") -> Response:
    form = await client.get("/ui/login", params={"next": next_path})
    assert form.status_code == 200, form.text
    return await client.post(
        "/ui/login", data={"key": key, "next": next_path, "csrf_token": csrf_of(form.text)}
    )


async def new_hospital_key(
    client: AsyncClient, name: str = "测试医院", code: str | None = None
) -> tuple[str, str, uuid.UUID]:
    """A hospital of its own (``name``) and a key for it: ``(code, secret, key id)``."""
    code = code or unique("HU")
    created = await client.put(
        f"/v1/hospitals/{code}",
        headers=headers(ADMIN),
        json={"name": name, "level": "secondary", "county_code": "510411", "designated": True},
    )
    assert created.status_code in (200, 201), created.text
    key = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": code, "label": "ui test"},
    )
    assert key.status_code == 201, key.text
    return code, key.json()["key"], uuid.UUID(key.json()["id"])


@pytest.fixture
async def https_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="https://test") as c:
        yield c
