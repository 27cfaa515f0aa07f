"""Who is looking at a page, and may they: the web pages' version of :mod:`app.auth.deps`.

:func:`page_caller` gives the same :class:`~app.auth.service.Caller` as ``/v1``, from

- an ``Authorization: Bearer <key>`` header (scripts, tests): verified exactly as ``/v1`` does
  (:func:`app.auth.deps.verify_key`, the same key cache); or else
- the session cookie (a browser after signing in): looked up in ``ui_sessions`` joined to
  ``api_keys``, so a session of a revoked key, an expired or an unknown one is no session.

Without either, a page answers ``303`` to ``/ui/login?next=<this page>``.

:func:`form_caller` adds the CSRF check for state-changing forms: a cookie is sent by the
browser on its own (ambient), so a cookie-authenticated POST must also carry the session's
token; a bearer header is never added by a browser on its own, so a bearer POST needs none.
"""

# No ``from __future__ import annotations`` here: require_role's dependency names a closure
# variable in its annotation, which FastAPI must evaluate at import time.
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import Response

from app.auth.deps import verify_key
from app.auth.service import Caller
from app.errors import Unauthorized
from app.registry.models import Hospital

from .messages import message
from .sessions import find_session
from .templating import render

__all__ = [
    "SESSION_COOKIE",
    "AdminPage",
    "FormCaller",
    "HospitalPage",
    "PageCaller",
    "PageError",
    "ReaderPage",
    "SignInRequired",
    "check_hospital",
    "check_same_origin",
    "form_caller",
    "install_page_errors",
    "page_caller",
    "require_role",
    "safe_next",
    "tokens_equal",
]

SESSION_COOKIE = "onestop_session"
CSRF_FIELD = "csrf_token"


class PageError(Exception):
    """A refusal shown as a Chinese page (``error.html``) with this status."""

    def __init__(self, status_code: int, code: str) -> None:
        super().__init__(code)
        self.status_code = status_code
        self.code = code


class SignInRequired(Exception):
    """No (live) session: answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path of this site under ``/ui/``; anything else
    (another host, ``//host``, a scheme, a backslash, control characters) is ``/ui/``."""
    if (
        not value
        or len(value) > 2000
        or not (value == "/ui" or value.startswith("/ui/"))
        or "\\" in value
        or "//" in value
        or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value)
    ):
        return "/ui/"
    return value


def tokens_equal(sent: object, expected: str | None) -> bool:
    """Constant-time comparison of a submitted token with the expected one."""
    if not isinstance(sent, str) or not sent or not expected:
        return False
    return secrets.compare_digest(sent.encode(), expected.encode())


def check_same_origin(request: Request) -> None:
    """Refuse a form post whose ``Origin`` (sent by every current browser on a POST) names
    another site. A second line behind the token, not instead of it: a request without
    ``Origin`` (an old browser, a script) is judged by its token alone."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin != own:
        raise PageError(403, "cross_origin")


async def _hospital_name(session: AsyncSession, caller: Caller) -> str | None:
    if caller.hospital_code is None:
        return None
    name: str | None = await session.scalar(
        select(Hospital.name).where(Hospital.code == caller.hospital_code)
    )
    return name


def _here(request: Request) -> str:
    if request.method != "GET":
        return "/ui/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def page_caller(request: Request) -> Caller:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    authorization = request.headers.get("authorization")
    request.state.ui_session = None
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            raise PageError(401, "bearer_scheme")
        try:
            caller = await verify_key(request, token)
        except Unauthorized:
            raise PageError(401, "bearer_invalid") from None
        async with sessionmaker() as session, session.begin():
            request.state.ui_hospital_name = await _hospital_name(session, caller)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise SignInRequired(_here(request))
        # Its own short transaction, as for a bearer key: the page's own work stays apart.
        async with sessionmaker() as session, session.begin():
            active = await find_session(session, cookie)
            if active is None:
                raise SignInRequired(_here(request))
            caller = active.caller
            request.state.ui_hospital_name = await _hospital_name(session, caller)
        request.state.ui_session = active
    request.state.ui_caller = caller
    return caller


async def form_caller(request: Request, caller: Annotated[Caller, Depends(page_caller)]) -> Caller:
    """:func:`page_caller` for a state-changing form: a session's post must carry its token."""
    active = request.state.ui_session
    if active is None:  # bearer: not ambient, no token needed
        return caller
    check_same_origin(request)
    form = await request.form()
    if not tokens_equal(form.get(CSRF_FIELD), active.csrf_token):
        raise PageError(403, "csrf")
    return caller


def require_role(*roles: str, form: bool = False) -> Callable[..., Awaitable[Caller]]:
    """A page (``form=True``: a form post, CSRF checked) only these roles may open."""
    source = form_caller if form else page_caller

    async def dependency(caller: Annotated[Caller, Depends(source)]) -> Caller:
        if caller.role not in roles:
            raise PageError(403, "forbidden_role")
        return caller

    return dependency


def check_hospital(caller: Caller, hospital_code: str) -> None:
    """A hospital acts and reads only for itself (agency and admin read every hospital)."""
    if caller.role == "hospital" and caller.hospital_code != hospital_code:
        raise PageError(403, "other_hospital")


PageCaller = Annotated[Caller, Depends(page_caller)]
FormCaller = Annotated[Caller, Depends(form_caller)]
HospitalPage = Annotated[Caller, Depends(require_role("hospital"))]
ReaderPage = Annotated[Caller, Depends(require_role("hospital", "agency", "admin"))]
AdminPage = Annotated[Caller, Depends(require_role("admin"))]


async def _page_error(request: Request, exc: PageError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    response = render(
        request,
        "error.html",
        {"status": exc.status_code, "message": message(exc.code), "code": exc.code},
        status_code=exc.status_code,
    )
    if headers:
        response.headers.update(headers)
    return response


async def _sign_in_required(request: Request, exc: SignInRequired) -> Response:
    response = RedirectResponse(
        f"/ui/login?next={quote(safe_next(exc.next_path), safe='/')}", status_code=303
    )
    if SESSION_COOKIE in request.cookies:
        response.delete_cookie(SESSION_COOKIE, path="/ui", httponly=True, samesite="strict")
    return response


def install_page_errors(app: FastAPI) -> None:
    app.exception_handler(PageError)(_page_error)
    app.exception_handler(SignInRequired)(_sign_in_required)
