"""The request middleware (pure ASGI): request log line, metrics, draining, refusals.

It runs inside asgi-correlation-id's ``CorrelationIdMiddleware`` (:mod:`app.context`), which has
already set the request id. For every HTTP request it

- refuses a request with more than one ``Authorization`` header with 400
  ``ambiguous_credentials``, before anything looks at a key: authentication (Starlette's
  ``Headers.get``) would take one and a reader of the log could be shown another;
- refuses ``/v1/…`` and ``/fsi/…`` (national interface) requests with 503 ``shutting_down``
  and ``Retry-After`` once the application is draining (:mod:`app.drain`);
- turns an unhandled exception into a 500 problem+json (logged once, with the traceback);
- logs one line: method, route template, masked path, status, duration_ms and ``key_fp``, the
  first 12 hex digits of the SHA-256 of the bearer key, which is the start of that key's
  ``api_keys.key_hash`` (the key itself is never logged; an ambiguous request has none).
  ``/healthz``, ``/readyz`` and ``/metrics`` are logged at DEBUG so probes do not flood the log;
- records the request in :mod:`app.metrics`.

Why this stays hand-written: these are the service's own rules (which problem answers, which
fields the request log carries, what a key fingerprint is), not plumbing a library offers. The
request id, which is generic, is asgi-correlation-id's: its layer costs about 10 µs of CPU per
request in process, most of which the id code it replaced here cost too (the whole shell, with
the JSON log switch, +2 µs on ``/healthz`` and +4 µs on an unmatched path), nothing next to a
settlement's 5-8 ms. The status, the duration and the route template are taken once here and
serve both the log line and the latency histogram (:mod:`app.metrics` says why that is not a
library's).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import metrics
from app.auth.service import hash_key
from app.context import request_id_var
from app.drain import RETRY_AFTER_S, Drain
from app.errors import internal_error_response, problem_response
from app.logs import mask_id_numbers

__all__ = ["RequestMiddleware"]

_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# What a draining instance refuses: the API and the national interface (probes still answer).
_DRAINED = ("/v1/", "/fsi/")

logger = logging.getLogger("onestop.request")
error_logger = logging.getLogger("app.errors")


class RequestMiddleware:
    def __init__(self, app: ASGIApp, *, drain: Drain) -> None:
        self.app = app
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started_at = time.perf_counter()
        credential, authorizations = _authorization(scope)
        state = metrics.begin_request()
        status = 500
        response_started = False

        async def send_with_status(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
            await send(message)

        try:
            if authorizations > 1:
                await _ambiguous_credentials(scope, receive, send_with_status, authorizations)
            elif self.drain.active and scope["path"].startswith(_DRAINED):
                await _shutting_down(scope, receive, send_with_status)
            else:
                await self.app(scope, receive, send_with_status)
        except Exception as exc:
            error_logger.error(
                "unhandled error on %s %s", scope["method"], scope["path"], exc_info=exc
            )
            if not response_started:
                response = internal_error_response(request_id_var.get())
                await response(scope, receive, send_with_status)
            status = 500
        finally:
            duration_s = time.perf_counter() - started_at
            route = scope.get("route")
            template: str = getattr(route, "path_format", None) or "unmatched"  # no `:uuid`
            metrics.finish_request(
                state,
                app=scope.get("app"),
                method=scope["method"],
                route=template,
                operation_id=getattr(route, "operation_id", None),
                status=status,
                duration_s=duration_s,
            )
            _log(scope, credential, template, status, duration_s)


def _authorization(scope: Scope) -> tuple[str | None, int]:
    """The ``Authorization`` header when there is exactly one, and how many there are."""
    values = [value for name, value in scope["headers"] if name == b"authorization"]
    return (values[0].decode("latin-1") if len(values) == 1 else None), len(values)


async def _ambiguous_credentials(scope: Scope, receive: Receive, send: Send, count: int) -> None:
    response = problem_response(
        status=400,
        code="ambiguous_credentials",
        title="Bad Request",
        detail=f"The request has {count} Authorization headers; send exactly one: "
        "'Authorization: Bearer <key>'.",
        errors=[{"loc": ["header", "authorization"], "msg": "more than one"}],
        request_id=request_id_var.get(),
    )
    await response(scope, receive, send)


async def _shutting_down(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        status=503,
        code="shutting_down",
        title="Service Unavailable",
        detail="This instance is shutting down; retry the request (another instance will "
        "answer it).",
        headers={"Retry-After": str(RETRY_AFTER_S), "Connection": "close"},
        request_id=request_id_var.get(),
    )
    await response(scope, receive, send)


def _log(scope: Scope, credential: str | None, route: str, status: int, duration_s: float) -> None:
    path: str = scope["path"]
    level = logging.DEBUG if path in _QUIET_PATHS else logging.INFO
    if not logger.isEnabledFor(level):
        return
    fields: dict[str, Any] = {
        "method": scope["method"],
        "route": route,
        "path": mask_id_numbers(path),
        "status": status,
        "duration_ms": round(duration_s * 1000, 1),
    }
    scheme, _, key = (credential or "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        fields["key_fp"] = hash_key(key.strip())[:12]
    logger.log(
        level,
        "%s %s %s %.1fms",
        fields["method"],
        route,
        status,
        fields["duration_ms"],
        extra=fields,
    )
