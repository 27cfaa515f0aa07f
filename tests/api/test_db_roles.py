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
            "UPDATE reversals SET settlement_id = settlement_id",
            "TRUNCATE reversals",
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


async def test_every_table_is_granted_to_the_app_role_and_none_beyond_what_it_needs(
    app_role_url: str,
) -> None:
    """A migration that adds a table must add its grants (deploy/postgres-roles.sql) too: here
    every table and view of the head schema can be read by `onestop_app`, except audit_pending
    (insert only: the commit trigger moves entries into the chain), and the append-only money
    tables cannot be updated, deleted or truncated (reversals: deleted only, by the NHSA
    reinstatement, see the SQL file)."""
    conn = await asyncpg.connect(_asyncpg_dsn(app_role_url))
    try:
        unreadable = {
            row["name"]
            for row in await conn.fetch(
                # pg_class, not information_schema (which hides what the role cannot use).
                "SELECT c.relname AS name FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p', 'm') "
                "AND NOT has_table_privilege('onestop_app', c.oid, 'SELECT')"
            )
        }
        rewritable = {
            row["name"]
            for row in await conn.fetch(
                "SELECT t AS name FROM unnest($1::text[]) t WHERE "
                "has_table_privilege('onestop_app', t, 'UPDATE') "
                "OR (has_table_privilege('onestop_app', t, 'DELETE') AND t <> 'reversals') "
                "OR has_table_privilege('onestop_app', t, 'TRUNCATE')",
                [
                    "settlements",
                    "settlement_layers",
                    "settlement_item_lists",
                    "reversals",
                    "audit_log",
                    "policy_versions",
                    "wi_decisions",
                    "wi_decision_items",
                    "wi_repayments",
                    "proxy_payment_lines",
                    "proxy_payment_shares",
                ],
            )
        }
        creates = await conn.fetchval(
            "SELECT has_schema_privilege('onestop_app', 'public', 'CREATE')"
        )
    finally:
        await conn.close()
    assert unreadable == {"audit_pending"}
    assert rewritable == set()
    assert creates is False  # no DDL: migrations are the owner's


async def test_serve_migration_step_is_a_no_op_for_the_app_role_at_head(app_role_url: str) -> None:
    # `onestop serve` migrates before it listens; in Kubernetes it runs as onestop_app after the
    # migration Job (as the owner) brought the schema to head, so this must succeed, changing
    # nothing.
    await upgrade_to_head(app_role_url)
