"""Request body size limit as a pure ASGI middleware: 413 problem+json, nothing parsed.

One limit for every path (``Settings.max_body_bytes``), except the few exact paths given a
larger one (``larger``): the roster file uploads (docs/roster.md "File-level problems: 422,
nothing stored").

- A declared ``Content-Length`` over the limit is refused before the app runs. One within it goes
  to the app untouched: the server delivers exactly that many bytes (a longer body is a framing
  error it refuses itself), so the fast path, every settlement a HIS sends, costs nothing here.
- A body without ``Content-Length`` (``Transfer-Encoding: chunked``) is read here, counted as it
  streams, before the app sees any of it: refused once it passes the limit, else handed to the
  app whole (the app would have buffered it anyway; at most the limit is held).

The limit cannot be enforced while the app reads the body: an exception raised from
``receive()`` is caught by FastAPI's body reading and turned into a 400 "There was an error
parsing the body" (``fastapi.routing``, ``except Exception``), so it would never reach this
middleware. Reading first keeps the answer 413 whatever the app does with errors.

The 413 closes the connection (the rest of a large body is not worth reading). Most HTTP clients
write the whole body before they read the answer, and a server that closes with unread bytes
resets the connection, which loses the answer: so before answering, the rest of a body up to
:data:`DRAIN_FACTOR` times the limit in all is read and thrown away (not for ``Expect:
100-continue``, whose client waits for the answer before it sends the body). A larger body is
cut off at once.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.context import request_id_var
from app.errors import problem_response
from app.i18n import accept_language

__all__ = ["DRAIN_FACTOR", "BodySizeLimit"]

DRAIN_FACTOR = 2


class BodySizeLimit:
    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Paths that take a larger body (exact path → bytes): the roster file uploads
        # (app.roster.endpoints.UPLOAD_LIMIT_BYTES); every other path has max_bytes.
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes) if self.larger else self.max_bytes
        declared, expects_continue = _framing(scope)
        if declared is not None:
            if declared <= limit:
                await self.app(scope, receive, send)
                return
            if not expects_continue and declared <= DRAIN_FACTOR * limit:
                await self._drain(receive, 0, limit)
            await self._refuse(scope, receive, send, limit)
            return
        read: collections.deque[Message] = collections.deque()
        seen = 0
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":  # http.disconnect: the app hears it too
                break
            seen += len(message.get("body", b""))
            more = message.get("more_body", False)
            if seen > limit:
                if more:
                    await self._drain(receive, seen, limit)
                await self._refuse(scope, receive, send, limit)
                return
            if not more:
                break

        async def replay() -> Message:
            return read.popleft() if read else await receive()

        await self.app(scope, replay, send)

    async def _drain(self, receive: Receive, seen: int, limit: int) -> None:
        """Read and drop the rest of the body, while it stays within the drain bound."""
        while seen <= DRAIN_FACTOR * limit:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                return
            seen += len(message.get("body", b""))

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            status=413,
            code="payload_too_large",
            title="Payload Too Large",
            detail=f"The request body is larger than {limit} bytes.",
            errors=[{"loc": ["body"], "msg": f"at most {limit} bytes"}],
            headers={"Connection": "close"},
            params={"max_bytes": limit},
            request_id=request_id_var.get(),
            accept_language=accept_language(scope),
        )
        await response(scope, receive, send)


def _framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared ``Content-Length`` (None: absent or not a number) and whether the client
    sent ``Expect: 100-continue``."""
    declared: int | None = None
    expects_continue = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            declared = int(value) if value.isdigit() else None
        elif name == b"expect":
            expects_continue = value.lower() == b"100-continue"
    return declared, expects_continue
