"""A policy version: dated, ordered layers with parameters, built from a plain document.

Lookup follows OpenFisca's rule: the version in force on a date is the one with the latest
``effective_from`` on or before it. The order and the set of layers are data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import parse_date
from .layers import KINDS, SETLINFO_FUND_FIELDS, Layer, LayerMeta, NhsaMapping, Params
from .spec import TAGS, PolicyError, Reader

__all__ = ["Policy", "PolicyError", "build_policy", "in_force"]

_TOP_KEYS = ("id", "region_code", "title", "effective_from", "source", "order", "layers")
_LAYER_KEYS = ("fund_code", "fund_name", "rule", "params", "nhsa")
_NHSA_KEYS = ("setlinfo_field", "fund_pay_type", "fund_pay_type_name", "source", "tag")


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    region_code: str
    title: str
    effective_from: dt.date
    source: str
    layers: tuple[Layer, ...]
    content_hash: str = ""


def _date(value: Any, read: Reader) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            pass
    read.fail(("effective_from",), "must be a date YYYY-MM-DD")
    return dt.date.min


def build_policy(doc: Any, content_hash: str = "") -> Policy:
    """Validate a parsed policy document and build a :class:`Policy`.

    Raises :class:`PolicyError` listing every problem with the field it is in.
    """
    read = Reader()
    top = read.mapping(doc, (), keys=_TOP_KEYS)
    for key in _TOP_KEYS:
        if key not in top:
            read.fail((key,), "missing")
    texts = {key: read.text(top, key, ()) for key in ("id", "region_code", "title", "source")}
    effective_from = _date(top.get("effective_from"), read)
    order = top.get("order")
    raw_layers = read.mapping(top.get("layers", {}), ("layers",))
    if not isinstance(order, list) or not order:
        read.fail(("order",), "must be a non-empty list of layer names")
        order = []
    layers: list[Layer] = []
    for index, name in enumerate(order):
        if name not in KINDS:
            read.fail(("order", index), f"unknown layer {name!r} (known: {', '.join(KINDS)})")
        elif order.index(name) != index:
            read.fail(("order", index), f"layer {name!r} listed twice")
        elif name not in raw_layers:
            read.fail(("layers", name), "missing: listed in order")
        else:
            layers.append(_build_layer(name, raw_layers[name], read))
    for name in raw_layers:
        if name not in order:
            read.fail(("layers", str(name)), "unknown layer: not listed in order")
    _check_nhsa_fields(layers, read)
    read.raise_if_failed()
    return Policy(
        id=texts["id"],
        region_code=texts["region_code"],
        title=texts["title"],
        effective_from=effective_from,
        source=texts["source"],
        layers=tuple(layers),
        content_hash=content_hash,
    )


def _build_layer(name: str, raw: Any, read: Reader) -> Layer:
    loc = ("layers", name)
    entry = read.mapping(raw, loc, keys=_LAYER_KEYS)
    params = Params(read.mapping(entry.get("params"), (*loc, "params")), read, (*loc, "params"))
    meta = LayerMeta(
        name=name,
        fund_code=read.text(entry, "fund_code", loc),
        fund_name=read.text(entry, "fund_name", loc),
        rule=read.text(entry, "rule", loc),
        sources=params.sources,
        nhsa=_nhsa(entry["nhsa"], (*loc, "nhsa"), read) if "nhsa" in entry else None,
    )
    layer = KINDS[name].build(meta, params)
    params.finish()
    return layer


def _nhsa(raw: Any, loc: tuple[str, ...], read: Reader) -> NhsaMapping:
    """A layer's optional ``nhsa`` block: where the national interface's answer writes it."""
    entry = read.mapping(raw, loc, keys=_NHSA_KEYS)
    field = entry.get("setlinfo_field")
    if entry and field not in SETLINFO_FUND_FIELDS:
        read.fail(
            (*loc, "setlinfo_field"),
            f"unknown setlinfo field {field!r} (known: {', '.join(SETLINFO_FUND_FIELDS)})",
        )
    code = entry.get("fund_pay_type")
    if entry and not (
        isinstance(code, str) and code.isascii() and code.isdigit() and 6 <= len(code) <= 8
    ):
        read.fail((*loc, "fund_pay_type"), "must be a quoted code of 6 to 8 ASCII digits")
    tag = entry.get("tag")
    if entry and tag not in TAGS:
        read.fail((*loc, "tag"), f"must be one of {', '.join(TAGS)}")
    return NhsaMapping(
        setlinfo_field=str(field),
        fund_pay_type=str(code),
        fund_pay_type_name=read.text(entry, "fund_pay_type_name", loc) if entry else "",
        source=read.text(entry, "source", loc) if entry else "",
        tag=str(tag),
    )


def _check_nhsa_fields(layers: Sequence[Layer], read: Reader) -> None:
    """Each setlinfo field takes one layer's payment: a field named by two layers is an error."""
    first: dict[str, str] = {}
    for layer in layers:
        nhsa = layer.meta.nhsa
        if nhsa is None or nhsa.setlinfo_field not in SETLINFO_FUND_FIELDS:
            continue
        other = first.setdefault(nhsa.setlinfo_field, layer.meta.name)
        if other != layer.meta.name:
            read.fail(
                ("layers", layer.meta.name, "nhsa", "setlinfo_field"),
                f"setlinfo field {nhsa.setlinfo_field!r} is already layer {other!r}'s",
            )


def in_force(
    policies: Iterable[Policy], on: dt.date, region_code: str | None = None
) -> Policy | None:
    """The version with the latest ``effective_from`` on or before ``on`` (``None`` if none)."""
    best: Policy | None = None
    for policy in policies:
        if region_code is not None and policy.region_code != region_code:
            continue
        if policy.effective_from <= on and (
            best is None or policy.effective_from > best.effective_from
        ):
            best = policy
    return best


def layer_names(policy: Policy) -> Sequence[str]:
    return [layer.meta.name for layer in policy.layers]


def sources(policy: Policy) -> Mapping[str, Mapping[str, Any]]:
    """Every parameter's provenance, by layer: for documentation and audit."""
    return {layer.meta.name: dict(layer.meta.sources) for layer in policy.layers}
