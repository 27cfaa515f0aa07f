"""The Jinja2 environment of the web pages and :func:`render`, the one way a page is answered.

Autoescaping is on for every template (not only ``.html`` by file name), and an undefined
variable is an error rather than an empty string, so a typo in a template fails its test.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.responses import Response

from .messages import NAV, ROLE_NAMES

__all__ = ["percent", "render", "templates"]


def percent(ratio: str | None) -> str:
    """A ratio as a service or a policy wrote it, in per cent, by shifting the decimal point
    (no rounding, no float): ``"0.0300"`` → ``"3.00%"``, ``"0.10"`` → ``"10%"``; ``None`` → ``"—"``.
    The one way every page writes a ratio (``{{ x | percent }}``)."""
    if ratio is None:
        return "—"
    shifted = Decimal(ratio).scaleb(2)
    places = max(-int(shifted.as_tuple().exponent), 0)
    return f"{shifted:.{places}f}%"


@pass_context
def csrf_field(context: Context) -> Markup:
    """``{{ csrf_field() }}`` in every state-changing form: the session's (or, on the sign-in
    page, the pre-session) CSRF token as a hidden input. Nothing for a bearer caller."""
    token = context.get("csrf_token")
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


_env = Environment(
    loader=PackageLoader("app.ui", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals["csrf_field"] = csrf_field
_env.globals["role_names"] = ROLE_NAMES
_env.globals["nav"] = NAV
_env.filters["percent"] = percent

templates = Jinja2Templates(env=_env)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render ``name`` with the caller (if the page has one), the session's CSRF token and
    ``context``. ``request.state.ui_*`` is set by :mod:`app.ui.deps`."""
    state = request.state
    page: dict[str, Any] = {
        "caller": getattr(state, "ui_caller", None),
        "hospital_name": getattr(state, "ui_hospital_name", None),
        "signed_in": getattr(state, "ui_session", None) is not None,
        "csrf_token": getattr(getattr(state, "ui_session", None), "csrf_token", None),
    }
    page.update(context or {})
    return templates.TemplateResponse(request, name, page, status_code=status_code)
