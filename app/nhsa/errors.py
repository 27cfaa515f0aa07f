"""The one failure a national-interface handler may raise besides ``app.errors.AppError``."""

from __future__ import annotations

__all__ = ["NhsaFailure"]


class NhsaFailure(Exception):
    """``infcode -1`` with ``err_msg`` exactly as given (already Chinese, already naming what is
    wrong); the dispatcher rolls the transaction back, as for any failure."""

    def __init__(self, err_msg: str) -> None:
        self.err_msg = err_msg
        super().__init__(err_msg)
