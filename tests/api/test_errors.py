"""Every error leaves as application/problem+json with a stable code (no database needed)."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel

from app.errors import Conflict, install_error_handlers


class Item(BaseModel):
    amount: int


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict(
            "bill ZY1 is settled with another body",
            code="bill_conflict",
            errors=[{"loc": ["body", "bill_no"], "msg": "already settled"}],
        )

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    return app


def _client(*, raise_app_exceptions: bool = True) -> AsyncClient:
    transport = ASGITransport(app=_app(), raise_app_exceptions=raise_app_exceptions)
    return AsyncClient(transport=transport, base_url="http://test")


async def test_app_error() -> None:
    async with _client() as client:
        response = await client.get("/conflict", headers={"x-request-id": "r-1"})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://onestop.example/problems/bill_conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "bill ZY1 is settled with another body",
        "code": "bill_conflict",
        "errors": [{"loc": ["body", "bill_no"], "msg": "already settled"}],
        "request_id": "r-1",
    }


async def test_validation_error_points_at_fields() -> None:
    async with _client() as client:
        response = await client.post("/items", json={"amount": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["loc"] for e in body["errors"]] == [["body", "amount"]]
    assert all(isinstance(e["msg"], str) for e in body["errors"])


async def test_unknown_route_and_wrong_method() -> None:
    async with _client() as client:
        missing = await client.get("/nowhere")
        wrong = await client.delete("/items")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.headers["allow"] == "POST"


async def test_wrong_method_allows_every_method_of_the_path() -> None:
    """Starlette answers 405 from the first route of the path: its Allow named POST only."""
    app = _app()

    @app.get("/items")
    async def list_items() -> list[Item]:
        return []

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        wrong = await client.delete("/items")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET, POST"


async def test_unhandled_error_hides_internals() -> None:
    async with _client(raise_app_exceptions=False) as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret" not in response.text
