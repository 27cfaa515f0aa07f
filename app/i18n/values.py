"""A value error that names itself: a stable key and parameters beside the English message."""

from __future__ import annotations

from typing import Any

__all__ = ["Invalid"]


class Invalid(ValueError):
    """``raise Invalid("decimal_places", f"{what} must ... {places} ...", what=what, places=2)``:
    pydantic shows the English message as today (``Value error, ...``); the Chinese comes from
    ``app.i18n.catalog.VALUES[key]`` with these parameters (pydantic keeps the exception in the
    error's ``ctx``)."""

    def __init__(self, key: str, message: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(message)
