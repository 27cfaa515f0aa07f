"""``Accept-Language`` (RFC 9110 §12.5.4): does the client prefer Chinese?

The service speaks two languages: English (the default, and today's text) and Chinese. A header
prefers Chinese when its best ``zh`` range (``zh``, ``zh-CN``, ``zh-Hans-CN``, ...) has a higher
weight than its best ``en`` range, or the same weight and comes first. ``*`` weighs both alike
and so leaves English; a range with a malformed weight is ignored; ``q=0`` refuses. A dozen
lines, tested in ``tests/i18n/test_language.py``: no library parses weights and nothing more.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["prefers_zh"]

_RANGE = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
_QVALUE = re.compile(r"^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")


@lru_cache(maxsize=512)
def prefers_zh(header: str | None) -> bool:
    """Whether an ``Accept-Language`` value prefers Chinese over English (cached: a client sends
    the same few values again and again)."""
    if not header:
        return False
    best: dict[str, tuple[float, int]] = {}  # language -> (weight, -position)
    star: tuple[float, int] | None = None
    for position, part in enumerate(header.split(",")):
        tag, *options = (piece.strip() for piece in part.split(";"))
        if not _RANGE.match(tag):
            continue
        weight = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                if not _QVALUE.match(value.strip()):
                    break
                weight = float(value)
        else:
            rank = (weight, -position)
            if tag == "*":
                star = star or rank
                continue
            language = tag.split("-", 1)[0].lower()
            if language in ("zh", "en") and (language not in best or rank > best[language]):
                best[language] = rank
    zh = best.get("zh", star)
    en = best.get("en", star)
    return zh is not None and zh[0] > 0 and (en is None or zh > en)
