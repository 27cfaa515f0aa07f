"""The text of a page cursor: a small JSON object, base64url without padding.

A listing's cursor (the reconciliation events, the enrolment gaps and the roster ledger) names
where the last page ended. The client sends it back, so what comes back is checked: a text that
is not such an object with exactly the listing's members is 422 ``invalid_cursor``
(``cursor_not_ours``), and each listing then checks every member's type and range with
:func:`json_int` and friends, raising ``ValueError`` for :func:`not_ours` to answer.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from app.errors import Unprocessable

__all__ = ["decode", "encode", "invalid", "json_int", "not_ours"]


def encode(data: Mapping[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid(msg: str, key: str) -> Unprocessable:
    """422 ``invalid_cursor`` with one item at ``["query", "cursor"]``."""
    return Unprocessable(
        f"The cursor is not usable: {msg}.",
        code="invalid_cursor",
        errors=[{"loc": ["query", "cursor"], "msg": msg, "key": key}],
    )


def not_ours() -> Unprocessable:
    return invalid("not a cursor returned by this endpoint", "cursor_not_ours")


def decode(cursor: str, members: frozenset[str]) -> dict[str, Any]:
    """The object a cursor of :func:`encode` holds, when its members are exactly ``members``;
    :func:`not_ours` for anything else."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):  # UnicodeDecodeError and JSONDecodeError included
        raise not_ours() from None
    if not isinstance(data, dict) or data.keys() != members:
        raise not_ours()
    return data


def json_int(value: object, low: int, high: int) -> int:
    """``value`` when it is a JSON integer (not a boolean, not a float) in ``low..high``."""
    if type(value) is not int or not low <= value <= high:
        raise ValueError(value)
    return value
