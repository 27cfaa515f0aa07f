"""JSON request bodies that keep the text of their numbers.

FastAPI reads a body with ``json.loads``, which turns ``5e1`` and ``50.0`` into the same float
50.0: the text the client sent is lost, and with it the difference between a plain decimal and
an exponent. Every route here is a :class:`JSONRoute`, whose body is read with
:func:`app.types.loads` instead: a JSON number with a fraction stays a ``Decimal`` of its text
(``12.50``), one with an exponent is marked (:class:`app.types.ExponentNumber`), so the money
types see what was written and refuse the exponent. Integers stay ``int``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.types import loads

__all__ = ["JSONRequest", "JSONRoute", "loads"]


class JSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json: Any = loads(await self.body())
        return self._json


class JSONRoute(APIRoute):
    """A route whose JSON body is read by :func:`loads` (routes without a body are unchanged)."""

    request_class: type[JSONRequest] = JSONRequest

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler
        request_class = self.request_class

        async def json_handler(request: Request) -> Response:
            return await handler(request_class(request.scope, request.receive))

        return json_handler
