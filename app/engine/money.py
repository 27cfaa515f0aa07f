"""Exact money and ratios: integer fen, ratios in basis points (1/10000), one rounding rule.

docs/rules.md §1: amounts are yuan with 2 decimals, unit prices up to 4, quantities up to 3, ratios
up to 4 (``/v1``); the national interface sends unit prices with up to 6 decimals and quantities
with up to 4. Everything is held as an integer in its smallest unit so that the engine never
touches a float and never needs a Decimal context:

- money: ``*_fen`` (1/100 yuan)
- unit prices and price caps in the engine: ``*_e6`` (1/1000000 yuan); ``/v1`` prices and the
  catalogue's caps are ``*_e4`` (1/10000 yuan), ×100 on the way in
- quantities in the engine: ``*_e4`` (1/10000 unit); ``/v1`` quantities are ``*_e3``, ×10
- ratios: ``*_bp`` (1/10000)

``round()`` in the rulebook is "round half up to the fen"; :func:`div_half_up` is that rule and
the only rounding in the engine.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "BP",
    "InvariantViolation",
    "apply_ratio",
    "div_half_up",
    "ensure",
    "format_bp",
    "format_e4",
    "format_fen",
    "format_ratio_bp",
    "parse_scaled",
]

BP = 10_000  # ratio denominator: 1.0000


class InvariantViolation(Exception):
    """A money invariant does not hold: a bug, never bad input.

    ``context``: the inputs it was raised on (the policy, the claim, the accumulators), as the
    caller that knows them attaches them before letting it go on, for the log line that reports
    it (app.errors)."""

    context: dict[str, object] | None = None


def ensure(condition: bool, message: str) -> None:
    """Check an invariant in production code (``assert`` can be compiled away)."""
    if not condition:
        raise InvariantViolation(message)


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (half away from zero for negatives)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def apply_ratio(amount_fen: int, ratio_bp: int) -> int:
    """``round(amount × ratio)`` to the fen."""
    return div_half_up(amount_fen * ratio_bp, BP)


def parse_scaled(text: str, places: int) -> int:
    """Parse a plain decimal string into an integer scaled by ``10**places``: the one decimal
    parser (the HTTP money types, policy documents, bill files and the test cases all call it).

    Raises ``ValueError`` for anything that is not a plain decimal with at most ``places``
    decimals: ASCII digits ``0-9`` with an optional leading ``-`` and one ``.`` between digits;
    no exponent, no sign ``+``, no spaces or newlines, no thousands separators or ``_``, no
    other scripts' digits (``٥``, ``５``, which ``str.isdigit`` and ``int()`` would take).
    """
    whole, dot, frac = text.partition(".")
    # isascii as well: isdigit alone is true for every script's digits (and "²").
    if whole.isdigit() and text.isascii():
        negative = False
    elif whole[:1] == "-" and whole[1:].isdigit() and text.isascii():
        negative, whole = True, whole[1:]
    else:
        raise ValueError(f"not a plain decimal number: {text!r}")
    if dot:
        if not frac.isdigit():
            raise ValueError(f"not a plain decimal number: {text!r}")
        if len(frac) > places:
            raise ValueError(f"at most {places} decimal places allowed: {text!r}")
        value: int = int(whole + frac) * 10 ** (places - len(frac))
    else:
        value = int(whole) * 10**places
    return -value if negative else value


def _format_scaled(value: int, places: int) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def format_fen(amount_fen: int) -> str:
    """``123450`` → ``"1234.50"``."""
    if amount_fen >= 0:
        return f"{amount_fen // 100}.{amount_fen % 100:02d}"
    return _format_scaled(amount_fen, 2)


def format_e4(value_e4: int) -> str:
    """A value in 1/10000 with at least 2 and at most 4 decimals: ``125000`` → ``"12.50"``,
    ``125050`` → ``"12.505"``, ``1`` → ``"0.0001"``."""
    head, _, frac = _format_scaled(value_e4, 4).partition(".")
    return f"{head}.{frac.rstrip('0').ljust(2, '0')}"


@lru_cache(maxsize=1024)
def format_bp(ratio_bp: int) -> str:
    """A policy ratio as policy documents write it: ``8000`` → ``"0.80"``, ``1`` → ``"0.0001"``."""
    return format_e4(ratio_bp)


def format_ratio_bp(ratio_bp: int) -> str:
    """A computed ratio with exactly 4 decimals: ``300`` → ``"0.0300"``."""
    return _format_scaled(ratio_bp, 4)
