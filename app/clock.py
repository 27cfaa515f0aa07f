"""The service's "today": the calendar day in Asia/Shanghai, where the hospitals are.

One function, read at the moment of use (``clock.today()``, not ``from app.clock import today``),
so a test can move the day with ``monkeypatch.setattr(app.clock, "today", ...)``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["TIME_ZONE", "ZONE", "local_time", "today"]

TIME_ZONE = "Asia/Shanghai"
ZONE = ZoneInfo(TIME_ZONE)


def today() -> dt.date:
    """The current date in Asia/Shanghai (server clock)."""
    return dt.datetime.now(ZONE).date()


def local_time(moment: dt.datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in Asia/Shanghai: how a page and the national interface write a
    moment (a naive one is taken as already there)."""
    local = moment.astimezone(ZONE) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M:%S")
