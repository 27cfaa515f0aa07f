"""Per-request context shared by logging, errors and the audit trail.

The request id lives in asgi-correlation-id's context variable: its ``CorrelationIdMiddleware``
(the outermost layer, wired in :func:`app.main.create_app`) takes ``X-Request-ID`` when
:func:`is_request_id` accepts it, else makes one, sets the variable for the request and returns
the id as ``X-Request-ID``. Log records, problem+json bodies and audit entries read it here.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from asgi_correlation_id import correlation_id

__all__ = ["is_request_id", "new_request_id", "request_id_var", "valid_request_id"]

request_id_var: ContextVar[str | None] = correlation_id
"""The current request's id; None outside a request."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def is_request_id(value: str) -> bool:
    """Whether ``value`` may serve as a request id: 1-64 of ``[A-Za-z0-9._-]``."""
    return _REQUEST_ID.fullmatch(value) is not None


def valid_request_id(value: str | None) -> str | None:
    """``value`` when it may serve as a request id, else None."""
    return value if value is not None and is_request_id(value) else None


def new_request_id() -> str:
    """A fresh request id: 32 hex digits."""
    return uuid.uuid4().hex
