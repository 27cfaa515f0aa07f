"""Basic resident medical insurance (基本医保统筹), docs/rules.md §4 layer 1.

``deductible = min(D[level], in_policy)``; ``paid = min(round((in_policy − deductible) ×
R[level]), remaining_cap)``. Out of county without referral the ratio drops by a policy amount.
Parameters per profile (``general`` and optionally a category such as ``registered_poor``).
Source: 攀人社发〔2018〕195号 二(二) orders the layers; the numbers are policy data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import apply_ratio, format_bp, format_fen
from .base import (
    Context,
    LayerLine,
    LayerMeta,
    Params,
    cap_text,
    paid_key,
    remaining_cap,
    within_cap,
)


@dataclass(frozen=True, slots=True)
class Basic:
    meta: LayerMeta
    deductible_fen: dict[str, dict[str, int]]
    ratio_bp: dict[str, dict[str, int]]
    out_of_county_reduction_bp: int
    annual_cap_fen: dict[str, int | None]

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> Basic:
        read = params.read
        deductible = read.by_profile(params("deductible"), params.at("deductible"))
        ratio = read.by_profile(params("ratio"), params.at("ratio"))
        caps = read.by_profile(params("annual_cap"), params.at("annual_cap"))
        reduction = read.ratio(
            params("out_of_county_no_referral_reduction"),
            params.at("out_of_county_no_referral_reduction"),
        )
        for name, found in (("ratio", ratio), ("annual_cap", caps)):
            for profile in sorted(set(deductible) - set(found)):
                read.fail((*params.at(name), profile), "missing: every profile needs a value")
        return cls(
            meta=meta,
            deductible_fen={
                p: read.by_level(v, (*params.at("deductible"), p), "money")
                for p, v in deductible.items()
            },
            ratio_bp={
                p: read.by_level(v, (*params.at("ratio"), p), "ratio") for p, v in ratio.items()
            },
            out_of_county_reduction_bp=reduction,
            annual_cap_fen={
                p: read.optional_money(v, (*params.at("annual_cap"), p)) for p, v in caps.items()
            },
        )

    def apply(self, ctx: Context, left_fen: int) -> LayerLine:
        profile = ctx.profile(self.deductible_fen)
        deductible_fen = min(self.deductible_fen[profile][ctx.level], left_fen)
        ratio_bp = self.ratio_bp[profile][ctx.level]
        reduced = not ctx.in_county and not ctx.referral
        if reduced:
            ratio_bp = max(0, ratio_bp - self.out_of_county_reduction_bp)
        cap_fen = self.annual_cap_fen[profile]
        remaining = remaining_cap(cap_fen, ctx.used(paid_key(self.meta.name)))
        computed = apply_ratio(left_fen - deductible_fen, ratio_bp)
        paid = within_cap(computed, remaining)
        why = None
        if left_fen == 0:
            why = "no_in_policy"
        elif left_fen <= deductible_fen:
            why = "below_deductible"
        elif remaining == 0:
            why = "cap_reached"
        elif ratio_bp == 0:
            why = "ratio_zero"
        params: dict[str, str | None] = {
            "profile": profile,
            "level": ctx.level,
            "deductible": format_fen(deductible_fen),
            "ratio": format_bp(ratio_bp),
        }
        if reduced:
            params["out_of_county_no_referral_reduction"] = format_bp(
                self.out_of_county_reduction_bp
            )
        params["cap_remaining_before"] = cap_text(remaining)
        return self.meta.line(left_fen, paid, params, why)
