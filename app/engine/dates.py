"""Calendar dates as the contract writes them: ``YYYY-MM-DD`` in ASCII digits, nothing else.

``datetime.date.fromisoformat`` alone also reads ``20180601`` and ``2018-W22-5``; pydantic's lax
date also takes a number (Unix time: ``0`` is 1970-01-01) and a datetime at midnight. Every date
the service reads (request bodies, query parameters, policy documents, bill files) goes through
:func:`parse_date` instead.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_date"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> dt.date:
    """``"2018-06-01"`` → ``date(2018, 6, 1)``; ``ValueError`` for any other text, or a day the
    calendar does not have (``2018-02-30``)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("no such day in the calendar") from None
