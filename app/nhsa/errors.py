"""PLACEHOLDER (engineer D's tree only): ``NhsaFailure`` with the shared signature; the
integrator keeps engineer A's ``app/nhsa/errors.py``."""

from __future__ import annotations

__all__ = ["NhsaFailure"]


class NhsaFailure(Exception):
    """A business failure whose ``err_msg`` text is used as-is (``infcode -1``)."""

    def __init__(self, err_msg: str) -> None:
        super().__init__(err_msg)
        self.err_msg = err_msg
