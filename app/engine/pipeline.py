"""The engine as one function: classify the bill, apply the policy's layers in order.

Pure: the same inputs always give the same output, so a settlement can be replayed from stored
rows. Invariants are checked with :func:`ensure` (a violation is a bug, never bad input: the
service attaches the inputs and app.errors answers 500 ``invariant_violation``).

The third of the four files a settlement passes through (``app/settlement/endpoints.py`` →
``service.py`` → here → ``repository.py``): the service resolves a :class:`Claim`, the policy in
force and the person-year's accumulators, and stores the :class:`Settlement` returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .bill import BillLine, Totals, classify
from .layers import Context, LayerLine
from .money import BP, div_half_up, ensure
from .policy import Policy

__all__ = ["Claim", "Settlement", "settle"]

LEVELS = frozenset({"primary", "secondary", "tertiary"})


@dataclass(frozen=True, slots=True)
class Claim:
    """What the engine needs about one admission, resolved by the service."""

    lines: Sequence[BillLine]
    level: str
    in_county: bool
    referral: bool
    categories: frozenset[str]  # categories valid on the discharge date


@dataclass(frozen=True, slots=True)
class Settlement:
    policy_id: str
    policy_hash: str
    totals: Totals
    layers: tuple[LayerLine, ...]
    fund_paid_fen: int
    self_pay_fen: int
    in_policy_self_pay_fen: int
    in_policy_self_pay_ratio_bp: int
    deltas: Mapping[str, int]  # what this settlement adds to the person-year accumulators

    @property
    def tilted_target_fen(self) -> int | None:
        """The tilted layer's target (the most in-policy self-pay it leaves), if it applied: the
        target of the layer line that has one (only the tilted layer sets one)."""
        return next((line.target_fen for line in self.layers if line.target_fen is not None), None)


def settle(claim: Claim, policy: Policy, accumulators: Mapping[str, int]) -> Settlement:
    ensure(claim.level in LEVELS, f"unknown hospital level {claim.level!r}")
    totals = classify(claim.lines)
    ctx = Context(
        level=claim.level,
        in_county=claim.in_county,
        referral=claim.referral,
        categories=claim.categories,
        in_policy_fen=totals.in_policy_fen,
        accumulators=accumulators,
    )
    left = totals.in_policy_fen
    lines: list[LayerLine] = []
    deltas: dict[str, int] = {}
    for layer in policy.layers:
        line = layer.apply(ctx, left)
        ensure(line.base_fen == left, f"{line.layer}: base is not what the previous layer left")
        ensure(0 <= line.paid_fen <= left, f"{line.layer}: paid {line.paid_fen} outside 0..{left}")
        ensure(line.left_fen == left - line.paid_fen, f"{line.layer}: left does not follow")
        for key, amount in line.deltas:
            deltas[key] = deltas.get(key, 0) + amount
        lines.append(line)
        left = line.left_fen
    fund_paid = sum(line.paid_fen for line in lines)
    self_pay = totals.total_fen - totals.hospital_borne_fen - fund_paid
    in_policy_self_pay = totals.in_policy_fen - fund_paid
    ensure(in_policy_self_pay == left, "fen not conserved across layers")
    ensure(
        totals.total_fen
        == totals.hospital_borne_fen
        + totals.full_self_pay_fen
        + totals.over_limit_fen
        + totals.pre_self_pay_fen
        + totals.in_policy_fen,
        "bill classes do not add up to the total",
    )
    ratio = (
        div_half_up(in_policy_self_pay * BP, totals.in_policy_fen) if totals.in_policy_fen else 0
    )
    return Settlement(
        policy_id=policy.id,
        policy_hash=policy.content_hash,
        totals=totals,
        layers=tuple(lines),
        fund_paid_fen=fund_paid,
        self_pay_fen=self_pay,
        in_policy_self_pay_fen=in_policy_self_pay,
        in_policy_self_pay_ratio_bp=ratio,
        deltas=deltas,
    )
