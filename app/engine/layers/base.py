"""What every layer shares: the context it reads, the line it writes, cap arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..money import format_fen
from ..spec import Loc, Provenance, Reader

__all__ = [
    "REASONS",
    "SETLINFO_FUND_FIELDS",
    "Context",
    "Layer",
    "LayerLine",
    "LayerMeta",
    "NhsaMapping",
    "Params",
    "base_key",
    "cap_text",
    "paid_key",
    "reason_code_of",
    "remaining_cap",
    "within_cap",
]

# Why a layer paid nothing, as a stable code, and the English text /v1 shows for it (``reason``).
# The text of a code never changes; one text per code, so a stored ``reason`` gives its code back.
REASONS: dict[str, str] = {
    "no_in_policy": "nothing in policy to pay",
    "below_deductible": "in-policy amount does not exceed the deductible",
    "cap_reached": "annual cap reached",
    "ratio_zero": "ratio is 0",
    "nothing_left": "nothing left to pay",
    "below_threshold": "cumulative base below the band threshold",
    "not_eligible": "not eligible: no qualifying category",
    "out_of_county": "not eligible: hospital is outside the person's county",
    "rounds_to_zero": "amount rounds to 0",
    "within_target": "what is left is within the target",
}
_CODES_BY_TEXT = {text: code for code, text in REASONS.items()}

# The national interface's setlinfo fields a layer's payment can be written to (NHSA.md
# "Settlement output"; nhsa-interface-detail.md §2304.1).
SETLINFO_FUND_FIELDS = (
    "hifp_pay",
    "hifmi_pay",
    "hifes_pay",
    "oth_pay",
    "maf_pay",
    "cvlserv_pay",
    "hifob_pay",
    "hifdm_pay",
)


def reason_code_of(reason: str | None) -> str | None:
    """The code of a ``reason`` text the engine wrote (a stored layer row keeps only the text);
    ``None`` for no reason. Raises ``KeyError`` for a text the engine never writes."""
    return None if reason is None else _CODES_BY_TEXT[reason]


def paid_key(layer: str) -> str:
    """Accumulator key: what ``layer`` paid the person this year."""
    return f"{layer}:paid_fen"


def base_key(layer: str) -> str:
    """Accumulator key: the cumulative base a banded layer has seen this year."""
    return f"{layer}:base_fen"


def remaining_cap(cap_fen: int | None, used_fen: int) -> int | None:
    """What is left of an annual cap; ``None`` means no cap."""
    return None if cap_fen is None else max(0, cap_fen - used_fen)


def within_cap(amount_fen: int, remaining_fen: int | None) -> int:
    """``amount`` limited to what is left of an annual cap (``None``: no cap)."""
    return amount_fen if remaining_fen is None else min(amount_fen, remaining_fen)


def cap_text(remaining_fen: int | None) -> str | None:
    return None if remaining_fen is None else format_fen(remaining_fen)


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about one admission that layers read; fixed for the whole settlement."""

    level: str
    in_county: bool
    referral: bool
    categories: frozenset[str]
    in_policy_fen: int
    accumulators: Mapping[str, int]

    def used(self, key: str) -> int:
        return self.accumulators.get(key, 0)

    def profile(self, available: Mapping[str, Any]) -> str:
        """The person's parameter set: the first category profile they hold, else ``general``."""
        for name in available:
            if name != "general" and name in self.categories:
                return name
        return "general"


@dataclass(frozen=True, slots=True)
class LayerLine:
    """One auditable line: what base the layer took, what it paid, what it left, and why.

    ``target_fen``: the in-policy self-pay a layer aims to leave the person at most, when it has
    such a target and it applied (the tilted layer's ``round(in_policy × T)``); the same figure
    as ``params["target"]``, which is display text.
    """

    layer: str
    fund_code: str
    fund_name: str
    base_fen: int
    paid_fen: int
    left_fen: int
    params: tuple[tuple[str, str | None], ...]
    rule: str
    reason: str | None
    deltas: tuple[tuple[str, int], ...] = ()
    target_fen: int | None = None
    reason_code: str | None = None  # the key of ``reason`` in REASONS (None when it paid)


@dataclass(frozen=True, slots=True)
class NhsaMapping:
    """How a layer is written in the national interface's settlement answer (policy data):
    its ``setlinfo`` field, and its ``setldetail[]`` fund code and name."""

    setlinfo_field: str
    fund_pay_type: str
    fund_pay_type_name: str
    source: str
    tag: str


@dataclass(frozen=True, slots=True)
class LayerMeta:
    """The descriptive part of a layer in a policy document."""

    name: str
    fund_code: str
    fund_name: str
    rule: str
    sources: Mapping[str, Provenance] = field(default_factory=dict)
    nhsa: NhsaMapping | None = None

    def line(
        self,
        base_fen: int,
        paid_fen: int,
        params: dict[str, str | None],
        reason_code: str | None,
        extra_deltas: tuple[tuple[str, int], ...] = (),
        target_fen: int | None = None,
    ) -> LayerLine:
        deltas = ((paid_key(self.name), paid_fen), *extra_deltas)
        code = reason_code if paid_fen == 0 else None
        return LayerLine(
            layer=self.name,
            fund_code=self.fund_code,
            fund_name=self.fund_name,
            base_fen=base_fen,
            paid_fen=paid_fen,
            left_fen=base_fen - paid_fen,
            params=tuple(params.items()),
            rule=self.rule,
            reason=None if code is None else REASONS[code],
            deltas=tuple(d for d in deltas if d[1]),
            target_fen=target_fen,
            reason_code=code,
        )


class Params:
    """A layer's ``params`` mapping; records each parameter's provenance as it is read."""

    def __init__(self, raw: Mapping[str, Any], read: Reader, loc: Loc) -> None:
        self.raw = raw
        self.read = read
        self.loc = loc
        self.sources: dict[str, Provenance] = {}

    def __call__(self, key: str) -> Any:
        value, provenance = self.read.param(self.raw, key, self.loc)
        self.sources[key] = provenance
        return value

    def at(self, key: str) -> Loc:
        """Where a parameter's value sits, for error messages."""
        return (*self.loc, key, "value")

    def finish(self) -> None:
        for key in self.raw:
            if key not in self.sources:
                self.read.fail((*self.loc, str(key)), "unknown parameter for this layer")


class Layer(Protocol):
    @property
    def meta(self) -> LayerMeta: ...

    @classmethod
    def build(cls, meta: LayerMeta, params: Params) -> Layer: ...

    def apply(self, ctx: Context, left_fen: int) -> LayerLine: ...
