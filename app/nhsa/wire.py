"""Strict parsers of national-interface input values (placeholder with the shared signatures;
the integrator keeps engineer A's module).

Every parser raises ``Unprocessable(code="validation_error")`` naming the field by its wire path.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.errors import Unprocessable
from app.types import ExponentNumber

__all__ = ["Fen", "Scaled", "Where", "amount", "count", "day", "moment", "price", "text"]

_ZONE = ZoneInfo("Asia/Shanghai")
_NUMBER = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MOMENT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")


class Where:
    """A node path for messages: ``Where("feedetail", 3).field("med_list_codg")``."""

    __slots__ = ("parts",)

    def __init__(self, *parts: str | int) -> None:
        self.parts: tuple[str | int, ...] = parts

    def field(self, name: str | int) -> Where:
        return Where(*self.parts, name)

    @property
    def loc(self) -> list[str | int]:
        return list(self.parts)


def _fail(where: Where, msg: str) -> Unprocessable:
    return Unprocessable(
        "Invalid input.", code="validation_error", errors=[{"loc": where.loc, "msg": msg}]
    )


def _scaled(value: Any, where: Where, places: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise _fail(where, f"{what}须为数值")
    if isinstance(value, ExponentNumber):
        raise _fail(where, f"{what}不能使用指数写法")
    written = str(value)
    match = _NUMBER.fullmatch(written)
    if match is None:
        raise _fail(where, f"{what}格式错误：{written}")
    sign, whole = match.group(1), match.group(2)
    fraction: str = match.group(3) or ""
    if len(fraction) > places:
        raise _fail(where, f"{what}最多{places}位小数：{written}")
    magnitude: int = int(whole) * 10**places + int(fraction.ljust(places, "0") or "0")
    return -magnitude if sign else magnitude


def amount(value: Any, where: Where) -> int:
    """Fen, from a JSON number (Decimal/int) or a string with at most 2 decimals."""
    return _scaled(value, where, 2, "金额")


def price(value: Any, where: Where) -> int:
    """1e-6 yuan, at most 6 decimals."""
    return _scaled(value, where, 6, "单价")


def count(value: Any, where: Where) -> int:
    """1e-4 units, at most 4 decimals (negative allowed; the caller decides)."""
    return _scaled(value, where, 4, "数量")


def day(value: Any, where: Where) -> dt.date:
    m = (_MOMENT.fullmatch(value) or _DAY.fullmatch(value)) if isinstance(value, str) else None
    if m is not None:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise _fail(where, f"日期格式须为yyyy-MM-dd：{value}")


def moment(value: Any, where: Where) -> dt.datetime:
    if isinstance(value, str) and (m := _MOMENT.fullmatch(value)) is not None:
        try:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups())
            return dt.datetime(y, mo, d, h, mi, sec, tzinfo=_ZONE)
        except ValueError:
            pass
    raise _fail(where, f"时间格式须为yyyy-MM-dd HH:mm:ss：{value}")


def text(value: Any, where: Where, max_len: int, *, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise _fail(where, "不能为空")
        return None
    if not isinstance(value, str):
        raise _fail(where, "须为字符串")
    if len(value) > max_len or "\x00" in value:
        raise _fail(where, f"长度不能超过{max_len}")
    return value


class Fen(int):
    """Written on the wire as a JSON number with exactly two decimals (``14640.00``)."""


class Scaled:
    """``Scaled(value, places)``: an integer in 1/10^places, written with that many decimals."""

    __slots__ = ("places", "value")

    def __init__(self, value: int, places: int) -> None:
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
