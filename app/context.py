"""Per-request context shared by logging, errors and the audit trail."""

from __future__ import annotations

import re
from contextvars import ContextVar

__all__ = ["request_id_var", "valid_request_id"]

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
"""Set for each HTTP request by ``app.middleware.RequestMiddleware``."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def valid_request_id(value: str | None) -> str | None:
    """``value`` when it may serve as a request id (1-64 of ``[A-Za-z0-9._-]``), else None."""
    return value if value is not None and _REQUEST_ID.fullmatch(value) else None
