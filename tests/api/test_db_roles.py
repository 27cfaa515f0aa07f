"""deploy/postgres-roles.sql: the service works as `onestop_app`, which cannot rewrite history."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url

from app.bootstrap import startup
from app.config import Settings
from app.db.migrate import upgrade_to_head
from app.main import create_app

from .conftest import bill_no, headers, make_bill, new_person, settle

ROLES_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres-roles.sql"


def _asyncpg_dsn(url: str, user: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if user is not None:
        parsed = parsed.set(username=user)
    return parsed.render_as_string(hide_password=False)


@pytest.fixture
async def app_role_url(fresh_database_url: str) -> AsyncIterator[str]:
    await upgrade_to_head(fresh_database_url)
    owner = await asyncpg.connect(_asyncpg_dsn(fresh_database_url))
    try:
        await owner.execute(ROLES_SQL.read_text(encoding="utf-8"))
    finally:
        await owner.close()
    yield (
        make_url(fresh_database_url)
        .set(username="onestop_app")
        .render_as_string(hide_password=False)
    )


async def test_service_runs_as_app_role_which_cannot_update_or_delete_history(
    app_role_url: str,
) -> None:
    settings = Settings()
    application = create_app(settings, database_url=app_role_url)
    async with application.router.lifespan_context(application):
        await startup(application.state.sessionmaker, settings, demo=True)
        async with AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as c:
            person = await new_person(c, ["registered_poor"])
            created = await settle(c, make_bill(bill_no(), person))
            assert created.status_code == 201, created.text
            assert created.json()["self_pay"] == "2055.00"  # docs/rules.md §7 example 1
            sid = created.json()["settlement_id"]
            reversed_ = await c.post(
                f"/v1/settlements/{sid}/reversal", headers=headers("demo-H510402001")
            )
            assert reversed_.status_code == 200, reversed_.text
            ready = await c.get("/readyz")
            assert ready.status_code == 200
            verified = await c.get("/v1/audit/verify", headers=headers("demo-admin"))
            assert verified.json()["ok"] is True
            # The sequencer, running as this role, integrates and signs (migration 0022).
            for _ in range(100):
                head = await c.get("/v1/audit/head", headers=headers("demo-admin"))
                if head.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert head.status_code == 200, head.text
            assert head.json()["tree_size"] > 0

    conn = await asyncpg.connect(_asyncpg_dsn(app_role_url))
    try:
        for statement in [
            "UPDATE settlements SET self_pay_fen = 0",
            "DELETE FROM reversals",
            "UPDATE settlement_layers SET paid_fen = 0",
            "DELETE FROM settlement_item_lists",
            "UPDATE settlement_item_lists SET items = '[]'",
            "UPDATE audit_log SET role = 'x'",
            "DELETE FROM audit_log",
            # Only the commit-time trigger writes the chain; the app stages in audit_pending.
            "INSERT INTO audit_log (at, role, action, entity_type, entity_id, details, prev_hash,"
            " hash) VALUES (now(), 'x', 'x', 'x', 'x', '{}', 'x', 'x')",
            "SELECT * FROM audit_pending",
            # It may set a leaf index (the sequencer), no other column; the tree is append-only.
            "UPDATE audit_log SET details = '{}'",
            "UPDATE audit_tree_heads SET signature = ''",
            "DELETE FROM audit_tree_heads",
            "UPDATE audit_tree_nodes SET hash = ''",
            "DELETE FROM audit_tree_nodes",
            "DELETE FROM audit_signing_keys",
            "UPDATE policy_versions SET content_hash = 'x'",
        ]:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()
