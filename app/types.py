"""Pydantic field types at the HTTP edge: money, dates and codes as the contract writes them.

docs/rules.md §1: amounts are accepted as strings or JSON numbers with at most 2 decimals (unit
prices up to 4, quantities up to 3, ratios up to 4) and held as integers in their smallest unit.
Only plain decimals, the whole text: ASCII digits ``0-9`` with at most one ``.``; no exponent, no
spaces or trailing newline, no other scripts' digits (``٥``, ``５``, which ``int()`` would read).

A JSON number is taken by the text the client wrote: request bodies are read with :func:`loads`
(every route is an ``app.routing.JSONRoute``), which keeps a number with a fraction as a
``Decimal`` of that text and marks one with an exponent, so ``12.5`` is 12.50 while ``5e1``,
``5.0e3``, ``5000e0``, ``1e30`` and anything with too many decimals are rejected, never rounded
or coerced. A Python ``float`` (what pydantic's JSON mode makes of such a number, and so what
the settlement endpoint's fast parse meets) is always rejected: it no longer says how it was
written. JSON integers, ``Decimal`` and strings are the inputs; booleans, ``NaN`` and
infinities are rejected.

Every decimal text is read by the one parser, :func:`app.engine.money.parse_scaled`; a text
seen before is answered from a memo of its results. Responses hold their amounts as integers
too: :data:`MoneyOut` and :data:`RatioOut` write them as text only when the response is
serialized.

Dates are strings ``YYYY-MM-DD`` naming a real day (:data:`IsoDate`), never a number or a
datetime; ID numbers and county codes are ASCII digits too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    Strict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from app import clock
from app.bounds import LINE_MAX_FEN, QUANTITY_MAX_E3, UNIT_PRICE_MAX_E4
from app.engine import parse_date, parse_scaled
from app.engine.money import format_e4, format_fen, format_ratio_bp
from app.i18n.values import Invalid

__all__ = [
    "ASCII_INT",
    "EARLIEST_ADMISSION",
    "AdmissionDate",
    "CountyCode",
    "DischargeDate",
    "ExponentNumber",
    "IsoDate",
    "Money",
    "MoneyOut",
    "OptionalMoney",
    "OptionalPrice",
    "Price",
    "Quantity",
    "Ratio",
    "RatioOut",
    "Text",
    "Year",
    "loads",
]


class ExponentNumber(Decimal):
    """A JSON number written with an exponent (``5e1``, ``5000e0``, ``125e-2``): :func:`loads`
    marks it, since its value alone may look plain (``Decimal("5000e0")`` is ``5000``)."""

    __slots__ = ()


def _json_number(text: str) -> Decimal:
    return ExponentNumber(text) if "e" in text or "E" in text else Decimal(text)


def loads(body: bytes | str) -> Any:
    """``json.loads`` for request bodies: a JSON number with a fraction or an exponent is a
    :class:`~decimal.Decimal` holding exactly the text sent (an :class:`ExponentNumber` when it
    has an exponent), never a float; integers stay ``int``."""
    return json.loads(body, parse_float=_json_number)


# Texts already converted, per type: bills repeat their prices, quantities and amounts, and a
# lookup costs a fraction of converting again. A memo holds only what the type's parser returned
# for a text (str keys, so a number or a boolean never meets them), and that depends on the text
# alone, so a remembered answer is the answer. Bounded: emptied when full.
MEMO_SIZE = 1 << 16
_MEMOS: list[dict[str, int]] = []


def clear_memos() -> None:
    """Forget every converted text (benchmarks measure the cold path with it)."""
    for memo in _MEMOS:
        memo.clear()


def _scaled(
    places: int, what: str, *, maximum: int, positive: bool = False, bounded: bool = False
) -> Any:
    """The parser of one kind of decimal: :func:`app.engine.money.parse_scaled` of the value's
    text, in range. ``bounded``: a value above ``maximum`` is the ``amount_out_of_range`` error
    (app.bounds), not a malformed value."""
    memo: dict[str, int] = {}
    _MEMOS.append(memo)
    # The smallest accepted value: 0, or one unit of the last decimal if it must be positive.
    least = 1 if positive else 0

    def parse(value: Any) -> int:
        # What nearly every request sends: text, a price or an amount seen before. A text not
        # seen before that parse_scaled reads as a value in range is what general() returns for
        # it too; anything else goes the general way, which says what is wrong.
        if type(value) is str:
            known = memo.get(value)
            if known is not None:
                return known
            try:
                number = parse_scaled(value, places)
            except ValueError:
                return general(value)
            if least <= number <= maximum:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[value] = number
                return number
        return general(value)

    def general(value: Any) -> int:
        if type(value) is str:
            text = value
        elif isinstance(value, bool):
            raise Invalid(
                "decimal_not_boolean",
                f"{what} must be a decimal string or number, not a boolean",
                what=what,
            )
        elif isinstance(value, float):
            # The client's text is gone: 5e1 and 50.0 are one float. JSON numbers reach here as
            # Decimal (loads below); a float is pydantic's JSON mode, or a Python caller.
            raise Invalid(
                "decimal_not_float",
                f"{what} must be a decimal string or number, not a binary float",
                what=what,
            )
        elif isinstance(value, ExponentNumber):
            raise Invalid(
                "decimal_places",
                f"{what} must be a plain decimal with at most {places} decimal places",
                what=what,
                places=places,
            )
        elif isinstance(value, int | Decimal):
            text = str(value)  # a Decimal keeps the text it was read from: 5e1 is "5E+1"
        elif isinstance(value, str):
            text = value
        else:
            raise Invalid("decimal_type", f"{what} must be a decimal string or number", what=what)
        try:
            number = parse_scaled(text, places)
        except ValueError:
            raise Invalid(
                "decimal_places",
                f"{what} must be a plain decimal with at most {places} decimal places",
                what=what,
                places=places,
            ) from None
        if number < 0:
            raise Invalid("decimal_negative", f"{what} must not be negative", what=what)
        if number > maximum:
            if bounded:
                raise PydanticCustomError(
                    "amount_out_of_range",
                    "{what} must be at most {maximum}",
                    {"what": what, "maximum": format_e4(maximum * 10 ** (4 - places))},
                )
            raise Invalid("decimal_too_large", f"{what} is too large", what=what)
        if number < least:
            raise Invalid("decimal_not_positive", f"{what} must be positive", what=what)
        return number

    parse.general = general  # type: ignore[attr-defined]  # for the equivalence test
    parse.memo = memo  # type: ignore[attr-defined]
    return parse


def _schema(pattern: str, example: str, description: str) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "pattern": pattern, "examples": [example], "description": description}
    )


# Line bounds: app/bounds.py says where they come from and why no sum can overflow.
_AMOUNT = _scaled(2, "amount", maximum=LINE_MAX_FEN, bounded=True)
_UNIT_PRICE = _scaled(4, "unit price", maximum=UNIT_PRICE_MAX_E4, bounded=True)
_PRICE = _scaled(4, "price", maximum=UNIT_PRICE_MAX_E4, bounded=True)

Money = Annotated[
    int,
    BeforeValidator(_AMOUNT),
    _schema(
        r"^[0-9]+(\.[0-9]{1,2})?$",
        "25.00",
        "Amount in yuan, at most 2 decimals (a JSON number is accepted too).",
    ),
]
OptionalMoney = Annotated[
    int | None,
    BeforeValidator(lambda v: None if v is None else _AMOUNT(v)),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"}, {"type": "null"}],
            "description": "Amount in yuan, or null for none.",
        }
    ),
]
Price = Annotated[
    int,
    BeforeValidator(_UNIT_PRICE),
    _schema(r"^[0-9]+(\.[0-9]{1,4})?$", "12.50", "Unit price in yuan, at most 4 decimals."),
]
OptionalPrice = Annotated[
    int | None,
    BeforeValidator(lambda v: None if v is None else _PRICE(v)),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,4})?$"}, {"type": "null"}],
            "description": "Price in yuan (at most 4 decimals), or null for none.",
        }
    ),
]
Quantity = Annotated[
    int,
    BeforeValidator(_scaled(3, "quantity", maximum=QUANTITY_MAX_E3, positive=True, bounded=True)),
    _schema(r"^[0-9]+(\.[0-9]{1,3})?$", "2", "Quantity, positive, at most 3 decimals."),
]
Ratio = Annotated[
    int,
    BeforeValidator(_scaled(4, "ratio", maximum=10_000)),
    _schema(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", "0.10", "Ratio from 0 to 1, at most 4 decimals."),
]
MoneyOut = Annotated[int, Strict(), PlainSerializer(format_fen, return_type=str)]
"""An amount in a response: integer fen in Python, yuan text with 2 decimals in JSON
(``123450`` → ``"1234.50"``), so nothing reads money back from text."""
RatioOut = Annotated[int, Strict(), PlainSerializer(format_ratio_bp, return_type=str)]
"""A computed ratio in a response: basis points in Python, 4 decimals in JSON (``"0.0300"``)."""
CountyCode = Annotated[
    str, Field(pattern=r"^[0-9]{6}$", examples=["510402"], description="县级行政区划代码")
]
Year = Annotated[int, Field(ge=1990, le=2100, strict=True)]

_QUERY_INT = re.compile(r"[0-9]{1,19}")


def _query_int(value: Any) -> Any:
    # pydantic's lax int reads "1_0", " 10", "+10" and "10.0" as 10; a query integer is ASCII
    # digits, nothing else (and never more than BIGINT has).
    if isinstance(value, str) and not _QUERY_INT.fullmatch(value):
        raise Invalid("ascii_int", "must be a whole number written in ASCII digits 0-9")
    return value


ASCII_INT = BeforeValidator(_query_int)
"""An integer query parameter is ASCII digits only: ``Annotated[int, Query(ge=, le=), ASCII_INT]``
(after the ``Query``, so its bounds apply and show in the OpenAPI schema)."""


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return parse_date(value)  # its ValueError says what is wrong
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # a Python caller's date; JSON and query strings are text
    raise Invalid(
        "iso_date_type", "must be a date written YYYY-MM-DD (a string), not a number or a datetime"
    )


# Issue 11 item 4: an admission before this is a typing error, not a patient (1900 is the
# issue's bound, not a policy parameter).
EARLIEST_ADMISSION = dt.date(1900, 1, 1)


def _not_before_1900(value: dt.date) -> dt.date:
    if value < EARLIEST_ADMISSION:
        raise Invalid(
            "date_before",
            f"must not be before {EARLIEST_ADMISSION.isoformat()}",
            earliest=EARLIEST_ADMISSION.isoformat(),
        )
    return value


def _not_after_today(value: dt.date) -> dt.date:
    today = clock.today()
    if value > today:
        raise Invalid(
            "date_after_today",
            f"must not be after today ({today.isoformat()}, {clock.TIME_ZONE})",
            today=today.isoformat(),
            time_zone=str(clock.TIME_ZONE),
        )
    return value


# Only a string ``YYYY-MM-DD`` in ASCII digits that names a real day: pydantic's own date also
# takes 0 (Unix time: 1970-01-01) and "2018-06-01T00:00:00". Every date of a request body or a
# query parameter is one of these.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]  # documented as pydantic's date
AdmissionDate = Annotated[IsoDate, AfterValidator(_not_before_1900)]
DischargeDate = Annotated[IsoDate, AfterValidator(_not_after_today)]


def _nul() -> PydanticCustomError:
    # U+0000 is valid JSON and a valid Python string, but PostgreSQL cannot store or search for
    # it; the type is the problem code app.errors gives a request whose only fault it is.
    return PydanticCustomError("invalid_character", "must not contain U+0000 (NUL)")


@dataclass(frozen=True, slots=True)
class Text:
    """``Annotated[str, Text(200)]``: free text (a name, a label, a reason), at most
    ``max_length`` characters as sent, never U+0000.

    The request models strip surrounding whitespace (``str_strip_whitespace``) before pydantic's
    own length checks, so ``max_length`` alone would measure what is left, and 200 letters with
    padding would pass a documented ``maxLength`` of 200. This checks the text as sent first;
    ``min_length`` still applies after stripping, so blank is empty.
    """

    max_length: int
    min_length: int = 0

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if source is not str:  # on ``str | None`` it would drop None: Annotated[str, Text] | None
            raise TypeError(f"Text applies to str, not {source!r}")
        inner = core_schema.str_schema(
            min_length=self.min_length or None, max_length=self.max_length
        )
        return core_schema.no_info_before_validator_function(self._as_sent, inner)

    def _as_sent(self, value: Any) -> Any:
        if isinstance(value, str):
            if "\x00" in value:
                raise _nul()
            if len(value) > self.max_length:
                raise PydanticCustomError(
                    "string_too_long",
                    "String should have at most {max_length} characters",
                    {"max_length": self.max_length},
                )
        return value


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# ASCII digits only, the whole text: \d would take any script's digits (int() reads "５" as 5, so
# a fullwidth ID passed the checksum and registered the same person twice) and $ a final "\n".
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident ID (GB 11643-1999), or ``None``."""
    if not _ID_SHAPE.fullmatch(value):
        return "must be 18 characters: 17 digits and a digit or X"
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return "checksum digit does not match (GB 11643)"
    return None


def id_number_problem_key(value: str) -> str | None:
    """The catalogue key (app.i18n.catalog.ITEMS) of :func:`id_number_problem`'s answer."""
    if not _ID_SHAPE.fullmatch(value):
        return "id_number_shape"
    return "id_number_checksum" if id_number_problem(value) is not None else None


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def mask_id_number(value: str) -> str:
    """``510402195001010011`` → ``5104**********0011``."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
