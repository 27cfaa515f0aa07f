"""A draft policy document, as YAML text or as the same document in JSON, checked exactly as a
document of ``policies/`` is (:func:`app.policy.loader.parse_document`, which builds it with the
engine's :func:`app.engine.build_policy`), its errors naming the field.

YAML text is parsed with PyYAML's safe loader, aliases refused: an alias costs nothing to write
and copies a node wherever it is used, so a few lines of ``&a``/``*a`` could expand into millions
of nodes once the document is turned into JSON; a policy document never needs one.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.engine import PolicyError, build_policy
from app.errors import Unprocessable
from app.policy.loader import PolicyDocument, parse_document

__all__ = ["parse_draft"]

MAX_YAML_CHARS = 1_000_000  # a real policy document is about 8,000 characters


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (``*name``)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a policy document", event.start_mark
            )
        return super().compose_node(parent, index)


def _invalid(loc: list[str | int], msg: str) -> Unprocessable:
    return Unprocessable(
        f"The draft policy is invalid: {msg}",
        code="invalid_policy",
        errors=[{"loc": loc, "msg": msg, "key": "policy_field", "params": {"problem": msg}}],
        params={"count": 1},
    )


def parse_draft(policy: object, loc: tuple[str | int, ...] = ("body", "policy")) -> PolicyDocument:
    """The draft's document, validated; 422 ``invalid_policy`` with one ``errors`` item per
    problem, each ``loc`` ``[*loc, <the field's path in the document>]``."""
    document: object = policy
    if isinstance(policy, str):
        if len(policy) > MAX_YAML_CHARS:
            raise _invalid([*loc], f"at most {MAX_YAML_CHARS} characters of YAML")
        try:
            document = yaml.load(policy, Loader=_NoAliasLoader)
        except RecursionError as exc:  # "[[[[…": nested deeper than Python's stack
            raise _invalid([*loc], "not valid YAML: nested too deeply") from exc
        except (ValueError, TypeError, OverflowError) as exc:  # a bad date such as 2018-13-45
            raise _invalid([*loc], f"not valid YAML: {exc}") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise _invalid([*loc], f"not valid YAML{where}: {problem}") from exc
    if not isinstance(document, dict):
        raise _invalid([*loc], "must be a policy document (a mapping), as YAML text or JSON")
    try:
        # The engine's checks first, on the document as sent: they name the field of a value
        # JSON cannot hash (a number instead of a quoted string); then the loader's hash.
        build_policy(document)
        return parse_document(document)
    except PolicyError as exc:
        errors = [
            {"loc": [*loc, *where], "msg": msg, "key": "policy_field", "params": {"problem": msg}}
            for where, msg in exc.errors
        ]
        raise Unprocessable(
            f"The draft policy has {len(errors)} problem(s).",
            code="invalid_policy",
            errors=errors,
            params={"count": len(errors)},
        ) from exc
    except (TypeError, ValueError, RecursionError) as exc:  # what JSON cannot hold
        raise _invalid([*loc], f"not a JSON document: {type(exc).__name__}") from exc
