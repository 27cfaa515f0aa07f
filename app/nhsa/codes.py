"""The national code values of ``policies/nhsa/codes.yaml``, read once at start (the app imports
``app.nhsa`` when it is built, so a broken file stops it starting)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.policy.loader import POLICY_DIR

__all__ = ["CODES", "CODES_PATH", "Codes", "load_codes"]

CODES_PATH = POLICY_DIR / "nhsa" / "codes.yaml"
CATEGORIES = ("registered_poor", "dibao", "tekun")  # ck_person_categories_category


@dataclass(frozen=True, slots=True)
class Codes:
    insutype: str  # the only scheme onestop settles (城乡居民基本医疗保险)
    med_type: str  # the only medical type (普通住院)
    clr_type: str  # the only clearing type (住院)
    psn_type: str
    psn_insu_stas: str
    psn_idet_type: dict[str, str]  # registry category -> code
    idet_name: dict[str, str]  # registry category -> Chinese name (the idetinfo memo)


def _value(document: Any, *path: str) -> dict[str, Any]:
    node = document
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise ValueError(f"{CODES_PATH.name}: {'.'.join(path)} is missing")
        node = node[key]
    if not isinstance(node, dict) or not isinstance(node.get("value"), str):
        raise ValueError(f"{CODES_PATH.name}: {'.'.join(path)}.value must be a string")
    if node.get("tag") not in ("verified", "assumption") or not node.get("source"):
        raise ValueError(f"{CODES_PATH.name}: {'.'.join(path)} needs a source and a tag")
    return node


def load_codes(path: Path = CODES_PATH) -> Codes:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    idet = {c: _value(document, "psn_idet_type", c) for c in CATEGORIES}
    return Codes(
        insutype=_value(document, "insuinfo", "insutype")["value"],
        med_type=_value(document, "visit", "med_type")["value"],
        clr_type=_value(document, "visit", "clr_type")["value"],
        psn_type=_value(document, "insuinfo", "psn_type")["value"],
        psn_insu_stas=_value(document, "insuinfo", "psn_insu_stas")["value"],
        psn_idet_type={c: node["value"] for c, node in idet.items()},
        idet_name={c: str(node.get("name", c)) for c, node in idet.items()},
    )


CODES = load_codes()
