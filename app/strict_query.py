"""Unknown query parameters are refused: 422 ``validation_error`` naming each one.

FastAPI ignores a query parameter that the operation does not declare, so a typo
(``fromat=xlsx``) or a parameter of another operation (``format`` on the JSON ledger) silently
gave an answer to a question nobody asked. :func:`reject_unknown_query_parameters` is a
dependency of every ``/v1`` router (``app.main``); it compares the query with what the matched
route declares (its own parameters and those of its dependencies) and costs nothing for a
request without a query string, which every settlement write is.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

__all__ = ["reject_unknown_query_parameters"]


async def reject_unknown_query_parameters(request: Request) -> None:
    if not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _declared(route)
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in declared]
    if unknown:
        takes = ", ".join(sorted(declared)) or "none"
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": f"unknown query parameter (this operation takes: {takes})",
                    "input": request.query_params[name],
                }
                for name in unknown
            ]
        )


# id(route) -> (route, names); the route is kept so that its id is never reused (APIRoute is
# not hashable). One entry per route of each app built in this process.
_DECLARED: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def _declared(route: APIRoute) -> frozenset[str]:
    if (known := _DECLARED.get(id(route))) is not None:
        return known[1]
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(field.alias for field in dependant.query_params)
        pending.extend(dependant.dependencies)
    _DECLARED[id(route)] = (route, frozenset(names))
    return frozenset(names)
