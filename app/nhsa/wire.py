"""Strict parsers for the values of a national-interface message, and the answer writer.

Every value of an ``input`` node is read by one of these: money is a JSON number (kept as the
``Decimal`` of its text by ``app.routing.loads``) or a string, exactly as written, never through
a float; ASCII digits only, at most one ``.``, no exponent, no ``+``, no spaces. A value that does
not fit raises ``Unprocessable(code="validation_error")`` whose one error names the wire field
(``loc`` from :class:`Where`) with a Chinese message; the dispatcher makes it
``FSI-费用明细[feedetail][3].cnt：数量最多四位小数``.

Answers are written by :func:`dumps`: :class:`Fen` as a JSON number with exactly two decimals
(``Fen(1464000)`` → ``14640.00``), :class:`Scaled` with its places, ``ensure_ascii=False``, UTF-8.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from app import clock
from app.engine import parse_scaled
from app.errors import Unprocessable
from app.types import ExponentNumber

__all__ = [
    "ZONE",
    "Fen",
    "Scaled",
    "Where",
    "amount",
    "canonical",
    "count",
    "day",
    "dumps",
    "items",
    "moment",
    "node",
    "one_of",
    "price",
    "text",
]

ZONE = clock.ZONE  # the service's time zone, for every date and time on the wire

# N16,2 (the spec's widest money field): at most 16 digits in all. A longer number is no
# amount any bill has, and parsing it would only cost time.
_MAX_DIGITS = 16


class Where:
    """Where a value sits in the message: ``Where("feedetail", 3).field("med_list_codg")`` is
    ``loc == ["feedetail", 3, "med_list_codg"]``."""

    __slots__ = ("loc",)

    def __init__(self, *loc: str | int) -> None:
        self.loc: list[str | int] = list(loc)

    def field(self, name: str) -> Where:
        return Where(*self.loc, name)

    def at(self, index: int) -> Where:
        return Where(*self.loc, index)

    def fail(self, msg: str) -> Unprocessable:
        """The error to raise for this place (``raise where.fail("…")``)."""
        return Unprocessable(
            msg, code="validation_error", errors=[{"loc": list(self.loc), "msg": msg}]
        )

    def __repr__(self) -> str:
        return f"Where{tuple(self.loc)!r}"


def _scaled(
    value: Any, where: Where, places: int, what: str, decimals: str, *, negative: bool
) -> int:
    if isinstance(value, bool) or value is None:
        raise where.fail(f"{what}必须是数字或数字字符串")
    if isinstance(value, float):
        raise where.fail(f"{what}不能是二进制浮点数（须按原文传数字或字符串）")
    if isinstance(value, ExponentNumber):
        raise where.fail(f"{what}不能使用科学计数法")
    if isinstance(value, str):
        written = value
    elif isinstance(value, int):
        written = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise where.fail(f"{what}必须是有限的数字")
        written = format(value, "f")  # the text it was read from, never with an exponent
    else:
        raise where.fail(f"{what}必须是数字或数字字符串")
    digits = written.lstrip("-").replace(".", "", 1)
    if len(digits) > _MAX_DIGITS and digits.isascii() and digits.isdigit():
        raise where.fail(f"{what}超出范围（最多{_MAX_DIGITS}位数字）")
    try:
        number = parse_scaled(written, places)
    except ValueError:
        whole, dot, frac = written.partition(".")
        if (
            written.isascii()
            and dot
            and frac.isdigit()
            and whole.lstrip("-").isdigit()
            and len(frac) > places
        ):
            raise where.fail(f"{what}最多{decimals}位小数") from None
        raise where.fail(f"{what}不是有效的数字（只允许ASCII数字0-9和一个小数点）") from None
    if number < 0 and not negative:
        raise where.fail(f"{what}不能为负数")
    return number


def amount(value: Any, where: Where, *, negative: bool = False) -> int:
    """An amount in fen: at most 2 decimals (``"14640.5"`` → 1464050)."""
    return _scaled(value, where, 2, "金额", "两", negative=negative)


def price(value: Any, where: Where, *, negative: bool = False) -> int:
    """A unit price in 1e-6 yuan: at most 6 decimals."""
    return _scaled(value, where, 6, "单价", "六", negative=negative)


def count(value: Any, where: Where, *, negative: bool = False) -> int:
    """A quantity in 1e-4 units: at most 4 decimals; negative only where the caller allows it
    (a refund line)."""
    return _scaled(value, where, 4, "数量", "四", negative=negative)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _moment(value: str) -> dt.datetime | None:
    if not _MOMENT.fullmatch(value):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZONE)
    except ValueError:
        return None


def day(value: Any, where: Where) -> dt.date:
    """``yyyy-MM-dd``, or ``yyyy-MM-dd HH:mm:ss`` (its day): a real calendar day."""
    if isinstance(value, str):
        if _DAY.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        elif (at := _moment(value)) is not None:
            return at.date()
    raise where.fail("不是有效的日期（yyyy-MM-dd）")


def moment(value: Any, where: Where) -> dt.datetime:
    """``yyyy-MM-dd HH:mm:ss`` in Asia/Shanghai, tz-aware."""
    if isinstance(value, str) and (at := _moment(value)) is not None:
        return at
    raise where.fail("不是有效的日期时间（yyyy-MM-dd HH:mm:ss）")


def text(value: Any, where: Where, max_len: int, *, required: bool = True) -> str | None:
    """A string of at most ``max_len`` characters, never U+0000. Absent, ``null`` or ``""``:
    ``None`` when not required, else the error ``不能为空``."""
    if value is None or value == "":
        if required:
            raise where.fail("不能为空")
        return None
    if not isinstance(value, str):
        raise where.fail("必须是字符串")
    if "\x00" in value:
        raise where.fail("不能包含U+0000（NUL）字符")
    if len(value) > max_len:
        raise where.fail(f"长度不能超过{max_len}个字符")
    return value


def one_of(value: Any, where: Where, allowed: Collection[str]) -> str:
    """A required code from ``allowed``."""
    code = text(value, where, 64)
    if code is None or code not in allowed:
        raise where.fail(f"取值{code}无效，应为{'/'.join(sorted(allowed))}")
    return code


def node(value: Any, where: Where) -> Mapping[str, Any]:
    """A required JSON object."""
    if not isinstance(value, Mapping):
        raise where.fail("必须是JSON对象" if value is not None else "不能为空")
    return value


def items(value: Any, where: Where, *, single: bool = False) -> Sequence[Any]:
    """A required JSON array; with ``single``, one object is taken as an array of one (some HIS
    send one object where the spec has an array)."""
    if single and isinstance(value, Mapping):
        return [value]
    if not isinstance(value, list):
        raise where.fail("必须是JSON数组" if value is not None else "不能为空")
    return value


class Fen(int):
    """An amount in fen, written as a JSON number with exactly two decimals."""

    __slots__ = ()


class Scaled:
    """``Scaled(value, places)``: ``value / 10**places`` written with exactly ``places``
    decimals (``Scaled(125000, 6)`` → ``0.125000``)."""

    __slots__ = ("places", "value")

    def __init__(self, value: int, places: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or places < 0:
            raise TypeError("Scaled(value: int, places: int >= 0)")
        self.value = value
        self.places = places

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scaled) and (self.value, self.places) == (
            other.value,
            other.places,
        )

    def __hash__(self) -> int:
        return hash((self.value, self.places))

    def __repr__(self) -> str:
        return f"Scaled({self.value}, {self.places})"


def _decimal_text(value: int, places: int) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def _write(value: Any, out: list[str], *, canonical: bool) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Fen):
        out.append(_decimal_text(int(value), 2))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, Scaled):
        out.append(_decimal_text(value.value, value.places))
    elif canonical and isinstance(value, Decimal):
        out.append(str(value))  # the text it was read from: 12.50 and 12.5 differ, as sent
    elif isinstance(value, Mapping):
        keys = sorted(value) if canonical else list(value)
        out.append("{")
        for i, key in enumerate(keys):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys are strings, not {type(key).__name__}")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(value[key], out, canonical=canonical)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, element in enumerate(value):
            if i:
                out.append(",")
            _write(element, out, canonical=canonical)
        out.append("]")
    else:
        # A float or Decimal in an answer is a bug: money goes out as Fen or Scaled.
        raise TypeError(f"not writable on the national interface: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    """The answer as UTF-8 JSON bytes (keys in the order given, no spaces)."""
    out: list[str] = []
    _write(value, out, canonical=False)
    return "".join(out).encode()


def canonical(value: Any) -> str:
    """A parsed message node as one text: keys sorted, numbers as written (the ``Decimal`` text
    ``loads`` kept). Equal texts, equal inputs: the message-idempotency hash is over this."""
    out: list[str] = []
    _write(value, out, canonical=True)
    return "".join(out)
