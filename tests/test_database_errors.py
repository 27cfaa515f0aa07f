"""Errors from the database layer: unreachable is 503 ``database_unavailable`` (transient, with
``Retry-After``), a value PostgreSQL cannot store is 422, anything else stays a 500 bug."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import pytest
import sqlalchemy.exc
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.errors import install_error_handlers
from app.main import create_app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def unreachable() -> AsyncIterator[AsyncClient]:
    """The app on a database nobody listens for (connection refused)."""
    app = create_app(database_url=f"postgresql+asyncpg://nobody@127.0.0.1:{_closed_port()}/none")
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_unreachable_database_is_503_with_retry_after(
    unreachable: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"Authorization": "Bearer demo-admin"}
    for path in ("/v1/hospitals/H510402001", "/v1/audit/verify"):
        response = await unreachable.get(path, headers=headers)
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) > 0
        assert response.json()["code"] == "database_unavailable"
        assert "Refused" not in response.text and "asyncpg" not in response.text
    # One warning line per request, no traceback: an outage is not a bug.
    warnings = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert warnings and all(r.levelno == logging.WARNING and not r.exc_info for r in warnings)
    ready = await unreachable.get("/readyz")
    assert (ready.status_code, ready.json()["code"]) == (503, "not_ready")


def _bare_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/duplicate")
    async def duplicate() -> None:
        raise sqlalchemy.exc.IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    @app.get("/missing-file")
    async def missing_file() -> None:
        open("/nonexistent/onestop/file")  # noqa: SIM115 - raises before any handle exists

    return app


@pytest.mark.parametrize("path", ["/duplicate", "/missing-file"])
async def test_other_database_and_os_errors_stay_500(path: str) -> None:
    """Only a database that cannot be reached is 503; an IntegrityError, or an OSError raised
    outside the driver, is a bug."""
    transport = ASGITransport(app=_bare_app(), raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get(path)
    assert (response.status_code, response.json()["code"]) == (500, "internal_error")
