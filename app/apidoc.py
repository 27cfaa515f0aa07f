"""What the OpenAPI document says beyond the routes: the overview integrators read first, and
error responses under their real media type, ``application/problem+json``; and the pages that
show it, ``/docs`` (Swagger UI) and ``/redoc``, served with their scripts and styles from the
package (:func:`serve_docs`), never from a CDN: a hospital's network or the medical-insurance
private network cannot reach one."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.errors import PROBLEM_CONTENT_TYPE

__all__ = ["ASSETS_PATH", "DESCRIPTION", "document", "serve_docs"]

ASSETS_PATH = "/static/apidocs"
"""Where Swagger UI's and ReDoc's files are served, from the ``fastapi-offline`` wheel (Swagger UI:
Apache-2.0, ReDoc: MIT; their licences are in that package's metadata)."""
_ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))

DESCRIPTION = """\
One-stop settlement (一站式结算) of hospital inpatient bills: basic medical insurance
(基本医疗保险), critical-illness insurance (大病保险), supplementary insurance (补充保险),
tilted support (倾斜支付) and civil assistance (医疗救助) in one call at discharge.

**Authentication.** `Authorization: Bearer <key>`. Roles: `hospital` (bound to one hospital:
settles, reads and reverses its own bills), `agency` (医保经办机构, read-only), `admin`
(registries, keys). A missing or unknown key is 401 `unauthorized`; a key acting outside its role
or hospital is 403 `forbidden`.

**Money.** Amounts are decimal strings in yuan with 2 decimals (`"14640.00"`); requests accept
strings or JSON numbers with at most 2 decimals (unit prices 4, quantities 3), plain decimals in
ASCII digits only, taken as written: no exponent (`5e1`), no other scripts' digits (`"５０"`).
Dates are strings `YYYY-MM-DD`; a discharge date may not be after today (Asia/Shanghai).

**Errors.** Every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`,
`detail`, a stable machine `code` (listed on each response below), `errors: [{"loc", "msg"}]`
pointing at each bad field, and `request_id`. Besides the listed ones, any operation may answer
413 `payload_too_large`, 422 `validation_error` (a query parameter the operation does not
have, named in `errors`), 422 `invalid_character` (a text value holds U+0000; `errors` names
it), 500 `internal_error`, 503 `shutting_down` (with `Retry-After`: the instance is stopping;
retry) and 503 `database_unavailable` (with `Retry-After`: the database is unreachable or did not
answer in time; nothing was stored, retry). A reconciliation read that outruns the statement
timeout is 503 `query_timeout` instead: ask for a shorter range.

**Request ids.** Send `X-Request-ID` (1-64 of `A-Z a-z 0-9 . _ -`) to correlate; otherwise one is
made. It comes back as `X-Request-ID` and in problem bodies, and is in the service's logs and
audit trail.

**Discharge flow for a HIS.** `previewSettlement` (预结算, stores nothing) → `createSettlement`
(结算; `(hospital_code, bill_no)` makes it idempotent: the same body again returns the same
settlement) → print the slip. If the answer is lost (timeout, crash), `findSettlement` with the
hospital code and bill number says whether it landed; sending the same body again is also safe.
"""

_TAGS = [
    {"name": "settlement 结算", "description": "Preview, settle, look up and reverse bills."},
    {
        "name": "registries 登记",
        "description": "Hospitals (定点医疗机构), insured persons (参保人) and the catalogue "
        "(医保目录); admin writes.",
    },
    {"name": "operations", "description": "Liveness, readiness and Prometheus metrics."},
]


def document(app: FastAPI) -> None:
    """Set the overview and tag texts, and document error responses as problem+json."""
    app.description = DESCRIPTION
    app.openapi_tags = _TAGS
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _problem_media_type(build())
        return app.openapi_schema  # type: ignore[return-value]  # set by build()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point


def _problem_media_type(schema: dict[str, Any]) -> None:
    # FastAPI documents every response model as application/json; errors are problem+json.
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in ("4", "5") and "application/json" in content:
                    content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")


def serve_docs(app: FastAPI) -> None:
    """``/docs``, its OAuth2 redirect page and ``/redoc``, every asset same-origin. The app is
    built with ``docs_url=None, redoc_url=None`` so FastAPI's CDN pages are not installed."""
    app.mount(ASSETS_PATH, StaticFiles(directory=_ASSETS_DIR), name="apidocs")
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{oauth2_redirect}",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            # No validator badge: Swagger UI would send the document to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
