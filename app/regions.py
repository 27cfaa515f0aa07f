"""The pooling region's counties, from ``policies/regions/*.yaml`` (read once at start).

A county code is six ASCII digits (``app.types.CountyCode``); this module says which of them are
the region's. The roster import, the proxy-payment runs and the coverage reports refuse a county
that is not listed (``unknown_county``); the console names counties by :func:`county_name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.policy.loader import POLICY_DIR

__all__ = ["COUNTIES", "REGION", "REGIONS_DIR", "Region", "county_name", "is_county", "load_region"]

REGIONS_DIR = POLICY_DIR / "regions"


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    source: str
    counties: dict[str, str]  # county code -> name, in the file's order


def _text(node: Any, key: str, where: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: {key} must be a non-empty string")
    return value


def load_region(path: Path) -> Region:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    region = document.get("region") if isinstance(document, dict) else None
    where = path.name
    if not isinstance(region, dict) or region.get("tag") not in ("verified", "assumption"):
        raise ValueError(f"{where}: region needs a code, a name, a source and a tag")
    counties: dict[str, str] = {}
    for i, county in enumerate(document.get("counties") or []):
        code = _text(county, "code", f"{where}: counties[{i}]")
        if len(code) != 6 or not code.isascii() or not code.isdigit() or code in counties:
            raise ValueError(f"{where}: counties[{i}].code must be six digits, listed once")
        counties[code] = _text(county, "name", f"{where}: counties[{i}]")
    if not counties:
        raise ValueError(f"{where}: counties is empty")
    return Region(
        code=_text(region, "code", where),
        name=_text(region, "name", where),
        source=_text(region, "source", where),
        counties=counties,
    )


REGION = load_region(REGIONS_DIR / "panzhihua.yaml")
COUNTIES: dict[str, str] = REGION.counties


def is_county(code: str) -> bool:
    return code in COUNTIES


def county_name(code: str) -> str:
    """The county's name, or the code itself when it is not the region's."""
    return COUNTIES.get(code, code)
