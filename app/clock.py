"""The service's "today": the calendar day in Asia/Shanghai, where the hospitals are.

One function, read at the moment of use (``clock.today()``, not ``from app.clock import today``),
so a test can move the day with ``monkeypatch.setattr(app.clock, "today", ...)``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ["TIME_ZONE", "today"]

TIME_ZONE = "Asia/Shanghai"
_ZONE = ZoneInfo(TIME_ZONE)


def today() -> dt.date:
    """The current date in Asia/Shanghai (server clock)."""
    return dt.datetime.now(_ZONE).date()
