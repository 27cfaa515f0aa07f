"""PLACEHOLDER (engineer D's tree only): the strict wire parsers with the shared signatures
(/tmp/nhsa-common.md), minimal but working, so ``tx_reconcile`` type-checks and runs before
engineer A's ``app/nhsa/wire.py`` merges. The integrator keeps A's and drops this file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from app.engine.money import parse_scaled
from app.errors import Unprocessable

__all__ = ["Fen", "Scaled", "Where", "amount", "count", "day", "moment", "price", "text"]

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Where:
    node: str
    index: int | None = None
    name: str | None = None

    def field(self, name: str) -> Where:
        return Where(self.node, self.index, name)

    @property
    def loc(self) -> list[str | int]:
        loc: list[str | int] = [self.node]
        if self.index is not None:
            loc.append(self.index)
        if self.name is not None:
            loc.append(self.name)
        return loc


class Fen(int):
    """Written on the wire as a JSON number with exactly two decimals."""


@dataclass(frozen=True, slots=True)
class Scaled:
    value: int
    places: int


def _fail(where: Where, msg: str) -> Unprocessable:
    return Unprocessable(msg, code="validation_error", errors=[{"loc": where.loc, "msg": msg}])


def _scaled(value: Any, where: Where, places: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Decimal | str | int):
        raise _fail(where, "应为数值")
    try:
        return parse_scaled(str(value), places)
    except ValueError:
        raise _fail(where, f"数值格式不正确，最多{places}位小数：{value}") from None


def amount(value: Any, where: Where) -> int:
    return _scaled(value, where, 2)


def price(value: Any, where: Where) -> int:
    return _scaled(value, where, 6)


def count(value: Any, where: Where) -> int:
    return _scaled(value, where, 4)


def day(value: Any, where: Where) -> dt.date:
    if isinstance(value, str) and (_DAY.fullmatch(value) or _MOMENT.fullmatch(value)):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise _fail(where, f"日期格式应为yyyy-MM-dd：{value}")


def moment(value: Any, where: Where) -> dt.datetime:
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value).replace(tzinfo=_SHANGHAI)
        except ValueError:
            pass
    raise _fail(where, f"时间格式应为yyyy-MM-dd HH:mm:ss：{value}")


def text(value: Any, where: Where, max_len: int, *, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise _fail(where, "不能为空")
        return None
    if not isinstance(value, str):
        raise _fail(where, "应为字符串")
    if len(value) > max_len:
        raise _fail(where, f"长度不能超过{max_len}")
    return value
