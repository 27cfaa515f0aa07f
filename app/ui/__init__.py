"""The web pages under ``/ui/``: server-rendered Chinese pages for the hospital window and the
agency console (docs/ui.md).

:func:`install` wires them into the application: the routes, the static files, the page
error handlers and the security headers.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .console import router as console_router
from .console_audit import router as console_audit_router
from .console_coverage import router as console_coverage_router
from .console_proxy import router as console_proxy_router
from .console_reconciliation import router as console_reconciliation_router
from .console_roster import router as console_roster_router
from .console_whatif import router as console_whatif_router
from .console_work_injury import router as console_work_injury_router
from .deps import install_page_errors
from .endpoints import router
from .headers import UiSecurityHeaders
from .slip import router as slip_router
from .window import router as window_router

__all__ = ["install", "install_headers"]


def install(app: FastAPI) -> None:
    """Routes, static files and page error handlers."""
    install_page_errors(app)
    app.include_router(router)
    app.include_router(slip_router)
    app.include_router(window_router)
    app.include_router(console_router)
    app.include_router(console_reconciliation_router)
    app.include_router(console_proxy_router)
    app.include_router(console_work_injury_router)
    app.include_router(console_roster_router)
    app.include_router(console_coverage_router)
    app.include_router(console_whatif_router)
    app.include_router(console_audit_router)
    app.mount("/ui/static", StaticFiles(packages=[("app.ui", "static")]), name="ui-static")


def install_headers(app: FastAPI) -> None:
    """The ``/ui`` security headers; added after the other middleware so that it wraps them."""
    app.add_middleware(UiSecurityHeaders)
