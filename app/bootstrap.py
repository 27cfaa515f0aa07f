"""Start-up work done once by ``onestop serve`` before the HTTP server starts."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.service import ensure_bootstrap_admin
from app.config import Settings
from app.demo import load_demo
from app.policy.loader import POLICY_DIR, load_directory
from app.policy.store import publish

__all__ = ["startup"]

logger = logging.getLogger(__name__)


async def startup(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, *, demo: bool
) -> None:
    """Publish the policy documents shipped in ``policies/`` (a published version is immutable),
    create the bootstrap admin key when ``ONESTOP_BOOTSTRAP_ADMIN_KEY`` is set, and with ``demo``
    load the demo hospitals, catalogue and persons. Idempotent: safe on every start."""
    async with sessionmaker() as session, session.begin():
        outcome = await publish(session, load_directory(POLICY_DIR))
        for policy_id, what in sorted(outcome.items()):
            logger.info("policy %s: %s", policy_id, what)
        if settings.bootstrap_admin_key is not None:
            created = await ensure_bootstrap_admin(
                session, settings.bootstrap_admin_key.get_secret_value()
            )
            logger.info(
                "bootstrap admin key %s",
                "created" if created else "not needed: an admin key exists",
            )
        if demo:
            await load_demo(session)
            logger.info(
                "demo registry loaded; demo keys: demo-admin, demo-agency, demo-<hospital code>"
            )
