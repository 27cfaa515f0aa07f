"""Load policy documents from YAML, validate them with the engine, and hash their content.

The content hash is SHA-256 over the canonical JSON of the parsed document (sorted keys, no
whitespace), so comments and formatting do not change it but any value does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.engine import Policy, PolicyError, build_policy

__all__ = [
    "POLICY_DIR",
    "PolicyDocument",
    "canonical_json",
    "load_directory",
    "load_document",
    "parse_document",
]

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    policy: Policy
    document: dict[str, Any]  # the parsed document, JSON-compatible (dates as ISO strings)
    content_hash: str


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(document: Any) -> str:
    return json.dumps(
        _jsonable(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def parse_document(document: Any) -> PolicyDocument:
    """Validate a parsed document (a dict); raises :class:`PolicyError` naming each bad field."""
    data = _jsonable(document)
    content_hash = hashlib.sha256(canonical_json(data).encode()).hexdigest()
    return PolicyDocument(build_policy(data, content_hash), data, content_hash)


def load_document(path: Path) -> PolicyDocument:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError([((), f"{path.name}: not valid YAML: {exc}")]) from exc
    return parse_document(raw)


NOT_POLICIES = ("nhsa", "regions", "enrolment")
"""Folders of ``policies/`` holding other data (``nhsa/codes.yaml``: app/nhsa/codes.py;
``regions/``: app/regions.py; ``enrolment/``: app/enrolment/rules.py)."""


def load_directory(directory: Path = POLICY_DIR) -> list[PolicyDocument]:
    """Every ``*.yaml`` below ``directory``, sorted by path, except in :data:`NOT_POLICIES`."""
    return [
        load_document(path)
        for path in sorted(directory.rglob("*.yaml"))
        if path.relative_to(directory).parts[0] not in NOT_POLICIES
    ]
