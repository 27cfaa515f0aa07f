"""Supplementary medical insurance (补充医疗保险), docs/rules.md §4 layer 3.

For eligible categories (demo: ``registered_poor``): ``paid = min(round(left × S),
remaining_cap)``. Source: 攀人社发〔2018〕195号 二(二); ``S`` and the cap are policy data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import apply_ratio, format_bp
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
class Supplementary:
    meta: LayerMeta
    eligible: frozenset[str]
    ratio_bp: int
    annual_cap_fen: int | None

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> Supplementary:
        read = params.read
        return cls(
            meta=meta,
            eligible=read.categories(params("eligible"), params.at("eligible")),
            ratio_bp=read.ratio(params("ratio"), params.at("ratio")),
            annual_cap_fen=read.optional_money(params("annual_cap"), params.at("annual_cap")),
        )

    def apply(self, ctx: Context, left_fen: int) -> LayerLine:
        params: dict[str, str | None] = {"eligible": ",".join(sorted(self.eligible))}
        if not (ctx.categories & self.eligible):
            return self.meta.line(left_fen, 0, params, "not_eligible")
        remaining = remaining_cap(self.annual_cap_fen, ctx.used(paid_key(self.meta.name)))
        computed = apply_ratio(left_fen, self.ratio_bp)
        paid = within_cap(computed, remaining)
        params["ratio"] = format_bp(self.ratio_bp)
        params["cap_remaining_before"] = cap_text(remaining)
        why = (
            "nothing_left"
            if left_fen == 0
            else ("cap_reached" if remaining == 0 else "rounds_to_zero")
        )
        return self.meta.line(left_fen, paid, params, why)
