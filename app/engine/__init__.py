"""The settlement engine: pure, standard library only (no I/O, clock, randomness or settings)."""

from .bill import BillLine, LineSplit, Totals, classify, classify_line, expected_amount_fen
from .dates import parse_date
from .layers import LayerLine, base_key, paid_key
from .money import InvariantViolation, format_bp, format_fen, format_ratio_bp, parse_scaled
from .pipeline import Claim, Settlement, settle
from .policy import Policy, PolicyError, build_policy, in_force

__all__ = [
    "BillLine",
    "Claim",
    "InvariantViolation",
    "LayerLine",
    "LineSplit",
    "Policy",
    "PolicyError",
    "Settlement",
    "Totals",
    "base_key",
    "build_policy",
    "classify",
    "classify_line",
    "expected_amount_fen",
    "format_bp",
    "format_fen",
    "format_ratio_bp",
    "in_force",
    "paid_key",
    "parse_date",
    "parse_scaled",
    "settle",
]
