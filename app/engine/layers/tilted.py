"""Tilted payment (倾斜支付), docs/rules.md §4 layer 4.

For eligible categories (demo: ``registered_poor``) treated in their own county: ``target =
round(in_policy × T)``; ``paid = max(0, left − target)``, so the in-county in-policy self-pay
share stays at or under ``T`` (the notice's 10%). Source: 攀人社发〔2018〕195号 二(二).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import apply_ratio, format_bp, format_fen
from .base import Context, LayerLine, LayerMeta, Params


@dataclass(frozen=True, slots=True)
class Tilted:
    meta: LayerMeta
    eligible: frozenset[str]
    in_county_only: bool
    target_ratio_bp: int

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> Tilted:
        read = params.read
        in_county_only = params("in_county_only")
        if not isinstance(in_county_only, bool):
            read.fail(params.at("in_county_only"), "must be true or false")
        return cls(
            meta=meta,
            eligible=read.categories(params("eligible"), params.at("eligible")),
            in_county_only=in_county_only is True,
            target_ratio_bp=read.ratio(params("target_ratio"), params.at("target_ratio")),
        )

    def apply(self, ctx: Context, left_fen: int) -> LayerLine:
        params: dict[str, str | None] = {"eligible": ",".join(sorted(self.eligible))}
        if not (ctx.categories & self.eligible):
            return self.meta.line(left_fen, 0, params, "not_eligible")
        if self.in_county_only and not ctx.in_county:
            return self.meta.line(left_fen, 0, params, "out_of_county")
        target_fen = apply_ratio(ctx.in_policy_fen, self.target_ratio_bp)
        params["target_ratio"] = format_bp(self.target_ratio_bp)
        params["target"] = format_fen(target_fen)
        paid = max(0, left_fen - target_fen)
        return self.meta.line(left_fen, paid, params, "within_target", target_fen=target_fen)
