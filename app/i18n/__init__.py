"""Chinese wherever a person reads (issue 12): one catalogue (:mod:`app.i18n.catalog`), the
``Accept-Language`` negotiation (:func:`prefers_zh`) and the renderers the problem handlers, the
settlement endpoints and the ``/ui/`` pages use (:func:`zh_problem`, :func:`reason_zh`)."""

from __future__ import annotations

from starlette.types import Scope

from .language import prefers_zh
from .render import msg_zh, reason_zh, zh_problem
from .values import Invalid

__all__ = [
    "Invalid",
    "accept_language",
    "msg_zh",
    "prefers_zh",
    "reason_zh",
    "zh_problem",
]


def accept_language(scope: Scope) -> str | None:
    """The ``Accept-Language`` header of an ASGI scope (for middlewares that answer before a
    ``Request`` exists); the first when sent twice."""
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return str(value.decode("latin-1"))
    return None
