"""Application errors and the one place they become ``application/problem+json`` (RFC 9457).

Code raises an :class:`AppError` subclass with a stable machine ``code``; the handlers installed by
:func:`install_error_handlers` render it, FastAPI's request validation errors, Starlette's HTTP
errors (unknown route, wrong method) and unhandled exceptions in the same shape::

    {"type": "https://onestop.example/problems/not_found", "title": "Not Found", "status": 404,
     "detail": "...", "code": "not_found", "errors": [{"loc": ["path", "code"], "msg": "..."}]}

A database that cannot be reached (down, restarting, refusing connections, the pool exhausted, a
statement past its timeout) is not a bug: it is 503 ``database_unavailable`` with
``Retry-After``, logged as one warning line, and the request's transaction is rolled back. A
statement past its timeout in a read-only report (a request that :func:`mark_read_only` marked:
the reconciliation endpoints, through ``app.db.session.get_read_session``) is 503
``query_timeout`` instead, without ``Retry-After``: the database answers, the question was too
big for the timeout, and the same range would time out again. The
pool never hands out a connection the server closed (``app.db.session._drop_closed``), so the
service recovers by itself once the database answers again. A text value PostgreSQL cannot hold
(U+0000, valid in JSON and in a Python string) is the request's fault: 422 ``invalid_character``.
The request models refuse it first, naming the field in ``errors`` (``app.types.Text``); the
database's refusal is the backstop, with no field to name. Any other database error is a bug:
500 ``internal_error``, logged with its traceback.

An invariant of the settlement engine that does not hold (``app.engine.InvariantViolation``,
raised by ``ensure()``) is a bug too: 500 ``invariant_violation``, nothing stored, and one ERROR
line naming the invariant, where it was checked and the inputs it failed on (the policy, the
claim, the accumulators; the ID number masked), so that the settlement can be replayed.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any

import asyncpg  # no stubs, no py.typed: pyproject.toml [tool.mypy] ignores its imports
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi import routing as fastapi_routing
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from app.context import request_id_var, valid_request_id
from app.engine.money import InvariantViolation
from app.i18n import accept_language as accept_language_of
from app.i18n import prefers_zh, zh_problem

__all__ = [
    "AUTH_CODES",
    "CODED_VALIDATION_ERRORS",
    "DATABASE_RETRY_AFTER_S",
    "INVALID_CHARACTER",
    "PROBLEM_CONTENT_TYPE",
    "AppError",
    "Conflict",
    "DatabaseUnavailable",
    "ErrorItem",
    "Forbidden",
    "NotFound",
    "Problem",
    "ServiceUnavailable",
    "Unauthorized",
    "Unprocessable",
    "install_error_handlers",
    "internal_error_response",
    "is_database_unavailable",
    "is_invalid_character",
    "is_statement_timeout",
    "mark_read_only",
    "problem_response",
    "problem_responses",
]

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://onestop.example/problems/"

logger = logging.getLogger(__name__)


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Path to the offending field, as in pydantic.")
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem document with a stable machine ``code``."""

    type: str = Field(examples=[PROBLEM_TYPE_BASE + "not_found"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable error code.")
    errors: list[ErrorItem] = Field(default_factory=list)
    request_id: str | None = None


class AppError(Exception):
    """Base of every error the API reports on purpose; subclasses fix status, code and title."""

    status: int = 400
    code: str = "bad_request"
    title: str = "Bad Request"
    headers: Mapping[str, str] | None = None

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        title: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        if headers is not None:
            self.headers = headers
        self.detail = detail or self.title
        # The data the detail is built from, for the Chinese template of ``code``
        # (app.i18n.catalog.PROBLEMS): never parsed back from the English text.
        self.params: dict[str, Any] = dict(params or {})
        self.errors: list[dict[str, Any]] = [
            {"loc": list(e["loc"]), "msg": str(e["msg"])} for e in errors
        ]
        # Per error item, the ``key`` and ``params`` the raise site gave beside its English
        # ``msg`` (app.i18n.catalog.ITEMS): kept here for the Chinese ``msg``, never serialized.
        self.error_keys: list[tuple[str | None, dict[str, Any]]] = [
            (e.get("key"), dict(e.get("params") or {})) for e in errors
        ]
        super().__init__(self.detail)

    def in_chinese(self) -> tuple[str, str, list[dict[str, Any]]]:
        """``(title, detail, errors)`` from the message catalogue, as a person reads the problem
        on a page or in a terminal (``code`` and every ``loc`` unchanged)."""
        return zh_problem(
            status=self.status,
            code=self.code,
            title=self.title,
            detail=self.detail,
            params=self.params,
            errors=self.errors,
            keys=self.error_keys,
        )


class NotFound(AppError):
    status, code, title = 404, "not_found", "Not Found"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class Unprocessable(AppError):
    status, code, title = 422, "unprocessable", "Unprocessable Content"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Unauthorized"
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 - read-only default


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "Forbidden"


class ServiceUnavailable(AppError):
    status, code, title = 503, "service_unavailable", "Service Unavailable"


DATABASE_RETRY_AFTER_S = 2


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}  # noqa: RUF012 - read-only default


AUTH_CODES: dict[int, list[str]] = {
    400: ["ambiguous_credentials"],  # app.middleware: more than one Authorization header
    401: ["unauthorized"],
    403: ["forbidden"],
}
"""The codes every authenticated endpoint may answer, for ``problem_responses(codes=...)``."""


def problem_responses(
    *statuses: int, codes: Mapping[int, Sequence[str]] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting :class:`Problem` for the given statuses and
    every status ``codes`` names; ``codes`` lists, per status, the machine codes an integrator
    may meet."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, *(codes or {})}):
        description = HTTPStatus(status).phrase
        if listed := (codes or {}).get(status):
            description += " (problem+json). `code`: " + ", ".join(f"`{c}`" for c in listed)
        responses[status] = {"model": Problem, "description": description}
    return responses


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
    request_id: str | None = None,
    accept_language: str | None = None,
    params: Mapping[str, Any] | None = None,
    found: Sequence[Mapping[str, Any]] | None = None,
    keys: Sequence[tuple[str | None, Mapping[str, Any]]] | None = None,
) -> JSONResponse:
    """The problem+json response; handlers and middlewares build every error with it.

    When ``accept_language`` prefers Chinese, ``title``, ``detail`` and ``errors[].msg`` come
    from the message catalogue (``params`` fill the detail, ``found`` are pydantic's errors behind
    ``errors``, ``keys`` the catalogue keys of an ``AppError``'s items); ``type``, ``status``,
    ``code`` and every ``loc`` stay as they are."""
    if prefers_zh(accept_language):
        title, detail, errors = zh_problem(
            status=status,
            code=code,
            title=title,
            detail=detail,
            params=params,
            errors=errors,
            found=found,
            keys=keys,
        )
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": list(errors),
    }
    if request_id is not None:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_CONTENT_TYPE)


def internal_error_response(
    request_id: str | None, accept_language: str | None = None
) -> JSONResponse:
    return problem_response(
        status=500,
        code="internal_error",
        title="Internal Server Error",
        detail="An unexpected error occurred; it has been logged.",
        request_id=request_id,
        accept_language=accept_language,
    )


def _request_id(request: Request) -> str | None:
    # Set by the request id middleware (app.context); without it (a bare app), a well-formed header.
    if (request_id := request_id_var.get()) is not None:
        return request_id
    return valid_request_id(request.headers.get("x-request-id"))


def _problem(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
    found: Sequence[Mapping[str, Any]] | None = None,
    keys: Sequence[tuple[str | None, Mapping[str, Any]]] | None = None,
) -> JSONResponse:
    return problem_response(
        status=status,
        code=code,
        title=title,
        detail=detail,
        errors=errors,
        headers=headers,
        request_id=_request_id(request),
        accept_language=request.headers.get("accept-language"),
        params=params,
        found=found,
        keys=keys,
    )


async def _app_error(request: Request, exc: AppError) -> Response:
    return _problem(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        params=exc.params,
        keys=exc.error_keys,
    )


INVALID_CHARACTER = "invalid_character"
"""The code of a text value holding U+0000 (NUL): a pydantic error type (``app.types.Text``) and
the problem code when it is the request's only fault."""

# Validation error types that are problem codes of their own: when every error of a request is
# of one such type, the problem carries it as its code (a line above app.bounds is
# ``amount_out_of_range``, a NUL in a text ``invalid_character``); else ``validation_error``.
CODED_VALIDATION_ERRORS = frozenset({"amount_out_of_range", INVALID_CHARACTER})


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    found = exc.errors()
    errors = [{"loc": list(e["loc"]), "msg": str(e["msg"])} for e in found]
    types = {e["type"] for e in found}
    code = types.pop() if len(types) == 1 and types <= CODED_VALIDATION_ERRORS else None
    detail = (
        "A text value in the request contains U+0000 (NUL), which cannot be stored or searched "
        "for; see errors."
        if code == INVALID_CHARACTER
        else f"The request has {len(errors)} invalid field(s); see errors."
    )
    return _problem(
        request,
        status=422,
        code=code or "validation_error",
        title="Unprocessable Content",
        detail=detail,
        errors=errors,
        found=found,
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    status = HTTPStatus(exc.status_code)
    if status == HTTPStatus.BAD_REQUEST and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a body that is not UTF-8 with a bare 400; a JSON syntax error is a 422
        # validation_error, and so is this: one documented answer for "the body is not JSON".
        return _problem(
            request,
            status=422,
            code="validation_error",
            title="Unprocessable Content",
            detail="The request body is not UTF-8 encoded JSON.",
            errors=[{"loc": ["body"], "msg": f"not UTF-8: {exc.__cause__.reason}"}],
        )
    if status in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
        return Response(status_code=status, headers=exc.headers)
    headers = exc.headers
    if status == HTTPStatus.METHOD_NOT_ALLOWED and (allowed := _allowed_methods(request)):
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return _problem(
        request,
        status=status,
        code=status.phrase.lower().replace(" ", "_").replace("-", "_"),
        title=status.phrase,
        detail=str(exc.detail) if exc.detail else status.phrase,
        headers=headers,
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at the request's path. Starlette answers 405
    from the first route whose path matches, so its ``Allow`` names that route's methods only
    (``POST`` for ``/v1/settlements``, which ``GET`` serves too)."""
    probe = {
        "type": "http",
        "path": request.scope["path"],
        "root_path": request.scope.get("root_path", ""),
        "method": "",  # no route matches it fully: every route with this path matches partly
    }
    methods: set[str] = set()
    for route in _flat_routes(request.app.routes):
        match, _ = route.matches(probe)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _flat_routes(routes: Sequence[BaseRoute]) -> Sequence[Any]:
    # FastAPI >= 0.16x keeps included routers as one route each; iter_route_contexts flattens.
    flatten = getattr(fastapi_routing, "iter_route_contexts", None)
    return list(flatten(routes)) if flatten is not None else routes


# SQLSTATEs that say "the server cannot serve you now", not "your statement is wrong": class 08
# (connection exception) is matched by prefix.
_UNAVAILABLE_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now (starting up, shutting down, in recovery)
        "53300",  # too_many_connections
        "57014",  # query_canceled: statement_timeout
    }
)


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database could not be reached or did not answer in time (a
    transient condition: 503), as opposed to a bug (500).

    Walks ``__cause__`` from SQLAlchemy's wrapper to the driver's error. A bare ``OSError``
    (refused, no such socket, connect or command timeout: the asyncpg dialect passes those
    through untranslated) counts only when it was raised inside the driver or the pool.
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlalchemy.exc.TimeoutError):  # no pooled connection in time
            return True
        if isinstance(seen, sqlalchemy.exc.DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, asyncpg.PostgresConnectionError):  # SQLSTATE class 08
            return True
        if isinstance(seen, asyncpg.InterfaceError) and "connection is closed" in str(seen):
            return True
        if getattr(seen, "sqlstate", None) in _UNAVAILABLE_SQLSTATES:
            return True
        if isinstance(seen, OSError) and _raised_in_driver(seen):
            return True
        seen = seen.__cause__
    return False


def _raised_in_driver(exc: BaseException) -> bool:
    return any(
        str(frame.f_globals.get("__name__", "")).startswith(("asyncpg.", "sqlalchemy."))
        for frame, _ in traceback.walk_tb(exc.__traceback__)
    )


def _sqlstates(exc: BaseException) -> set[str]:
    states = set()
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(state := getattr(seen, "sqlstate", None), str):
            states.add(state)
        seen = seen.__cause__
    return states


def is_statement_timeout(exc: BaseException) -> bool:
    """Whether PostgreSQL cancelled a statement (57014 query_canceled: ``statement_timeout``,
    or an operator's ``pg_cancel_backend``)."""
    return "57014" in _sqlstates(exc)


_READ_ONLY = "onestop.read_only"


def mark_read_only(request: Request) -> None:
    """Say that ``request`` only reads (its transaction is read-only): a statement timeout is
    then ``query_timeout``, not ``database_unavailable``."""
    request.scope[_READ_ONLY] = True


def _statement_timeout_ms(request: Request) -> int | None:
    settings = getattr(request.app.state, "settings", None)
    timeout_ms = getattr(settings, "db_statement_timeout_ms", None)
    return timeout_ms if isinstance(timeout_ms, int) else None


def is_invalid_character(exc: BaseException) -> bool:
    """Whether PostgreSQL refused a text or JSON value of the request: U+0000 (NUL) is valid
    JSON and a valid Python string, but neither ``text`` nor ``jsonb`` can hold it."""
    # 22021 character_not_in_repertoire (text), 22P05 untranslatable_character (jsonb \u0000)
    return not _sqlstates(exc).isdisjoint({"22021", "22P05"})


async def _database_error(request: Request, exc: Exception) -> Response:
    if is_invalid_character(exc):
        return _problem(
            request,
            status=422,
            code=INVALID_CHARACTER,
            title="Unprocessable Content",
            detail="A text value in the request contains U+0000 (NUL), which cannot be stored "
            "or searched for.",
        )
    if request.scope.get(_READ_ONLY) and is_statement_timeout(exc):
        logger.warning(
            "query timeout on %s %s: %s", request.method, request.url.path, _one_line(exc)
        )
        timeout_ms = _statement_timeout_ms(request)
        return _problem(
            request,
            status=503,
            code="query_timeout",
            title="Service Unavailable",
            detail="The query took longer than the statement timeout"
            + (f" ({timeout_ms} ms)" if timeout_ms is not None else "")
            + " and was cancelled: the range is too large to answer in time. Ask for a shorter "
            "range (fewer days, or one hospital).",
        )
    if not is_database_unavailable(exc):
        return await _unhandled(request, exc)
    logger.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, _one_line(exc)
    )
    detail = (
        "The database is unavailable or did not answer in time. Retry after a moment."
        if request.scope.get(_READ_ONLY)
        else "The database is unavailable or did not answer in time; nothing was stored by this "
        "request. Retry after a moment (the same settlement body is safe to send again)."
    )
    return await _app_error(request, DatabaseUnavailable(detail))


def _one_line(exc: BaseException) -> str:
    causes: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(causes) < 4:
        causes.append(f"{type(seen).__name__}: {str(seen).splitlines()[0] if str(seen) else ''}")
        seen = seen.__cause__
    return " <- ".join(causes)


async def _unhandled(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware calls this, then re-raises so the server logs it too.
    # (With app.middleware.RequestMiddleware installed, that middleware answers first.)
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return internal_error_response(_request_id(request), accept_language_of(request.scope))


def _raised_at(exc: BaseException) -> str:
    """``file:line function`` of the innermost frame that is not ``ensure()`` itself."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.name != "ensure"]
    if not frames:
        return "unknown"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


async def _invariant_violation(request: Request, exc: InvariantViolation) -> Response:
    # One line, no traceback: the invariant, where it was checked, and the inputs to replay it
    # (app.settlement.service attaches them; ID numbers are masked there and by app.logs).
    inputs = json.dumps(exc.context, ensure_ascii=False, sort_keys=True, default=str)
    logger.error(
        "invariant violation on %s %s: %s (checked at %s); inputs %s",
        request.method,
        request.url.path,
        exc,
        _raised_at(exc),
        inputs,
    )
    return _problem(
        request,
        status=500,
        code="invariant_violation",
        title="Internal Server Error",
        detail="A settlement invariant did not hold: a bug, which has been logged. Nothing was "
        "stored.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.exception_handler(AppError)(_app_error)
    app.exception_handler(InvariantViolation)(_invariant_violation)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(StarletteHTTPException)(_http_error)
    # The database layer: 503 when unreachable, 422 for U+0000, else as unhandled (500).
    for database_error in (
        sqlalchemy.exc.DBAPIError,
        sqlalchemy.exc.TimeoutError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        OSError,
    ):
        app.exception_handler(database_error)(_database_error)
    app.exception_handler(Exception)(_unhandled)
