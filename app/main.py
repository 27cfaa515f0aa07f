"""The ASGI application: ``create_app()`` wires settings, database, error handlers and routers."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI

from app import __version__, apidoc, health, metrics, ui
from app.admission import AdmissionControl
from app.audit import endpoints as audit_endpoints
from app.audit.sequencer import Sequencer
from app.audit.signing import load_private_key, public_bytes
from app.auth import endpoints as auth_endpoints
from app.auth.service import KeyCache
from app.config import Settings, get_settings
from app.context import is_request_id, new_request_id
from app.db.embedded import resolve_database_url, to_asyncpg_url
from app.db.session import make_engine, make_sessionmaker
from app.drain import Drain
from app.enrolment import coverage_endpoints, proxy_endpoints
from app.errors import install_error_handlers
from app.limits import BodySizeLimit
from app.middleware import RequestMiddleware
from app.nhsa import router as nhsa_router
from app.policy import endpoints as policy_endpoints
from app.policy.store import PolicyStore
from app.reconciliation import endpoints as reconciliation_endpoints
from app.registry import endpoints as registry_endpoints
from app.roster import endpoints as roster_endpoints
from app.roster import ledger_endpoints
from app.settlement import endpoints as settlement_endpoints
from app.strict_query import reject_unknown_query_parameters
from app.whatif import endpoints as whatif_endpoints
from app.work_injury import endpoints as work_injury_endpoints

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    """Build the app. ``database_url`` overrides the settings (tests); without either, the
    lifespan starts the embedded PostgreSQL and stops it at shutdown.

    Nothing connects at start-up, so the app starts (and ``/readyz`` says 503) while the
    database is down.
    """
    settings = settings or get_settings()
    drain = Drain()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url, embedded = (
            (database_url, None)
            if database_url is not None
            else await asyncio.to_thread(resolve_database_url, settings)
        )
        engine = make_engine(url, settings)
        read_engine = (
            make_engine(to_asyncpg_url(settings.database_read_url), settings)
            if settings.database_read_url
            else engine
        )
        app.state.settings = settings
        app.state.policies = PolicyStore()
        app.state.key_cache = KeyCache(settings.auth_cache_ttl_s)
        app.state.engine = engine
        app.state.read_engine = read_engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.read_sessionmaker = make_sessionmaker(read_engine)
        # Everything built so far lives as long as the process: move it out of the collector's
        # sight, so a full collection (they come every few hundred requests of 200-line bills)
        # walks only what requests made since, not the whole application. And collect the
        # youngest generation every 20,000 net allocations instead of 700: a 200-line bill holds
        # thousands of objects at once, which the default threshold scans and promotes several
        # times per request. Both measured in bench/README.md.
        # The audit log's sequencer (app.audit.sequencer): one leader across processes.
        audit_key = load_private_key(
            settings.audit_signing_key.get_secret_value() if settings.audit_signing_key else None
        )
        app.state.audit_public_key = public_bytes(audit_key.public_key())
        audit_sequencer = Sequencer(
            app.state.sessionmaker, audit_key, settings.audit_sequencer_interval_ms / 1000
        )
        app.state.audit_sequencer = audit_sequencer
        if settings.audit_sequencer_interval_ms:
            audit_sequencer.start()
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 10, 10)
        try:
            with drain.on_signals():
                yield
        finally:
            drain.start()
            await audit_sequencer.stop()
            metrics.process_stopped()
            await engine.dispose()
            await read_engine.dispose()
            if embedded is not None:
                await asyncio.to_thread(embedded.stop)

    app = FastAPI(
        title="onestop",
        version=__version__,
        summary="One-stop settlement of hospital inpatient bills under medical insurance.",
        lifespan=lifespan,
        docs_url=None,  # apidoc.serve_docs: the same pages, assets from the package
        redoc_url=None,
    )
    app.state.drain = drain
    apidoc.document(app)
    apidoc.serve_docs(app)
    install_error_handlers(app)
    app.add_middleware(
        AdmissionControl,
        limit=settings.max_concurrent_settlements,
        queue_s=settings.admission_queue_ms / 1000,
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        larger=roster_endpoints.UPLOAD_PATHS,  # roster files: up to 32 MiB (docs/roster.md)
    )
    app.add_middleware(RequestMiddleware, drain=drain)  # sees every response
    ui.install_headers(app)  # CSP and friends on every /ui response, errors included
    # Outermost: the request id is set before anything logs and added to every response.
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name="X-Request-ID",
        validator=is_request_id,
        generator=new_request_id,
        update_request_header=False,
    )
    app.include_router(health.router)
    app.include_router(metrics.router)
    for router in (
        registry_endpoints.router,
        settlement_endpoints.router,
        auth_endpoints.router,
        audit_endpoints.router,
        reconciliation_endpoints.router,
        proxy_endpoints.router,
        work_injury_endpoints.router,
        roster_endpoints.router,
        coverage_endpoints.router,
        ledger_endpoints.router,
        policy_endpoints.router,
        whatif_endpoints.router,
    ):
        app.include_router(router, dependencies=[Depends(reject_unknown_query_parameters)])
    app.include_router(nhsa_router, dependencies=[Depends(reject_unknown_query_parameters)])
    ui.install(app)
    return app
