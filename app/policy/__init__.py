"""Policy documents: loading dated YAML, hashing, picking the version in force."""

from .loader import (
    POLICY_DIR,
    PolicyDocument,
    canonical_json,
    load_directory,
    load_document,
    parse_document,
)

__all__ = [
    "POLICY_DIR",
    "PolicyDocument",
    "canonical_json",
    "load_directory",
    "load_document",
    "parse_document",
]
