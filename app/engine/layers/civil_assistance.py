"""Civil-affairs medical assistance (民政医疗救助), docs/rules.md §4 layer 5.

Each category has a ratio ``A`` and an annual cap; the person gets their best category (the one
that pays the most now; ties go to the earlier category in the policy document): ``paid =
min(round(left × A), remaining_cap)``. The annual amount is one per layer, whatever category
paid it. Source: 攀人社发〔2018〕195号 二(二); ratios and caps are policy data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import apply_ratio, format_bp
from ..spec import CATEGORIES
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
class CivilAssistance:
    meta: LayerMeta
    categories: dict[str, tuple[int, int | None]]  # category -> (ratio_bp, annual_cap_fen)

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> CivilAssistance:
        read = params.read
        loc = params.at("categories")
        raw = read.by_key(params("categories"), loc, CATEGORIES)
        if not raw:
            read.fail(loc, "at least one category is needed")
        categories: dict[str, tuple[int, int | None]] = {}
        for category, entry in raw.items():
            here = (*loc, category)
            values = read.by_key(
                entry, here, ("ratio", "annual_cap"), required=("ratio", "annual_cap")
            )
            categories[category] = (
                read.ratio(values.get("ratio"), (*here, "ratio")),
                read.optional_money(values.get("annual_cap"), (*here, "annual_cap")),
            )
        return cls(meta=meta, categories=categories)

    def apply(self, ctx: Context, left_fen: int) -> LayerLine:
        used = ctx.used(paid_key(self.meta.name))
        best: tuple[int, str, int, int | None] | None = None
        for category, (ratio_bp, cap_fen) in self.categories.items():
            if category not in ctx.categories:
                continue
            remaining = remaining_cap(cap_fen, used)
            computed = apply_ratio(left_fen, ratio_bp)
            paid = within_cap(computed, remaining)
            if best is None or paid > best[0]:
                best = (paid, category, ratio_bp, remaining)
        if best is None:
            return self.meta.line(left_fen, 0, {}, "not_eligible")
        paid, category, ratio_bp, remaining = best
        params: dict[str, str | None] = {
            "category": category,
            "ratio": format_bp(ratio_bp),
            "cap_remaining_before": cap_text(remaining),
        }
        why = (
            "nothing_left"
            if left_fen == 0
            else ("cap_reached" if remaining == 0 else "rounds_to_zero")
        )
        return self.meta.line(left_fen, paid, params, why)
