"""The in-process cache of verified API keys (app.auth.service.KeyCache): a busy key is not looked
up on every request, a key revoked through this process is refused at once, and a key revoked
elsewhere is refused once the cache's TTL has passed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from support import fresh_uuid

from app.auth.service import Caller, KeyCache

from .conftest import ADMIN, headers

pytestmark = pytest.mark.usefixtures("demo")

HOSPITAL = "H510402001"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def caller() -> Caller:
    return Caller(key_id=fresh_uuid(), role="hospital", hospital_code=HOSPITAL)


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache = KeyCache(2.0, clock=clock)
    who = caller()
    cache.put("h", who)
    clock.now += 1.99
    assert cache.get("h") == who
    clock.now += 0.01
    assert cache.get("h") is None


def test_forget_drops_every_entry_of_the_key() -> None:
    cache = KeyCache(2.0, clock=Clock())
    who, other = caller(), caller()
    cache.put("a", who)
    cache.put("b", other)
    cache.forget(who.key_id)
    assert cache.get("a") is None
    assert cache.get("b") == other


def test_a_zero_ttl_remembers_nothing() -> None:
    cache = KeyCache(0)
    cache.put("h", caller())
    assert cache.get("h") is None


async def _new_key(client: AsyncClient) -> tuple[str, str]:
    created = await client.post(
        "/v1/api-keys",
        headers=headers(ADMIN),
        json={"role": "hospital", "hospital_code": HOSPITAL, "label": "cache test"},
    )
    assert created.status_code == 201, created.text
    return created.json()["id"], created.json()["key"]


async def _use(client: AsyncClient, key: str) -> int:
    return (await client.get(f"/v1/hospitals/{HOSPITAL}", headers=headers(key))).status_code


async def test_a_verified_key_is_not_looked_up_again(app: FastAPI, client: AsyncClient) -> None:
    app.state.key_cache = KeyCache(2.0, clock=Clock())  # time stands still: nothing expires
    key_id, key = await _new_key(client)
    assert await _use(client, key) == 200
    # Break the stored hash: the remembered key still passes; with a fresh cache it is looked up
    # again, and no longer found.
    flip = text("UPDATE api_keys SET key_hash = reverse(key_hash) WHERE id = :id")
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(flip, {"id": key_id})
    try:
        assert await _use(client, key) == 200
        app.state.key_cache = KeyCache(2.0, clock=Clock())
        assert await _use(client, key) == 401
    finally:
        async with app.state.sessionmaker() as session, session.begin():
            await session.execute(flip, {"id": key_id})


async def test_revoking_through_the_api_takes_effect_at_once(client: AsyncClient) -> None:
    key_id, key = await _new_key(client)
    assert await _use(client, key) == 200  # now cached
    revoked = await client.delete(f"/v1/api-keys/{key_id}", headers=headers(ADMIN))
    assert revoked.status_code == 200
    assert await _use(client, key) == 401


async def test_revoking_elsewhere_takes_effect_within_the_ttl(
    app: FastAPI, client: AsyncClient
) -> None:
    clock = Clock()
    app.state.key_cache = KeyCache(2.0, clock=clock)
    key_id, key = await _new_key(client)
    assert await _use(client, key) == 200
    # Another worker (or `onestop keys revoke`) revokes it: this process does not hear of it.
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(
            text("UPDATE api_keys SET revoked_at = now() WHERE id = :id"), {"id": key_id}
        )
    assert await _use(client, key) == 200  # still remembered
    clock.now += 2.0
    assert await _use(client, key) == 401
