from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from httpx import ASGITransport, AsyncClient

from app.main import create_app


@asynccontextmanager
async def _client_for(database_url: str) -> AsyncIterator[AsyncClient]:
    app = create_app(database_url=database_url)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client,
    ):
        yield client


async def test_healthz(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_migrated(client: AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_is_503_when_database_is_unreachable() -> None:
    async with _client_for("postgresql+asyncpg://postgres@127.0.0.1:1/nothing") as client:
        assert (await client.get("/healthz")).status_code == 200
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "not_ready"
        assert body["status"] == 503
        assert "Traceback" not in response.text


async def test_readyz_is_503_when_not_migrated(fresh_database_url: str) -> None:
    async with _client_for(fresh_database_url) as client:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["code"] == "not_ready"
