"""What a reconciliation request covers: which hospital the caller may see, and which instants a
range of days is.

``date_from``..``date_to`` are calendar days in Asia/Shanghai, so the range is
``[date_from 00:00+08:00, date_to + 1 00:00+08:00)``. The bounds are computed here with
``zoneinfo``, so the ``settled_at``/``reversed_at`` indexes do the range.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Caller
from app.errors import Forbidden, Unprocessable
from app.registry.models import Hospital

from .schemas import TIME_ZONE

__all__ = ["FIRST_DAY", "LAST_DAY", "SHANGHAI", "Scope", "check_dates", "resolve_scope"]

SHANGHAI = ZoneInfo(TIME_ZONE)

# The days whose Asia/Shanghai midnight and the next one both exist for Python and PostgreSQL.
FIRST_DAY, LAST_DAY = dt.date(1, 1, 2), dt.date(9999, 12, 30)


@dataclass(frozen=True, slots=True)
class Scope:
    """One hospital (``None``: every hospital) and a range of Asia/Shanghai days."""

    hospital_code: str | None
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        """The first instant of ``date_from``."""
        return _midnight(self.date_from)

    @property
    def end(self) -> dt.datetime:
        """The first instant after ``date_to`` (excluded)."""
        return _midnight(self.date_to + dt.timedelta(days=1))

    def fingerprint(self) -> str:
        """A short digest of the filters, carried in a cursor so it is refused with others."""
        filters = f"{self.hospital_code or '*'}|{self.date_from}|{self.date_to}"
        return hashlib.sha256(filters.encode()).hexdigest()[:16]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), SHANGHAI)


def check_dates(date_from: dt.date, date_to: dt.date, loc: str) -> None:
    """422 unless both days are in ``FIRST_DAY..LAST_DAY`` and in order (``loc``: query or body)."""
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise Unprocessable(
                f"{name} is out of range.",
                code="validation_error",
                errors=[
                    {
                        "loc": [loc, name],
                        "msg": f"must be {FIRST_DAY} to {LAST_DAY}",
                        "key": "date_between",
                        "params": {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                    }
                ],
            )
    if date_to < date_from:
        raise Unprocessable(
            "date_to is before date_from.",
            code="dates_out_of_order",
            errors=[
                {
                    "loc": [loc, "date_to"],
                    "msg": "must not be before date_from",
                    "key": "not_before_date_from",
                }
            ],
        )


async def resolve_scope(
    session: AsyncSession,
    caller: Caller,
    hospital_code: str | None,
    date_from: dt.date,
    date_to: dt.date,
    loc: str,
) -> Scope:
    """A hospital key sees its own hospital (the default); agency and admin see any or all."""
    check_dates(date_from, date_to, loc)
    if caller.role == "hospital":
        if hospital_code is None:
            hospital_code = caller.hospital_code
        elif hospital_code != caller.hospital_code:
            raise Forbidden(
                "This key belongs to another hospital.",
                errors=[
                    {
                        "loc": [loc, "hospital_code"],
                        "msg": "not the key's hospital",
                        "key": "not_keys_hospital",
                    }
                ],
            )
    elif hospital_code is not None and await session.get(Hospital, hospital_code) is None:
        raise Unprocessable(
            f"No hospital {hospital_code}.",
            code="unknown_hospital",
            errors=[
                {
                    "loc": [loc, "hospital_code"],
                    "msg": "unknown hospital code",
                    "key": "unknown_hospital_code",
                }
            ],
            params={"hospital_code": hospital_code},
        )
    return Scope(hospital_code, date_from, date_to)
