"""The layers a policy can list, by name. Each module opens with the rule it implements."""

from __future__ import annotations

from .base import (
    REASONS,
    SETLINFO_FUND_FIELDS,
    Context,
    Layer,
    LayerLine,
    LayerMeta,
    NhsaMapping,
    Params,
    base_key,
    paid_key,
    reason_code_of,
)
from .basic import Basic
from .civil_assistance import CivilAssistance
from .critical_illness import CriticalIllness
from .supplementary import Supplementary
from .tilted import Tilted

KINDS: dict[str, type[Layer]] = {
    "basic": Basic,
    "critical_illness": CriticalIllness,
    "supplementary": Supplementary,
    "tilted": Tilted,
    "civil_assistance": CivilAssistance,
}

__all__ = [
    "KINDS",
    "REASONS",
    "SETLINFO_FUND_FIELDS",
    "Context",
    "Layer",
    "LayerLine",
    "LayerMeta",
    "NhsaMapping",
    "Params",
    "base_key",
    "paid_key",
    "reason_code_of",
]
