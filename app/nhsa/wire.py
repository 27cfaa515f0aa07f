"""Values the national interface's answer writer prints in a fixed form (minimal version: the
adapter's full wire module, with the strict input parsers, replaces it)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Fen", "Scaled"]


class Fen(int):
    """An amount in fen, written on the wire as a JSON number with exactly 2 decimals."""


@dataclass(frozen=True, slots=True)
class Scaled:
    """``value`` × 10^-``places``, written with exactly ``places`` decimals (``Scaled(8000, 4)``
    is ``0.8000``)."""

    value: int
    places: int
