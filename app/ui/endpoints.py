"""Sign-in, sign-out and the landing page of the web pages (``/ui/``).

Sign-in CSRF: before there is a session, the sign-in form is protected by a double-submit
token: ``GET /ui/login`` sets a random token in an HttpOnly, SameSite=Strict cookie limited to
``/ui/login`` and puts the same token in the form; ``POST /ui/login`` requires both to be equal
(and ``Origin``, when sent, to be this site). A successful sign-in always makes a new session,
so nobody can plant a session id beforehand (session fixation). docs/ui.md says why the token
is not signed.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from app.auth.deps import verify_key
from app.auth.service import Caller
from app.config import Settings
from app.db.session import SessionDep
from app.errors import Unauthorized

from .deps import (
    SESSION_COOKIE,
    FormCaller,
    PageError,
    check_same_origin,
    require_role,
    safe_next,
    tokens_equal,
)
from .messages import message
from .sessions import create_session, delete_session
from .templating import render

__all__ = ["LOGIN_CSRF_COOKIE", "router"]

LOGIN_CSRF_COOKIE = "onestop_login_csrf"
_LOGIN_PATH = "/ui/login"
# What secrets.token_urlsafe(32) makes; any other cookie value is replaced, not echoed back.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

router = APIRouter(prefix="/ui", include_in_schema=False)


def _secure(request: Request) -> bool:
    """``Secure`` cookies over https only: over plain http (``make run`` on localhost) a
    browser would not send them back and nobody could sign in."""
    return request.url.scheme == "https"


def _login_page(
    request: Request, next_path: str, csrf_token: str, *, error: str | None, status_code: int
) -> Response:
    response = render(
        request,
        "login.html",
        {"next": safe_next(next_path), "csrf_token": csrf_token, "error": error},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf_token,
        max_age=3600,
        path=_LOGIN_PATH,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/ui/") -> Response:
    # The same token again while the cookie lives, so two open sign-in tabs both work.
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not _TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(32)
    return _login_page(request, next, token, error=None, status_code=200)


def _field(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


@router.post("/login")
async def login(request: Request, session: SessionDep) -> Response:
    # The form is read here rather than declared with Form(): a missing or odd field is this
    # page's Chinese answer, not the API's 422 problem+json.
    form = await request.form()
    key = _field(form, "key")
    next = _field(form, "next", "/ui/")
    csrf_token = _field(form, "csrf_token")
    check_same_origin(request)
    if not tokens_equal(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise PageError(403, "csrf")
    if not key.strip():
        return _login_page(request, next, csrf_token, error=message("missing_key"), status_code=422)
    try:
        caller = await verify_key(request, key)
    except Unauthorized:
        return _login_page(request, next, csrf_token, error=message("bad_key"), status_code=401)
    settings: Settings = request.app.state.settings
    if previous := request.cookies.get(SESSION_COOKIE):
        await delete_session(session, previous)  # signing in again replaces the session
    token, _ = await create_session(session, caller, settings.ui_session_minutes)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.ui_session_minutes * 60,
        path="/ui",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=_LOGIN_PATH, httponly=True, samesite="strict")
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep, caller: FormCaller) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if request.state.ui_session is not None and token:
        await delete_session(session, token)
    response = RedirectResponse(_LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/ui", httponly=True, samesite="strict")
    return response


HomePage = Annotated[Caller, Depends(require_role("hospital", "agency", "admin", "work_injury"))]


@router.get("/")
async def home(request: Request, caller: HomePage) -> Response:
    return render(request, "home.html")
