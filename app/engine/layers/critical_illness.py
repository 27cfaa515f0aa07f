"""Critical-illness insurance (大病保险), docs/rules.md §4 layer 2.

The base ``b`` (what basic insurance left) is added to the year's cumulative base ``c``;
``paid = min(round(F(c + b) − F(c)), remaining_cap)`` where ``F(x) = Σ ratio × max(0, min(x,
upper) − lower)`` over the banded schedule, computed exactly and rounded once.
Source: 攀人社发〔2018〕195号 二(二) orders the layers; bands and caps are policy data.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..money import BP, div_half_up, format_bp, format_fen
from .base import (
    Context,
    LayerLine,
    LayerMeta,
    Params,
    base_key,
    cap_text,
    paid_key,
    remaining_cap,
    within_cap,
)


@dataclass(frozen=True, slots=True)
class Band:
    lower_fen: int
    upper_fen: int | None  # None: no upper bound
    ratio_bp: int

    def describe(self) -> str:
        upper = "" if self.upper_fen is None else format_fen(self.upper_fen)
        return f"{format_bp(self.ratio_bp)} over {format_fen(self.lower_fen)}-{upper}"


def schedule_value(bands: tuple[Band, ...], x_fen: int) -> int:
    """``F(x)`` exactly, in fen × 1/10000."""
    total = 0
    for band in bands:
        top = x_fen if band.upper_fen is None else min(x_fen, band.upper_fen)
        if top > band.lower_fen:
            total += band.ratio_bp * (top - band.lower_fen)
    return total


@dataclass(frozen=True, slots=True)
class CriticalIllness:
    meta: LayerMeta
    bands: dict[str, tuple[Band, ...]]
    annual_cap_fen: dict[str, int | None]
    bands_text: dict[str, str]

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> CriticalIllness:
        read = params.read
        raw_bands = read.by_profile(params("bands"), params.at("bands"))
        caps = read.by_profile(params("annual_cap"), params.at("annual_cap"))
        bands: dict[str, tuple[Band, ...]] = {}
        for profile, schedule in raw_bands.items():
            loc = (*params.at("bands"), profile)
            if not isinstance(schedule, list) or not schedule:
                read.fail(loc, "must be a non-empty list of bands")
                continue
            parsed: list[Band] = []
            for index, raw in enumerate(schedule):
                here = (*loc, index)
                band = read.by_key(
                    raw, here, ("from", "to", "ratio"), required=("from", "to", "ratio")
                )
                lower = read.money(band.get("from"), (*here, "from"))
                upper = read.optional_money(band.get("to"), (*here, "to"))
                if upper is not None and upper <= lower:
                    read.fail((*here, "to"), "must be above 'from'")
                if parsed and (parsed[-1].upper_fen is None or lower < parsed[-1].upper_fen):
                    read.fail(
                        (*here, "from"),
                        "bands out of order: must start at or above the previous band's 'to'",
                    )
                parsed.append(Band(lower, upper, read.ratio(band.get("ratio"), (*here, "ratio"))))
            bands[profile] = tuple(parsed)
        for profile in sorted(set(raw_bands) - set(caps)):
            read.fail((*params.at("annual_cap"), profile), "missing: every profile needs a value")
        return cls(
            meta=meta,
            bands=bands,
            annual_cap_fen={
                p: read.optional_money(v, (*params.at("annual_cap"), p)) for p, v in caps.items()
            },
            bands_text={p: "; ".join(band.describe() for band in b) for p, b in bands.items()},
        )

    def apply(self, ctx: Context, left_fen: int) -> LayerLine:
        name = self.meta.name
        profile = ctx.profile(self.bands)
        bands = self.bands[profile]
        before_fen = ctx.used(base_key(name))
        after_fen = before_fen + left_fen
        computed = div_half_up(
            schedule_value(bands, after_fen) - schedule_value(bands, before_fen), BP
        )
        remaining = remaining_cap(self.annual_cap_fen[profile], ctx.used(paid_key(name)))
        paid = within_cap(computed, remaining)
        why = None
        if left_fen == 0:
            why = "nothing_left"
        elif computed == 0:
            why = "below_threshold"
        elif remaining == 0:
            why = "cap_reached"
        params: dict[str, str | None] = {
            "profile": profile,
            "cumulative_base_before": format_fen(before_fen),
            "cumulative_base_after": format_fen(after_fen),
            "bands": self.bands_text[profile],
            "cap_remaining_before": cap_text(remaining),
        }
        return self.meta.line(left_fen, paid, params, why, ((base_key(name), left_fen),))
