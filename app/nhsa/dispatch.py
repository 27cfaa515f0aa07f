"""PLACEHOLDER (engineer D's tree only): the handler interface of the national-interface
dispatcher, with exactly the shared signatures (/tmp/nhsa-common.md "Handler interface") so the
handler modules type-check before engineer A's dispatcher merges. The integrator keeps A's
``app/nhsa/dispatch.py`` and drops this file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Caller
from app.policy.store import PolicyStore

__all__ = ["HANDLERS", "UNDO", "Call", "Done", "Handler", "Undo", "transaction", "undoes"]


@dataclass(frozen=True, slots=True)
class Call:
    session: AsyncSession
    caller: Caller
    hospital_code: str
    msgid: str
    infno: str
    envelope: Mapping[str, Any]
    policies: PolicyStore
    now: dt.datetime


@dataclass(frozen=True, slots=True)
class Done:
    output: Mapping[str, Any]
    effect: Mapping[str, str] | None = None
    file: bytes | None = None


Handler = Callable[[Call, Any], Awaitable[Done]]
Undo = Callable[[Call, Mapping[str, str]], Awaitable[None]]

HANDLERS: dict[str, Handler] = {}
UNDO: dict[str, Undo] = {}


def transaction(infno: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[infno] = handler
        return handler

    return register


def undoes(infno: str) -> Callable[[Undo], Undo]:
    def register(undo: Undo) -> Undo:
        UNDO[infno] = undo
        return undo

    return register
