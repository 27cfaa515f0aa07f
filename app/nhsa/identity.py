"""What an 18-digit resident ID number (GB 11643-1999) says: sex, birth date, age; and the
``baseinfo`` node the national interface answers about a person (1101, 2303/2304's ``setlinfo``
reuses the same fields)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.types import mask_id_number

__all__ = ["age_on", "baseinfo", "birth_date", "gender"]

ID_CERT_TYPE = "01"
"""``psn_cert_type`` 居民身份证（户口簿） (nhsa-interface-detail.md, code tables)."""


def gender(id_number: str) -> str:
    """``gend``: ``"1"`` 男 when the 17th digit is odd, ``"2"`` 女 when even (GB 11643 §5.3)."""
    return "1" if int(id_number[16]) % 2 else "2"


def birth_date(id_number: str) -> dt.date:
    """Digits 7–14, ``yyyyMMdd``; ``ValueError`` when they are no calendar day."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def age_on(id_number: str, on: dt.date) -> int:
    """Whole years completed on ``on`` (a person born on 29 February is a year older on
    1 March of a common year)."""
    born = birth_date(id_number)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def baseinfo(id_number: str, name: str, psn_no: str, on: dt.date) -> dict[str, Any]:
    """The 1101 ``baseinfo`` node; ``certno`` masked. ``naty`` (民族) is ``""``: the registry
    does not hold it (docs/nhsa.md)."""
    return {
        "psn_no": psn_no,
        "psn_cert_type": ID_CERT_TYPE,
        "certno": mask_id_number(id_number),
        "psn_name": name,
        "gend": gender(id_number),
        "brdy": birth_date(id_number).isoformat(),
        "age": age_on(id_number, on),
        "naty": "",
    }
