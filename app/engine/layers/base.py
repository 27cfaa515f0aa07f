"""What every layer shares: the context it reads, the line it writes, cap arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..money import format_fen
from ..spec import Loc, Provenance, Reader

__all__ = [
    "Context",
    "Layer",
    "LayerLine",
    "LayerMeta",
    "Params",
    "base_key",
    "cap_text",
    "paid_key",
    "remaining_cap",
    "within_cap",
]


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


@dataclass(frozen=True, slots=True)
class LayerMeta:
    """The descriptive part of a layer in a policy document."""

    name: str
    fund_code: str
    fund_name: str
    rule: str
    sources: Mapping[str, Provenance] = field(default_factory=dict)

    def line(
        self,
        base_fen: int,
        paid_fen: int,
        params: dict[str, str | None],
        reason: str | None,
        extra_deltas: tuple[tuple[str, int], ...] = (),
        target_fen: int | None = None,
    ) -> LayerLine:
        deltas = ((paid_key(self.name), paid_fen), *extra_deltas)
        return LayerLine(
            layer=self.name,
            fund_code=self.fund_code,
            fund_name=self.fund_name,
            base_fen=base_fen,
            paid_fen=paid_fen,
            left_fen=base_fen - paid_fen,
            params=tuple(params.items()),
            rule=self.rule,
            reason=reason if paid_fen == 0 else None,
            deltas=tuple(d for d in deltas if d[1]),
            target_fen=target_fen,
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
