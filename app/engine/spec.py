"""Reading a policy document (already parsed into plain data) with errors that name the field.

A policy document is YAML on disk, but the engine sees only dicts, lists and strings, so it stays
free of any parser. Every parameter is written as ``{value: ..., source: "...", tag: ...}``;
money and ratios must be quoted strings so that YAML never turns them into floats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .money import BP, parse_scaled

__all__ = ["LEVELS", "PROFILES", "TAGS", "Loc", "PolicyError", "Provenance", "Reader"]

LEVELS = ("primary", "secondary", "tertiary")
CATEGORIES = ("registered_poor", "dibao", "tekun")
PROFILES = ("general", *CATEGORIES)
TAGS = ("published", "assumption")

Loc = tuple[str | int, ...]


class PolicyError(ValueError):
    """A policy document is invalid; ``errors`` lists ``(loc, msg)`` for every problem found."""

    def __init__(self, errors: list[tuple[Loc, str]]) -> None:
        self.errors = errors
        text = "; ".join(f"{'.'.join(map(str, loc)) or '<document>'}: {msg}" for loc, msg in errors)
        super().__init__(f"invalid policy document: {text}")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a parameter value comes from: ``source`` text and ``tag`` (published/assumption)."""

    source: str
    tag: str


class Reader:
    """Collects every error in a document instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[tuple[Loc, str]] = []

    def fail(self, loc: Loc, msg: str) -> None:
        self.errors.append((loc, msg))

    def raise_if_failed(self) -> None:
        if self.errors:
            raise PolicyError(self.errors)

    # -- structure -------------------------------------------------------------------------
    def mapping(
        self, value: Any, loc: Loc, *, keys: Sequence[str] | None = None
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(loc, "must be a mapping")
            return {}
        if keys is not None:
            for key in value:
                if key not in keys:
                    self.fail(
                        (*loc, str(key)), f"unknown field (expected one of {', '.join(keys)})"
                    )
        return value

    def text(self, parent: Mapping[str, Any], key: str, loc: Loc) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail((*loc, key), "required, a non-empty string")
            return ""
        return value

    def param(self, parent: Mapping[str, Any], key: str, loc: Loc) -> tuple[Any, Provenance]:
        """A parameter entry ``{value, source, tag}``; returns its raw value and provenance."""
        here = (*loc, key)
        if key not in parent:
            self.fail(here, "missing parameter")
            return None, Provenance("", "")
        entry = self.mapping(parent[key], here, keys=("value", "source", "tag"))
        if entry and "value" not in entry:
            self.fail((*here, "value"), "missing parameter value")
        source = self.text(entry, "source", here) if entry else ""
        tag = entry.get("tag")
        if entry and tag not in TAGS:
            self.fail((*here, "tag"), f"must be one of {', '.join(TAGS)}")
        return entry.get("value"), Provenance(source, str(tag))

    # -- values ----------------------------------------------------------------------------
    def _scaled(self, value: Any, loc: Loc, places: int, what: str) -> int | None:
        if not isinstance(value, str):
            self.fail(loc, f"{what} must be a quoted decimal string, got {type(value).__name__}")
            return None
        try:
            number = parse_scaled(value, places)
        except ValueError as exc:
            self.fail(loc, str(exc))
            return None
        if number < 0:
            self.fail(loc, f"{what} must not be negative")
            return None
        return number

    def money(self, value: Any, loc: Loc) -> int:
        return self._scaled(value, loc, 2, "an amount") or 0

    def optional_money(self, value: Any, loc: Loc) -> int | None:
        """An amount, or ``null`` for "no limit"."""
        return None if value is None else self.money(value, loc)

    def ratio(self, value: Any, loc: Loc) -> int:
        number = self._scaled(value, loc, 4, "a ratio")
        if number is not None and number > BP:
            self.fail(loc, "a ratio must not exceed 1")
            return 0
        return number or 0

    def by_key(
        self, value: Any, loc: Loc, keys: Sequence[str], *, required: Sequence[str] = ()
    ) -> dict[str, Any]:
        """A mapping restricted to ``keys`` that must contain every key in ``required``."""
        found = self.mapping(value, loc, keys=keys)
        for key in required:
            if key not in found:
                self.fail((*loc, key), "missing")
        return {k: v for k, v in found.items() if k in keys}

    def by_profile(self, value: Any, loc: Loc) -> dict[str, Any]:
        """Values per person profile; ``general`` is required, category profiles are optional."""
        return self.by_key(value, loc, PROFILES, required=("general",))

    def by_level(self, value: Any, loc: Loc, convert: str) -> dict[str, int]:
        found = self.by_key(value, loc, LEVELS, required=LEVELS)
        read = self.money if convert == "money" else self.ratio
        return {level: read(found[level], (*loc, level)) for level in LEVELS if level in found}

    def categories(self, value: Any, loc: Loc) -> frozenset[str]:
        if not isinstance(value, list) or not value:
            self.fail(loc, "must be a non-empty list of categories")
            return frozenset()
        for index, item in enumerate(value):
            if item not in CATEGORIES:
                self.fail(
                    (*loc, index),
                    f"unknown category {item!r} (expected one of {', '.join(CATEGORIES)})",
                )
        return frozenset(value)
