"""docs/rules.md §6 invariants, checked on every settlement the engine tests produce.

Caps are read from the policy objects, never written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from app.engine import Claim, Policy, Settlement, paid_key
from app.engine.layers.basic import Basic
from app.engine.layers.civil_assistance import CivilAssistance
from app.engine.layers.critical_illness import CriticalIllness
from app.engine.layers.supplementary import Supplementary
from app.engine.layers.tilted import Tilted

UNBOUNDED = None


def round_half_up(value: Decimal) -> int:
    """Independent of the engine's integer arithmetic: Decimal's ROUND_HALF_UP to a whole unit."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _profile(available: Mapping[str, object], categories: frozenset[str]) -> str:
    """The documented profile rule: the first category profile the person holds, else general."""
    return next((p for p in available if p != "general" and p in categories), "general")


def annual_caps(policy: Policy, categories: frozenset[str]) -> dict[str, int | None]:
    """``paid_key(layer)`` → the annual cap that binds this person (``None``: no cap)."""
    caps: dict[str, int | None] = {}
    for layer in policy.layers:
        key = paid_key(layer.meta.name)
        if isinstance(layer, Basic | CriticalIllness):
            caps[key] = layer.annual_cap_fen[_profile(layer.annual_cap_fen, categories)]
        elif isinstance(layer, Supplementary):
            caps[key] = layer.annual_cap_fen if categories & layer.eligible else 0
        elif isinstance(layer, CivilAssistance):
            held = [cap for cat, (_, cap) in layer.categories.items() if cat in categories]
            caps[key] = 0 if not held else (None if None in held else max(held))
    return caps


def tilted_target_fen(policy: Policy, claim: Claim, in_policy_fen: int) -> int | None:
    """The in-policy self-pay ceiling the tilted layer guarantees, when it applies."""
    for layer in policy.layers:
        if (
            isinstance(layer, Tilted)
            and claim.categories & layer.eligible
            and (claim.in_county or not layer.in_county_only)
        ):
            return round_half_up(Decimal(in_policy_fen) * layer.target_ratio_bp / 10_000)
    return None


def check(claim: Claim, policy: Policy, before: Mapping[str, int], s: Settlement) -> None:
    t = s.totals
    # §3 identity, and the classes are non-negative
    assert t.total_fen == (
        t.hospital_borne_fen
        + t.full_self_pay_fen
        + t.over_limit_fen
        + t.pre_self_pay_fen
        + t.in_policy_fen
    )
    assert min(t.hospital_borne_fen, t.full_self_pay_fen, t.over_limit_fen) >= 0
    assert min(t.pre_self_pay_fen, t.in_policy_fen) >= 0
    assert t.total_fen == sum(line.amount_fen for line in claim.lines)
    # every layer appears, in policy order; base of each layer is what the previous one left
    assert [line.layer for line in s.layers] == [layer.meta.name for layer in policy.layers]
    left = t.in_policy_fen
    for line in s.layers:
        assert line.base_fen == left
        assert 0 <= line.paid_fen <= line.base_fen
        assert line.left_fen == line.base_fen - line.paid_fen
        assert (line.reason is None) or line.paid_fen == 0
        left = line.left_fen
    # §6 result
    assert s.fund_paid_fen == sum(line.paid_fen for line in s.layers)
    assert t.total_fen == s.fund_paid_fen + t.hospital_borne_fen + s.self_pay_fen
    assert s.in_policy_self_pay_fen == t.in_policy_fen - s.fund_paid_fen == left
    assert 0 <= s.in_policy_self_pay_ratio_bp <= 10_000
    if t.in_policy_fen == 0:
        assert s.in_policy_self_pay_ratio_bp == 0
    # deltas: what each layer paid (non-zero only), and the cumulative base
    for line in s.layers:
        assert s.deltas.get(paid_key(line.layer), 0) == line.paid_fen
    assert all(amount > 0 for amount in s.deltas.values())
    # no annual cap is exceeded (an accumulator already over its cap gets nothing more)
    for key, cap in annual_caps(policy, claim.categories).items():
        if cap is UNBOUNDED:
            continue
        used = before.get(key, 0)
        delta = s.deltas.get(key, 0)
        assert used + delta <= max(cap, used), (key, used, delta, cap)
    # registered_poor in county: in-policy self-pay at or under the target (10%)
    target = tilted_target_fen(policy, claim, t.in_policy_fen)
    # the settlement exposes that target as the integer it applied (stored for the poverty
    # ledger), None when the tilted layer did not apply
    assert s.tilted_target_fen == target
    if target is not None:
        assert s.in_policy_self_pay_fen <= target
