"""A failure a handler reports with its own ``err_msg`` text (placeholder; A's module wins)."""

from __future__ import annotations

__all__ = ["NhsaFailure"]


class NhsaFailure(Exception):
    def __init__(self, err_msg: str) -> None:
        super().__init__(err_msg)
        self.err_msg = err_msg
