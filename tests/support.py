"""Plain helpers shared by the tests of every folder (``tests/`` is on ``sys.path``).

Nothing here is random unless seeded: names and numbers "nobody else in this test session
has" come from one counter per session, and what should merely look varied (birth dates) from
a ``random.Random`` seeded with :data:`SEED`. The same selection of tests run in the same order
gets the same values every time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.types import id_check_digit

__all__ = ["SEED", "fresh_uuid", "id_number", "unique", "until_waiting_on_a_lock"]

SEED = 20180612  # any fixed number: the demo bill's discharge date

_counter = itertools.count(1)
_rng = random.Random(SEED)
_issued_ids: set[str] = set()


def unique(prefix: str, digits: int = 8) -> str:
    """``prefix`` and the session's next number: ``unique("ZY")`` → ``"ZY00000001"``."""
    return f"{prefix}{next(_counter):0{digits}d}"


def fresh_uuid() -> uuid.UUID:
    """A version-4 UUID nobody has issued (from the seeded generator, not the system's)."""
    return uuid.UUID(int=_rng.getrandbits(128), version=4)


def id_number(county: str = "510402") -> str:
    """A valid 18-digit resident ID (GB 11643) of ``county`` that no other call returned: a
    birth date between 1940 and 1999 and a sequence number, both drawn from the seeded
    generator, and the check digit."""
    while True:
        born = dt.date(1940, 1, 1) + dt.timedelta(days=_rng.randrange(60 * 365))
        first17 = f"{county}{born:%Y%m%d}{_rng.randrange(1000):03d}"
        number = first17 + id_check_digit(first17)
        if number not in _issued_ids:
            _issued_ids.add(number)
            return number


_WAITING = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


async def until_waiting_on_a_lock(engine: AsyncEngine, timeout_s: float = 10) -> None:
    """Return once some transaction of ``engine``'s database waits for an advisory lock (a
    settlement queued behind the bill or person-year lock another one holds); fail after
    ``timeout_s``."""
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                async with engine.connect() as conn:
                    if await conn.scalar(_WAITING):
                        return
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError("no transaction ever waited for an advisory lock") from None
