"""A settlement as plain JSON-ready data: amounts as 2-decimal strings, ratios as 4-decimal strings.

The API and the CLI both present a settlement through :func:`settlement_dict`, so the figures a
cashier sees on the screen and the ones an integrator reads from JSON are the same text.
"""

from __future__ import annotations

from typing import Any

from .bill import Totals
from .layers import LayerLine
from .money import format_fen, format_ratio_bp
from .pipeline import Settlement

__all__ = ["layer_dict", "settlement_dict", "totals_dict"]


def totals_dict(totals: Totals) -> dict[str, str]:
    return {
        "total": format_fen(totals.total_fen),
        "hospital_borne": format_fen(totals.hospital_borne_fen),
        "full_self_pay": format_fen(totals.full_self_pay_fen),
        "over_limit": format_fen(totals.over_limit_fen),
        "pre_self_pay": format_fen(totals.pre_self_pay_fen),
        "in_policy": format_fen(totals.in_policy_fen),
    }


def layer_dict(line: LayerLine) -> dict[str, Any]:
    return {
        "layer": line.layer,
        "fund_code": line.fund_code,
        "fund_name": line.fund_name,
        "base": format_fen(line.base_fen),
        "paid": format_fen(line.paid_fen),
        "left": format_fen(line.left_fen),
        "params": dict(line.params),
        "rule": line.rule,
        "reason": line.reason,
    }


def settlement_dict(settlement: Settlement) -> dict[str, Any]:
    return {
        "policy_version": settlement.policy_id,
        "policy_hash": settlement.policy_hash,
        "totals": totals_dict(settlement.totals),
        "layers": [layer_dict(line) for line in settlement.layers],
        "fund_paid": format_fen(settlement.fund_paid_fen),
        "self_pay": format_fen(settlement.self_pay_fen),
        "in_policy_self_pay": format_fen(settlement.in_policy_self_pay_fen),
        "in_policy_self_pay_ratio": format_ratio_bp(settlement.in_policy_self_pay_ratio_bp),
        "accumulator_deltas": {
            key: format_fen(value) for key, value in sorted(settlement.deltas.items())
        },
    }
